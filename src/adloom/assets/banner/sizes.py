"""Banner sizes (IAB, Google and social) and their shape classes."""

from __future__ import annotations

from adloom.errors import InvalidOption
from adloom.render.layout import ShapeClass, shape_class

ALL_SIZES: tuple[str, ...] = (
    "300x250",
    "336x280",
    "728x90",
    "970x90",
    "970x250",
    "160x600",
    "300x600",
    "300x1050",
    "320x50",
    "320x100",
    "468x60",
    "250x250",
    "200x200",
    "1080x1080",
    "1080x1350",
    "1200x628",
)
ALL_FORMATS: tuple[str, ...] = ("png", "jpeg", "webp")


def parse_size(label: str) -> tuple[int, int]:
    """ "300x250" -> (300, 250); InvalidOption for anything else."""
    try:
        w, h = (int(part) for part in label.lower().replace("×", "x").split("x"))
    except ValueError as exc:
        raise InvalidOption(
            f"Banner size {label!r} is not WIDTHxHEIGHT.", hint="Use e.g. 300x250."
        ) from exc
    if not (16 <= w <= 4000 and 16 <= h <= 4000):
        raise InvalidOption(f"Banner size {label!r} is out of range (16..4000 px).")
    return w, h


def layout_family(width: int, height: int) -> ShapeClass:
    """Shape class used to pick a layout; a tall leaderboard (970x250 billboard) lays out
    like a landscape."""
    shape = shape_class(width, height)
    if shape == "leaderboard" and height >= 200:
        return "landscape"
    return shape
