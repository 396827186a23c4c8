"""The writer interface: (campaign, strategy, project options) -> ideas, script, scenes.

The pipeline builds a :class:`WriterRequest` from a campaign snapshot and a project's options and
calls a :class:`Writer`. Every method returns a :class:`WriterResult` that carries the typed value
and its provenance (provider, model, prompt/inputs), which the pipeline stores on the step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from adloom.writer.schemas import Idea, IdeaSet, StrategyDraft

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class KindCopy:
    """How the local writer writes a kind's script and scenes, declared by the kind's spec
    (``assets/<kind>/spec.py``) and handed over on the request, so that a new kind needs no
    entry in the writer's own tables."""

    write_script: Callable[[WriterRequest, Idea, int], BaseModel]
    write_scenes: Callable[[WriterRequest, BaseModel, int], BaseModel]


@dataclass(frozen=True)
class WriterRequest:
    kind: str  # video | banner | flyer | jingle
    product_name: str
    product_description: str
    product_url: str | None = None
    offer: str | None = None
    price: str | None = None
    brand_name: str = ""
    brand_tone: str = ""
    tagline: str = ""
    audience: str = ""
    messaging: str = ""
    goals: str = ""
    awareness_stage: str = "problem_aware"
    persuasion_trigger: str = "social_proof"
    creative_style: str = "direct_response"
    business_type: str = "other"
    industry: str = "other"
    language: str = "en"
    event: Mapping[str, str | None] | None = None  # title, date, time, venue
    tier: str = "standard"  # standard | premium
    options: Mapping[str, Any] = field(default_factory=dict)  # length, formats, sizes, tone...
    copy: KindCopy | None = None  # the kind's own writer functions, when its spec declares them
    # Hooks this project has already shown (earlier ideas steps): a reroll walks past them.
    avoid_hooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class WriterResult(Generic[T]):
    value: T
    provider: str
    model: str
    prompt: str  # the prompt sent, or for the local writer the inputs and playbook used


class Writer(Protocol):
    """Turns a request into typed copy. Deterministic for a seed when the provider allows."""

    name: str

    def draft_strategy(self, req: WriterRequest) -> WriterResult[StrategyDraft]: ...

    def ideas(self, req: WriterRequest, *, seed: int) -> WriterResult[IdeaSet]: ...

    def script(self, req: WriterRequest, idea: Idea, *, seed: int) -> WriterResult[BaseModel]: ...

    def scenes(
        self, req: WriterRequest, script: BaseModel, *, seed: int
    ) -> WriterResult[BaseModel]: ...

    def regenerate_scene(
        self, req: WriterRequest, script: BaseModel, scenes: BaseModel, index: int, *, seed: int
    ) -> WriterResult[BaseModel]: ...
