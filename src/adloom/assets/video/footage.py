"""The user's clips as scene backgrounds: which part of which clip each scene shows, and the
painter that draws the brand's type over those frames.

- ``generate`` analyses every clip once (:func:`analyse_clips`: facts and motion profile) and,
  once the scene durations are settled, gives each scene but the end card a segment
  (:func:`assign_footage`): the clips in turn, each scene's segment where its clip moves most,
  past the first half second, apart from the segments other scenes took; and the subject's
  place over that segment (``render.footage.clip_framing``).
- ``render`` builds a :class:`SceneFootage` per scene (:func:`scene_footage`); its
  :class:`FootagePainter` streams the segment from ffmpeg already trimmed, cropped around the
  subject, scaled and muted (one decode, no per-pixel Python), lays a scrim over it so the
  headline and captions stay readable, and draws the scene's layers on top.
The clip's sound never reaches the ad: the decoder is given ``-an`` and the soundtrack is made
from the voice and the music alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import skia

from adloom.providers.tts import WordTiming
from adloom.render.footage import (
    SKIP_START,
    ClipAnalysis,
    ClipInfo,
    DecodeSpec,
    FootageReader,
    analyse_clip,
    best_window,
    clip_framing,
    crop_for,
    probe_clip,
)
from adloom.render.framing import Framing

from .encode import FPS
from .look import Look, file_digest
from .painter import Rect, ScenePainter, argb
from .plan import ScenePlan, VideoFormat, VideoPlan

SCRIM_TOP = 0.62  # black over the footage where the headline sits ...
SCRIM_MIDDLE = 0.22  # ... lighter through the middle, where the subject usually is ...
SCRIM_BOTTOM = 0.66  # ... and dark again under the captions
SCRIM_STOPS = (0.0, 0.42, 0.6, 1.0)  # where those levels are reached (fractions of the height)
SCRIM_BAND = 8  # rows darkened by one factor (under a grey level per band: no visible steps)


def scrim_alpha(y: float) -> float:
    """The scrim's opacity at height fraction ``y`` (piecewise linear between the stops)."""
    levels = (SCRIM_TOP, SCRIM_MIDDLE, SCRIM_MIDDLE, SCRIM_BOTTOM)
    return float(np.interp(y, SCRIM_STOPS, levels))


@dataclass(frozen=True)
class SceneFootage:
    """One scene's part of one clip, as plain data (it travels into content hashes)."""

    clip: Path
    start: float
    clip_seconds: float
    width: int  # the clip's frame as shown (rotation applied)
    height: int
    focal: tuple[float, float] = (0.5, 0.5)
    keep: tuple[float, float, float, float] | None = None

    @property
    def framing(self) -> Framing:
        return Framing(self.focal, self.keep)

    def fingerprint(self) -> dict[str, Any]:
        return {"clip": file_digest(self.clip), "start": self.start, "size": [self.width, self.height],
                "focal": list(self.focal), "keep": list(self.keep) if self.keep else None}

    def crop(self, fmt: VideoFormat) -> tuple[int, int, int, int]:
        info = ClipInfo(self.clip_seconds, "h264", self.width, self.height)
        box = crop_for(info, fmt.width, fmt.height, self.framing)
        return int(box.x), int(box.y), int(box.w), int(box.h)

    def decode_spec(self, scene: ScenePlan, fmt: VideoFormat, *, first: int = 0,
                    frames: int | None = None) -> DecodeSpec:
        """Frames ``first`` .. of the scene; a clip shorter than the scene loops."""
        count = scene.frame_count - first if frames is None else frames
        start = self.start + first / FPS
        loop = start + count / FPS > self.clip_seconds - 0.05
        if loop:
            start %= max(0.1, self.clip_seconds)
        return DecodeSpec(self.clip, round(start, 3), count, self.crop(fmt), fmt.width, fmt.height,
                          fps=FPS, loop=loop)


# ----------------------------------------------------------------------------- generate


def analyse_clips(clips: Sequence[Path]) -> list[ClipAnalysis]:
    """Facts, motion profile and framing frames of every clip (one small decode each)."""
    return [analyse_clip(clip) for clip in clips]


def footage_scenes(plan: VideoPlan) -> list[ScenePlan]:
    """The scenes that show footage: all but the end card, which stays the brand's own."""
    return [scene for scene in plan.scenes if not scene.is_end_card]


def assign_footage(plan: VideoPlan, analysed: Sequence[ClipAnalysis]) -> dict[str, dict[str, Any]]:
    """{scene index: {clip, start, framing}}: the clips in turn, each scene at the liveliest
    segment of its clip that other scenes have not taken, framed around the subject."""
    if not analysed:
        return {}
    taken: dict[int, list[tuple[float, float]]] = {}
    out: dict[str, dict[str, Any]] = {}
    for turn, scene in enumerate(footage_scenes(plan)):
        n = turn % len(analysed)
        clip = analysed[n]
        length = min(scene.duration, clip.info.duration)
        start = best_window(clip.motion, clip.info.duration, length, avoid=tuple(taken.get(n, [])))
        taken.setdefault(n, []).append((start, start + length))
        out[str(scene.index)] = {"clip": n, "start": start, "framing": clip.framing(start, length).to_json()}
    return out


def scene_footage(gen: Mapping[str, Any]) -> dict[int, SceneFootage]:
    """The render stage's view of what ``generate`` decided."""
    found = gen.get("footage") or {}
    clips = found.get("clips") or []
    out = {}
    for index, entry in (found.get("scenes") or {}).items():
        clip = clips[int(entry["clip"])]
        framing = Framing.from_json(entry.get("framing"))
        out[int(index)] = SceneFootage(Path(clip["clip"]), float(entry["start"]), float(clip["duration"]),
                                       int(clip["width"]), int(clip["height"]), framing.focal, framing.keep)
    return out


def quick_footage(clips: Sequence[Path], plan: VideoPlan) -> dict[int, SceneFootage]:
    """Footage for the storyboard, before ``generate`` ran: each clip from its first half
    second on, framed on that part; the scenes take the clips in turn as they will in the ad."""
    if not clips:
        return {}
    parts = []
    for clip in clips:
        info = probe_clip(clip)
        start = min(SKIP_START, max(0.0, info.duration - 0.1))
        framing = clip_framing(clip, start, min(2.0, max(0.1, info.duration - start)))
        parts.append(SceneFootage(clip, start, info.duration, info.width, info.height, framing.focal, framing.keep))
    return {scene.index: parts[turn % len(parts)] for turn, scene in enumerate(footage_scenes(plan))}


# ----------------------------------------------------------------------------- drawing


class FootagePainter(ScenePainter):
    """A scene drawn over its footage: every frame changes, so every frame is drawn whole."""

    over_footage = True

    def __init__(self, scene: ScenePlan, fmt: VideoFormat, look: Look, words: Sequence[WordTiming],
                 footage: SceneFootage) -> None:
        super().__init__(scene, fmt, look, words)
        self.footage = footage
        # the type is set light over a darkened picture, whatever the treatment's scene colour
        self.dark = True
        self.bg_top = look.dark
        self.ink = look.palette.text_for(look.dark)
        self.scrim = self._scrim()
        h = self.fmt.height
        self.bands = [(y, min(h, y + SCRIM_BAND), 1.0 - scrim_alpha((y + SCRIM_BAND / 2) / h))
                      for y in range(0, h, SCRIM_BAND)]
        self._reader: FootageReader | None = None
        self._next = 0
        self._pixels: np.ndarray | None = None

    def _scrim(self) -> skia.Paint:
        h = self.fmt.height
        shader = skia.GradientShader.MakeLinear(
            [skia.Point(0, 0), skia.Point(0, h)],
            [argb("#000000", SCRIM_TOP), argb("#000000", SCRIM_MIDDLE), argb("#000000", SCRIM_MIDDLE),
             argb("#000000", SCRIM_BOTTOM)],
            list(SCRIM_STOPS),
        )
        return skia.Paint(Shader=shader, Dither=True)

    def streaming(self) -> AbstractContextManager[Any]:
        """Open the scene's decoder for a sequential pass over frames 0, 1, 2…"""
        self._reader = FootageReader(self.footage.decode_spec(self.scene, self.fmt))
        self._next = 0
        return self._reader

    def frame(self, k: int) -> np.ndarray:
        """The footage's frame ``k`` as BGRA: from the open stream when it is the next one,
        else decoded on its own (stills, the storyboard)."""
        reader = self._reader
        if reader is not None and reader._process is not None and k == self._next:
            self._next += 1
            return reader.next_frame()
        spec = self.footage.decode_spec(self.scene, self.fmt, first=k, frames=1)
        with FootageReader(spec) as single:
            return single.next_frame().copy()

    def draw_changes(self, canvas: skia.Canvas, k: int, pixels: np.ndarray | None = None) -> Rect | None:
        self.draw(canvas, k, pixels)
        return None  # the whole frame changed

    def draw(self, canvas: skia.Canvas, k: int, pixels: np.ndarray | None = None) -> None:
        self._pixels = pixels
        super().draw(canvas, k, pixels)

    def _layers(self, canvas: skia.Canvas, k: int, *, background: bool = True) -> None:
        if background:
            frame = self.frame(k)
            if self._pixels is not None and canvas.getTotalMatrix().isIdentity():
                self._darken_into(frame, self._pixels)
            else:  # moved or scaled by a transition: skia draws it with the same scrim
                image = skia.Image.fromarray(frame, colorType=skia.kBGRA_8888_ColorType,
                                             alphaType=skia.kOpaque_AlphaType, copy=False)
                canvas.drawImage(image, 0, 0)
                canvas.drawPaint(self.scrim)
        super()._layers(canvas, k, background=False)

    def _darken_into(self, frame: np.ndarray, pixels: np.ndarray) -> None:
        """The frame under the scrim, written straight into the canvas's pixels: one scaled copy
        per band of rows (OpenCV, vectorised) costs about what a plain copy does, where skia's
        gradient blend over the whole frame costs ten times more."""
        for top, bottom, factor in self.bands:
            cv2.convertScaleAbs(frame[top:bottom], pixels[top:bottom], factor)
        pixels[:, :, 3] = 255


def streaming(painter: ScenePainter) -> AbstractContextManager[Any]:
    """The painter's decoder for a sequential pass (nothing to open for a painted scene)."""
    return painter.streaming() if isinstance(painter, FootagePainter) else nullcontext()
