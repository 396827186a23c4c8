"""The banner kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic import ValidationError as PydanticValidationError

from adloom.errors import InvalidOption
from adloom.writer.schemas import CopyModel, read_model


class BannerCopy(CopyModel):
    headline: Annotated[str, Field(min_length=1, max_length=40)]
    subhead: Annotated[str, Field(min_length=1, max_length=90)]
    cta: Annotated[str, Field(min_length=1, max_length=18)]
    short_headline: Annotated[str, Field(min_length=1, max_length=20)] = Field(
        description="fallback for the smallest sizes (320x50, 468x60...)"
    )


class BannerScript(CopyModel):
    kind: Literal["banner"] = "banner"
    variants: list[BannerCopy] = Field(min_length=2, max_length=6)


class BannerLayout(CopyModel):
    size_class: Literal["leaderboard", "skyscraper", "rectangle", "square", "mobile_strip", "landscape", "portrait"]
    arrangement: Literal["text_left", "text_right", "text_top", "text_bottom", "text_center", "text_only"]
    background: Literal["gradient", "color_field", "shapes", "split"]
    product: bool = True
    logo: bool = True


class BannerScenes(CopyModel):
    kind: Literal["banner"] = "banner"
    layouts: list[BannerLayout] = Field(min_length=1)


# ----------------------------------------------------------------------------- readers
# The kind's spec parses a stored script and scenes with these when the pipeline builds a
# JobContext, so the generator only ever sees the typed models.


def read_script(raw: BannerScript | Mapping[str, Any]) -> BannerScript:
    return read_model(BannerScript, raw, lambda exc: InvalidOption(
        f"The banner script is not valid: {exc.errors()[0]['msg']}.",
        hint="Regenerate or fix the script in the Studio.",
    ))


def read_scenes(raw: BannerScenes | Mapping[str, Any]) -> BannerScenes | None:
    """Layout hints from the scenes step, or None when they are generic/invalid."""
    if isinstance(raw, BannerScenes):
        return raw
    try:
        return BannerScenes.model_validate(dict(raw))
    except PydanticValidationError:
        return None
