"""Campaign editing: the edit page (every field of the brief, photos, logo) and "Draft my strategy".

Thin: the form becomes a :class:`~adloom.campaigns.editing.CampaignEdit` (web/intake.py) and the
campaign service validates and applies it, exactly as ``PATCH /api/v1/campaigns/{id}`` does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from adloom.brands.models import BrandKit
from adloom.campaigns import editing
from adloom.campaigns import service as campaigns
from adloom.campaigns.models import Campaign
from adloom.errors import AdloomError, ValidationError
from adloom.web.auth import Viewer
from adloom.web.campaign_routes import choices
from adloom.web.common import redirect, render, runtime
from adloom.web.deps import Editor
from adloom.web.intake import PhotoChoices, edit_from_form
from adloom.web.uploads import check_image, form_file, form_files

router = APIRouter(include_in_schema=False)


def form_of(session: Session, campaign: Campaign) -> dict[str, Any]:
    """The edit form's values: the campaign as it is now."""
    brand = session.get(BrandKit, campaign.brand_kit_id) if campaign.brand_kit_id else None
    strategy = campaigns.current_strategy(session, campaign)
    product = campaign.product or {}
    colors = dict(brand.colors or {}) if brand else {}
    return {
        "name": campaign.name, "product_name": product.get("name", ""),
        **{key: product.get(key) or "" for key in ("description", "url", "offer", "price")},
        **{pillar: getattr(strategy, pillar) for pillar in campaigns.PILLARS},
        **{key: getattr(campaign, key) for key in
           ("awareness_stage", "persuasion_trigger", "creative_style", "business_type", "industry")},
        "tone": (brand.tone if brand and brand.tone else campaign.tone) or "",
        "brand_name": brand.name if brand else "", "tagline": brand.tagline if brand else "",
        "primary": colors.get("primary", ""), "accent": colors.get("accent", ""),
    }


def _page(request: Request, session: Session, viewer: Viewer, campaign: Campaign, *,
          form: dict[str, Any] | None = None, error: AdloomError | None = None, status_code: int = 200) -> Response:
    brand = session.get(BrandKit, campaign.brand_kit_id) if campaign.brand_kit_id else None
    return render(request, "campaigns/edit.html", {
        "viewer": viewer, "campaign": campaign, "brand": brand, "choices": choices(),
        "form": form if form is not None else form_of(session, campaign), "error": error,
        "photos": list(campaign.product.get("photos") or [])}, status_code=status_code)


@router.get("/dashboard/campaigns/{campaign_id}/edit")
def edit_page(request: Request, viewer: Editor, campaign_id: str) -> Response:
    with runtime(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        return _page(request, session, viewer, campaign)


@router.post("/dashboard/campaigns/{campaign_id}/edit")
async def edit_save(request: Request, viewer: Editor, campaign_id: str) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    rt = runtime(request)
    with runtime(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        try:
            photos = [check_image(f, rt.settings.max_upload_mb) for f in form_files(form, "photos")]
            logo_file = form_file(form, "logo")
            logo = check_image(logo_file, rt.settings.max_upload_mb) if logo_file else None
            texts = {name: [v for v in form.getlist(name) if isinstance(v, str)]
                     for name in ("photo", "photo_position", "remove_photo")}
            edit = edit_from_form(fields, PhotoChoices(texts["photo"], texts["photo_position"], texts["remove_photo"]),
                                  photos, logo, remove_logo=bool(fields.get("remove_logo")))
            editing.update_campaign(session, rt.storage, campaign, edit=edit)
        except AdloomError as exc:
            session.rollback()
            campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
            return _page(request, session, viewer, campaign, form={**form_of(session, campaign), **fields},
                         error=exc, status_code=exc.status)
    return redirect(request, f"/dashboard/campaigns/{campaign_id}")


@router.post("/dashboard/campaigns/{campaign_id}/strategy/draft")
def draft_strategy(request: Request, viewer: Editor, campaign_id: str, pillar: str = Form("")) -> Response:
    """Fill the empty pillars (or the one ``pillar`` named) from the product facts (free; the
    person edits the draft after)."""
    if pillar and pillar not in campaigns.PILLARS:
        raise ValidationError(f"'{pillar}' is not a pillar; use audience, messaging or goals.")
    rt = runtime(request)
    with runtime(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        editing.draft_strategy(session, rt.writer, campaign, only=pillar or None)
    return redirect(request, f"/dashboard/campaigns/{campaign_id}#" + (f"pillar-{pillar}" if pillar else "strategy-title"))
