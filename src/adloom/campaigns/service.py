"""Campaigns: create from a brief, list, show, edit the strategy pillars (versioned)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.brands.models import BrandKit
from adloom.campaigns.brief import ParsedBrief, category_warnings
from adloom.campaigns.models import Campaign, StrategyVersion
from adloom.errors import CampaignNotFound, ValidationError
from adloom.render.footage import thumbnail_jpeg
from adloom.storage import Storage

PILLARS = ("audience", "messaging", "goals")


def create_campaign_from_brief(
    session: Session, storage: Storage, *, workspace_id: str, parsed: ParsedBrief
) -> Campaign:
    """Store the brief's photos and logo, then create the brand kit, campaign and strategy v1."""
    brief = parsed.brief
    photo_keys = [storage.put_file(path).key for path in parsed.photos]
    clip_keys = [storage.put_file(path).key for path in parsed.clips]
    logo_key = storage.put_file(parsed.logo).key if parsed.logo else None
    brand = BrandKit(
        workspace_id=workspace_id,
        name=brief.brand.name or brief.product.name,
        logo_key=logo_key,
        colors=brief.brand.colors.model_dump(),
        heading_font=brief.brand.fonts.heading,
        body_font=brief.brand.fonts.body,
        tone=brief.brand.tone or brief.tone,
        tagline=brief.brand.tagline,
        voice=brief.brand.voice,
    )
    session.add(brand)
    session.flush()
    campaign = Campaign(
        workspace_id=workspace_id,
        brand_kit_id=brand.id,
        name=brief.name,
        language=brief.language,
        product={**brief.product.model_dump(exclude={"photos", "clips"}), "photos": photo_keys,
                 **({"clips": clip_keys} if clip_keys else {}), **_own_words(brief)},
        event=brief.event.model_dump() if brief.event else None,
        awareness_stage=brief.awareness_stage.value,
        persuasion_trigger=brief.persuasion_trigger.value,
        business_type=brief.business_type.value,
        industry=brief.industry.value,
        creative_style=brief.creative_style.value,
        tone=brief.tone or brief.brand.tone,
        assets_wanted=list(brief.assets),
        strategy_version=1,
    )
    session.add(campaign)
    session.flush()
    session.add(StrategyVersion(campaign_id=campaign.id, version=1, **brief.strategy.model_dump()))
    session.flush()
    return campaign


def get_campaign_or_raise(session: Session, campaign_id: str, *, workspace_id: str) -> Campaign:
    """A campaign of this workspace; another workspace's campaign is 'not found'."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.workspace_id != workspace_id:
        raise CampaignNotFound(
            f"There is no campaign '{campaign_id}' in this workspace.",
            hint="List campaigns with 'adloom campaign list'.",
        )
    return campaign


def list_campaigns(session: Session, *, workspace_id: str, include_archived: bool = False) -> list[Campaign]:
    stmt = select(Campaign).where(Campaign.workspace_id == workspace_id)
    if not include_archived:
        stmt = stmt.where(Campaign.archived_at.is_(None))
    return list(session.scalars(stmt.order_by(Campaign.created_at.desc())))


def current_strategy(session: Session, campaign: Campaign) -> StrategyVersion:
    version = session.scalars(
        select(StrategyVersion).where(
            StrategyVersion.campaign_id == campaign.id, StrategyVersion.version == campaign.strategy_version
        )
    ).one()
    return version


def update_strategy(session: Session, campaign: Campaign, *, changes: dict[str, str]) -> StrategyVersion:
    """Edit pillars: a new immutable version; earlier projects keep the version they used."""
    unknown = set(changes) - set(PILLARS)
    if unknown:
        raise ValidationError(f"Unknown pillar(s): {', '.join(sorted(unknown))}; use audience, messaging or goals.")
    current = current_strategy(session, campaign)
    values = {pillar: getattr(current, pillar) for pillar in PILLARS}
    values.update({k: v.strip() for k, v in changes.items()})
    for pillar, text in values.items():
        if len(text) > 5000:
            raise ValidationError(f"The {pillar} pillar is too long ({len(text)} characters; the limit is 5000).")
    if all(values[p] == getattr(current, p) for p in PILLARS):
        return current
    latest = session.scalar(select(func.max(StrategyVersion.version)).where(StrategyVersion.campaign_id == campaign.id))
    version = StrategyVersion(campaign_id=campaign.id, version=int(latest or 0) + 1, **values)
    session.add(version)
    campaign.strategy_version = version.version
    session.flush()
    return version


def _own_words(brief: Any) -> dict[str, str]:
    """The brief's own words for its industry and business (when outside the lists)."""
    words = {"industry_words": brief.industry_words, "business_type_words": brief.business_type_words}
    return {key: value for key, value in words.items() if value}


def campaign_warnings(campaign: Campaign) -> list[str]:
    """What the person should know about how their brief was read (own words filed under a category)."""
    product = campaign.product or {}
    return category_warnings(campaign.industry, str(product.get("industry_words") or ""),
                             campaign.business_type, str(product.get("business_type_words") or ""))


def snapshot(session: Session, campaign: Campaign) -> tuple[str, dict[str, Any]]:
    """(strategy version id, everything a generation needs from the campaign, frozen)."""
    strategy = current_strategy(session, campaign)
    brand = session.get(BrandKit, campaign.brand_kit_id) if campaign.brand_kit_id else None
    data = {
        "campaign": {
            "id": campaign.id,
            "name": campaign.name,
            "language": campaign.language,
            "awareness_stage": campaign.awareness_stage,
            "persuasion_trigger": campaign.persuasion_trigger,
            "business_type": campaign.business_type,
            "industry": campaign.industry,
            "creative_style": campaign.creative_style,
            "tone": campaign.tone,
            "event": campaign.event,
        },
        "product": dict(campaign.product),
        "brand": {
            "name": brand.name if brand else campaign.product.get("name", ""),
            "colors": dict(brand.colors) if brand else {},
            "heading_font": brand.heading_font if brand else "Inter",
            "body_font": brand.body_font if brand else "Inter",
            "tone": brand.tone if brand else campaign.tone,
            "tagline": brand.tagline if brand else "",
            "voice": brand.voice if brand else "",
            "logo_key": brand.logo_key if brand else None,
        },
        "strategy": {
            "version": strategy.version,
            "audience": strategy.audience,
            "messaging": strategy.messaging,
            "goals": strategy.goals,
        },
    }
    return strategy.id, data


def clip_thumbnail(storage: Storage, key: str) -> bytes:
    """A JPEG of one frame of a stored clip (a remote store's clip is copied down first)."""
    local = storage.local_path(key)
    if local is not None:
        return thumbnail_jpeg(local)
    with tempfile.TemporaryDirectory(prefix="adloom-clip-") as tmp:
        path = Path(tmp) / Path(key).name
        with path.open("wb") as handle:
            for chunk in storage.open_stream(key):
                handle.write(chunk)
        return thumbnail_jpeg(path)
