"""The banner kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from adloom.writer.schemas import CopyModel


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
