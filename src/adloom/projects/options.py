"""Project options: the common ones every kind understands, and each kind's own.

Options arrive as strings from the CLI (``--option key=value``) or as JSON from the API; both are
validated here into one plain dict stored on the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from adloom.assets.soundfonts import soundfont_name
from adloom.errors import InvalidOption, bounded_problems, clip
from adloom.textcheck import NulFree
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger

VIDEO_FORMATS = ("9:16", "1:1", "4:5", "16:9")
BANNER_SIZES = (
    "300x250", "336x280", "728x90", "970x90", "970x250", "160x600", "300x600", "300x1050",
    "320x50", "320x100", "468x60", "250x250", "200x200", "1080x1080", "1080x1350", "1200x628",
)
IMAGE_FORMATS = ("png", "jpeg", "webp")
MAX_OPTIONS = 20  # more keys than any kind has: refused before one error per unknown key is built
FLYER_FORMATS = ("A5", "A4", "A3", "Letter", "11x17", "18x24", "1080x1350", "1080x1920")


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def _bounded(value: Any, known: tuple[str, ...], noun: str) -> Any:
    """Split a comma list and refuse more items than there are known values, before any item
    is looked at: a million-item list costs one length check, not a million errors."""
    value = _split(value)
    if isinstance(value, list | tuple) and len(value) > len(known):
        raise ValueError(f"lists {len(value)} {noun}; there are only {len(known)} different ones "
                         f"({', '.join(known)})")
    return value


def _unique(values: list[str]) -> list[str]:
    """Duplicates merged, first occurrence kept: two identical sizes would render (and store)
    the same file twice."""
    return list(dict.fromkeys(values))


def _unknown(values: list[str], known: Any, noun: str, choices: tuple[str, ...]) -> ValueError | None:
    unknown = _unique([v for v in values if v not in known])
    if not unknown:
        return None
    listed = ", ".join(clip(v, 40) for v in unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    return ValueError(f"unknown {noun}(s) {listed}; choose from {', '.join(choices)}")


class CommonOptions(NulFree):
    model_config = ConfigDict(extra="forbid")

    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    tier: Literal["standard", "premium"] = "standard"
    awareness_stage: AwarenessStage | None = None
    persuasion_trigger: PersuasionTrigger | None = None
    creative_style: CreativeStyle | None = None
    title: str | None = Field(default=None, max_length=200)


class VoiceOption(NulFree):
    voice: str | None = Field(default=None, max_length=100,
                              description="name of a Piper voice in the operator's voices folder; empty for the shipped one")

    @field_validator("voice")
    @classmethod
    def _voice_name(cls, value: str | None) -> str | None:
        # A name, never a path: the model is loaded by native code (see providers/tts).
        from adloom.providers.tts import VOICE_NAME

        if value is not None and value.strip() and not VOICE_NAME.match(value.strip()):
            raise ValueError("give the name of a voice (e.g. en_GB-alba-medium), not a path; see docs/jingles.md")
        return value.strip() or None if value is not None else None


class VideoOptions(CommonOptions, VoiceOption):
    length: Literal[15, 30, 60] = 30

    @field_validator("length", mode="before")
    @classmethod
    def _int_length(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value
    formats: list[Literal["9:16", "1:1", "4:5", "16:9"]] = Field(
        default_factory=lambda: ["9:16"], min_length=1, max_length=len(VIDEO_FORMATS))
    scale: float = Field(default=1.0, ge=0.05, le=1.0)  # a quick low-resolution preview

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return _bounded(value, VIDEO_FORMATS, "formats")

    @field_validator("formats")
    @classmethod
    def _merge_formats(cls, value: list[str]) -> list[str]:
        return _unique(value)


class BannerOptions(CommonOptions):
    sizes: list[str] = Field(default_factory=lambda: list(BANNER_SIZES), min_length=1,
                             max_length=len(BANNER_SIZES))
    formats: list[Literal["png", "jpeg", "webp"]] = Field(
        default_factory=lambda: list(IMAGE_FORMATS), min_length=1, max_length=len(IMAGE_FORMATS))

    @field_validator("sizes", mode="before")
    @classmethod
    def _split_sizes(cls, value: Any) -> Any:
        return _bounded(value, BANNER_SIZES, "sizes")

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return _bounded(value, IMAGE_FORMATS, "formats")

    @field_validator("sizes")
    @classmethod
    def _known_sizes(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(BANNER_SIZES)
        if problem := _unknown(value, BANNER_SIZES, "size", BANNER_SIZES):
            raise problem
        return _unique(value)

    @field_validator("formats")
    @classmethod
    def _merge_formats(cls, value: list[str]) -> list[str]:
        return _unique(value)


class FlyerOptions(CommonOptions):
    formats: list[str] = Field(default_factory=lambda: list(FLYER_FORMATS), min_length=1,
                               max_length=len(FLYER_FORMATS))
    crop_marks: bool = False

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return _bounded(value, FLYER_FORMATS, "formats")

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(FLYER_FORMATS)
        canonical = {name.lower(): name for name in FLYER_FORMATS}
        if problem := _unknown([fmt.lower() for fmt in value], canonical, "format", FLYER_FORMATS):
            raise problem
        return _unique([canonical[fmt.lower()] for fmt in value])


class JingleOptions(CommonOptions, VoiceOption):
    tone: str | None = Field(default=None, max_length=200)
    vocal: Literal["sung", "spoken", "none"] | None = None
    soundfont: str | None = Field(default=None, max_length=104,
                                  description="name of a SoundFont in the operator's SoundFont folder, or TimGM6mb")

    @field_validator("soundfont")
    @classmethod
    def _plain_name(cls, value: str | None) -> str | None:
        # A name, never a path: the file is read whole by native code (see assets/jingle/synth).
        if value is not None and value.strip() and soundfont_name(value) is None:
            raise ValueError("give the name of a SoundFont (e.g. FluidR3_GM), not a path; see docs/jingles.md")
        return value.strip() if value is not None else None


OPTION_MODELS: dict[str, type[CommonOptions]] = {
    "video": VideoOptions,
    "banner": BannerOptions,
    "flyer": FlyerOptions,
    "jingle": JingleOptions,
}
KINDS = tuple(OPTION_MODELS)


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """``["length=15", "formats=9:16,1:1"]`` -> a dict; a pair without '=' is an error."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidOption(f"'{pair}' is not key=value.", hint="Example: --option length=15")
        out[key.strip()] = value.strip()
    return out


def validate_options(kind: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validated options for ``kind`` as plain JSON data, or InvalidOption listing each problem."""
    if kind not in OPTION_MODELS:
        raise InvalidOption(f"'{clip(kind, 40)}' is not an asset kind; use one of {', '.join(KINDS)}.")
    if len(raw) > MAX_OPTIONS:
        raise InvalidOption(f"{len(raw)} options were given; a {kind} project takes at most "
                            f"{len(OPTION_MODELS[kind].model_fields)}.", hint="See 'adloom generate --help'.")
    try:
        model = OPTION_MODELS[kind].model_validate(dict(raw))
    except PydanticValidationError as exc:
        found = [(".".join(str(p) for p in err["loc"]) or "options", err["msg"])
                 for err in exc.errors(include_input=False, include_url=False)]
        problems = "; ".join(f"{loc}: {msg}" for loc, msg in bounded_problems(found))
        raise InvalidOption(f"Invalid {kind} option(s): {problems}.", hint="See 'adloom generate --help'.") from None
    return model.model_dump(mode="json", exclude_none=True)
