"""Draft the three strategy pillars from a product (free): a starting point the user edits."""

from __future__ import annotations

from collections.abc import Mapping

from adloom.writer.base import WriterRequest
from adloom.writer.context import KNOWN_NAMES, parse_description
from adloom.writer.schemas import StrategyDraft
from adloom.writer.text import (
    cap,
    clean,
    fit_chars,
    lower_first,
    sentence,
    sentences,
    strip_end,
    words,
)

WHO_BY_INDUSTRY: Mapping[str, tuple[str, str, str]] = {
    # industry -> (who, struggle, outcome). "Who" never contains "who": the draft reads
    # "<who> who <struggle>", which the phrase extractor splits at the first "who".
    "food_beverage": (
        "food lovers short on time",
        "settle for whatever is quick",
        "something good that fits a busy day",
    ),
    "tech_saas": (
        "founders and small teams",
        "juggle scattered tools and spreadsheets",
        "one clear place to plan and get work done",
    ),
    "fashion": (
        "style-minded shoppers",
        "buy pieces that do not last",
        "clothes they love wearing for years",
    ),
    "beauty": (
        "people serious about their skincare",
        "try product after product",
        "a simple routine that works",
    ),
    "health_wellness": (
        "health-conscious adults",
        "struggle to stay consistent",
        "a routine they can keep",
    ),
    "fitness": (
        "people getting back into shape",
        "lose motivation after a few weeks",
        "steady progress they can see",
    ),
    "education": (
        "adults learning new skills",
        "run out of time to study",
        "lessons that fit their week",
    ),
    "finance": (
        "people managing their own money",
        "lose track of where the money goes",
        "a clear picture of their finances",
    ),
    "home": (
        "people making their home work better",
        "put up with things that almost work",
        "a home that works the way they live",
    ),
    "travel": ("frequent travellers", "spend hours planning trips", "trips that just work"),
}
PLATFORM_BY_BUSINESS: Mapping[str, str] = {
    "saas": "LinkedIn and search",
    "b2b": "LinkedIn and search",
    "agency": "LinkedIn",
    "ecommerce_brand": "Instagram and TikTok",
    "retail": "Instagram and Facebook",
    "local_business": "Facebook, Instagram and Google Maps",
    "restaurant": "Instagram and Google Maps",
    "creator": "TikTok, Instagram and YouTube",
    "nonprofit": "Facebook and Instagram",
}
GOAL_BY_BUSINESS: Mapping[str, str] = {
    "saas": "Free-trial sign-ups from cold traffic; success is a started trial.",
    "b2b": "Qualified leads; success is a booked demo.",
    "ecommerce_brand": "Cold traffic to the product page; success is a first purchase.",
    "retail": "Footfall and online orders; success is a purchase.",
    "local_business": "Local awareness and bookings; success is a booking.",
    "restaurant": "Bookings and orders; success is a table booked.",
}


def draft_strategy(req: WriterRequest) -> StrategyDraft:
    """Audience (who, struggle, outcome, where), Messaging (one takeaway), Goals."""
    name = clean(req.product_name) or "The product"
    description = clean(req.product_description)
    keep = frozenset({*KNOWN_NAMES, *words(name)})
    category, qualities, facts = parse_description(description, keep)
    who, struggle, outcome = WHO_BY_INDUSTRY.get(
        req.industry,
        (
            f"people looking for {category}" if category else "people looking for something better",
            "waste time on options that fall short",
            "something that simply works",
        ),
    )
    where = PLATFORM_BY_BUSINESS.get(req.business_type, "Instagram and Facebook")
    audience = f"{cap(who)} who {struggle}. They want {outcome}. They will see the ad on {where}."
    messaging = _messaging(name, category, qualities, facts, description)
    return StrategyDraft(audience=audience, messaging=messaging, goals=_goals(req))


def _messaging(
    name: str, category: str, qualities: list[str], facts: list[str], description: str
) -> str:
    first = (sentences(description) or [""])[0]
    if 6 <= len(first.split()) <= 25:
        return sentence(first)  # the owner's own first line is usually the best takeaway
    lead = cap(category) if category else name
    detail = lower_first(strip_end(facts[0])) if facts else ", ".join(qualities[:3])
    text = f"{lead}, {detail}" if detail else f"{lead}, made to make your day easier"
    return sentence(fit_chars(text, 160))


def _goals(req: WriterRequest) -> str:
    offer = clean(req.offer).lower()
    if req.event:
        return "Event sign-ups; success is a registration."
    if "subscri" in offer or "trial" in offer:
        return "Cold traffic to the offer page; success is a trial subscription."
    return GOAL_BY_BUSINESS.get(
        req.business_type, "Cold traffic to the landing page; success is a first purchase."
    )
