"""Project options: the common ones every kind understands, and each kind's own.

Options arrive as strings from the CLI (``--option key=value``) or as JSON from the API; both are
validated here into one plain dict stored on the project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from adloom.assets.soundfonts import soundfont_name
from adloom.errors import InvalidOption
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger

VIDEO_FORMATS = ("9:16", "1:1", "4:5", "16:9")
BANNER_SIZES = (
    "300x250", "336x280", "728x90", "970x90", "970x250", "160x600", "300x600", "300x1050",
    "320x50", "320x100", "468x60", "250x250", "200x200", "1080x1080", "1080x1350", "1200x628",
)
IMAGE_FORMATS = ("png", "jpeg", "webp")
FLYER_FORMATS = ("A5", "A4", "A3", "Letter", "11x17", "18x24", "1080x1350", "1080x1920")


def _split(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class CommonOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    tier: Literal["standard", "premium"] = "standard"
    awareness_stage: AwarenessStage | None = None
    persuasion_trigger: PersuasionTrigger | None = None
    creative_style: CreativeStyle | None = None
    title: str | None = Field(default=None, max_length=200)


class VideoOptions(CommonOptions):
    length: Literal[15, 30, 60] = 30

    @field_validator("length", mode="before")
    @classmethod
    def _int_length(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.strip().isdigit() else value
    formats: list[Literal["9:16", "1:1", "4:5", "16:9"]] = Field(default_factory=lambda: ["9:16"], min_length=1)
    scale: float = Field(default=1.0, ge=0.05, le=1.0)  # a quick low-resolution preview

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return _split(value)


class BannerOptions(CommonOptions):
    sizes: list[str] = Field(default_factory=lambda: list(BANNER_SIZES), min_length=1)
    formats: list[Literal["png", "jpeg", "webp"]] = Field(default_factory=lambda: list(IMAGE_FORMATS), min_length=1)

    @field_validator("sizes", "formats", mode="before")
    @classmethod
    def _split_lists(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("sizes")
    @classmethod
    def _known_sizes(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(BANNER_SIZES)
        unknown = [size for size in value if size not in BANNER_SIZES]
        if unknown:
            raise ValueError(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(BANNER_SIZES)}")
        return value


class FlyerOptions(CommonOptions):
    formats: list[str] = Field(default_factory=lambda: list(FLYER_FORMATS), min_length=1)
    crop_marks: bool = False

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value: Any) -> Any:
        return _split(value)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: list[str]) -> list[str]:
        if value == ["all"]:
            return list(FLYER_FORMATS)
        canonical = {name.lower(): name for name in FLYER_FORMATS}
        unknown = [fmt for fmt in value if fmt.lower() not in canonical]
        if unknown:
            raise ValueError(f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FLYER_FORMATS)}")
        return [canonical[fmt.lower()] for fmt in value]


class JingleOptions(CommonOptions):
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
        raise InvalidOption(f"'{kind}' is not an asset kind; use one of {', '.join(KINDS)}.")
    try:
        model = OPTION_MODELS[kind].model_validate(dict(raw))
    except PydanticValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'options'}: {err['msg']}" for err in exc.errors()
        )
        raise InvalidOption(f"Invalid {kind} option(s): {problems}.", hint="See 'adloom generate --help'.") from None
    return model.model_dump(mode="json", exclude_none=True)
