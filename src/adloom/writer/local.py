"""The local writer: offline, deterministic for a seed, no model.

It fills copywriting playbooks (``adloom.writer.playbooks``) with the campaign's own words
(``adloom.writer.context``), generates candidates, scores them and keeps the best. Every
result's ``prompt`` is a readable record of the inputs and the playbook ids used, so a step's
provenance says exactly why the copy reads the way it does.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from adloom.errors import InvalidOption
from adloom.writer.base import WriterRequest, WriterResult
from adloom.writer.concepts import make_ideas
from adloom.writer.context import CopyContext, build_context
from adloom.writer.jingle import jingle_scenes, jingle_script
from adloom.writer.schemas import (
    SCENE_MODELS,
    SCRIPT_MODELS,
    BannerLayout,
    FlyerLayout,
    Idea,
    IdeaSet,
    Scene,
    Section,
    StrategyDraft,
)
from adloom.writer.static import banner_scenes, banner_script, flyer_scenes, flyer_script
from adloom.writer.strategy import draft_strategy
from adloom.writer.video import video_scenes, video_script

MODEL = "playbooks-v1"
VIDEO_LENGTHS = (15, 30, 60)


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
        if req.copy is not None:
            written = req.copy.write_script(req, idea, seed)
            return self._result(written, _record(req, "script", [f"script.{req.kind}"], seed=seed, ctx=ctx, idea=idea))
        writer = _SCRIPT_WRITERS.get(req.kind)
        if writer is None:
            raise InvalidOption(
                f"Unknown asset kind '{req.kind}'.", hint="Use video, banner, flyer or jingle."
            )
        value, used = writer(ctx, req, idea, seed)
        return self._result(value, _record(req, "script", used, seed=seed, ctx=ctx, idea=idea))

    def scenes(
        self, req: WriterRequest, script: BaseModel, *, seed: int
    ) -> WriterResult[BaseModel]:
        ctx = build_context(req)
        if req.copy is not None:
            value = req.copy.write_scenes(req, script, seed)
            return self._result(value, _record(req, "scenes", [f"scenes.{req.kind}"], seed=seed, ctx=ctx))
        model = SCRIPT_MODELS[req.kind]
        parsed = script if isinstance(script, model) else model.model_validate(_as_dict(script))
        value = _SCENE_WRITERS[req.kind](ctx, req, parsed, seed)
        return self._result(
            value, _record(req, "scenes", [f"scenes.{req.kind}"], seed=seed, ctx=ctx)
        )

    def regenerate_scene(
        self, req: WriterRequest, script: BaseModel, scenes: BaseModel, index: int, *, seed: int
    ) -> WriterResult[BaseModel]:
        """A new take on scene ``index``; every other scene is returned unchanged."""
        model = SCENE_MODELS[req.kind]
        current = scenes if isinstance(scenes, model) else model.model_validate(_as_dict(scenes))
        fresh = self.scenes(req, script, seed=seed + 7919).value
        value = _replace_one(req.kind, current, fresh, index, seed)
        return self._result(value, _record(req, "regenerate_scene", [f"scene={index}"], seed=seed))

    def _result(self, value: Any, prompt: str) -> WriterResult[Any]:
        return WriterResult(value=value, provider=self.name, model=MODEL, prompt=prompt)


def _as_dict(value: object) -> dict[str, Any]:
    return value.model_dump(mode="json") if isinstance(value, BaseModel) else dict(value)  # type: ignore[call-overload]


def video_length(req: WriterRequest) -> int:
    raw = req.options.get("length", 30)
    try:
        length = int(raw)
    except (TypeError, ValueError):
        length = 0
    if length not in VIDEO_LENGTHS:
        raise InvalidOption(
            f"A video can be 15, 30 or 60 seconds long, not '{raw}'.",
            hint="Pick one of 15, 30 or 60 in the project options.",
        )
    return length


_ScriptFn = Callable[[CopyContext, WriterRequest, Idea, int], tuple[BaseModel, list[str]]]
_SCRIPT_WRITERS: Mapping[str, _ScriptFn] = {
    "video": lambda ctx, req, idea, seed: video_script(
        ctx, idea, length=video_length(req), seed=seed
    ),
    "banner": lambda ctx, req, idea, seed: banner_script(ctx, idea, seed=seed),
    "flyer": lambda ctx, req, idea, seed: flyer_script(ctx, idea, seed=seed),
    "jingle": lambda ctx, req, idea, seed: jingle_script(
        ctx, idea, seed=seed, industry=req.industry, business_type=req.business_type
    ),
}
_SceneFn = Callable[[CopyContext, WriterRequest, Any, int], BaseModel]
_SCENE_WRITERS: Mapping[str, _SceneFn] = {
    "video": lambda ctx, req, script, seed: video_scenes(ctx, script, seed=seed),
    "banner": lambda ctx, req, script, seed: banner_scenes(
        ctx, list(req.options.get("sizes") or []), seed=seed
    ),
    "flyer": lambda ctx, req, script, seed: flyer_scenes(
        ctx, list(req.options.get("formats") or []), seed=seed
    ),
    "jingle": lambda ctx, req, script, seed: jingle_scenes(ctx, script, seed=seed),
}


def _replace_one(
    kind: str, current: BaseModel, fresh: BaseModel, index: int, seed: int
) -> BaseModel:
    field = {"video": "scenes", "banner": "layouts", "flyer": "layouts", "jingle": "sections"}[kind]
    items = list(getattr(current, field))
    if not 0 <= index < len(items):
        raise InvalidOption(
            f"There is no scene {index + 1}; this project has {len(items)}.",
            hint="Pick a scene from the list.",
        )
    new_items = list(getattr(fresh, field))
    candidate = new_items[index] if index < len(new_items) else items[index]
    items[index] = _vary(kind, items[index], candidate, seed)
    return type(current).model_validate(
        {**current.model_dump(mode="json"), field: [i.model_dump(mode="json") for i in items]}
    )


_VISUAL_TAKES = (
    "Try a tighter frame: hands and product in close-up",
    "Try a wider frame: the whole moment in one shot",
    "Try an overhead shot on a clean surface",
    "Try a slow reveal from behind a foreground object",
)


def _vary(kind: str, old: BaseModel, new: BaseModel, seed: int) -> BaseModel:
    """Keep what the neighbours depend on (duration, voiceover, index) and change the take."""
    rng = random.Random(seed)
    if isinstance(old, Scene):
        motions = [
            m
            for m in ("push_in", "pull_out", "pan_left", "pan_right", "parallax")
            if m != old.motion
        ]
        visual = f"{rng.choice(_VISUAL_TAKES)}. {old.visual}"
        return old.model_copy(update={"visual": visual, "motion": rng.choice(motions)})
    if isinstance(old, BannerLayout):
        backgrounds = [
            b for b in ("gradient", "color_field", "shapes", "split") if b != old.background
        ]
        return old.model_copy(update={"background": rng.choice(backgrounds)})
    if isinstance(old, FlyerLayout):
        heroes = [h for h in ("product", "photo", "typographic") if h != old.hero]
        return old.model_copy(update={"hero": rng.choice(heroes)})
    assert isinstance(old, Section)
    energy = min(1.0, max(0.0, round(old.energy + rng.choice((-0.15, 0.15)), 2)))
    return old.model_copy(update={"energy": energy})


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
