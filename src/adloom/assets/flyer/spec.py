"""The flyer / poster kind, declared once: formats, prices, labels, copy models, generator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field, field_validator

from adloom.assets.flyer.copy_spec import COPY
from adloom.assets.flyer.models import parse_scenes, parse_script
from adloom.assets.kind import KindSpec, PriceFacts
from adloom.assets.options import CommonOptions, bounded_list, unique, unknown_values

NAME = "flyer"
FORMAT_LABELS = {
    "A5": "A5 print", "A4": "A4 print", "A3": "A3 print", "Letter": "US Letter print",
    "11x17": "Tabloid poster · 11×17 in", "18x24": "Poster · 18×24 in",
    "1080x1350": "Social portrait · 1080×1350", "1080x1920": "Story · 1080×1920",
}
FORMATS = tuple(FORMAT_LABELS)
SHORT_LABELS = {fmt: label.rsplit(" · ", 1)[-1] for fmt, label in FORMAT_LABELS.items()}  # "1080×1350"
VALUE_LABELS = {
    "event": "Event", "launch": "Launch", "offer": "Offer", "awareness": "Awareness",
    "product": "Product as hero", "photo": "Photo as hero", "typographic": "Type only",
}


class FlyerOptions(CommonOptions):
    formats: list[str] = Field(default_factory=lambda: list(FORMATS), min_length=1, max_length=len(FORMATS))
    crop_marks: bool = False

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return bounded_list(value, FORMATS, "formats")

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(FORMATS)
        canonical = {name.lower(): name for name in FORMATS}
        if problem := unknown_values([fmt.lower() for fmt in value], canonical, "format", FORMATS):
            raise problem
        return unique([canonical[fmt.lower()] for fmt in value])


def stage_actions(step: str, facts: PriceFacts) -> list[tuple[str, int]]:
    return [("flyer", 1)] if step == "render" else []


def form_options(form: Mapping[str, str], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    return {"formats": lists.get("formats") or list(FORMATS), "crop_marks": bool(form.get("crop_marks"))}


def summary(options: Mapping[str, Any]) -> str:
    formats = [SHORT_LABELS.get(fmt, fmt) for fmt in options.get("formats") or []]
    return ", ".join(formats[:3]) + ("…" if len(formats) > 3 else "")


SPEC = KindSpec(
    name=NAME,
    label="Flyer / poster",
    blurb="Print-ready PDFs with bleed and social-size posters with a QR code.",
    icon="▤",
    options=FlyerOptions,
    copy=COPY,
    read_script=parse_script,
    read_scenes=parse_scenes,
    generator="adloom.assets.flyer:FlyerGenerator",
    stage_actions=stage_actions,
    prices={NAME: 4},
    price_labels={NAME: "Flyer"},
    format_labels=FORMAT_LABELS,
    value_labels=VALUE_LABELS,
    form_options=form_options,
    summary=summary,
    stage_labels={"generate": "Images and QR code"},
)
