"""The data a flyer layout is made of: copy, visuals, shapes, text and image slots, the plan.

Coordinates are trim coordinates: origin at the trim's top-left, y down, points for print and
pixels for social formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from adloom.render.layout import Box

from .formats import FlyerFormat

Family = Literal["event", "launch", "offer", "awareness"]
HeroKind = Literal["product", "photo", "typographic"]
FontRole = Literal["heading", "body", "body_bold"]
Align = Literal["left", "center", "right"]
ShapeKind = Literal["rect", "round_rect", "circle", "linear", "radial", "stroke"]

FAMILIES: tuple[Family, ...] = ("event", "launch", "offer", "awareness")


@dataclass(frozen=True)
class FlyerCopy:
    """Everything a flyer says, already chosen from the script and the campaign."""

    headline: str
    subhead: str
    body: tuple[str, ...]
    cta: str
    eyebrow: str = ""
    details: tuple[tuple[str, str], ...] = ()  # (label, value): ("Date", "21 Jan 2027")...
    offer: str = ""
    price: str = ""
    brand_name: str = ""
    qr_caption: str = ""
    display_url: str = ""


@dataclass(frozen=True)
class Visuals:
    """Which images the flyer has."""

    hero: HeroKind = "product"
    logo: bool = True
    qr: bool = True
    logo_on_card: bool = False  # an opaque (no transparency) logo sits on a white card
    # the largest box (layout units) a photo can cover and still print sharp enough; 0 = no
    # limit. A photo too small for its slot is shown smaller (an inset) instead of blown up.
    photo_max_w: float = 0.0
    photo_max_h: float = 0.0

    def photo_fits(self, box: Box) -> bool:
        return self.photo_scale(box) >= 0.98

    def photo_scale(self, box: Box) -> float:
        if self.photo_max_w <= 0 or self.photo_max_h <= 0:
            return 1.0
        return min(1.0, self.photo_max_w / box.w, self.photo_max_h / box.h)

    def photo_box(self, box: Box) -> Box:
        """``box`` shrunk about its centre (same shape) until the photo covers it sharply,
        but never below 45 % of it."""
        scale = max(0.45, self.photo_scale(box))
        return box if scale >= 0.98 else box.place(box.w * scale, box.h * scale, "center")


@dataclass(frozen=True)
class Shape:
    """A decorative fill. ``color2`` is the end colour of gradients."""

    kind: ShapeKind
    box: Box
    color: str
    color2: str = ""
    radius: float = 0.0
    width: float = 0.0  # stroke width
    over: bool = False  # drawn over the images (scrims, fades), under the text


@dataclass(frozen=True)
class TextSlot:
    """A piece of copy and the box it must fit in."""

    name: str
    text: str
    box: Box
    font: FontRole
    color: str
    max_lines: int
    min_size: float
    max_size: float
    align: Align = "left"
    line_height: float = 1.15
    valign: Literal["top", "center", "bottom"] = "top"
    marker: str = ""  # colour of a bullet drawn in the gutter left of the first line
    floor: float = (
        7.0  # legibility floor: copy too long for min_size may shrink to this, never below
    )


@dataclass(frozen=True)
class ImageSlot:
    """Where the hero image, logo or QR code goes."""

    name: Literal["hero", "logo", "qr"]
    box: Box
    fit: Literal["cover", "contain"] = "contain"
    clip: Literal["none", "round", "circle"] = "none"
    radius: float = 0.0
    backing: str = ""  # colour of a card drawn behind the image ("" for none)
    backing_pad: float = 0.0
    anchor: Literal["center", "bottom", "left", "top_left"] = "bottom"


@dataclass(frozen=True)
class FlyerPlan:
    fmt: FlyerFormat
    family: Family
    ground: str
    shapes: tuple[Shape, ...]
    images: tuple[ImageSlot, ...]
    texts: tuple[TextSlot, ...]
    content: Box  # the area text may use (inside the safe area)

    def image(self, name: str) -> ImageSlot | None:
        return next((slot for slot in self.images if slot.name == name), None)
