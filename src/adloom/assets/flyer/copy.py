"""Flyers and posters: headline, subhead, 3-5 body points, event or offer, CTA; one layout per
format."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from adloom.assets.flyer.models import FlyerLayout, FlyerScenes, FlyerScript
from adloom.writer.angles import Angle
from adloom.writer.compose import Template as T
from adloom.writer.compose import choose, overlap, slots, spec_line, tidy
from adloom.writer.concepts import concept_subhead, headline
from adloom.writer.context import CopyContext
from adloom.writer.critic import fact_present
from adloom.writer.critic_facts import specs_in
from adloom.writer.headlines import COMMON_HEADLINES, HEADLINES, SUBHEADS
from adloom.writer.schemas import EventDetails, Idea
from adloom.writer.text import cap, clean, fit_chars, lower_first, sentence, strip_end

BODY_POINTS = (
    T("f.benefits", "{benefit_lines}"),
    T("f.fact1", "{fact1}."),
    T("f.fact2", "{fact2}."),
    T("f.outcome", "{outcome_can}."),
    T("f.fact3", "{fact3}."),
)


def flyer_script(
    ctx: CopyContext, idea: Idea | None, *, seed: int
) -> tuple[FlyerScript, list[str]]:
    """Headline, subhead (the promise), 3-5 body points, event or offer, CTA and URL."""
    rng = random.Random(seed)
    values = slots(ctx, ctx.ctas[0])
    headline_id, headline = _flyer_headline(ctx, values, rng)
    concept = (idea.concept if idea else None) or {}
    if concept.get("headline") and len(concept["headline"]) <= 60 and not ctx.event.get("title"):
        # The chosen idea's print hierarchy leads (issue 18, item 7); an event's title wins.
        headline_id, headline = f"idea:{idea.angle if idea else ''}", cap(concept["headline"])
    subhead = _flyer_subhead(ctx, values, headline)
    body = _body(ctx, values, headline, subhead)
    event = (
        EventDetails(
            **{k: v for k, v in ctx.event.items() if k in {"title", "date", "time", "venue"}}
        )
        if ctx.event
        else None
    )
    body = with_price(ctx, body, shown=f"{headline} {subhead} {ctx.offer}")
    body = with_spec(ctx, body, shown=f"{headline} {subhead} {ctx.offer}")
    body = with_fillers(ctx, body, shown=subhead)
    script = FlyerScript(
        headline=headline,
        subhead=subhead,
        body=body,
        event=event,
        offer=fit_chars(ctx.offer, 120) or None,
        cta=fit_chars(concept.get("cta") or ctx.ctas[0], 24) or fit_chars(ctx.ctas[0], 24),
        url=ctx.url or None,
    )
    return script, [headline_id, *(f"body:{len(body)}",)]


def with_price(ctx: CopyContext, body: list[str], *, shown: str) -> list[str]:
    """The flyer states the brief's price (issue 18: prices missing from most flyers): as a
    body point of its own, in the last slot when all five are taken; never shortened."""
    line = sentence(f"Price: {lower_first(strip_end(ctx.price))}") if ctx.price else ""
    if not line or len(line) > 90 or fact_present(ctx.price, f"{shown} {' '.join(body)}"):
        return body
    return [*body, line] if len(body) < 5 else [*body[:4], line]


def with_spec(ctx: CopyContext, body: list[str], *, shown: str) -> list[str]:
    """The flyer states one spec of the brief (a number with its unit, opening hours) when it
    shows none: a body point of its own, whole, in the slot before the price when all five
    are taken (issue 18: "0–100 km/h in 3.9 s" in no asset)."""
    line = spec_line(ctx, max_chars=90)
    text = f"{shown} {' '.join(body)}"
    specs = specs_in(f"{ctx.description} {ctx.inputs.get('messaging', '')}")
    if not line or any(fact_present(spec, text) for spec in specs):
        return body
    if len(body) < 5:
        return [*body, line]
    price_last = bool(ctx.price) and fact_present(ctx.price, body[-1])
    return [*body[:3], line, body[-1]] if price_last else [*body[:4], line]


def _flyer_headline(
    ctx: CopyContext, values: Mapping[str, str], rng: random.Random
) -> tuple[str, str]:
    if ctx.event.get("title") and len(ctx.event["title"]) <= 60:
        return "f.h.event", cap(ctx.event["title"])
    pool = list(HEADLINES.get(ctx.stage, HEADLINES["problem_aware"]))
    rng.shuffle(pool)
    for hid, line in choose(pool, values) + choose(COMMON_HEADLINES, values):
        if len(line) <= 60:
            return hid, cap(line)
    return "f.h.fit", cap(fit_chars(ctx.promise, 60)) or ctx.short_product


def _flyer_subhead(ctx: CopyContext, values: Mapping[str, str], headline: str) -> str:
    for _, line in choose(SUBHEADS, values):
        if len(line) <= 120 and line.lower() != headline.lower():
            return line
    return sentence(fit_chars(f"{ctx.product}: {lower_first(ctx.promise)}", 119))


def _body(
    ctx: CopyContext, values: Mapping[str, str], headline: str, subhead: str = ""
) -> list[str]:
    points: list[str] = []
    for _, line in choose(BODY_POINTS, values):
        line = tidy(sentence(fit_chars(line, 88), "?" if line.endswith("?") else "."))
        if overlap(line, headline) > 0.5 or (subhead and overlap(line, subhead) > 0.5):
            continue  # a point never repeats the headline or the subhead above it
        if line and line not in points and len(points) < 5:
            points.append(line)
    return points


def with_fillers(ctx: CopyContext, body: list[str], *, shown: str) -> list[str]:
    """Three body points at least: the brief's points, price and spec first, then the promise
    (unless the headline or subhead already says it), the call to action, the product."""
    points = list(body)
    fillers = [
        sentence(fit_chars(ctx.promise, 89)),
        sentence(f"{ctx.ctas[0]} today"),
        sentence(fit_chars(ctx.product, 80)),
    ]
    for repeat_ok in (False, True):  # a thin brief has nothing else: then a repeat
        for filler in fillers:
            fresh = filler and filler not in points
            if len(points) < 3 and fresh and (repeat_ok or overlap(filler, shown) <= 0.5):
                points.append(filler)
    while len(points) < 3:
        points.append(f"Point {len(points) + 1}: {ctx.short_product}.")
    return points


FLYER_DEFAULT_FORMATS = ("A4", "1080x1350")


def flyer_family(ctx: CopyContext) -> str:
    """event / offer / launch / awareness, from the event, the goal, the stage and the style."""
    if ctx.event or ctx.goal == "signup":
        return "event"
    if ctx.offer and (ctx.goal in {"purchase", "trial"} or ctx.stage == "most_aware"):
        return "offer"
    if ctx.stage in {"unaware", "problem_aware"} and ctx.style not in {"direct_response"}:
        return "awareness"
    return "launch"


def flyer_scenes(ctx: CopyContext, formats: Sequence[object], *, seed: int) -> FlyerScenes:
    family = flyer_family(ctx)
    hero = "typographic" if ctx.style == "luxury_minimal" and family == "event" else "product"
    names = [fit_chars(clean(f), 40) for f in (formats or FLYER_DEFAULT_FORMATS) if clean(f)]
    layouts = [
        FlyerLayout.model_validate({"format": name, "family": family, "hero": hero})
        for name in names or FLYER_DEFAULT_FORMATS
    ]
    return FlyerScenes(layouts=layouts)


def flyer_concept(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> dict[str, str]:
    head, sub = headline(ctx, values, angle, 60), concept_subhead(ctx, values, angle)
    details = values.get("event_when") or values.get("offer") or values.get("price") or ""
    block = f", the details block ({strip_end(details)})" if details and details not in sub else ""
    narrative = (
        f"{angle.name} as a print hierarchy: “{head}” as the headline, “{sub}” under it{block}, "
        f"body points that follow its beats ({angle.structure}), and “{ctx.ctas[0]}” with the QR "
        f"code at the foot of the {angle.treatment.lower()} layout."
    )
    return {"narrative": narrative, "headline": head, "subhead": sub, "cta": ctx.ctas[0]}
