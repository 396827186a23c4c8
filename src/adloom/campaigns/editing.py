"""Editing a campaign after creation: every field its brief set, under the brief's own rules.

One service for both faces (the dashboard's edit page and ``PATCH /api/v1/campaigns/{id}``): the
campaign as stored plus the changes is validated as a whole brief (``campaigns.brief``), so an
edit obeys exactly the rules of creation. Projects freeze a snapshot of the campaign when they
start, so an edit changes the next projects only; a change of pillars adds a strategy version.
Removed photos and logos stay in storage: earlier projects' snapshots still point at them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.brands.models import BrandKit
from adloom.campaigns.brief import Brief, validate_brief
from adloom.campaigns.models import Campaign, StrategyVersion
from adloom.campaigns.service import PILLARS, current_strategy, snapshot, update_strategy
from adloom.errors import ValidationError
from adloom.storage import Storage
from adloom.writer.base import Writer, WriterRequest

PRODUCT_FIELDS = ("name", "description", "url", "offer", "price")
CAMPAIGN_FIELDS = ("name", "language", "tone", "awareness_stage", "persuasion_trigger", "creative_style",
                   "business_type", "industry")
BRAND_FIELDS = ("name", "tagline", "tone")
MAX_PHOTOS = 10


@dataclass(frozen=True)
class NewFile:
    """An uploaded image, already validated (``adloom.uploads.validate_upload``)."""

    data: bytes
    suffix: str


@dataclass(frozen=True)
class CampaignEdit:
    """The changes to a campaign; an absent key (or ``None``) leaves that part as it is."""

    fields: Mapping[str, Any] = field(default_factory=dict)
    product: Mapping[str, Any] = field(default_factory=dict)
    photos: Sequence[str] | None = None  # the stored photos to keep, in their new order
    new_photos: Sequence[NewFile] = ()  # added after the kept ones, in the order given
    brand: Mapping[str, Any] = field(default_factory=dict)  # name, tagline, tone, colors (some of them)
    logo: NewFile | None = None
    remove_logo: bool = False
    strategy: Mapping[str, str] = field(default_factory=dict)


def update_campaign(session: Session, storage: Storage, campaign: Campaign, *, edit: CampaignEdit) -> Campaign:
    """Validate the edited campaign as a brief, store new files, then apply every change.

    Nothing is stored or changed when any field is invalid (InvalidBrief lists them all).
    """
    brand = session.get(BrandKit, campaign.brand_kit_id) if campaign.brand_kit_id else None
    kept = _kept_photos(campaign, edit)
    if len(kept) + len(edit.new_photos) > MAX_PHOTOS:
        raise ValidationError(f"A campaign holds at most {MAX_PHOTOS} photos; remove some before adding more.",
                              hint="Tick 'Remove' beside the photos you no longer need.")
    brief = validate_brief(_edited_brief(session, campaign, brand, edit), source="campaign")
    photos = [*kept, *(storage.put_bytes(f.data, suffix=f.suffix).key for f in edit.new_photos)]
    _apply_campaign(campaign, brief, edit, photos)
    _apply_brand(session, storage, campaign, brand, brief, edit)
    if edit.strategy:
        update_strategy(session, campaign, changes=dict(edit.strategy))
    session.flush()
    return campaign


def _kept_photos(campaign: Campaign, edit: CampaignEdit) -> list[str]:
    """The stored photos in their new order; only photos of this campaign may be named."""
    existing = [str(key) for key in campaign.product.get("photos") or []]
    if edit.photos is None:
        return existing
    unknown = [key for key in edit.photos if key not in existing]
    if unknown:
        raise ValidationError(f"'{unknown[0]}' is not one of this campaign's photos.",
                              hint="Name photos by the keys listed in the campaign's product.photos.")
    return list(dict.fromkeys(edit.photos))


def _edited_brief(session: Session, campaign: Campaign, brand: BrandKit | None,
                  edit: CampaignEdit) -> dict[str, Any]:
    """The campaign as stored, with the changes on top, as brief data."""
    product = {key: campaign.product.get(key) for key in PRODUCT_FIELDS}
    product.update({key: _blank_is_none(value) for key, value in edit.product.items()})
    colors = dict(brand.colors or {}) if brand else {}
    colors.update(edit.brand.get("colors") or {})
    current = current_strategy(session, campaign)
    data: dict[str, Any] = {key: getattr(campaign, key) for key in CAMPAIGN_FIELDS}
    data.update({key: value for key, value in edit.fields.items() if value is not None})
    data["product"] = {key: value for key, value in product.items() if value is not None}
    if edit.brand or edit.logo or edit.remove_logo:
        data["brand"] = {
            "name": edit.brand.get("name") or (brand.name if brand else None),
            "tagline": edit.brand.get("tagline", brand.tagline if brand else ""),
            "tone": edit.brand.get("tone", brand.tone if brand else ""),
            "colors": colors,
        }
    data["strategy"] = {p: edit.strategy.get(p, getattr(current, p)) for p in PILLARS}
    return data


def _blank_is_none(value: Any) -> Any:
    """An emptied optional field (offer, price, URL) is removed rather than kept as ''."""
    return None if isinstance(value, str) and not value.strip() else value


def _apply_campaign(campaign: Campaign, brief: Brief, edit: CampaignEdit, photos: list[str]) -> None:
    product = {**campaign.product, **brief.product.model_dump(exclude={"photos", "clips"}), "photos": photos}
    for category in ("industry", "business_type"):
        words = getattr(brief, f"{category}_words")
        # A person's own word ("pets") stays while its category stands; a new category replaces it.
        if words:
            product[f"{category}_words"] = words
        elif getattr(brief, category).value != getattr(campaign, category):
            product.pop(f"{category}_words", None)
    campaign.product = product
    campaign.name, campaign.language, campaign.tone = brief.name, brief.language, brief.tone
    for key in ("awareness_stage", "persuasion_trigger", "creative_style", "business_type", "industry"):
        setattr(campaign, key, getattr(brief, key).value)


def _apply_brand(session: Session, storage: Storage, campaign: Campaign, brand: BrandKit | None, brief: Brief,
                 edit: CampaignEdit) -> None:
    """Brand kit changes (shared by every campaign that uses the kit)."""
    if not (edit.brand or edit.logo or edit.remove_logo):
        return
    if brand is None:
        brand = BrandKit(workspace_id=campaign.workspace_id, name=brief.brand.name or brief.product.name)
        session.add(brand)
        session.flush()
        campaign.brand_kit_id = brand.id
    brand.name = brief.brand.name or brief.product.name
    brand.tagline, brand.tone = brief.brand.tagline, brief.brand.tone
    given = set((edit.brand.get("colors") or {}).keys())
    brand.colors = {**(brand.colors or {}), **{k: v for k, v in brief.brand.colors.model_dump().items() if k in given}}
    if edit.remove_logo:
        brand.logo_key = None
    if edit.logo is not None:
        brand.logo_key = storage.put_bytes(edit.logo.data, suffix=edit.logo.suffix).key


def empty_pillars(strategy: StrategyVersion) -> list[str]:
    return [pillar for pillar in PILLARS if not (getattr(strategy, pillar) or "").strip()]


def draft_strategy(session: Session, writer: Writer, campaign: Campaign, *,
                   only: str | None = None) -> StrategyVersion:
    """Fill the empty pillars (or only the empty pillar ``only``) with the writer's draft from
    the product facts (a new strategy version); pillars the person wrote are never replaced.
    Free: it only writes text."""
    current = current_strategy(session, campaign)
    missing = [pillar for pillar in empty_pillars(current) if only is None or pillar == only]
    if not missing:
        return current
    draft = writer.draft_strategy(strategy_request(session, campaign)).value
    return update_strategy(session, campaign, changes={pillar: getattr(draft, pillar) for pillar in missing})


def strategy_request(session: Session, campaign: Campaign) -> WriterRequest:
    """What the writer needs to draft a strategy: the campaign's product, brand and categories."""
    _version_id, snap = snapshot(session, campaign)
    product, brand, facts = snap["product"], snap["brand"], snap["campaign"]
    return WriterRequest(
        kind=registry.default_kind(), product_name=product.get("name", ""), product_description=product.get("description", ""),
        product_url=product.get("url"), offer=product.get("offer"), price=product.get("price"),
        brand_name=brand.get("name", ""), brand_tone=brand.get("tone") or facts.get("tone", ""),
        tagline=brand.get("tagline", ""), awareness_stage=facts["awareness_stage"],
        persuasion_trigger=facts["persuasion_trigger"], creative_style=facts["creative_style"],
        business_type=facts["business_type"], industry=facts["industry"], language=facts["language"],
        event=facts.get("event"), copy=registry.get(registry.default_kind()).copy,
    )
