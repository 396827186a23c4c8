"""The jingle kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, field_validator

from adloom.errors import ValidationError
from adloom.writer.schemas import CopyModel, MusicPlan, NonEmpty, read_model


class JingleScript(CopyModel):
    kind: Literal["jingle"] = "jingle"
    tagline: NonEmpty
    plan: MusicPlan
    lyrics: list[NonEmpty] = Field(
        default_factory=list, max_length=8, description="optional verse lines sung or spoken before the tagline"
    )

    @field_validator("tagline")
    @classmethod
    def _short_tagline(cls, value: str) -> str:
        if len(value.split()) > 10:
            raise ValueError("the tagline lyric must be 10 words or fewer")
        return value


class Section(CopyModel):
    name: Literal["intro", "verse", "chorus", "bridge", "tag", "outro"]
    bars: int = Field(ge=1, le=32)
    instruments: list[NonEmpty]
    energy: float = Field(ge=0, le=1)
    vocal: bool = False


class JingleScenes(CopyModel):
    kind: Literal["jingle"] = "jingle"
    sections: list[Section] = Field(min_length=1)


# ----------------------------------------------------------------------------- readers
# The kind's spec parses a stored script and scenes with these when the pipeline builds a
# JobContext, so the generator only ever sees the typed models.


def read_script(raw: JingleScript | Mapping[str, Any]) -> JingleScript:
    return read_model(JingleScript, raw, lambda exc: ValidationError(
        f"The jingle script is not valid: {exc}", hint="Regenerate or fix the script in the Studio."
    ))


def read_scenes(raw: JingleScenes | Mapping[str, Any]) -> JingleScenes | None:
    """The approved arrangement, or None when there is none (the plan's structure is used)."""
    if isinstance(raw, JingleScenes):
        return raw
    return JingleScenes.model_validate(dict(raw)) if raw and raw.get("sections") else None
