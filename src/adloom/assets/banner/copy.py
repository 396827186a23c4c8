"""Banners and flyers: headline / subhead / CTA sets, body points, layouts per size and format."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from adloom.writer.compose import Template as T
from adloom.writer.compose import choose, content_set, fill, overlap, slots, tidy
from adloom.writer.context import CopyContext
from adloom.writer.critic import fact_present
from adloom.writer.schemas import (
    BannerCopy,
    BannerLayout,
    BannerScenes,
    BannerScript,
    EventDetails,
    FlyerLayout,
    FlyerScenes,
    FlyerScript,
    Idea,
)
from adloom.writer.text import cap, clean, fit_chars, lower_first, sentence, strip_end

HEADLINES: Mapping[str, tuple[T, ...]] = {
    "unaware": (
        T("h.u.every", "{outcome_short}, every day"),
        T("h.u.picture", "Picture {outcome_np}"),
    ),
    "problem_aware": (
        T("h.p.nomore", "No more {struggle_short_lc}"),
        T("h.p.struggle", "{struggle_short}?"),
        T("h.p.fix", "There's an easier way"),
    ),
    "solution_aware": (
        T("h.s.better", "A better way to get {outcome_np}"),
        T("h.s.promise", "{promise_short}"),
        T("h.s.built", "Built for {outcome_np}"),
        T("h.s.tried", "Tried everything? Try this"),
    ),
    "product_aware": (
        T("h.pa.why", "What you get with {product}"),
        T("h.pa.benefits", "{benefit_lines}"),
        T("h.pa.fact", "{fact1_short}"),
    ),
    "most_aware": (
        T("h.m.offer", "{offer_short}"),
        T("h.m.ready", "Ready for {product}?"),
        T("h.m.event", "{event_title}"),
    ),
}
COMMON_HEADLINES = (
    T("h.c.event", "{event_title}"),
    T("h.c.tagline", "{tagline}"),
    T("h.c.object", "{promise_object}"),
    T("h.c.promise", "{promise_short}"),
    T("h.c.benefits", "{benefit_lines}"),
    T("h.c.product", "{product}"),
)
SUBHEADS = (
    T("sh.product", "{product}: {promise_lc}."),
    T("sh.that", "{promise}. That's {product}."),
    T("sh.from", "{promise}, from {product}."),
    T("sh.benefits", "{product}. {benefit_lines}"),
    T("sh.offer", "{product}: {offer_lc}."),
    T("sh.fact", "{product}. {fact1}."),
    T("sh.plain", "{promise}."),
)
SHORT_HEADLINES = (
    T("s.offer", "{offer_short}"),
    T("s.benefit", "{benefit1}"),
    T("s.product", "{product}"),
    T("s.cta", "{cta}"),
)

BANNER_LIMITS = {"headline": 40, "subhead": 90, "cta": 18, "short_headline": 20}


def banner_script(
    ctx: CopyContext, idea: Idea | None, *, seed: int
) -> tuple[BannerScript, list[str]]:
    """Three (or more) headline/subhead/CTA sets, each naming the product and the promise."""
    rng = random.Random(seed)
    headlines = _headlines(ctx, rng)
    promise_line = sentence(ctx.promise)
    if len(headlines) > 1 and echoes(headlines[0][1], promise_line, ctx.product):
        headlines[0], headlines[1] = headlines[1], headlines[0]  # variant 0 carries the promise
    variants, used = [], []
    taken: set[str] = set()
    for index, (hid, headline) in enumerate(headlines[:3]):
        cta = [c for c in ctx.ctas if len(c) <= 18][index % 2] if len(ctx.ctas) > 1 else ctx.ctas[0]
        values = slots(ctx, cta)
        subhead = _subhead(ctx, values, headline, index, taken)
        headline, subhead = carry_offer(ctx, headline, subhead, keep_subhead=index == 0)
        taken.add(subhead)
        short = _short_headline(values, headline, index)
        if ctx.product.lower() not in f"{headline} {subhead} {short}".lower():
            short = ctx.short_product
        variants.append(
            BannerCopy(
                headline=headline, subhead=subhead, cta=fit_chars(cta, 18), short_headline=short
            )
        )
        used.append(hid)
    return BannerScript(variants=variants), used


def _headlines(ctx: CopyContext, rng: random.Random) -> list[tuple[str, str]]:
    values = slots(ctx, ctx.ctas[0])
    stage = list(HEADLINES.get(ctx.stage, HEADLINES["problem_aware"]))
    rng.shuffle(stage)
    picked: list[tuple[str, str]] = []
    for hid, line in choose(stage, values) + choose(COMMON_HEADLINES, values):
        line = strip_end(line) if not line.endswith("?") else line
        if len(line) > 40 or any(overlap(line, p) > 0.5 or line == p for _, p in picked):
            continue
        picked.append((hid, cap(line)))
    while len(picked) < 3:
        picked.append((f"h.fit.{len(picked)}", _fallback_headline(ctx, len(picked))))
    return picked


def carry_offer(
    ctx: CopyContext, headline: str, subhead: str, *, keep_subhead: bool = False
) -> tuple[str, str]:
    """Put the offer (or, without one, the price) in a variant that lacks it: every banner size
    with room for a second line must show it (issue 18). Whole phrases only: the offer is added
    to the subhead, or replaces it, or becomes the headline; it is never cut to fit.
    ``keep_subhead`` protects the subhead that carries the promise (variant 1)."""
    fact = strip_end(ctx.offer or ctx.price)
    if not fact or fact_present(fact, f"{headline} {subhead}"):
        return headline, subhead
    line = sentence(cap(fact))
    candidates = [f"{strip_end(subhead)}. {line}"]
    if not keep_subhead:
        candidates += [f"{ctx.product}: {lower_first(line)}", line]
    for candidate in candidates:
        if len(candidate) <= BANNER_LIMITS["subhead"] and not echoes(
            headline, candidate, ctx.product
        ):
            return headline, candidate
    if len(fact) <= BANNER_LIMITS["headline"]:
        return cap(fact), subhead
    # The headline is a shortened offer: the whole offer moves to the subhead and the name leads.
    name = next(
        (n for n in (ctx.product, ctx.brand) if n and len(n) <= BANNER_LIMITS["headline"]), ""
    )
    if name and len(line) <= BANNER_LIMITS["subhead"] and not keep_subhead:
        return name, line
    return headline, subhead


def _fallback_headline(ctx: CopyContext, index: int) -> str:
    options = [ctx.product, ctx.promise, ctx.offer or ctx.ctas[0], f"{ctx.ctas[0]} today"]
    return cap(fit_chars(options[index % len(options)], 40)) or "Take a look"


def _subhead(
    ctx: CopyContext, values: Mapping[str, str], headline: str, index: int, taken: set[str]
) -> str:
    """Variant 0 carries the promise; every variant names the product; none echoes its headline."""
    named = ctx.product.lower() in headline.lower()
    filled = [
        line
        for _, line in choose(SUBHEADS, values)
        if len(line) <= 90 and not echoes(headline, line, ctx.product)
    ]
    promise_key = ctx.promise.lower()[:20]
    if index == 0:
        with_promise = [line for line in filled if promise_key in line.lower()]
        with_promise.sort(key=lambda line: ctx.product.lower() not in line.lower())
        if with_promise:
            return with_promise[0]
    unused = [line for line in filled if line not in taken]
    naming = [line for line in unused if ctx.product.lower() in line.lower()]
    # Prefer an unused line that names the product (when the headline does not), then any
    # unused line (the short headline then carries the name), then a repeat.
    for pool in (naming if not named else unused, unused, filled):
        if pool:
            return pool[0]
    return sentence(fit_chars(f"{ctx.product}: {lower_first(ctx.promise)}", 89))


def echoes(headline: str, subhead: str, product: str) -> bool:
    """True when most of the headline's words come back in the subhead (product name aside)."""
    name = content_set(product)
    words_h = content_set(headline) - name
    return bool(words_h) and len(words_h & content_set(subhead)) / len(words_h) >= 0.6


def _short_headline(values: Mapping[str, str], headline: str, index: int) -> str:
    if len(headline) <= 20:
        return headline
    filled = [
        strip_end(line) for _, line in choose(SHORT_HEADLINES, values) if len(strip_end(line)) <= 20
    ]
    return filled[index % len(filled)] if filled else fit_chars(values.get("cta", "Learn more"), 20)


# ----------------------------------------------------------------------------- banner layouts

DEFAULT_SIZES = ("300x250", "728x90", "160x600", "320x50", "1080x1080", "1200x628", "1080x1350")
ARRANGEMENT = {
    "leaderboard": "text_left",
    "skyscraper": "text_top",
    "rectangle": "text_left",
    "square": "text_top",
    "mobile_strip": "text_only",
    "landscape": "text_left",
    "portrait": "text_top",
}
BACKGROUND = {
    "luxury_minimal": "color_field",
    "cinematic": "gradient",
    "ugc": "shapes",
    "direct_response": "split",
    "listicle": "shapes",
    "demo": "color_field",
    "before_after": "split",
    "problem_solution": "split",
    "storytelling": "gradient",
    "testimonial": "color_field",
}


def size_class(width: int, height: int) -> str:
    """IAB/social size -> layout class."""
    ratio = width / height
    if height <= 100 and width <= 320:
        return "mobile_strip"
    if ratio >= 3:
        return "leaderboard"
    if ratio >= 1.5:
        return "landscape"
    if ratio >= 1.15:
        return "rectangle"
    if ratio >= 0.85:
        return "square"
    return "skyscraper" if ratio <= 0.5 else "portrait"


def parse_size(value: object) -> tuple[int, int] | None:
    """'300x250', (300, 250) or {"width": 300, "height": 250} -> (300, 250); else None."""
    if isinstance(value, Mapping):
        value = f"{value.get('width')}x{value.get('height')}"
    elif isinstance(value, list | tuple) and len(value) == 2:
        value = f"{value[0]}x{value[1]}"
    match = re.fullmatch(r"\s*(\d{2,5})\s*[x\u00d7]\s*(\d{2,5})\s*", str(value))
    return (int(match.group(1)), int(match.group(2))) if match else None


def banner_scenes(ctx: CopyContext, sizes: Sequence[object], *, seed: int) -> BannerScenes:
    """One layout per size class among the requested sizes (all default sizes if none)."""
    rng = random.Random(seed)
    parsed = [s for s in (parse_size(v) for v in sizes or DEFAULT_SIZES) if s] or [(300, 250)]
    classes = list(dict.fromkeys(size_class(w, h) for w, h in parsed))
    background = BACKGROUND.get(ctx.style, rng.choice(("gradient", "shapes", "split")))
    layouts = [
        BannerLayout.model_validate(
            {
                "size_class": c,
                "arrangement": ARRANGEMENT[c],
                "background": background,
                "product": c != "mobile_strip",
                "logo": True,
            }
        )
        for c in classes
    ]
    return BannerScenes(layouts=layouts)


# ----------------------------------------------------------------------------- flyer

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
    body = _body(ctx, values, headline)
    event = (
        EventDetails(
            **{k: v for k, v in ctx.event.items() if k in {"title", "date", "time", "venue"}}
        )
        if ctx.event
        else None
    )
    subhead = _flyer_subhead(ctx, values, headline)
    body = with_price(ctx, body, shown=f"{headline} {subhead} {ctx.offer}")
    script = FlyerScript(
        headline=headline,
        subhead=subhead,
        body=body,
        event=event,
        offer=fit_chars(ctx.offer, 120) or None,
        cta=fit_chars(ctx.ctas[0], 24),
        url=ctx.url or None,
    )
    return script, [headline_id, *(f"body:{len(body)}",)]


def with_price(ctx: CopyContext, body: list[str], *, shown: str) -> list[str]:
    """The flyer states the brief's price (issue 18: prices missing from most flyers): as a
    body point of its own, in the last slot when all five are taken; never shortened."""
    line = sentence(f"Price: {strip_end(ctx.price)}") if ctx.price else ""
    if not line or len(line) > 90 or fact_present(ctx.price, f"{shown} {' '.join(body)}"):
        return body
    return [*body, line] if len(body) < 5 else [*body[:4], line]


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


def _body(ctx: CopyContext, values: Mapping[str, str], headline: str) -> list[str]:
    points: list[str] = []
    for _, line in choose(BODY_POINTS, values):
        line = tidy(sentence(fit_chars(line, 88), "?" if line.endswith("?") else "."))
        if overlap(line, headline) > 0.5:
            continue
        if line and line not in points and len(points) < 5:
            points.append(line)
    fillers = [
        sentence(fit_chars(ctx.promise, 89)),
        sentence(f"{ctx.ctas[0]} today"),
        sentence(fit_chars(ctx.product, 80)),
    ]
    for filler in fillers:
        if len(points) >= 3:
            break
        if filler not in points:
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


def fill_one(template: T, values: Mapping[str, str]) -> str:
    return fill(template, values) or ""
