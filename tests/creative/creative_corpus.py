"""The copy corpus: briefs written for the critic, and a writer-only run of one project.

Shared by tests/creative/test_corpus.py and bench/bench_copy.py. A project here is what the
pipeline's writer stages produce (ideas, script, scenes) with nothing rendered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from adloom.assets import registry
from adloom.campaigns.brief import Brief, parse_brief_file
from adloom.writer.base import Writer, WriterRequest
from adloom.writer.critic import BriefFacts, Violation, facts_from_request
from adloom.writer.critic_collect import critique_step
from adloom.writer.schemas import IdeaSet

BRIEFS = Path(__file__).resolve().parent / "briefs"
STAGES = ("unaware", "problem_aware", "solution_aware", "product_aware", "most_aware")
KINDS = ("video", "banner", "flyer", "jingle")


@functools.cache
def corpus() -> tuple[tuple[str, Brief], ...]:
    """(name, brief) for every brief of the corpus, validated like an uploaded file."""
    paths = sorted(BRIEFS.glob("*.yaml"))
    return tuple((p.stem, parse_brief_file(p).brief) for p in paths)


def request_for(brief: Brief, kind: str, stage: str, length: int = 30) -> WriterRequest:
    """The WriterRequest the pipeline would build for this brief, kind and stage."""
    event = brief.event.model_dump(exclude_none=True) if brief.event else None
    return WriterRequest(
        kind=kind,
        product_name=brief.product.name,
        product_description=brief.product.description,
        product_url=brief.product.url,
        offer=brief.product.offer,
        price=brief.product.price,
        brand_name=brief.brand.name or brief.product.name,
        brand_tone=brief.brand.tone or brief.tone,
        tagline=brief.brand.tagline,
        audience=brief.strategy.audience,
        messaging=brief.strategy.messaging,
        goals=brief.strategy.goals,
        awareness_stage=stage,
        persuasion_trigger=brief.persuasion_trigger.value,
        creative_style=brief.creative_style.value,
        business_type=brief.business_type.value,
        industry=brief.industry.value,
        language=brief.language,
        event=event or None,
        options={"length": length} if kind == "video" else {},
        copy=registry.get(kind).copy,
    )


@dataclass(frozen=True)
class Project:
    ideas: IdeaSet
    script: BaseModel
    scenes: BaseModel
    violations: tuple[Violation, ...]


def run_project(writer: Writer, req: WriterRequest, seed: int = 0) -> Project:
    """Ideas, script and scenes for one request, and every critic violation on them."""
    facts: BriefFacts = facts_from_request(req)
    ideas = writer.ideas(req, seed=seed).value
    script = writer.script(req, ideas.ideas[ideas.chosen], seed=seed).value
    scenes = writer.scenes(req, script, seed=seed).value
    found = [
        *critique_step(facts, req.copy, "ideas", ideas),
        *critique_step(facts, req.copy, "script", script),
        *critique_step(facts, req.copy, "scenes", scenes),
    ]
    return Project(ideas, script, scenes, tuple(found))
