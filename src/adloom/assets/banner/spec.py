"""The display banner kind, declared once: sizes, image formats, prices, labels, copy models,
generator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from adloom.assets.banner.copy_spec import COPY
from adloom.assets.banner.models import read_scenes, read_script
from adloom.assets.kind import KindSpec, PriceFacts
from adloom.assets.options import CommonOptions, bounded_list, unique, unknown_values

NAME = "banner"
# The IAB / Google / social name of each size, shown next to its pixels on the dashboard.
SIZE_NAMES = {
    "300x250": "Medium rectangle", "336x280": "Large rectangle", "728x90": "Leaderboard",
    "970x90": "Large leaderboard", "970x250": "Billboard", "160x600": "Wide skyscraper",
    "300x600": "Half page", "300x1050": "Portrait", "320x50": "Mobile banner",
    "320x100": "Large mobile banner", "468x60": "Banner", "250x250": "Square", "200x200": "Small square",
    "1080x1080": "Social square", "1080x1350": "Social portrait", "1200x628": "Social landscape",
}
SIZES = tuple(SIZE_NAMES)
ImageFormat = Literal["png", "jpeg", "webp"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "jpeg", "webp")
IMAGE_FORMAT_LABELS = {"png": "PNG", "jpeg": "JPEG", "webp": "WebP"}
ARRANGEMENT_LABELS = {
    "text_left": "Text on the left", "text_right": "Text on the right", "text_top": "Text on top",
    "text_bottom": "Text below", "text_center": "Text centred", "text_only": "Text only",
}
BACKGROUND_LABELS = {"gradient": "Gradient", "color_field": "Colour field", "shapes": "Shapes",
                     "split": "Split"}
SIZE_CLASS_LABELS = {"leaderboard": "Leaderboard", "skyscraper": "Skyscraper", "rectangle": "Rectangle",
                     "square": "Square", "mobile_strip": "Mobile strip", "landscape": "Landscape",
                     "portrait": "Portrait"}


def size_label(size: str) -> str:
    """ "300x250" -> "Medium rectangle · 300×250"; an unnamed size keeps its pixels."""
    pixels = size.replace("x", "×")
    return f"{SIZE_NAMES[size]} · {pixels}" if size in SIZE_NAMES else pixels


class BannerOptions(CommonOptions):
    sizes: list[str] = Field(default_factory=lambda: list(SIZES), min_length=1, max_length=len(SIZES))
    formats: list[ImageFormat] = Field(
        default_factory=lambda: list(IMAGE_FORMATS), min_length=1, max_length=len(IMAGE_FORMATS))

    @field_validator("sizes", mode="before")
    @classmethod
    def _split_sizes(cls, value: Any) -> Any:
        return bounded_list(value, SIZES, "sizes")

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return bounded_list(value, IMAGE_FORMATS, "formats")

    @field_validator("sizes")
    @classmethod
    def _known_sizes(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(SIZES)
        if problem := unknown_values(value, SIZES, "size", SIZES):
            raise problem
        return unique(value)

    @field_validator("formats")
    @classmethod
    def _merge_formats(cls, value: list[str]) -> list[str]:
        return unique(value)


def stage_actions(step: str, facts: PriceFacts) -> list[tuple[str, int]]:
    return [("banner_set", 1)] if step == "render" else []


def form_options(form: Mapping[str, str], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    options: dict[str, Any] = {"sizes": lists.get("sizes") or list(SIZES)}
    if lists.get("image_formats"):
        options["formats"] = lists["image_formats"]
    return options


def summary(options: Mapping[str, Any]) -> str:
    return f"{len(options.get('sizes') or [])} sizes"


SPEC = KindSpec(
    name=NAME,
    label="Display banners",
    blurb="Every IAB and social size from one design, plus an HTML5 package.",
    icon="▭",
    options=BannerOptions,
    copy=COPY,
    read_script=read_script,
    read_scenes=read_scenes,
    generator="adloom.assets.banner:BannerGenerator",
    stage_actions=stage_actions,
    prices={"banner_set": 5},
    price_labels={"banner_set": "Banner set"},
    format_labels={size: size_label(size) for size in SIZES},
    value_labels={**IMAGE_FORMAT_LABELS, **ARRANGEMENT_LABELS, **BACKGROUND_LABELS, **SIZE_CLASS_LABELS},
    form_options=form_options,
    summary=summary,
    stage_labels={"generate": "Product cut-out and logo"},
    storyboard="adloom.assets.banner.storyboard:paint_storyboard",
)
