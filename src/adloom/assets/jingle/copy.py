"""Jingles: a sung tagline (<= 10 words) with a verse, a music plan and an arrangement."""

from __future__ import annotations

import random
from collections.abc import Mapping

from adloom.assets.jingle.models import JingleScenes, JingleScript, Section
from adloom.writer.angles import Angle
from adloom.writer.compose import on_screen, split_phrases
from adloom.writer.concepts import HEADLINE_MAX, headline
from adloom.writer.context import CopyContext
from adloom.writer.music import plan_for_brand
from adloom.writer.schemas import Idea, MusicPlan
from adloom.writer.text import cap, fit_chars, sentence, short_phrase, strip_end, words

BARS = {"intro": 2, "verse": 4, "chorus": 4, "bridge": 4, "tag": 2, "outro": 2}
ENERGY = {"intro": 0.35, "verse": 0.55, "chorus": 0.9, "bridge": 0.6, "tag": 0.8, "outro": 0.4}


def tagline_lyric(ctx: CopyContext) -> str:
    """The brand tagline with the product name sung first when it fits in 10 words."""
    base = strip_end(ctx.tagline) or strip_end(on_screen(ctx.promise, 6))
    named = f"{ctx.short_product}. {sentence(base)}" if base else sentence(ctx.short_product)
    if ctx.short_product.lower() in base.lower():
        named = sentence(base)
    text = named if len(words(named)) <= 10 else sentence(base)
    if len(text.split()) <= 10:
        return text
    # A long brand line is sung by a phrase of it, never cut (issue 18: "Orbit Academy Space").
    first = split_phrases(strip_end(text))[0]
    if 2 <= len(first.split()) <= 10:
        return sentence(first)
    return sentence(short_phrase(text, 8, longest=10) or ctx.short_product)


def verse_lines(ctx: CopyContext) -> list[str]:
    """Two or three short lines that carry the promise and the product into the tagline."""
    lines = [sentence(fit_chars(ctx.promise, 90))]
    if len(ctx.benefits) >= 2:
        lines.append(" ".join(sentence(b) for b in ctx.benefits[:3]))
    lines.append(sentence(f"That's {ctx.short_product}"))
    return [cap(line) for line in lines if line][:4]


def jingle_script(
    ctx: CopyContext, idea: Idea | None, *, seed: int, industry: str = "", business_type: str = ""
) -> tuple[JingleScript, list[str]]:
    """The tagline lyric, the verse and a music plan for this brand: its tone, its industry
    (the brief's category, else the product's), the idea's sonic angle and its name."""
    plan = plan_for_brand(
        tone=ctx.tone,
        industry=" ".join(w for w in (industry, ctx.category) if w and w != "other"),
        business_type="" if business_type == "other" else business_type,
        angle=f"{idea.sonic} {idea.hook}" if idea else "",
        brand=ctx.brand,
        seed=seed,
    )
    concept = (idea.concept if idea else None) or {}
    sung = strip_end(concept.get("tagline", ""))
    # The chosen idea's tagline is sung (issue 18, item 7); the brand line closes the verse.
    tagline = sentence(sung) if sung and len(sung.split()) <= 10 else tagline_lyric(ctx)
    lyrics = verse_lines(ctx)
    if sung and ctx.tagline and strip_end(ctx.tagline).lower() != sung.lower():
        lyrics = [*lyrics, sentence(ctx.tagline)][:8]
    script = JingleScript(tagline=tagline, plan=plan, lyrics=lyrics)
    return script, [f"tone={ctx.tone or 'default'}", f"mood={plan.mood}"]


def jingle_scenes(ctx: CopyContext, script: JingleScript, *, seed: int) -> JingleScenes:
    """One section per part of the structure; vocals on the chorus and the tag."""
    rng = random.Random(seed)
    plan: MusicPlan = script.plan
    sections = []
    for name in plan.structure:
        energy = min(1.0, max(0.0, ENERGY[name] + rng.uniform(-0.05, 0.05)))
        count = 2 if energy < 0.5 else len(plan.instrumentation)
        sections.append(
            Section(
                name=name,
                bars=BARS[name],
                instruments=list(plan.instrumentation[: max(2, count)]),
                energy=round(energy, 2),
                vocal=plan.vocal != "none" and name in {"chorus", "tag"},
            )
        )
    return JingleScenes(sections=sections)


def jingle_concept(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> dict[str, str]:
    # The brand's own line is what its jingle sings, in each idea's mood; without one, the
    # angle's headline.
    line = strip_end(ctx.tagline) or headline(ctx, values, angle, HEADLINE_MAX)
    tagline = line if len(line.split()) <= 10 else ctx.product
    sung = (
        "sung on the hook and the tag, the brand's own line" if ctx.tagline else "sung as the hook"
    )
    narrative = (
        f"{angle.name} as a jingle in the {angle.mood.lower()} mood: “{tagline}” {sung}, and "
        f"verses that tell {angle.structure}."
    )
    return {"narrative": narrative, "tagline": tagline, "mood": angle.mood}
