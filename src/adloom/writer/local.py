"""The local writer: offline, deterministic for a seed, no model.

It fills copywriting playbooks (``adloom.writer.playbooks``) with the campaign's own words
(``adloom.writer.context``), generates candidates, scores them and keeps the best. Every
result's ``prompt`` is a readable record of the inputs and the playbook ids used, so a step's
provenance says exactly why the copy reads the way it does.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from adloom.errors import InvalidOption
from adloom.writer.base import KindCopy, WriterRequest, WriterResult, kind_copy
from adloom.writer.concepts import make_ideas
from adloom.writer.context import CopyContext, build_context
from adloom.writer.schemas import Idea, IdeaSet, StrategyDraft
from adloom.writer.strategy import draft_strategy

MODEL = "playbooks-v1"


class LocalWriter:
    """Playbook copywriter; the default provider ("local")."""

    name = "local"

    def __init__(self, **config: Any) -> None:
        self.config = dict(config)

    def draft_strategy(self, req: WriterRequest) -> WriterResult[StrategyDraft]:
        draft = draft_strategy(req)
        return self._result(
            draft, _record(req, "strategy", ["strategy.industry", "strategy.business"])
        )

    def ideas(self, req: WriterRequest, *, seed: int) -> WriterResult[IdeaSet]:
        ctx = build_context(req)
        idea_set, used = make_ideas(ctx, seed=seed, avoid=req.avoid_hooks)
        return self._result(idea_set, _record(req, "ideas", used, seed=seed, ctx=ctx))

    def script(self, req: WriterRequest, idea: Idea, *, seed: int) -> WriterResult[BaseModel]:
        ctx = build_context(req)
        idea = Idea.model_validate(idea) if not isinstance(idea, Idea) else idea
        value, used = kind_copy(req).write_script(ctx, req, idea, seed)
        return self._result(value, _record(req, "script", used, seed=seed, ctx=ctx, idea=idea))

    def scenes(
        self, req: WriterRequest, script: BaseModel, *, seed: int
    ) -> WriterResult[BaseModel]:
        ctx = build_context(req)
        copy = kind_copy(req)
        value = copy.write_scenes(ctx, req, copy.parse_script(script), seed)
        return self._result(
            value, _record(req, "scenes", [f"scenes.{req.kind}"], seed=seed, ctx=ctx)
        )

    def regenerate_scene(
        self, req: WriterRequest, script: BaseModel, scenes: BaseModel, index: int, *, seed: int
    ) -> WriterResult[BaseModel]:
        """A new take on scene ``index``; every other scene is returned unchanged."""
        copy = kind_copy(req)
        current = copy.parse_scenes(scenes)
        fresh = self.scenes(req, script, seed=seed + 7919).value
        value = _replace_one(copy, current, fresh, index, seed)
        return self._result(value, _record(req, "regenerate_scene", [f"scene={index}"], seed=seed))

    def _result(self, value: Any, prompt: str) -> WriterResult[Any]:
        return WriterResult(value=value, provider=self.name, model=MODEL, prompt=prompt)


def _replace_one(
    copy: KindCopy, current: BaseModel, fresh: BaseModel, index: int, seed: int
) -> BaseModel:
    items = list(getattr(current, copy.items))
    if not 0 <= index < len(items):
        raise InvalidOption(
            f"There is no scene {index + 1}; this project has {len(items)}.",
            hint="Pick a scene from the list.",
        )
    new_items = list(getattr(fresh, copy.items))
    candidate = new_items[index] if index < len(new_items) else items[index]
    items[index] = copy.vary_item(items[index], candidate, seed)
    return type(current).model_validate(
        {**current.model_dump(mode="json"), copy.items: [i.model_dump(mode="json") for i in items]}
    )


def _record(
    req: WriterRequest,
    step: str,
    used: list[str],
    *,
    seed: int | None = None,
    ctx: CopyContext | None = None,
    idea: Idea | None = None,
) -> str:
    """The local writer's 'prompt': inputs, extracted phrases and playbook ids, as JSON."""
    data: dict[str, Any] = {
        "step": step,
        "kind": req.kind,
        "seed": seed,
        "stage": req.awareness_stage,
        "trigger": req.persuasion_trigger,
        "style": req.creative_style,
        "options": {k: v for k, v in req.options.items()},
        "playbooks": used,
    }
    if step == "ideas" and req.avoid_hooks:
        data["avoid_hooks"] = list(req.avoid_hooks)  # a reroll: the hooks it walked past
    if ctx is not None:
        data["extracted"] = {
            "who": ctx.who,
            "struggle": ctx.struggle,
            "outcome": ctx.outcome,
            "promise": ctx.promise,
            "benefits": list(ctx.benefits),
            "facts": list(ctx.facts),
            "offer": ctx.offer,
            "goal": ctx.goal,
            "cta": ctx.ctas[0],
            "platform": ctx.platform,
            "key_terms": list(ctx.key_terms),
        }
        data["inputs"] = dict(ctx.inputs)
    if idea is not None:
        data["idea"] = idea.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
