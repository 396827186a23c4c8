"""The visual critic's checks on a rendered ad (issue 19, "Done when"), as pure functions on
frames and boxes, so each can be fed known-bad input in a test and seen to catch it.

- :func:`blank_frames`: frames that are (nearly) one colour.
- :func:`still_spans`: stretches longer than 3 s with no visible change.
- :func:`caption_clashes`: caption areas that cover the product or the headline.
- :func:`logo_match`: how well the logo is found in a frame (template match over sizes).
- :func:`drawn_difference`: how much a box differs between two renders (the brand name's box
  with and without the name: OCR-free proof the name is drawn).
- :func:`missing_glyph_texts`: texts drawn with ``.notdef`` glyphs (boxes);
  :func:`unshapeable_texts`: the same asked of an ad's texts before it renders (a warning on
  the rendering step).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import cv2
import numpy as np

from adloom.render.fonts import typeface
from adloom.render.layout import Box
from adloom.render.text import ShapedText, shape

from .look import LookSpec
from .plan import VideoPlan

BLANK_SHARE = 0.97  # a frame with this share of pixels within a few levels of its median
BLANK_LEVELS = 6
VISIBLE = 1.5  # mean absolute luma change (0-255) that a person sees as something happening
LONGEST_STILL = 3.0  # seconds


def luma(frame: np.ndarray) -> np.ndarray:
    rgb = frame[..., :3].astype(np.float32)
    out: np.ndarray = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    return out


def blank_frames(frames: Iterable[np.ndarray]) -> list[int]:
    """Indexes of frames that are blank or a single colour (a gradient-free wash, a flash)."""
    out = []
    for index, frame in enumerate(frames):
        y = luma(frame)
        near = (np.abs(y - np.median(y)) <= BLANK_LEVELS).mean()
        if near > BLANK_SHARE:
            out.append(index)
    return out


def still_spans(frames: Sequence[np.ndarray], times: Sequence[float], *,
                longest: float = LONGEST_STILL) -> list[tuple[float, float]]:
    """(start, length) of every stretch longer than ``longest`` seconds in which no frame
    differs visibly from the one before it. ``times`` are the frames' times (s)."""
    if len(frames) < 2:
        return []
    lumas = [luma(f) for f in frames]
    marks = [times[0]]
    for i in range(1, len(lumas)):
        if float(np.abs(lumas[i] - lumas[i - 1]).mean()) > VISIBLE:
            marks.append(times[i])
    marks.append(times[-1])
    return [(a, b - a) for a, b in itertools.pairwise(marks) if b - a > longest + 1e-6]


def overlaps(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def caption_clashes(captions: Box, headline: Box | None, products: Iterable[Box | None],
                    others: Iterable[Box | None] = ()) -> list[str]:
    """What the captions' area covers: "headline", "product" (at any of its positions) or
    "graphic" (an icon and the like)."""
    out = []
    if headline is not None and overlaps(captions, headline):
        out.append("headline")
    if any(p is not None and overlaps(captions, p) for p in products):
        out.append("product")
    if any(o is not None and overlaps(captions, o) for o in others):
        out.append("graphic")
    return out


def logo_on_white(logo_rgba: np.ndarray) -> np.ndarray:
    """The logo as grey levels, composited on white (the end card draws it on a white badge)."""
    rgb = logo_rgba[..., :3].astype(np.float32)
    alpha = logo_rgba[..., 3:4].astype(np.float32) / 255 if logo_rgba.shape[2] == 4 else 1.0
    on_white = (rgb * alpha + 255 * (1 - alpha)).astype(np.uint8)
    return cv2.cvtColor(on_white, cv2.COLOR_RGB2GRAY)


def logo_match(frame: np.ndarray, logo_grey: np.ndarray, side: float) -> float:
    """Best normalised correlation (-1..1) of the logo in ``frame`` (RGB), tried at sizes from
    60 to 100 % of ``side`` px (its longer side), aspect kept."""
    grey = cv2.cvtColor(np.ascontiguousarray(frame[..., :3]), cv2.COLOR_RGB2GRAY)
    h, w = logo_grey.shape
    best = -1.0
    for factor in np.linspace(0.6, 1.0, 9):
        scale = side * factor / max(h, w)
        size = (max(6, round(w * scale)), max(6, round(h * scale)))
        if size[0] > grey.shape[1] or size[1] > grey.shape[0]:
            continue
        template = cv2.resize(logo_grey, size, interpolation=cv2.INTER_AREA)
        if float(template.std()) < 1e-3:
            continue
        best = max(best, float(cv2.matchTemplate(grey, template, cv2.TM_CCOEFF_NORMED).max()))
    return best


def drawn_difference(a: np.ndarray, b: np.ndarray, box: Box) -> float:
    """Share of the pixels inside ``box`` that differ clearly between two renders."""
    rows = slice(max(0, int(box.y)), int(box.bottom))
    cols = slice(max(0, int(box.x)), int(box.right))
    diff = np.abs(a[rows, cols, :3].astype(int) - b[rows, cols, :3].astype(int)).sum(axis=-1)
    return float((diff > 90).mean()) if diff.size else 0.0


def frame_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference (0-255) of two frames' 27x48 thumbnails."""
    def thumb(x: np.ndarray) -> np.ndarray:
        return cv2.resize(np.ascontiguousarray(x[..., :3]), (27, 48),
                          interpolation=cv2.INTER_AREA).astype(np.float32)
    return float(np.abs(thumb(a) - thumb(b)).mean())


def missing_glyph_texts(drawn: Iterable[ShapedText]) -> list[str]:
    """The drawn texts that have at least one ``.notdef`` glyph, each once."""
    return sorted({s.text for s in drawn if s.missing_glyphs})


def unshapeable_texts(plan: VideoPlan, look: LookSpec) -> list[str]:
    """Where the ad would draw boxes: the scenes' lines and spoken words (captions), the CTA
    and the end card's name, offer and URL, shaped with the faces that draw them (the brand's
    fonts and the fallbacks). Checked before rendering, so cached clips are covered too."""
    heading, heavy, body = (typeface(choice) for choice in look.fonts())
    texts = [(f"scene {s.index + 1}'s line", s.text, heading) for s in plan.scenes]
    texts += [(f"scene {s.index + 1}'s captions", s.voiceover, body) for s in plan.scenes]
    texts += [("the button", look.cta, heavy), ("the brand's name", look.brand_name, heavy),
              ("the offer", look.offer or "", heading), ("the URL", look.url or "", body)]
    return [where for where, text, face in texts if text and shape(text, face).missing_glyphs]
