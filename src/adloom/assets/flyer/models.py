"""The flyer kind's copy models: its script and scenes as the writer returns them and the
generator reads them (stored on a step as JSON, validated again when read back)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field

from adloom.errors import ValidationError
from adloom.writer.schemas import CopyModel, EventDetails, NonEmpty, read_model


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


# ----------------------------------------------------------------------------- readers
# The kind's spec parses a stored script and scenes with these when the pipeline builds a
# JobContext, so the generator only ever sees the typed models.


def parse_script(script: FlyerScript | Mapping[str, Any]) -> FlyerScript:
    """The approved script as a :class:`FlyerScript`; a clear error when it is not one."""
    return read_model(FlyerScript, script, lambda exc: ValidationError(
        f"The flyer script is not valid: {exc.errors()[0]['msg']} "
        f"at {'.'.join(str(p) for p in exc.errors()[0]['loc'])}.",
        hint="Edit the script in the Studio (headline, subhead, 3–5 body points, CTA) and "
        "render again.",
    ))


def parse_scenes(scenes: FlyerScenes | Mapping[str, Any]) -> FlyerScenes | None:
    if not isinstance(scenes, FlyerScenes) and not scenes:
        return None
    return read_model(FlyerScenes, scenes, lambda exc: ValidationError(
        f"The flyer layouts are not valid: {exc.errors()[0]['msg']}.",
        hint="Regenerate the scenes step or fix the layout list in the Studio.",
    ))
