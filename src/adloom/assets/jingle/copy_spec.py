"""What the writer knows of the jingle kind: its tagline, lyrics and music plan, the sections,
how a section is varied, which texts the critic reads, and its LLM rules (a :class:`KindCopy`)."""

from __future__ import annotations

import random

from pydantic import BaseModel

from adloom.assets.jingle.copy import jingle_concept, jingle_scenes, jingle_script
from adloom.assets.jingle.models import JingleScenes, JingleScript, Section
from adloom.writer.base import KindCopy, WriterRequest
from adloom.writer.context import CopyContext
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea

NAME = "jingle"


def write_script(ctx: CopyContext, req: WriterRequest, idea: Idea, seed: int) -> tuple[BaseModel, list[str]]:
    return jingle_script(ctx, idea, seed=seed, industry=req.industry, business_type=req.business_type)


def write_scenes(ctx: CopyContext, req: WriterRequest, script: BaseModel, seed: int) -> BaseModel:
    assert isinstance(script, JingleScript)
    return jingle_scenes(ctx, script, seed=seed)


def vary_section(old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    """The same section a little more or less energetic."""
    assert isinstance(old, Section)
    rng = random.Random(seed)
    energy = min(1.0, max(0.0, round(old.energy + rng.choice((-0.15, 0.15)), 2)))
    return old.model_copy(update={"energy": energy})


def script_texts(script: BaseModel) -> list[CopyText]:
    assert isinstance(script, JingleScript)
    out = [CopyText("tagline", script.tagline, "tagline", NAME)]
    out += [CopyText("lyric", line, f"lyrics[{i}]", NAME) for i, line in enumerate(script.lyrics)]
    return out


def script_rules(req: WriterRequest) -> str:
    return "Tagline lyric <= 10 words; a music plan that fits the brand tone."


def scene_rules(req: WriterRequest) -> str:
    return "One section per part of the structure; vocals on chorus and tag."


COPY = KindCopy(
    script_model=JingleScript,
    scenes_model=JingleScenes,
    write_script=write_script,
    write_scenes=write_scenes,
    items="sections",
    item_model=Section,
    vary_item=vary_section,
    script_texts=script_texts,
    concept=jingle_concept,
    visuals="{treatment} lyric card for social: the tagline in big type, {look}",
    script_rules=script_rules,
    scene_rules=scene_rules,
)
