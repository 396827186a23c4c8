"""Shots inside a scene: a scene longer than 3 s is cut into shots of 1.5-3 s, each opening on
a visible change (a re-framing of the photo on its real pixels, an accent block sweeping in
behind one word of the headline), so an ad never holds one picture for a whole long scene.

Pure functions: the painter asks where shots start and which crop a shot shows.
"""

from __future__ import annotations

import math

from adloom.render.layout import Box

SHOT_MAX = 3.0  # seconds a shot may last
SHOT_TARGET = 2.4  # the length aimed at when a scene is cut
BEAT = 0.3  # seconds the accent block takes to sweep in


def shot_starts(duration: float) -> tuple[float, ...]:
    """Start times (s into the scene) of every shot after the first; none for short scenes."""
    if duration <= SHOT_MAX:
        return ()
    count = max(2, math.ceil(duration / SHOT_TARGET))
    if duration / count < 1.5:
        count = max(2, math.floor(duration / 1.5))
    return tuple(round(i * duration / count, 4) for i in range(1, count))


def detail_crop(crop: Box, src_w: float, src_h: float, focal: tuple[float, float],
                zoom: float, shot: int) -> Box:
    """A closer crop of the photo (``zoom`` > 1) with the crop's shape, drifting to a
    different side of the subject from shot to shot: a detail shot on real pixels."""
    w, h = crop.w / zoom, crop.h / zoom
    # odd shots hold the subject, even ones look beside it (a quarter of the slack either way)
    offsets = ((0.0, 0.0), (-0.25, -0.2), (0.25, 0.2))
    ox, oy = offsets[shot % len(offsets)]
    cx = focal[0] * src_w + ox * (crop.w - w)
    cy = focal[1] * src_h + oy * (crop.h - h)
    x = min(max(crop.x, cx - w / 2), crop.right - w)
    y = min(max(crop.y, cy - h / 2), crop.bottom - h)
    return Box(x, y, w, h)
