"""The video ad kind, declared once: options, formats, prices, labels, copy models, generator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from adloom.assets.kind import KindSpec, PriceFacts
from adloom.assets.options import CommonOptions, VoiceOption, bounded_list, unique
from adloom.assets.video.copy_spec import COPY
from adloom.assets.video.models import read_scenes, read_script

NAME = "video"
VideoFormat = Literal["9:16", "1:1", "4:5", "16:9"]
FORMATS: tuple[VideoFormat, ...] = ("9:16", "1:1", "4:5", "16:9")
DEFAULT_FORMAT: VideoFormat = FORMATS[0]
FORMAT_LABELS = {
    "9:16": "Vertical 9:16 (Reels, TikTok, Shorts)",
    "1:1": "Square 1:1 (feeds)",
    "4:5": "Portrait 4:5 (feeds)",
    "16:9": "Landscape 16:9 (YouTube, web)",
}
# Scenes per length when the scenes are not written yet (the quote before the scenes gate).
SCENES_PER_LENGTH = {15: 4, 30: 6, 60: 10}
MOTION_LABELS = {
    "push_in": "Slow push-in", "pull_out": "Slow pull-out", "pan_left": "Pan to the left",
    "pan_right": "Pan to the right", "parallax": "Parallax", "static": "Still",
}
TRANSITION_LABELS = {
    "cut": "Cut", "crossfade": "Crossfade", "slide": "Slide", "wipe": "Wipe", "zoom": "Zoom",
}
PLACEMENT_LABELS = {"none": "No product", "hero": "Product as hero", "inset": "Product inset",
                    "corner": "Product in a corner"}
ROLE_LABELS = {"hook": "Hook", "body": "Body", "proof": "Proof", "offer": "Offer", "cta": "Call to action"}


class VideoOptions(CommonOptions, VoiceOption):
    length: Literal[15, 30, 60] = 30

    @field_validator("length", mode="before")
    @classmethod
    def _int_length(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value
    formats: list[VideoFormat] = Field(
        default_factory=lambda: [DEFAULT_FORMAT], min_length=1, max_length=len(FORMATS))
    scale: float = Field(default=1.0, ge=0.05, le=1.0)  # a quick low-resolution preview

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return bounded_list(value, FORMATS, "formats")

    @field_validator("formats")
    @classmethod
    def _merge_formats(cls, value: list[str]) -> list[str]:
        return unique(value)


def _scene_count(facts: PriceFacts) -> int:
    scenes = facts.scenes()
    if scenes and isinstance(scenes.get("scenes"), list):
        return len(scenes["scenes"])
    return SCENES_PER_LENGTH.get(int(facts.options.get("length", 30)), 6)


def stage_actions(step: str, facts: PriceFacts) -> list[tuple[str, int]]:
    if step == "generate":
        return [("video_voiceover", 1)]
    if step == "render":
        formats = max(1, len(facts.options.get("formats") or [DEFAULT_FORMAT]))
        return [("video_scene", _scene_count(facts) * formats)]
    if step == "stitch":
        return [("video_stitch", 1)]
    return []


def form_options(form: Mapping[str, str], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    return {"length": form.get("length") or "30", "formats": lists.get("formats") or [DEFAULT_FORMAT]}


def summary(options: Mapping[str, Any]) -> str:
    return f"{options.get('length', 30)} s · {', '.join(options.get('formats') or [DEFAULT_FORMAT])}"


SPEC = KindSpec(
    name=NAME,
    label="Video ad",
    blurb="15–60 s vertical or square ads with voiceover, music and captions.",
    icon="▶",
    options=VideoOptions,
    copy=COPY,
    read_script=read_script,
    read_scenes=read_scenes,
    generator="adloom.assets.video:VideoGenerator",
    stage_actions=stage_actions,
    prices={"video_scene": 2, "video_voiceover": 2, "video_stitch": 3},
    price_labels={"video_scene": "Video · per scene and format", "video_voiceover": "Video · voiceover",
                  "video_stitch": "Video · final assembly"},
    format_labels=FORMAT_LABELS,
    value_labels={**MOTION_LABELS, **TRANSITION_LABELS, **PLACEMENT_LABELS, **ROLE_LABELS},
    form_options=form_options,
    summary=summary,
    stage_labels={"generate": "Voice, music and media"},
    storyboard="adloom.assets.video.storyboard:paint_storyboard",
)
