"""Three concepts per run: a distinct hook and angle each, fitted to stage, trigger and style."""

from __future__ import annotations

import random
from collections.abc import Mapping

from adloom.writer.compose import Template, choose, overlap, slots
from adloom.writer.context import CopyContext
from adloom.writer.playbooks import FIRST_PERSON_HOOKS, HOOKS, PLATFORM_NOTES, SONIC, STYLE_VISUALS
from adloom.writer.schemas import Idea, IdeaSet
from adloom.writer.text import cap, lower_first, strip_end

FIRST_PERSON_STYLES = frozenset({"ugc", "testimonial"})

STAGE_WHY: Mapping[str, str] = {
    "unaware": "{Who} are not looking for a fix yet, so the hook sells a picture of the outcome "
    "before the product is named",
    "problem_aware": "{Who} already feel the problem, so naming it in the first second earns the "
    "stop and makes {product} the obvious answer",
    "solution_aware": "{Who} know a fix exists, so the work is showing why this one is better",
    "product_aware": "{Who} know {product} but have not acted, so the ad answers the doubt with "
    "proof",
    "most_aware": "{Who} are ready to act, so the offer leads and nothing slows the click",
}

TRIGGER_WHY: Mapping[str, str] = {
    "reciprocity": "It gives before it asks (reciprocity): the free part of the offer comes first",
    "commitment": "It asks for one small step first (commitment), which makes the next one easy",
    "social_proof": "It shows people like them already on board (social proof)",
    "authority": "It leans on hard facts and expert credentials (authority)",
    "liking": "It speaks like a friend, warm and on their side (liking)",
    "scarcity": "It gives a real reason to act now (scarcity), using only true dates and limits",
    "unity": "It speaks as one of them, not a brand at them (unity)",
}

HOOK_TITLES: Mapping[str, str] = {
    "u.picture": "Picture it",
    "u.say": "So far away",
    "u.stop": "Stop scrolling",
    "u.whatif": "Your new normal",
    "u.secret": "The small change",
    "u.i.never": "I never thought",
    "p.question": "The daily scramble",
    "p.still": "Still?",
    "p.familiar": "Sound familiar?",
    "p.callout": "We see you",
    "p.i.used": "Every single day",
    "p.cost": "More than time",
    "p.tired": "Tired of it",
    "s.looked": "What the best get right",
    "s.tried": "Beyond the usual fixes",
    "s.before": "Before you choose",
    "s.oldway": "The better way",
    "s.i.tried": "The one that stuck",
    "pa.fence": "Off the fence",
    "pa.worth": "The honest answer",
    "pa.closer": "A closer look",
    "pa.heard": "What you actually get",
    "pa.i.honest": "My honest review",
    "m.ready": "Ready when you are",
    "m.sign": "This is your sign",
    "m.offer": "Yes, really",
    "m.event": "Live soon",
    "m.i.told": "What I use",
}

# Why each angle works, and how its story opens (the rest of the arc follows the stage).
ANGLE_WHY: Mapping[str, str] = {
    "ugc": "A creator's own words read as a tip from a peer, not an ad",
    "testimonial": "A customer's before and after is proof the viewer can picture",
    "cinematic": "Mood and craft make the product feel worth more before a word is said",
    "storytelling": "A small story holds attention longer than a list of features",
    "problem_solution": "Showing the problem first makes the fix feel earned",
    "before_after": "The contrast does the selling; the viewer sees the gap close",
    "listicle": "Numbered reasons are easy to follow with the sound off",
    "demo": "Seeing it work answers 'does it really?' faster than any claim",
    "luxury_minimal": "Restraint signals quality; one line and one object carry it",
    "direct_response": "Every second points at the button: promise, proof, offer, act",
}
ANGLE_OPENING: Mapping[str, str] = {
    "ugc": "Phone in hand, a creator tells it straight, like a tip to a friend",
    "testimonial": "One of the {who} tells their own before and after",
    "cinematic": "A slow, wordless build; the line lands on the product",
    "storytelling": "A day in the life of one of the {who}, turning on the moment {product} arrives",
    "problem_solution": "Two halves: the problem as it feels, then the fix",
    "before_after": "Before and after, side by side, same person, same moment",
    "listicle": "Three numbered reasons, one per beat",
    "demo": "{product} doing the job in close-up, no cut-aways",
    "luxury_minimal": "Few words, one object, lots of space",
    "direct_response": "Straight to the point: promise, proof, offer, button",
}

ANGLES: Mapping[str, str] = {
    "ugc": "Creator POV",
    "testimonial": "Customer story",
    "cinematic": "Cinematic",
    "storytelling": "Day in the life",
    "problem_solution": "Problem, then fix",
    "before_after": "Before and after",
    "listicle": "Three reasons",
    "demo": "Show, don't tell",
    "luxury_minimal": "Quiet luxury",
    "direct_response": "Straight to the point",
}
# Styles that sit well next to each campaign style for the 2nd and 3rd concept.
NEIGHBOURS: Mapping[str, tuple[str, ...]] = {
    "ugc": ("testimonial", "demo", "before_after"),
    "testimonial": ("ugc", "storytelling", "before_after"),
    "cinematic": ("storytelling", "luxury_minimal", "demo"),
    "storytelling": ("cinematic", "testimonial", "before_after"),
    "problem_solution": ("before_after", "demo", "direct_response"),
    "before_after": ("problem_solution", "ugc", "demo"),
    "listicle": ("demo", "direct_response", "ugc"),
    "demo": ("listicle", "ugc", "problem_solution"),
    "luxury_minimal": ("cinematic", "storytelling", "demo"),
    "direct_response": ("problem_solution", "listicle", "demo"),
}


def hook_pool(ctx: CopyContext, values: Mapping[str, str], style: str) -> list[tuple[str, str]]:
    """Every hook this stage allows for this campaign, first-person ones for UGC/testimonial."""
    stage = ctx.stage if ctx.stage in HOOKS else "problem_aware"
    templates: list[Template] = list(HOOKS[stage])
    if style in FIRST_PERSON_STYLES:
        templates = list(FIRST_PERSON_HOOKS[stage]) + templates
    filled = choose(templates, values)
    return filled or [("fallback", f"Meet {ctx.product}.")]


def make_ideas(ctx: CopyContext, *, seed: int) -> tuple[IdeaSet, list[str]]:
    """Three concepts and the playbook ids used (for provenance)."""
    rng = random.Random(seed)
    values = slots(ctx, ctx.ctas[0])
    styles = [ctx.style if ctx.style in ANGLES else "direct_response"]
    styles += rng.sample(NEIGHBOURS[styles[0]], 2)
    ideas, used = [], []
    taken: list[str] = []
    for style in styles:
        pool = [h for h in hook_pool(ctx, values, style) if h[1] not in taken]
        pool = pool or hook_pool(ctx, values, style)
        rng.shuffle(pool)
        hook_id, hook = min(pool, key=lambda h: max((overlap(h[1], t) for t in taken), default=0))
        taken.append(hook)
        used.append(f"{style}:{hook_id}")
        ideas.append(_idea(ctx, values, style, hook, HOOK_TITLES.get(hook_id, "The hook")))
    return IdeaSet(ideas=ideas), used


def _idea(ctx: CopyContext, values: Mapping[str, str], style: str, hook: str, title: str) -> Idea:
    return Idea(
        title=f"{title} — {ANGLES[style]}",
        reasoning=f"{_reasoning(ctx, values)} {ANGLE_WHY[style]}.",
        hook=hook,
        narrative=_narrative(ctx, values, style),
        visuals=_visuals(ctx, style),
        sonic=_sonic(ctx, style),
    )


def _reasoning(ctx: CopyContext, values: Mapping[str, str]) -> str:
    stage = STAGE_WHY.get(ctx.stage, STAGE_WHY["problem_aware"]).format(**_safe(ctx))
    trigger = TRIGGER_WHY.get(ctx.trigger, TRIGGER_WHY["social_proof"])
    return f"{stage}. {trigger}. CTA '{ctx.ctas[0]}' matches the goal ({ctx.goal})."


def _safe(ctx: CopyContext) -> dict[str, str]:
    """Names for the reasoning the user reads (the audience may be named here, not in copy)."""
    return {"Who": cap(ctx.who) or "They", "product": ctx.product or "the product"}


def _narrative(ctx: CopyContext, values: Mapping[str, str], style: str) -> str:
    opening = ANGLE_OPENING[style].format(**_safe(ctx), who=ctx.who)
    steps = [f"{opening}. Open on the hook"]
    if "struggle_you" in values and ctx.stage in {"unaware", "problem_aware"}:
        steps.append("show the struggle in one honest moment")
    steps.append(f"reveal {ctx.product} with the promise: {lower_first(strip_end(ctx.promise))}")
    if ctx.facts:
        steps.append(f"prove it: {lower_first(strip_end(ctx.facts[0]))}")
    if ctx.offer:
        steps.append(f"land the offer ({lower_first(ctx.offer)})")
    steps.append(f"end on '{ctx.ctas[0]}' with the logo")
    return cap("; ".join(steps)) + "."


# Static kinds describe a layout, not footage; the style still sets the mood.
KIND_VISUALS: Mapping[str, str] = {
    "banner": "Typography-first: the headline big on brand colour, {product} cut out with a soft "
    "shadow, the CTA button always visible; mood: {look}",
    "flyer": "Poster layout: bold headline, {product} as the hero, a details block and a QR code "
    "to the page; mood: {look}",
    "jingle": "A lyric card for social: the tagline in big type over brand colour, {product} and "
    "logo at the end; mood: {look}",
}


def _visuals(ctx: CopyContext, style: str) -> str:
    look = STYLE_VISUALS[style]["look"]
    if ctx.kind in KIND_VISUALS:
        return cap(KIND_VISUALS[ctx.kind].format(product=ctx.product, look=look) + ".")
    platform = PLATFORM_NOTES.get(ctx.platform, PLATFORM_NOTES["social"])
    return cap(f"{look}; {ctx.product} in frame from the reveal on; {platform}.")


def _sonic(ctx: CopyContext, style: str) -> str:
    if ctx.kind in {"banner", "flyer"}:
        return "Silent format; if animated for social, a short sound logo on the last frame."
    tone = f", in a {ctx.tone} voice" if ctx.tone else ""
    return cap(f"{SONIC[style]}{tone}.")
