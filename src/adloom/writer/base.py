"""The writer interface: (campaign, strategy, project options) -> ideas, script, scenes.

The pipeline builds a :class:`WriterRequest` from a campaign snapshot and a project's options and
calls a :class:`Writer`. Every method returns a :class:`WriterResult` that carries the typed value
and its provenance (provider, model, prompt/inputs), which the pipeline stores on the step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from adloom.errors import InvalidOption
from adloom.writer.critic_types import CopyText
from adloom.writer.schemas import Idea, IdeaSet, StrategyDraft

if TYPE_CHECKING:
    from adloom.writer.angles import Angle
    from adloom.writer.context import CopyContext

T = TypeVar("T", bound=BaseModel)


def _no_texts(value: BaseModel) -> list[CopyText]:
    return []


def _take_new(old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    return new


def _no_rules(req: WriterRequest) -> str:
    return ""


def _no_check(value: BaseModel) -> None:
    return None


# The visuals line of a kind that films scenes (the default); a kind may declare its own.
SCENE_VISUALS = "{treatment} treatment: {look}, {product} in frame from the reveal on, {style}, {platform}"
ScriptFn = Callable[["CopyContext", "WriterRequest", Idea, int], tuple[BaseModel, list[str]]]
ScenesFn = Callable[["CopyContext", "WriterRequest", BaseModel, int], BaseModel]
ConceptFn = Callable[["CopyContext", Mapping[str, str], "Angle"], dict[str, str]]


@dataclass(frozen=True)
class KindCopy:
    """Everything the writer knows of one asset kind, declared by the kind itself
    (``assets/<kind>/spec.py``) and handed to the writer on each :class:`WriterRequest`, so the
    writer has no table keyed by kind names and a new kind needs no change here.

    ``write_script(ctx, req, idea, seed)`` returns the script and the playbook ids it used;
    ``write_scenes(ctx, req, script, seed)`` the scenes (``script`` already of ``script_model``).
    ``items`` names the scenes model's list (one entry per scene, layout or section).
    """

    script_model: type[BaseModel]
    scenes_model: type[BaseModel]
    write_script: ScriptFn
    write_scenes: ScenesFn
    items: str = "scenes"
    item_model: type[BaseModel] | None = None  # one entry of ``items``, for an LLM's rewrite
    vary_item: Callable[[BaseModel, BaseModel, int], BaseModel] = _take_new  # another take
    keep_on_rewrite: tuple[str, ...] = ()  # item fields an LLM's rewrite of one item keeps
    # the critic: texts a script / scenes show or speak, and the brief facts each asset carries
    script_texts: Callable[[BaseModel], list[CopyText]] = _no_texts
    scene_texts: Callable[[BaseModel], list[CopyText]] = _no_texts
    facts: tuple[str, ...] = ()  # offer, price, event_date, spec, offer_or_price
    # ideas: the concept (None: a scene plan), the visuals line, and whether the kind is silent
    concept: ConceptFn | None = None
    visuals: str = SCENE_VISUALS
    silent: bool = False
    default_goal: str = "learn"  # the goal when the Goals pillar names none and there is no event
    # LLM writers: the kind's rules appended to the script and scenes tasks
    script_rules: Callable[[WriterRequest], str] = _no_rules
    scene_rules: Callable[[WriterRequest], str] = _no_rules
    # user edits: item durations that must keep adding up to the length (video), a last check
    timed_items: bool = False
    check_edit: Callable[[BaseModel], None] = _no_check

    def parse_script(self, value: BaseModel | Mapping[str, Any]) -> BaseModel:
        """``value`` as this kind's script model (a stored step output is JSON)."""
        return value if isinstance(value, self.script_model) else self.script_model.model_validate(_as_dict(value))

    def parse_scenes(self, value: BaseModel | Mapping[str, Any]) -> BaseModel:
        return value if isinstance(value, self.scenes_model) else self.scenes_model.model_validate(_as_dict(value))


def _as_dict(value: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else dict(value)


@dataclass(frozen=True)
class WriterRequest:
    kind: str  # a registered kind's name (adloom.assets.registry)
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
    copy: KindCopy | None = None  # the kind's copy declaration (its spec's ``copy``); set by the caller
    # Hooks this project has already shown (earlier ideas steps): a reroll walks past them.
    avoid_hooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class WriterResult(Generic[T]):
    value: T
    provider: str
    model: str
    prompt: str  # the prompt sent, or for the local writer the inputs and playbook used


def kind_copy(req: WriterRequest) -> KindCopy:
    """The kind's copy declaration the request carries, or a clear error naming the kind."""
    if req.copy is None:
        raise InvalidOption(
            f"Unknown asset kind '{req.kind}': no copy is declared for it.",
            hint="Use one of the registered kinds (adloom.assets.registry).",
        )
    return req.copy


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
