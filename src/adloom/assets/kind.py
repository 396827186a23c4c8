"""What one asset kind declares: the shape every ``assets/<kind>/spec.py`` fills in.

A :class:`KindSpec` is the single place that knows a kind's options, formats, prices, labels,
copy (its script/scenes models and how the writer writes, varies and criticises them, a
:class:`~adloom.writer.base.KindCopy`) and generator. Pricing, options, the stage table, the dashboard and the API read
specs through :mod:`adloom.assets.registry`, so adding a kind means one folder and one line
there, never an ``if kind == ...`` elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from adloom.assets.base import AssetGenerator
    from adloom.assets.options import CommonOptions
    from adloom.writer.base import KindCopy


@dataclass(frozen=True)
class PriceFacts:
    """What a kind's quote may look at: the validated options and, lazily, the approved scenes
    (a database read the pipeline only makes when a kind asks for it)."""

    options: Mapping[str, Any]
    scenes: Callable[[], Mapping[str, Any] | None]


StageActions = Callable[[str, PriceFacts], list[tuple[str, int]]]
FormOptions = Callable[[Mapping[str, str], Mapping[str, list[str]]], dict[str, Any]]
GeneratorFactory = Callable[[], "AssetGenerator"]


def no_form_options(form: Mapping[str, str], lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """A kind whose dashboard form has only the common fields."""
    return {}


def plain_summary(options: Mapping[str, Any]) -> str:
    return ""


@dataclass(frozen=True)
class KindSpec:
    """One asset kind, declared once.

    ``generator`` is either ``"module:Class"`` (imported when first used, so a missing optional
    dependency only disables its kind) or a factory returning a generator.
    ``stage_actions(step, facts)`` gives the (price-list action, quantity) pairs a generator
    stage consumes; ``prices`` the default price-list entries the kind contributes.
    """

    name: str
    label: str
    blurb: str
    icon: str
    options: type[CommonOptions]
    copy: KindCopy  # what the writer knows of the kind: script/scenes models and how to write them
    generator: str | GeneratorFactory
    stage_actions: StageActions
    prices: Mapping[str, int] = field(default_factory=dict)
    price_labels: Mapping[str, str] = field(default_factory=dict)
    format_labels: Mapping[str, str] = field(default_factory=dict)  # option value -> human label
    value_labels: Mapping[str, str] = field(default_factory=dict)  # enum words in scripts/scenes
    form_options: FormOptions = no_form_options
    summary: Callable[[Mapping[str, Any]], str] = plain_summary
    field_labels: Mapping[str, str] = field(default_factory=dict)  # script/scene field -> its name
    # script/scene list field -> a line describing the whole list (the jingle's chord progression)
    field_hints: Mapping[str, Callable[[list[Any]], str]] = field(default_factory=dict)
    # "module:function" painting the scenes gate's free stills, one per scene/layout
    # (``(JobContext, folder) -> list[Path]``, imported on first use); "" when the kind has none
    storyboard: str = ""
    stage_labels: Mapping[str, str] = field(default_factory=dict)  # step -> what it does for this kind
    # the generator's readers of a stored script / scenes (the kind's own errors; scenes may be
    # None when a kind renders without them); default: the copy models, strictly
    read_script: Callable[[Mapping[str, Any]], BaseModel] | None = None
    read_scenes: Callable[[Mapping[str, Any]], BaseModel | None] | None = None

    @property
    def script_model(self) -> type[BaseModel]:
        return self.copy.script_model

    @property
    def scenes_model(self) -> type[BaseModel]:
        return self.copy.scenes_model

    def parse_script(self, raw: BaseModel | Mapping[str, Any]) -> BaseModel:
        """The approved script as the kind's frozen model, read once when a JobContext is built."""
        if isinstance(raw, self.script_model):
            return raw
        return self.read_script(_as_mapping(raw)) if self.read_script else self.copy.parse_script(raw)

    def parse_scenes(self, raw: BaseModel | Mapping[str, Any] | None) -> BaseModel | None:
        """The approved scenes as the kind's model, or None (no scenes, or hints the kind
        ignores when they do not parse)."""
        if raw is None or isinstance(raw, self.scenes_model):
            return raw
        if self.read_scenes:
            return self.read_scenes(_as_mapping(raw))
        return self.copy.parse_scenes(raw) if raw else None

    def format_label(self, value: str) -> str:
        return self.format_labels.get(value, value)


def _as_mapping(value: BaseModel | Mapping[str, Any]) -> Mapping[str, Any]:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else value
