"""The video kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from adloom.writer.schemas import CopyModel, NonEmpty, speakable


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
