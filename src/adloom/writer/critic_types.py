"""The copy critic's data: the brief's facts, the texts it checks and the violations it finds."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from adloom.writer.critic_words import norm, sentences_of

RULES: Mapping[str, str] = {
    "cut": "text cut mid-phrase",
    "event_words": "event words without an event",
    "cta_mismatch": "call to action that contradicts the goal or the business",
    "invented_claim": "claim, badge, scarcity or proof the brief does not support",
    "fact_dropped": "a fact of the brief missing from an asset that should carry it",
    "targeting_quoted": "targeting notes read to the viewer",
    "grammar": "grammar seam",
    "symbol_lost": "a symbol or accent of the brief lost",
    "same_idea": "ideas that are one idea",
}


@dataclass(frozen=True)
class BriefFacts:
    """What the critic knows of the campaign: the brief's own words, field by field."""

    product_name: str
    description: str = ""
    offer: str = ""
    price: str = ""
    url: str = ""
    brand_name: str = ""
    tagline: str = ""
    audience: str = ""
    messaging: str = ""
    goals: str = ""
    business_type: str = "other"
    industry: str = "other"
    event: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_event(self) -> bool:
        return bool(self.event.get("title") or self.event.get("date"))

    @property
    def claims_text(self) -> str:
        """Every field a claim may be grounded in (the audience pillar is not a claim)."""
        parts = (
            self.product_name,
            self.description,
            self.offer,
            self.price,
            self.brand_name,
            self.tagline,
            self.messaging,
            self.goals,
            *self.event.values(),
        )
        return " \n ".join(p for p in parts if p)

    @property
    def all_text(self) -> str:
        return f"{self.claims_text} \n {self.audience}"

    @property
    def source_phrases(self) -> tuple[str, ...]:
        """Brief fields and their sentences: the strings a text may quote but not truncate."""
        return _source_phrases(
            (
                self.product_name,
                self.description,
                self.offer,
                self.price,
                self.brand_name,
                self.tagline,
                self.messaging,
                self.goals,
                *self.event.values(),
            )
        )


@functools.lru_cache(maxsize=64)
def _source_phrases(fields: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for value in fields:
        if value:
            out += [value, *sentences_of(value)]
    return tuple(out)


@functools.lru_cache(maxsize=64)
def normed_sources(sources: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((source, norm(source)) for source in sources)


@dataclass(frozen=True)
class CopyText:
    """One text the project shows or speaks. ``asset`` groups the texts of one deliverable
    (a banner variant, the flyer, the video) for the per-asset fact check."""

    role: str  # headline, subhead, cta, caption, voiceover, badge, tagline, lyric, body, hook...
    text: str
    where: str = ""
    asset: str = ""


@dataclass(frozen=True)
class Violation:
    rule: str
    text: str
    role: str
    message: str
    where: str = ""

    def as_warning(self) -> str:
        place = f" ({self.where})" if self.where else ""
        return f"{RULES.get(self.rule, self.rule)}{place}: {self.message} — “{self.text}”"


def facts_from_request(req: Any) -> BriefFacts:
    """BriefFacts from a :class:`~adloom.writer.base.WriterRequest` (or anything shaped like it)."""
    event = {k: str(v) for k, v in (req.event or {}).items() if v}
    return BriefFacts(
        product_name=req.product_name,
        description=req.product_description,
        offer=req.offer or "",
        price=req.price or "",
        url=req.product_url or "",
        brand_name=req.brand_name,
        tagline=req.tagline,
        audience=req.audience,
        messaging=req.messaging,
        goals=req.goals,
        business_type=req.business_type,
        industry=req.industry,
        event=event,
    )


def facts_from_snapshot(snapshot: Mapping[str, Any]) -> BriefFacts:
    """BriefFacts from a project's campaign snapshot (for text the user edited)."""
    product, brand, strategy, campaign = (
        snapshot.get(k) or {} for k in ("product", "brand", "strategy", "campaign")
    )
    event = {k: str(v) for k, v in (campaign.get("event") or {}).items() if v}
    return BriefFacts(
        product_name=product.get("name", ""),
        description=product.get("description", ""),
        offer=product.get("offer") or "",
        price=product.get("price") or "",
        url=product.get("url") or "",
        brand_name=brand.get("name", ""),
        tagline=brand.get("tagline", ""),
        audience=strategy.get("audience", ""),
        messaging=strategy.get("messaging", ""),
        goals=strategy.get("goals", ""),
        business_type=campaign.get("business_type", "other"),
        industry=campaign.get("industry", "other"),
        event=event,
    )
