"""Filling playbook templates with campaign phrases, and scoring what comes out.

A template is a plain ``str.format`` pattern whose fields name *slots* ("Still {still_q}?").
:func:`slots` derives every slot the context supports; a template whose slots are not all
available is skipped rather than filled with a placeholder, so copy never contains an empty or
unfilled slot. User text only ever appears as a format *value*, never as a pattern.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from adloom.writer.context import ACTIONS, CopyContext
from adloom.writer.critic_facts import fact_present, specs_in
from adloom.writer.readability import fk_grade
from adloom.writer.text import (
    cap,
    content_words,
    first_clause,
    join_list,
    lower_first,
    sentence,
    sentences,
    short_phrase,
    strip_dangling,
    strip_end,
    tokens,
)

_FORMATTER = string.Formatter()
MOBILE_PLATFORMS = frozenset({"tiktok", "instagram", "social", "pinterest", "facebook"})
_NOT_GERUNDS = frozenset(
    {
        "morning",
        "evening",
        "thing",
        "nothing",
        "something",
        "everything",
        "anything",
        "ceiling",
        "king",
        "ring",
        "spring",
        "string",
        "wedding",
        "building",
        "clothing",
        "pudding",
        "during",
        "ping",
        "wing",
        "sing",
    }
)
MARKERS = re.compile(
    r"\{|\}|<|>|\[\[|\]\]|\bTODO\b|\bTBD\b|\blorem\b|\bipsum\b|\bxxx\b|__|%s", re.IGNORECASE
)


@dataclass(frozen=True)
class Template:
    """One playbook line: a stable id (recorded in provenance) and its pattern."""

    id: str
    text: str

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f for _, f, _, _ in _FORMATTER.parse(self.text) if f)


def fill(template: Template, values: Mapping[str, str]) -> str | None:
    """The filled line, or None when a slot it needs is missing."""
    if any(not values.get(name) for name in template.fields):
        return None
    text = template.text.format(**values)
    return tidy(text)


def tidy(text: str) -> str:
    """Fix spacing and doubled punctuation that joining phrases can leave behind."""
    text = re.sub(r"\s+([,.!?:;])", r"\1", text)
    text = re.sub(r"([.!?])[.!?]+", r"\1", text)
    text = re.sub(r",\.", ".", text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return _cap_sentences(text)


def _cap_sentences(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(cap(p) for p in parts)


def choose(rng_pick: Sequence[Template], values: Mapping[str, str]) -> list[tuple[str, str]]:
    """All templates of a pool that fill, as (id, line), in the pool's order."""
    out = []
    for template in rng_pick:
        line = fill(template, values)
        if line:
            out.append((template.id, line))
    return out


# ----------------------------------------------------------------------------- slots


def slots(ctx: CopyContext, cta: str) -> dict[str, str]:
    """Every phrase form the templates may ask for; absent data means an absent slot.

    The audience segment (``ctx.who``) is not a slot: it steers the choice of words and the
    reasoning shown to the user, but is never read to the viewer ("Made for finance leads at
    firms with 20-200 staff"), so every template that would quote it drops out (issue 18)."""
    values: dict[str, str] = {
        "product": ctx.product,
        "promise": strip_end(cap(ctx.promise)),
        "promise_lc": lower_first(ctx.promise),
        "promise_short": _promise_short(ctx.promise),
        "promise_object": _promise_object(ctx.promise),
        "category": ctx.category,
        "category_head": _head(ctx.category),
        "category_np": ctx.category_np,
        "category_plural": ctx.category_plural,
        "cta": cta,
        "cta_you": ACTIONS.get(ctx.goal) or _cta_you(cta),
        "tap": "Tap" if ctx.platform in MOBILE_PLATFORMS else "Click",
    }
    values.update(_struggle_slots(ctx))
    values.update(_outcome_slots(ctx))
    values.update(_benefit_slots(ctx))
    values.update(_offer_slots(ctx))
    values.update(_event_slots(ctx))
    if ctx.tagline:
        values["tagline"] = sentence(ctx.tagline)
    return {k: v for k, v in values.items() if v}


def _promise_short(promise: str) -> str:
    """What the promise gives, when it says so in 7 words or fewer; else its head phrase."""
    thing = _promise_object(promise)
    return thing if thing and len(thing.split()) <= 7 else on_screen(promise, 6)


def _promise_object(promise: str) -> str:
    """'A session that gives you the exact 90-day plan...' -> 'The 90-day plan...'."""
    match = re.search(
        r"\b(?:gives|give|gets|get|helps|help|lets|let)\s+you\s+(.+)", promise, re.IGNORECASE
    )
    if not match:
        return ""
    return cap(
        re.sub(
            r"^(the|a|an)\s+(?:exact|very)\s+",
            r"\1 ",
            strip_end(match.group(1)),
            flags=re.IGNORECASE,
        )
    )


def _head(category: str) -> str:
    head = re.split(r"\s+(?:for|with|from|by|that|in)\s+", category, maxsplit=1)[0]
    return strip_dangling(head)


def _cta_you(cta: str) -> str:
    text = re.sub(r"\bmy\b", "your", cta, flags=re.IGNORECASE)
    return lower_first(text)


def _struggle_slots(ctx: CopyContext) -> dict[str, str]:
    s = ctx.struggle
    if not s:
        return {}
    gerunds = [m for m in re.finditer(r"\b(\w+ing)\b", s) if m.group(1).lower() not in _NOT_GERUNDS]
    short = on_screen(s[gerunds[0].start() :] if gerunds else s, 7)
    base = {"struggle_short": short, "struggle_short_lc": lower_first(short) if gerunds else ""}
    if ctx.struggle_kind == "state":
        return {
            **base,
            "struggle_you": f"you're {s}",
            "struggle_q": cap(s),
            "still_q": s,
            "struggle_i": f"I was {s}",
        }
    return {
        **base,
        "struggle_you": f"you {s}",
        "struggle_q": f"Do you {s}",
        "struggle_i": f"I used to {s}",
    }


def _outcome_slots(ctx: CopyContext) -> dict[str, str]:
    o = ctx.outcome
    if not o:
        return {}
    if ctx.outcome_kind == "vp":
        return {
            "outcome_want": f"want to {o}",
            "outcome_can": f"you can {o}",
            "outcome_vp": o,
            "outcome_short": on_screen(o, 6),
        }
    short = on_screen(o, 6)
    article = re.match(r"^(?:a|an)\s+(.+)", o, re.IGNORECASE)
    return {
        "outcome_your": article.group(1) if article and len(o.split()) <= 8 else "",
        "outcome_want": f"want {o}",
        "outcome_np": o,
        "outcome_can": f"you get {o}",
        "outcome_short": short,
        "outcome_short_lc": lower_first(short),
    }


def _benefit_slots(ctx: CopyContext) -> dict[str, str]:
    values: dict[str, str] = {}
    items = [strip_end(b) for b in ctx.benefits if b][:3]
    for index, item in enumerate(items, start=1):
        values[f"benefit{index}"] = item
    if len(items) >= 2:
        values["benefit_list"] = join_list([lower_first(i) for i in items])
        values["benefit_lines"] = " ".join(sentence(i) for i in items)
    if len(ctx.qualities) >= 2:
        values["quality_list"] = join_list([lower_first(q) for q in ctx.qualities[:4]])
    for index, fact in enumerate(ctx.facts[:3], start=1):
        values[f"fact{index}"] = strip_end(fact)
        values[f"fact{index}_short"] = on_screen(fact, 6)
    return values


def _offer_slots(ctx: CopyContext) -> dict[str, str]:
    if not ctx.offer:
        return {"price": ctx.price}
    return {
        "price": ctx.price,
        "offer": cap(ctx.offer),
        "offer_lc": lower_first(ctx.offer),
        "offer_short": on_screen(ctx.offer, 5),
    }


def _event_slots(ctx: CopyContext) -> dict[str, str]:
    event = ctx.event
    when = " at ".join(v for v in (event.get("date_text", ""), event.get("time", "")) if v)
    title = event.get("title", "")
    values = {
        "event_title": title,
        "event_title_q": f'"{title}"' if title else "",
        "event_when": when,
        "event_venue": event.get("venue", ""),
    }
    if when:
        values["event_when_short"] = event.get("date_text", when)
        values["live"] = "live"
    values["event_time"] = event.get("time", "")
    return values


ON_SCREEN_WORDS = 7  # the schema's limit for on-screen text


def on_screen(text: str, max_words: int = 7) -> str:
    """A phrase short enough for on-screen text: no leading article, a clause, no dangling word."""
    first = (sentences(text) or [text])[0]
    body = re.sub(r"^(?:the|a|an)\s+", "", strip_end(first), flags=re.IGNORECASE)
    body = re.sub(r"^(?:exact|very)\s+", "", body, flags=re.IGNORECASE)
    return (
        cap(short_phrase(body, max_words, longest=max(max_words, ON_SCREEN_WORDS))) if body else ""
    )


# ----------------------------------------------------------------------------- scoring


def has_marker(text: str) -> bool:
    return bool(MARKERS.search(text))


def repeated_sentences(text: str) -> int:
    seen: set[str] = set()
    repeats = 0
    for sent in sentences(text):
        key = " ".join(tokens(sent))
        if key and key in seen:
            repeats += 1
        seen.add(key)
    return repeats


def term_coverage(text: str, terms: Iterable[str]) -> float:
    wanted = [t for t in terms if t]
    if not wanted:
        return 1.0
    present = set(tokens(text))
    return sum(1 for t in wanted if t in present) / len(wanted)


@functools.lru_cache(maxsize=8192)
def content_set(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


def containment(a: str, b: str) -> float:
    """Share of the smaller line's content words found in the other (1 = one restates the other).

    One shared word is not a restatement unless both lines are that short ("No machine.").
    """
    sa, sb = content_set(a), content_set(b)
    shared = len(sa & sb)
    if not sa or not sb or (shared < 2 and max(len(sa), len(sb)) > 2):
        return 0.0
    return shared / min(len(sa), len(sb))


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of two lines' content words (0 = nothing shared, 1 = same words)."""
    sa, sb = content_set(a), content_set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def copy_penalty(text: str, ctx: CopyContext, *, max_grade: float = 8.0) -> float:
    """Lower is better: readability over the limit, missing terms, repeats, markers."""
    penalty = max(0.0, fk_grade(text) - max_grade) * 3
    penalty += (1 - term_coverage(text, ctx.key_terms)) * 10
    penalty += 0 if ctx.product.lower() in text.lower() else 10
    penalty += repeated_sentences(text) * 20
    penalty += 50 if has_marker(text) else 0
    return penalty


def headline_phrase(ctx: CopyContext) -> str:
    return first_clause(ctx.promise)


# ----------------------------------------------------------------------------- facts

SPEC_LINE_WORDS = 18  # a spec line longer than this is a paragraph, not a line


def spec_line(ctx: CopyContext, max_chars: int = 200) -> str:
    """A sentence that states one of the brief's specs (a number with its unit, opening
    hours), taken whole from the brief: a listed benefit or fact, else the clause or sentence
    of the description or messaging that holds it. Empty when the brief gives none."""
    source = f"{ctx.description} {ctx.inputs.get('messaging', '')}"
    specs = specs_in(source)
    if not specs:
        return ""
    pools = [
        list(ctx.benefits) + list(ctx.facts),
        [c for s in sentences(source) for c in split_phrases(s)],
        sentences(source),
    ]
    for pool in pools:
        for phrase in pool:
            body = strip_end(phrase)
            if (
                any(fact_present(spec, body) for spec in specs)
                and len(body.split()) <= SPEC_LINE_WORDS
                and len(body) < max_chars
            ):
                return sentence(cap(body))
    return ""


def split_phrases(text: str) -> list[str]:
    """Clauses split at semicolons, colons, and commas or dashes that are not inside a number
    ("0–100 km/h", "11,900" stay whole)."""
    return [p for p in re.split(r"\s*(?:;|:\s|(?<!\d),(?!\d)|\s[\u2014\u2013-]\s)\s*", text) if p]


def price_line(ctx: CopyContext) -> str:
    """The price as the brief gives it, said plainly: "Volta R1: from €11,900." """
    price = strip_end(ctx.price)
    if not price:
        return ""
    return sentence(f"{ctx.product}: {lower_first(price)}")


def event_line(ctx: CopyContext) -> str:
    """When and where the brief's event is: "Orbit Academy Space Camp, week 1: Monday 12 July,
    Delft Science Centre." Empty without a dated event."""
    event = ctx.event
    when = " at ".join(v for v in (event.get("date_text", ""), event.get("time", "")) if v)
    if not event.get("date_text"):
        return ""
    where = f", {event['venue']}" if event.get("venue") else ""
    return sentence(f"{event.get('title') or ctx.product}: {when}{where}")
