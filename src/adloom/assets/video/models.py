"""The video kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from adloom.errors import RenderError
from adloom.writer.schemas import CopyModel, NonEmpty, read_model, speakable


class Beat(CopyModel):
    """One timed beat of a video script."""

    start: float = Field(ge=0)
    end: float = Field(gt=0)
    voiceover: Annotated[NonEmpty, AfterValidator(speakable)]
    on_screen_text: NonEmpty
    purpose: Literal["hook", "problem", "agitate", "solution", "proof", "offer", "cta"] = "solution"

    @model_validator(mode="after")
    def _ordered(self) -> Beat:
        if self.end <= self.start:
            raise ValueError("a beat must end after it starts")
        return self


class VideoScript(CopyModel):
    kind: Literal["video"] = "video"
    length: Literal[15, 30, 60]
    beats: list[Beat] = Field(min_length=2)
    cta: Annotated[str, Field(min_length=1, max_length=24)]
    angle: str | None = Field(default=None, description="the concept angle the script tells")

    @property
    def voiceover_text(self) -> str:
        return " ".join(beat.voiceover for beat in self.beats)


class Scene(CopyModel):
    index: int = Field(ge=0)
    duration: float = Field(gt=0, le=20)
    on_screen_text: NonEmpty
    voiceover: Annotated[str, AfterValidator(speakable)] = ""
    visual: NonEmpty
    motion: Literal["push_in", "pull_out", "pan_left", "pan_right", "parallax", "static"] = "push_in"
    product: Literal["none", "hero", "inset", "corner"] = "none"
    logo: bool = False
    transition: Literal["cut", "crossfade", "slide", "wipe", "zoom"] = "crossfade"
    role: Literal["hook", "body", "proof", "offer", "cta"] = "body"
    # What the scene draws besides its line and the product (issue 19): "auto" counts a number
    # the line has; "counter", "icon" (from the bundled set; ``icon`` names one, else the
    # scene's words choose) and "split" (the old way and the new, side by side); "type" adds
    # nothing. Scenes written before these fields read as "auto".
    shot: Literal["auto", "type", "counter", "icon", "split"] = "auto"
    icon: str | None = Field(default=None, max_length=40)

    @field_validator("on_screen_text")
    @classmethod
    def _short_text(cls, value: str) -> str:
        if len(value.split()) > 7:
            raise ValueError("on-screen text must be 7 words or fewer")
        return value


class VideoScenes(CopyModel):
    kind: Literal["video"] = "video"
    length: Literal[15, 30, 60]
    scenes: list[Scene] = Field(min_length=2, max_length=14)

    @model_validator(mode="after")
    def _sums_to_length(self) -> VideoScenes:
        total = round(sum(scene.duration for scene in self.scenes), 3)
        if abs(total - self.length) > 0.01:
            raise ValueError(f"scene durations add up to {total} s, not the {self.length} s asked")
        return self


# ----------------------------------------------------------------------------- readers
# The kind's spec parses a stored script and scenes with these when the pipeline builds a
# JobContext, so the generator only ever sees the typed models.


def read_script(raw: VideoScript | Mapping[str, Any]) -> VideoScript:
    return read_model(VideoScript, raw, lambda exc: RenderError(
        _problems("script", exc), hint="Fix the script and approve it again."))


def read_scenes(raw: VideoScenes | Mapping[str, Any]) -> VideoScenes:
    return read_model(VideoScenes, raw, lambda exc: RenderError(
        _problems("scenes", exc), hint="Fix the scenes and approve them again."))


def _problems(what: str, exc: PydanticValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err["loc"])
        where = _scene_name(err["loc"])
        parts.append(f"{where or loc}: {err['msg']}")
    return f"The approved {what} cannot be rendered: " + "; ".join(parts)


def _scene_name(loc: Sequence[Any]) -> str:
    if len(loc) >= 3 and loc[0] == "scenes" and isinstance(loc[1], int):
        return f"scene {loc[1] + 1} ({loc[2]})"
    return ""
