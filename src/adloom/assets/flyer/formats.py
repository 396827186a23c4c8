"""Print and social formats for flyers and posters, and the page geometry they imply.

All print geometry is in PostScript points (1/72 in). Social formats are pixel canvases; they
use the same code with one "point" per pixel, no bleed and no PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from adloom.errors import InvalidOption
from adloom.render.layout import Box

MM = 72 / 25.4
INCH = 72.0

# Crop marks sit outside the bleed: a small gap, then a short hairline (industry habit:
# 1/4 in long, offset so they never print inside the bleed).
MARK_GAP = 3.0
MARK_LENGTH = 18.0
MARK_SLUG = MARK_GAP + MARK_LENGTH + 3.0

Medium = Literal["flyer", "poster"]


@dataclass(frozen=True)
class FlyerFormat:
    """One output format. ``width``/``height`` are the trim size."""

    name: str
    label: str
    width: float
    height: float
    bleed: float
    safe: float
    medium: Medium
    social: bool = False
    # extra keep-out at the top/bottom of social canvases (platform UI covers them)
    ui_top: float = 0.0
    ui_bottom: float = 0.0

    @property
    def trim(self) -> Box:
        return Box(0.0, 0.0, self.width, self.height)

    @property
    def safe_area(self) -> Box:
        """Trim inset by the safe margin (and the platform UI zones on social canvases)."""
        return Box(
            self.safe,
            self.safe + self.ui_top,
            self.width - 2 * self.safe,
            self.height - 2 * self.safe - self.ui_top - self.ui_bottom,
        )

    @property
    def size_text(self) -> str:
        if self.social:
            return f"{int(self.width)}×{int(self.height)} px"
        if self.bleed == 3 * MM:
            return f"{self.width / MM:.0f}×{self.height / MM:.0f} mm"
        return f"{self.width / INCH:g}×{self.height / INCH:g} in"


def _iso(name: str, w_mm: float, h_mm: float, medium: Medium) -> FlyerFormat:
    return FlyerFormat(name, name, w_mm * MM, h_mm * MM, bleed=3 * MM, safe=5 * MM, medium=medium)


def _us(name: str, label: str, w_in: float, h_in: float, medium: Medium) -> FlyerFormat:
    return FlyerFormat(
        name, label, w_in * INCH, h_in * INCH, bleed=INCH / 8, safe=INCH / 4, medium=medium
    )


FORMATS: dict[str, FlyerFormat] = {
    f.name: f
    for f in (
        _iso("A5", 148, 210, "flyer"),
        _iso("A4", 210, 297, "flyer"),
        _iso("A3", 297, 420, "poster"),
        _us("letter", "Letter", 8.5, 11, "flyer"),
        _us("11x17", "11×17", 11, 17, "poster"),
        _us("18x24", "18×24", 18, 24, "poster"),
        FlyerFormat("1080x1350", "1080×1350", 1080, 1350, 0.0, 64.0, "flyer", social=True),
        FlyerFormat(
            "1080x1920",
            "1080×1920",
            1080,
            1920,
            0.0,
            64.0,
            "flyer",
            social=True,
            ui_top=190.0,
            ui_bottom=250.0,
        ),
    )
}

_ALIASES = {
    "a5": "A5",
    "a4": "A4",
    "a3": "A3",
    "letter": "letter",
    "usletter": "letter",
    "us_letter": "letter",
    "us-letter": "letter",
    "tabloid": "11x17",
    "11x17": "11x17",
    "ledger": "11x17",
    "18x24": "18x24",
    "poster": "18x24",
    "1080x1350": "1080x1350",
    "social": "1080x1350",
    "portrait": "1080x1350",
    "4:5": "1080x1350",
    "1080x1920": "1080x1920",
    "story": "1080x1920",
    "9:16": "1080x1920",
}


def get_format(name: str) -> FlyerFormat:
    """Look a format up by name or alias ("A4", "letter", "tabloid", "story"...)."""
    key = _ALIASES.get(name.strip().lower().replace(" ", "").replace("×", "x"))
    if key is None:
        raise InvalidOption(
            f"Unknown flyer format '{name}'.",
            hint=f"Use one of: {', '.join(FORMATS)}.",
            option="formats",
            value=name,
        )
    return FORMATS[key]


def resolve_formats(names: object) -> list[FlyerFormat]:
    """The formats asked for in ``options["formats"]`` (default: all eight), de-duplicated."""
    if names is None:
        return list(FORMATS.values())
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list | tuple) or not names:
        raise InvalidOption("'formats' must be a non-empty list of format names.", option="formats")
    chosen: dict[str, FlyerFormat] = {}
    for name in names:
        fmt = get_format(str(name))
        chosen[fmt.name] = fmt
    return list(chosen.values())


@dataclass(frozen=True)
class PageGeometry:
    """Where trim, bleed and media sit on a PDF page.

    Boxes are given in PDF user space (origin bottom-left, y up) as (x0, y0, x1, y1), and the
    offset of the trim box's top-left corner from the media box's top-left (for drawing with a
    y-down canvas).
    """

    media: tuple[float, float, float, float]
    bleed: tuple[float, float, float, float]
    trim: tuple[float, float, float, float]
    trim_origin: tuple[float, float]
    crop_marks: bool

    @property
    def media_size(self) -> tuple[float, float]:
        return (self.media[2] - self.media[0], self.media[3] - self.media[1])


def page_geometry(fmt: FlyerFormat, *, crop_marks: bool = False) -> PageGeometry:
    """MediaBox = trim + 2 × bleed (+ a slug for crop marks when asked)."""
    slug = MARK_SLUG if crop_marks else 0.0
    edge = fmt.bleed + slug
    media_w = fmt.width + 2 * edge
    media_h = fmt.height + 2 * edge
    bleed = (slug, slug, media_w - slug, media_h - slug)
    trim = (edge, edge, media_w - edge, media_h - edge)
    return PageGeometry(
        media=(0.0, 0.0, media_w, media_h),
        bleed=bleed,
        trim=trim,
        trim_origin=(edge, edge),
        crop_marks=crop_marks,
    )


def crop_mark_lines(
    fmt: FlyerFormat, geometry: PageGeometry
) -> list[tuple[float, float, float, float]]:
    """Eight hairlines (x0, y0, x1, y1) in y-down media coordinates, two per trim corner."""
    if not geometry.crop_marks:
        return []
    ox, oy = geometry.trim_origin
    xs = (ox, ox + fmt.width)
    ys = (oy, oy + fmt.height)
    start = fmt.bleed + MARK_GAP
    end = start + MARK_LENGTH
    lines: list[tuple[float, float, float, float]] = []
    for x, sx in ((xs[0], -1), (xs[1], 1)):
        for y, sy in ((ys[0], -1), (ys[1], 1)):
            lines.append((x + sx * start, y, x + sx * end, y))  # horizontal mark
            lines.append((x, y + sy * start, x, y + sy * end))  # vertical mark
    return lines
