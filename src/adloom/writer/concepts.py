"""Three concepts per run, each a different angle, written for the asset's kind.

Every sentence of an idea carries its angle (its why, structure, scene plan, treatment or
mood), so the three ideas share none; the hook is the stage's opener turned to the angle
(``adloom.writer.hooks``). A video idea is a scene plan; a banner idea a headline / subhead /
CTA set for the 16 sizes; a flyer idea a print hierarchy; a jingle idea a tagline and a mood.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from adloom.writer.angles import Angle, brief_proof, ranked_angles, reasons
from adloom.writer.base import SCENE_VISUALS
from adloom.writer.compose import Template, choose, slots
from adloom.writer.context import CopyContext
from adloom.writer.hooks import BARE, Hook, pick, pool
from adloom.writer.ideas import HOOK_TITLES, STAGE_WHY, TRIGGER_WHY
from adloom.writer.playbooks import PLATFORM_NOTES, STYLE_VISUALS
from adloom.writer.schemas import Idea, IdeaSet
from adloom.writer.text import cap, lower_first, strip_end

HEADLINE_MAX, SUBHEAD_MAX, SHORT_MAX = 40, 90, 20


def make_ideas(
    ctx: CopyContext, *, seed: int, avoid: Iterable[str] = ()
) -> tuple[IdeaSet, list[str]]:
    """Three concepts of three different angles and the playbook ids used (provenance)."""
    values = concept_values(ctx)
    angles, avoid = ranked_angles(ctx), list(avoid)
    hooks = pick(pool(ctx, values, angles), seed, avoid)
    if len(hooks) < 3:  # a thin brief: the angles' own turns make up the set
        hooks = pick(pool(ctx, values, angles, bare=True), seed, avoid)
    ideas = [_idea(ctx, values, hook) for hook in hooks]
    return IdeaSet(ideas=ideas), [h.id for h in hooks]


def concept_values(ctx: CopyContext) -> dict[str, str]:
    """The playbook slots plus what only angles use: the brief's proof and three reasons."""
    values = slots(ctx, ctx.ctas[0])
    proof = brief_proof(ctx)
    if proof:
        values["proof"] = proof
        values["proof_quote" if proof[0] in "«“" else "proof_rating"] = proof
    for i, reason in enumerate(reasons(ctx), start=1):
        values[f"reason{i}"] = lower_first(strip_end(reason))
    return values


def _idea(ctx: CopyContext, values: Mapping[str, str], hook: Hook) -> Idea:
    angle = hook.angle
    title = angle.name if hook.opener_id == BARE else HOOK_TITLES.get(hook.opener_id, angle.name)
    concept = (ctx.copy.concept if ctx.copy and ctx.copy.concept else scene_plan_concept)(ctx, values, angle)
    return Idea(
        title=f"{title} — {angle.name}" if title != angle.name else angle.name,
        reasoning=_reasoning(ctx, angle),
        hook=hook.text,
        narrative=concept.pop("narrative"),
        visuals=_visuals(ctx, values, angle),
        sonic=_sonic(ctx, angle),
        angle=angle.id,
        treatment=angle.treatment,
        mood=angle.mood,
        concept=concept,
    )


def _reasoning(ctx: CopyContext, angle: Angle) -> str:
    who = {"Who": cap(ctx.who) or "They", "product": ctx.product or "the product"}
    stage = STAGE_WHY.get(ctx.stage, STAGE_WHY["problem_aware"]).format(**who)
    trigger = TRIGGER_WHY.get(ctx.trigger, TRIGGER_WHY["social_proof"])
    return (
        f"{angle.why}: {lower_first(stage, frozenset(ctx.who.split()[:1]))}. "
        f"{angle.name} carries the trigger too: {lower_first(trigger)}. "
        f"Its beats ({angle.structure}) end on '{ctx.ctas[0]}', which matches the goal ({ctx.goal})."
    )


# ----------------------------------------------------------------------------- per kind


def _steps(angle: Angle, values: Mapping[str, str]) -> list[str]:
    return [strip_end(line) for _, line in choose(angle.scenes, values)]


def scene_plan_concept(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> dict[str, str]:
    steps = _steps(angle, values)
    plan = ", then ".join(steps)
    narrative = f"{angle.name} in {len(steps) + 1} scenes: open on the hook, then {plan}."
    return {"narrative": narrative, "structure": angle.structure}


def headline(ctx: CopyContext, values: Mapping[str, str], angle: Angle, limit: int) -> str:
    """The angle's headline that fits whole (never cut), else the product's name."""
    for _, line in choose(angle.headlines, values):
        line = strip_end(line)
        if len(line) <= limit:
            return line
    return ctx.product if len(ctx.product) <= limit else ctx.short_product


def concept_subhead(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> str:
    """The offer under every headline but the offer's own; else the promise; whole or not at all."""
    options = [values.get("promise", ""), values.get("offer", ""), values.get("price", "")]
    if angle.id != "offer":
        options = [values.get("offer", ""), values.get("price", ""), values.get("promise", "")]
    fitting = [o for o in options if o and len(o) <= SUBHEAD_MAX]
    return strip_end(fitting[0]) if fitting else ctx.short_product


# ----------------------------------------------------------------------------- look and sound

def _visuals(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> str:
    template = ctx.copy.visuals if ctx.copy else SCENE_VISUALS
    look = Template("look", angle.look).text.format(product=ctx.product)
    style = STYLE_VISUALS.get(ctx.style, STYLE_VISUALS["direct_response"])["look"]
    platform = PLATFORM_NOTES.get(ctx.platform, PLATFORM_NOTES["social"])
    text = template.format(
        treatment=angle.treatment, look=look, product=ctx.product, style=style, platform=platform
    )
    return cap(text.replace(";", ",")) + "."


def _sonic(ctx: CopyContext, angle: Angle) -> str:
    if ctx.copy and ctx.copy.silent:
        return (
            "Silent format, and if animated for social, a sound logo in the "
            f"{angle.mood.lower()} mood on the last frame."
        )
    tone = f", in the brand's voice ({ctx.tone})" if ctx.tone else ""
    return f"{angle.mood} mood: {angle.sound}{tone}."
