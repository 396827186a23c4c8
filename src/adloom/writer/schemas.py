"""Typed outputs of the creative engine that every kind shares: strategy, ideas, the campaign
enums, and the parts kinds' scripts reuse (event details, a music plan).

Each kind's own script and scenes models live in its folder (``assets/<kind>/models.py``) and
reach the writer through the kind's :class:`~adloom.writer.base.KindCopy`. They build on
:class:`CopyModel`. Stored in a step's ``output`` as JSON (``model_dump(mode="json")``) and
re-validated when read back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal, TypeVar

from pydantic import ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from adloom.textcheck import NulFree


class AwarenessStage(StrEnum):
    unaware = "unaware"
    problem_aware = "problem_aware"
    solution_aware = "solution_aware"
    product_aware = "product_aware"
    most_aware = "most_aware"


class PersuasionTrigger(StrEnum):
    reciprocity = "reciprocity"
    commitment = "commitment"
    social_proof = "social_proof"
    authority = "authority"
    liking = "liking"
    scarcity = "scarcity"
    unity = "unity"


class CreativeStyle(StrEnum):
    direct_response = "direct_response"
    ugc = "ugc"
    cinematic = "cinematic"
    storytelling = "storytelling"
    testimonial = "testimonial"
    problem_solution = "problem_solution"
    before_after = "before_after"
    listicle = "listicle"
    demo = "demo"
    luxury_minimal = "luxury_minimal"


def _no_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


class CopyModel(NulFree):
    """The base of every copy model, shared and per kind: unknown fields refused, text trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


M = TypeVar("M", bound=CopyModel)


def read_model(
    model: type[M], raw: M | Mapping[str, Any], error: Callable[[PydanticValidationError], Exception]
) -> M:
    """A stored script or scenes as the kind's model (as is when it already is one); a payload
    that does not validate raises the kind's own error, built by ``error`` from pydantic's."""
    if isinstance(raw, model):
        return raw
    try:
        return model.model_validate(dict(raw))
    except PydanticValidationError as exc:
        raise error(exc) from exc


def speakable(value: str) -> str:
    """A voiceover line the voice can say: empty (a silent scene) or holding a word. Emoji and
    symbols alone give the voice nothing to time, so they are refused when the line is edited."""
    if value and not re.search(r"\w", value):
        raise ValueError("has no words a voice can speak (only symbols or emoji); write at least "
                         "one word, or leave it empty")
    return value


NonEmpty = Annotated[str, Field(min_length=1)]


# ----------------------------------------------------------------------------- strategy


class StrategyDraft(CopyModel):
    """The three pillars, drafted from the product for the user to edit."""

    audience: NonEmpty
    messaging: NonEmpty
    goals: NonEmpty


# ----------------------------------------------------------------------------- ideas


class Idea(CopyModel):
    title: NonEmpty
    reasoning: NonEmpty
    hook: NonEmpty
    narrative: NonEmpty
    visuals: NonEmpty
    sonic: NonEmpty
    # Optional hints from the concept angles (issue 18): older ideas and LLM replies omit them.
    angle: str | None = Field(default=None, description="concept angle id, e.g. problem_fix")
    treatment: str | None = Field(default=None, description="visual treatment for the renderers")
    mood: str | None = Field(default=None, description="music mood for the music generator")
    concept: dict[str, str] | None = Field(
        default=None, description="the kind's concept: banner/flyer headline, subhead, cta; jingle tagline, mood"
    )


class IdeaSet(CopyModel):
    ideas: list[Idea] = Field(min_length=3, max_length=3)
    chosen: int = Field(default=0, ge=0, le=2, description="index of the idea the script develops")


# ----------------------------------------------------------------------------- parts of scripts


class EventDetails(CopyModel):
    title: str | None = None
    date: str | None = None
    time: str | None = None
    venue: str | None = None


class MusicPlan(CopyModel):
    tempo: int = Field(ge=60, le=180, description="beats per minute")
    key: Literal["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    mode: Literal["major", "minor", "dorian", "mixolydian"]
    mood: NonEmpty
    instrumentation: list[NonEmpty] = Field(min_length=2, max_length=6, description="GM instrument names")
    progression: list[NonEmpty] = Field(min_length=2, max_length=8, description="roman numerals, e.g. I V vi IV")
    drum_pattern: Literal["none", "four_on_floor", "backbeat", "halftime", "shuffle", "brushes"]
    structure: list[Literal["intro", "verse", "chorus", "bridge", "tag", "outro"]] = Field(min_length=2)
    vocal: Literal["sung", "spoken", "none"] = "sung"
