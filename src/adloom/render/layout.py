"""Layout primitives: boxes with anchors, shape classes, cover/contain placement.

Everything here is pure geometry on floats; nothing draws. Renderers (raster or vector) take
the boxes and paint them, so one layout can be tested without pixels and drawn anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Anchor = Literal[
    "top_left",
    "top",
    "top_right",
    "left",
    "center",
    "right",
    "bottom_left",
    "bottom",
    "bottom_right",
]
ShapeClass = Literal[
    "leaderboard", "skyscraper", "rectangle", "square", "mobile_strip", "landscape", "portrait"
]

_ANCHOR_FRACTIONS: dict[str, tuple[float, float]] = {
    "top_left": (0.0, 0.0),
    "top": (0.5, 0.0),
    "top_right": (1.0, 0.0),
    "left": (0.0, 0.5),
    "center": (0.5, 0.5),
    "right": (1.0, 0.5),
    "bottom_left": (0.0, 1.0),
    "bottom": (0.5, 1.0),
    "bottom_right": (1.0, 1.0),
}


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle: (x, y) top-left, w x h."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def area(self) -> float:
        return max(0.0, self.w) * max(0.0, self.h)

    def inset(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, max(0.0, self.w - 2 * dx), max(0.0, self.h - 2 * dy))

    def pad(self, left: float = 0, top: float = 0, right: float = 0, bottom: float = 0) -> Box:
        return Box(
            self.x + left,
            self.y + top,
            max(0.0, self.w - left - right),
            max(0.0, self.h - top - bottom),
        )

    def place(self, w: float, h: float, anchor: Anchor = "center") -> Box:
        """A w x h box placed inside this one at ``anchor``."""
        fx, fy = _ANCHOR_FRACTIONS[anchor]
        return Box(self.x + (self.w - w) * fx, self.y + (self.h - h) * fy, w, h)

    def split_x(self, fraction: float, gap: float = 0.0) -> tuple[Box, Box]:
        """Left and right parts; ``fraction`` of the width (less half the gap) goes left."""
        left_w = (self.w - gap) * fraction
        return Box(self.x, self.y, left_w, self.h), Box(
            self.x + left_w + gap, self.y, self.w - left_w - gap, self.h
        )

    def split_y(self, fraction: float, gap: float = 0.0) -> tuple[Box, Box]:
        """Top and bottom parts."""
        top_h = (self.h - gap) * fraction
        return Box(self.x, self.y, self.w, top_h), Box(
            self.x, self.y + top_h + gap, self.w, self.h - top_h - gap
        )

    def take_top(self, h: float, gap: float = 0.0) -> tuple[Box, Box]:
        """A band of height ``h`` from the top, and what remains below it (after ``gap``)."""
        return Box(self.x, self.y, self.w, h), Box(
            self.x, self.y + h + gap, self.w, max(0.0, self.h - h - gap)
        )

    def take_bottom(self, h: float, gap: float = 0.0) -> tuple[Box, Box]:
        """A band of height ``h`` at the bottom, and what remains above it."""
        return Box(self.x, self.bottom - h, self.w, h), Box(
            self.x, self.y, self.w, max(0.0, self.h - h - gap)
        )

    def take_right(self, w: float, gap: float = 0.0) -> tuple[Box, Box]:
        return Box(self.right - w, self.y, w, self.h), Box(
            self.x, self.y, max(0.0, self.w - w - gap), self.h
        )

    def take_left(self, w: float, gap: float = 0.0) -> tuple[Box, Box]:
        return Box(self.x, self.y, w, self.h), Box(
            self.x + w + gap, self.y, max(0.0, self.w - w - gap), self.h
        )

    def intersects(self, other: Box, *, tolerance: float = 0.0) -> bool:
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.bottom - tolerance
            and other.y < self.bottom - tolerance
        )

    def contains(self, other: Box, *, tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )

    def rounded(self) -> Box:
        return Box(round(self.x), round(self.y), round(self.w), round(self.h))


def shape_class(width: int, height: int) -> ShapeClass:
    """The layout family for a canvas size (IAB and social sizes)."""
    ratio = width / height
    if height <= 110 and ratio >= 2.8:
        return "mobile_strip" if width <= 480 else "leaderboard"
    if ratio >= 3.5:
        return "leaderboard"
    if ratio <= 0.4:
        return "skyscraper"
    if ratio < 0.9:
        return "portrait"
    if ratio <= 1.1:
        return "square"
    if ratio >= 1.7:
        return "landscape"
    return "rectangle"


def split_regions(
    canvas: Box, shape: ShapeClass, *, media_fraction: float = 0.45, gap: float = 0.0
) -> dict[str, Box]:
    """Split a canvas into a ``media`` region and a ``copy`` region for its shape class:
    side by side for wide shapes, stacked for tall ones."""
    if shape in ("leaderboard", "mobile_strip", "landscape", "rectangle"):
        copy, media = canvas.split_x(1 - media_fraction, gap)
    elif shape == "square":
        media, copy = canvas.split_y(media_fraction, gap)
    else:
        media, copy = canvas.split_y(media_fraction, gap)
    return {"media": media, "copy": copy}


def contain(
    src_w: float,
    src_h: float,
    box: Box,
    *,
    anchor: Anchor = "center",
    max_scale: float | None = None,
) -> Box:
    """Where a src_w x src_h image goes to fit entirely in ``box`` (never above ``max_scale``)."""
    scale = min(box.w / src_w, box.h / src_h)
    if max_scale is not None:
        scale = min(scale, max_scale)
    return box.place(src_w * scale, src_h * scale, anchor)


def cover(src_w: float, src_h: float, box: Box, *, focal: tuple[float, float] = (0.5, 0.5)) -> Box:
    """The source rectangle (in image pixels) to crop so that it fills ``box`` exactly,
    keeping the focal point (fractions of the image) as central as the crop allows."""
    scale = max(box.w / src_w, box.h / src_h)
    crop_w, crop_h = box.w / scale, box.h / scale
    x = min(max(focal[0] * src_w - crop_w / 2, 0.0), src_w - crop_w)
    y = min(max(focal[1] * src_h - crop_h / 2, 0.0), src_h - crop_h)
    return Box(x, y, crop_w, crop_h)
