"""What the writer knows of the flyer kind: its print copy and layouts, how a layout is varied,
which texts the critic reads, and its rules for an LLM (a :class:`KindCopy`)."""

from __future__ import annotations

import random

from pydantic import BaseModel

from adloom.assets.flyer.copy import flyer_concept, flyer_scenes, flyer_script
from adloom.assets.flyer.models import FlyerLayout, FlyerScenes, FlyerScript
from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.context import CopyContext
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea

NAME = "flyer"


def write_script(ctx: CopyContext, req: WriterRequest, idea: Idea, seed: int) -> tuple[BaseModel, list[str]]:
    return flyer_script(ctx, idea, seed=seed)


def write_scenes(ctx: CopyContext, req: WriterRequest, script: BaseModel, seed: int) -> BaseModel:
    return flyer_scenes(ctx, list(req.options.get("formats") or []), seed=seed)


def vary_layout(old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    """Another hero for the same format and family."""
    assert isinstance(old, FlyerLayout)
    rng = random.Random(seed)
    heroes = [h for h in ("product", "photo", "typographic") if h != old.hero]
    return old.model_copy(update={"hero": rng.choice(heroes)})


def script_texts(script: BaseModel) -> list[CopyText]:
    assert isinstance(script, FlyerScript)
    out = [
        CopyText("headline", script.headline, "headline", NAME),
        CopyText("subhead", script.subhead, "subhead", NAME),
        CopyText("cta", script.cta, "cta", NAME),
    ]
    out += [CopyText("body", line, f"body[{i}]", NAME) for i, line in enumerate(script.body)]
    if script.offer:
        out.append(CopyText("offer", script.offer, "offer", NAME))
    if script.event:
        out += [
            CopyText("event", value, f"event.{key}", NAME)
            for key, value in script.event.model_dump().items()
            if value
        ]
    return out


def script_rules(req: WriterRequest) -> str:
    return "3-5 body points; include the event details or the offer."


def scene_rules(req: WriterRequest) -> str:
    return f"One layout per format {list(req.options.get('formats') or ['A4'])}."


COPY = KindCopy(
    script_model=FlyerScript,
    scenes_model=FlyerScenes,
    write_script=write_script,
    write_scenes=write_scenes,
    items="layouts",
    item_model=FlyerLayout,
    vary_item=vary_layout,
    script_texts=script_texts,
    facts=("offer", "price", "event_date", "spec"),
    concept=flyer_concept,
    visuals="{treatment} poster: {look}, a details block and a QR code to the page, {style}",
    silent=True,
    script_rules=script_rules,
    scene_rules=scene_rules,
)
