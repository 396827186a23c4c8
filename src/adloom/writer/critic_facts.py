"""Copy critic rule (e): the facts of the brief each asset must carry (offer, price, event
date, specs), checked per asset so that a banner size without the offer is caught."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from adloom.writer.critic_types import BriefFacts, CopyText, Violation
from adloom.writer.critic_words import numbers_in, word_list

# Which facts each asset must carry is the kind's to say (``KindCopy.facts``): any of
# offer_or_price, offer, price, event_date, spec. The writer is free where the brief gives nothing.
FACT_NAMES = ("offer_or_price", "offer", "price", "event_date", "spec")


def fact_present(fact: str, text: str) -> bool:
    """A fact is present when all its numbers appear, or (no numbers) most of its words do."""
    nums = numbers_in(fact)
    if nums:
        return nums <= numbers_in(text)
    wanted = [w for w in word_list(fact) if len(w) > 3]
    have = set(word_list(text))
    return not wanted or sum(w in have for w in wanted) >= max(1, round(0.6 * len(wanted)))


_SPEC_PATTERNS = (
    re.compile(r"\b\d{1,2}:\d{2}(?:\s?[–-]\s?\d{1,2}:\d{2})?"),
    re.compile(
        r"(?<![\w:])(?:\d[\d.,]*\s?[–-]\s?)?\d[\d.,]*\s?(?:%|°C|km/h|km|kg|ml|kWh|min|minutes|"
        r"hours|h|s)(?!\w)(?:\s(?:in|for|per)\s\d[\d.,]*\s?\w+)?"
    ),
)


def specs_of(facts: BriefFacts) -> list[str]:
    """Numbers with units and opening times the description and messaging give
    (“0–100 km/h in 3.9 s”, “80 % in 35 min”, “17:00–23:00”)."""
    return specs_in(f"{facts.description} {facts.messaging}")


def specs_in(text: str) -> list[str]:
    """Numbers with units and opening times in ``text``, in order, each once."""
    found = [m.group(0).strip() for pattern in _SPEC_PATTERNS for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))


def _required(facts: BriefFacts, wants: Sequence[str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if "offer_or_price" in wants and (facts.offer or facts.price):
        out.append(("offer" if facts.offer else "price", facts.offer or facts.price))
    if "offer" in wants and facts.offer:
        out.append(("offer", facts.offer))
    if "price" in wants and facts.price:
        out.append(("price", facts.price))
    if "event_date" in wants and facts.event.get("date"):
        out.append(("event date", facts.event["date"]))
    return out


def check_asset_facts(
    facts: BriefFacts, wants: Sequence[str], asset: str, texts: Sequence[CopyText]
) -> list[Violation]:
    """Rule (e) for one asset: every fact in ``wants`` (the kind's ``KindCopy.facts``) that the
    brief gives appears in one of its texts."""
    joined = " \n ".join(t.text for t in texts)
    out = []
    for label, fact in _required(facts, wants):
        if not fact_present(fact, joined) and not _date_in(fact, joined, label):
            out.append(
                Violation(
                    "fact_dropped",
                    fact,
                    "fact",
                    f"The {label} of the brief appears in no text of {asset}.",
                    asset,
                )
            )
    specs = specs_of(facts) if "spec" in wants else []
    if specs and not any(fact_present(s, joined) for s in specs):
        out.append(
            Violation(
                "fact_dropped",
                "; ".join(specs[:3]),
                "fact",
                f"None of the brief's numbers ({', '.join(specs[:3])}) appears in {asset}.",
                asset,
            )
        )
    return out


def _date_in(fact: str, text: str, label: str) -> bool:
    """A date counts in any written form: '2027-07-12', '12 July', 'Monday 12 July'."""
    if label != "event date":
        return False
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", fact.strip())
    if not match:
        return False
    day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    forms = (
        f"{day.day} {day:%B}",
        f"{day:%B} {day.day}",
        f"{day.day} {day:%b}",
        f"{day:%b} {day.day}",
    )
    lowered = text.lower()
    return any(form.lower() in lowered for form in forms)
