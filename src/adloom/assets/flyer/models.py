"""The flyer kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from adloom.writer.schemas import CopyModel, EventDetails, NonEmpty


class FlyerScript(CopyModel):
    kind: Literal["flyer"] = "flyer"
    headline: Annotated[str, Field(min_length=1, max_length=60)]
    subhead: Annotated[str, Field(min_length=1, max_length=120)]
    body: list[Annotated[str, Field(min_length=1, max_length=90)]] = Field(min_length=3, max_length=5)
    event: EventDetails | None = None
    offer: str | None = None
    cta: Annotated[str, Field(min_length=1, max_length=24)]
    url: str | None = None


class FlyerLayout(CopyModel):
    format: NonEmpty
    family: Literal["event", "launch", "offer", "awareness"]
    hero: Literal["product", "photo", "typographic"] = "product"


class FlyerScenes(CopyModel):
    kind: Literal["flyer"] = "flyer"
    layouts: list[FlyerLayout] = Field(min_length=1)
