"""What the writer knows of the banner kind: its copy variants and layouts, how a layout is
varied, which texts the critic reads, and its rules for an LLM (a :class:`KindCopy`)."""

from __future__ import annotations

import random

from pydantic import BaseModel

from adloom.assets.banner.copy import banner_concept, banner_scenes, banner_script
from adloom.assets.banner.models import BannerLayout, BannerScenes, BannerScript
from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.context import CopyContext
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea


def write_script(ctx: CopyContext, req: WriterRequest, idea: Idea, seed: int) -> tuple[BaseModel, list[str]]:
    return banner_script(ctx, idea, seed=seed)


def write_scenes(ctx: CopyContext, req: WriterRequest, script: BaseModel, seed: int) -> BaseModel:
    return banner_scenes(ctx, list(req.options.get("sizes") or []), seed=seed)


def vary_layout(old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    """Another background for the same size class and arrangement."""
    assert isinstance(old, BannerLayout)
    rng = random.Random(seed)
    backgrounds = [b for b in ("gradient", "color_field", "shapes", "split") if b != old.background]
    return old.model_copy(update={"background": rng.choice(backgrounds)})


def script_texts(script: BaseModel) -> list[CopyText]:
    """Each variant is an asset of its own for the fact check (every size shows one)."""
    assert isinstance(script, BannerScript)
    out: list[CopyText] = []
    for i, variant in enumerate(script.variants):
        asset = f"banner variant {i + 1}"
        for role in ("headline", "subhead", "cta", "short_headline"):
            out.append(CopyText(role, getattr(variant, role), f"variants[{i}].{role}", asset))
    return out


def script_rules(req: WriterRequest) -> str:
    return "3 variants; headline <= 40 characters, CTA <= 18, short_headline <= 20."


def scene_rules(req: WriterRequest) -> str:
    return f"One layout per size class for sizes {list(req.options.get('sizes') or [])}."


COPY = KindCopy(
    script_model=BannerScript,
    scenes_model=BannerScenes,
    write_script=write_script,
    write_scenes=write_scenes,
    items="layouts",
    item_model=BannerLayout,
    vary_item=vary_layout,
    script_texts=script_texts,
    facts=("offer_or_price",),
    concept=banner_concept,
    visuals="{treatment} treatment on every size: {look}, the CTA button always visible, {style}",
    silent=True,
    default_goal="purchase",
    script_rules=script_rules,
    scene_rules=scene_rules,
)
