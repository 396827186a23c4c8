"""Typed outputs of the creative engine: ideas, scripts and scenes for every asset kind.

These models are the contract between the writers (local or LLM) and the asset generators.
Every writer returns these objects; every generator reads them. Stored in a step's ``output``
as JSON (``model_dump(mode="json")``) and re-validated when read back.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

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


class AssetKind(StrEnum):
    video = "video"
    banner = "banner"
    flyer = "flyer"
    jingle = "jingle"


def _no_blank(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


class _Model(NulFree):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _speakable(value: str) -> str:
    """A voiceover line the voice can say: empty (a silent scene) or holding a word. Emoji and
    symbols alone give the voice nothing to time, so they are refused when the line is edited."""
    if value and not re.search(r"\w", value):
        raise ValueError("has no words a voice can speak (only symbols or emoji); write at least "
                         "one word, or leave it empty")
    return value


NonEmpty = Annotated[str, Field(min_length=1)]


# ----------------------------------------------------------------------------- strategy


class StrategyDraft(_Model):
    """The three pillars, drafted from the product for the user to edit."""

    audience: NonEmpty
    messaging: NonEmpty
    goals: NonEmpty


# ----------------------------------------------------------------------------- ideas


class Idea(_Model):
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


class IdeaSet(_Model):
    ideas: list[Idea] = Field(min_length=3, max_length=3)
    chosen: int = Field(default=0, ge=0, le=2, description="index of the idea the script develops")


# ----------------------------------------------------------------------------- scripts


class Beat(_Model):
    """One timed beat of a video script."""

    start: float = Field(ge=0)
    end: float = Field(gt=0)
    voiceover: Annotated[NonEmpty, AfterValidator(_speakable)]
    on_screen_text: NonEmpty
    purpose: Literal["hook", "problem", "agitate", "solution", "proof", "offer", "cta"] = "solution"

    @model_validator(mode="after")
    def _ordered(self) -> Beat:
        if self.end <= self.start:
            raise ValueError("a beat must end after it starts")
        return self


class VideoScript(_Model):
    kind: Literal["video"] = "video"
    length: Literal[15, 30, 60]
    beats: list[Beat] = Field(min_length=2)
    cta: Annotated[str, Field(min_length=1, max_length=24)]
    angle: str | None = Field(default=None, description="the concept angle the script tells")

    @property
    def voiceover_text(self) -> str:
        return " ".join(beat.voiceover for beat in self.beats)


class BannerCopy(_Model):
    headline: Annotated[str, Field(min_length=1, max_length=40)]
    subhead: Annotated[str, Field(min_length=1, max_length=90)]
    cta: Annotated[str, Field(min_length=1, max_length=18)]
    short_headline: Annotated[str, Field(min_length=1, max_length=20)] = Field(
        description="fallback for the smallest sizes (320x50, 468x60...)"
    )


class BannerScript(_Model):
    kind: Literal["banner"] = "banner"
    variants: list[BannerCopy] = Field(min_length=2, max_length=6)


class EventDetails(_Model):
    title: str | None = None
    date: str | None = None
    time: str | None = None
    venue: str | None = None


class FlyerScript(_Model):
    kind: Literal["flyer"] = "flyer"
    headline: Annotated[str, Field(min_length=1, max_length=60)]
    subhead: Annotated[str, Field(min_length=1, max_length=120)]
    body: list[Annotated[str, Field(min_length=1, max_length=90)]] = Field(min_length=3, max_length=5)
    event: EventDetails | None = None
    offer: str | None = None
    cta: Annotated[str, Field(min_length=1, max_length=24)]
    url: str | None = None


class MusicPlan(_Model):
    tempo: int = Field(ge=60, le=180, description="beats per minute")
    key: Literal["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"]
    mode: Literal["major", "minor", "dorian", "mixolydian"]
    mood: NonEmpty
    instrumentation: list[NonEmpty] = Field(min_length=2, max_length=6, description="GM instrument names")
    progression: list[NonEmpty] = Field(min_length=2, max_length=8, description="roman numerals, e.g. I V vi IV")
    drum_pattern: Literal["none", "four_on_floor", "backbeat", "halftime", "shuffle", "brushes"]
    structure: list[Literal["intro", "verse", "chorus", "bridge", "tag", "outro"]] = Field(min_length=2)
    vocal: Literal["sung", "spoken", "none"] = "sung"


class JingleScript(_Model):
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


Script = VideoScript | BannerScript | FlyerScript | JingleScript


# ----------------------------------------------------------------------------- scenes


class Scene(_Model):
    index: int = Field(ge=0)
    duration: float = Field(gt=0, le=20)
    on_screen_text: NonEmpty
    voiceover: Annotated[str, AfterValidator(_speakable)] = ""
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


class VideoScenes(_Model):
    kind: Literal["video"] = "video"
    length: Literal[15, 30, 60]
    scenes: list[Scene] = Field(min_length=2, max_length=14)

    @model_validator(mode="after")
    def _sums_to_length(self) -> VideoScenes:
        total = round(sum(scene.duration for scene in self.scenes), 3)
        if abs(total - self.length) > 0.01:
            raise ValueError(f"scene durations add up to {total} s, not the {self.length} s asked")
        return self


class BannerLayout(_Model):
    size_class: Literal["leaderboard", "skyscraper", "rectangle", "square", "mobile_strip", "landscape", "portrait"]
    arrangement: Literal["text_left", "text_right", "text_top", "text_bottom", "text_center", "text_only"]
    background: Literal["gradient", "color_field", "shapes", "split"]
    product: bool = True
    logo: bool = True


class BannerScenes(_Model):
    kind: Literal["banner"] = "banner"
    layouts: list[BannerLayout] = Field(min_length=1)


class FlyerLayout(_Model):
    format: NonEmpty
    family: Literal["event", "launch", "offer", "awareness"]
    hero: Literal["product", "photo", "typographic"] = "product"


class FlyerScenes(_Model):
    kind: Literal["flyer"] = "flyer"
    layouts: list[FlyerLayout] = Field(min_length=1)


class Section(_Model):
    name: Literal["intro", "verse", "chorus", "bridge", "tag", "outro"]
    bars: int = Field(ge=1, le=32)
    instruments: list[NonEmpty]
    energy: float = Field(ge=0, le=1)
    vocal: bool = False


class JingleScenes(_Model):
    kind: Literal["jingle"] = "jingle"
    sections: list[Section] = Field(min_length=1)


Scenes = VideoScenes | BannerScenes | FlyerScenes | JingleScenes

SCRIPT_MODELS: dict[str, type[BaseModel]] = {
    "video": VideoScript,
    "banner": BannerScript,
    "flyer": FlyerScript,
    "jingle": JingleScript,
}
SCENE_MODELS: dict[str, type[BaseModel]] = {
    "video": VideoScenes,
    "banner": BannerScenes,
    "flyer": FlyerScenes,
    "jingle": JingleScenes,
}
