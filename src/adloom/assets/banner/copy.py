"""Banners: headline / subhead / CTA variants, and one layout per size class."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence

from adloom.assets.banner.models import BannerCopy, BannerLayout, BannerScenes, BannerScript
from adloom.writer.angles import Angle
from adloom.writer.compose import Template as T
from adloom.writer.compose import choose, content_set, overlap, slots, split_phrases
from adloom.writer.concepts import HEADLINE_MAX, SHORT_MAX, concept_subhead
from adloom.writer.concepts import headline as concept_headline
from adloom.writer.context import CopyContext
from adloom.writer.critic import fact_present
from adloom.writer.headlines import COMMON_HEADLINES, HEADLINES, SUBHEADS
from adloom.writer.schemas import Idea
from adloom.writer.text import cap, fit_chars, lower_first, sentence, short_phrase, strip_end

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
    # The chosen idea's own set leads (issue 18, item 7): its headline, subhead and button.
    chosen = _concept_variant(ctx, idea)
    if chosen is not None:
        variants.append(chosen)
        used.append(f"idea:{idea.angle if idea else ''}")
        headlines = [h for h in headlines if h[1].lower() != chosen.headline.lower()][:2]
    taken: set[str] = {v.subhead for v in variants}
    for index, (hid, headline) in enumerate(headlines[:3]):
        cta = [c for c in ctx.ctas if len(c) <= 18][index % 2] if len(ctx.ctas) > 1 else ctx.ctas[0]
        values = slots(ctx, cta)
        subhead = _subhead(ctx, values, headline, index, taken)
        headline, subhead = carry_offer(
            ctx,
            headline,
            subhead,
            keep_subhead=index == 0,
            taken_headlines=frozenset(v.headline.lower() for v in variants),
        )
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


def _concept_variant(ctx: CopyContext, idea: Idea | None) -> BannerCopy | None:
    """The banner set of the chosen idea, with the offer carried and the product named; None
    when the idea has no banner concept (an LLM's or an older idea) or it does not fit."""
    concept = (idea.concept if idea else None) or {}
    head, sub = strip_end(concept.get("headline", "")), concept.get("subhead", "")
    if not head or not sub or not fits(head, "headline"):
        return None
    sub = sentence(sub) if fits(sentence(sub), "subhead") else sub
    head, sub = carry_offer(ctx, head, sub)
    cta = concept.get("cta", "") if fits(concept.get("cta", ""), "cta") else ctx.ctas[0]
    short = concept.get("short_headline", "") or ctx.short_product
    if ctx.product.lower() not in f"{head} {sub} {short}".lower():
        short = ctx.short_product
    if not (fits(sub, "subhead") and cta and fits(cta, "cta") and fits(short, "short_headline")):
        return None
    return BannerCopy(headline=cap(head), subhead=sub, cta=cta, short_headline=short)


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
    ctx: CopyContext,
    headline: str,
    subhead: str,
    *,
    keep_subhead: bool = False,
    taken_headlines: frozenset[str] = frozenset(),
) -> tuple[str, str]:
    """Put the offer (or, without one, the price) in a variant that lacks it: every banner size
    with room for a second line must show it (issue 18). Whole phrases only: the offer is added
    to the subhead, or replaces it, or becomes the headline; it is never cut to fit.
    ``keep_subhead`` protects the promise (variant 1): when the promise and the offer do not
    fit in the subhead together, the promise's phrases share the headline and the subhead."""
    fact = strip_end(ctx.offer or ctx.price)
    if not fact or fact_present(fact, f"{headline} {subhead}"):
        return headline, subhead
    line = sentence(cap(fact))
    candidates = [f"{strip_end(subhead)}. {line}"]
    if not keep_subhead:
        candidates += [f"{ctx.product}: {lower_first(line)}", line]
    for candidate in candidates:
        if fits(candidate, "subhead") and not echoes(headline, candidate, ctx.product):
            return headline, candidate
    shared = _promise_with_offer(ctx, headline, line) if keep_subhead else None
    if shared and shared[0].lower() not in taken_headlines - {headline.lower()}:
        return shared
    if fits(fact, "headline"):
        return cap(fact), subhead
    if not fits(line, "subhead"):
        return headline, subhead  # an offer too long for any line; the critic reports it
    # The offer wins over the promise: the whole offer takes the subhead and the name leads.
    name = next((n for n in (ctx.product, ctx.brand) if n and fits(n, "headline")), "")
    return (name or headline), line


def fits(text: str, role: str) -> bool:
    return len(text) <= BANNER_LIMITS[role]


def _promise_with_offer(ctx: CopyContext, headline: str, line: str) -> tuple[str, str] | None:
    """Headline and subhead that carry the promise and the whole offer line, or None:
    the promise's first phrase as headline and its rest before the offer ("Café-quality cold
    brew" / "Ready the moment you are. First bottle free…"); else the promise's head phrase
    before the offer under the same headline; else that head phrase as headline."""
    promise = strip_end(ctx.promise)
    # "X that is ready…" reads as "X" / "Ready…" (a reduced relative clause); else its phrases.
    relative = re.match(r"^(.+?)\s+(?:that|which|who)\s+(?:is|are)\s+(.+)$", promise)
    phrases = list(relative.groups()) if relative else split_phrases(promise)
    if len(phrases) >= 2:
        first, rest = cap(phrases[0]), cap(", ".join(phrases[1:]))
        if fits(first, "headline") and fits(f"{rest}. {line}", "subhead"):
            return first, f"{rest}. {line}"
    head = short_phrase(ctx.promise, 6)
    joined = f"{cap(head)}. {line}"
    if (
        head
        and not fact_present(head, line)
        and fits(joined, "subhead")
        and not echoes(headline, joined, ctx.product)
    ):
        return headline, joined
    named = [c for c in (f"{ctx.product}: {lower_first(line)}", line) if fits(c, "subhead")]
    if named and fits(head, "headline") and len(head.split()) >= 3:
        return cap(head), named[0]
    return None


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


def banner_concept(ctx: CopyContext, values: Mapping[str, str], angle: Angle) -> dict[str, str]:
    head, sub = concept_headline(ctx, values, angle, HEADLINE_MAX), concept_subhead(ctx, values, angle)
    short = head if len(head) <= SHORT_MAX else ctx.short_product
    # Brief values come before the angle's own words: a "$2.99" splits a sentence at its dot,
    # and the piece after it must still belong to this angle alone.
    narrative = (
        f"{angle.name} as a banner set for all 16 sizes: headline “{head}”, button "
        f"“{ctx.ctas[0]}”, “{short}” alone on the smallest strips, and the subhead “{sub}” "
        f"wherever a second line fits, in the {angle.treatment.lower()} treatment."
    )
    return {
        "narrative": narrative,
        "headline": head,
        "subhead": sub,
        "cta": ctx.ctas[0],
        "short_headline": short,
    }
