"""Campaigns: list, create (form or uploaded brief), archive, the Campaign Hub and A/B compare."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.brands.models import BrandKit
from adloom.campaigns import service as campaigns
from adloom.campaigns.brief import BusinessType, Industry, ParsedBrief
from adloom.campaigns.editing import empty_pillars
from adloom.campaigns.models import Campaign
from adloom.campaigns.service import clip_thumbnail
from adloom.clip_uploads import ClipLimits
from adloom.db import utcnow
from adloom.errors import AdloomError, AssetNotFound, ValidationError
from adloom.projects.ideas import chosen_idea
from adloom.projects.models import Project
from adloom.projects.views import project_views
from adloom.web import hub
from adloom.web.auth import Viewer, require_editor
from adloom.web.common import redirect, render, runtime, viewer_session
from adloom.web.deps import Editor
from adloom.web.intake import parse_form_brief, parse_uploaded_brief, scratch_dir
from adloom.web.uploads import (
    CheckedUpload,
    check_brief,
    check_clip,
    check_image,
    form_file,
    form_files,
    is_clip,
    present,
)
from adloom.writer.schemas import AwarenessStage, CreativeStyle, PersuasionTrigger

router = APIRouter(include_in_schema=False)
HUB_TILES_PER_KIND = 8
PILLAR_TITLES = {"audience": "Audience", "messaging": "Messaging", "goals": "Goals"}
PILLAR_HELP = {
    "audience": "Who they are, their struggle, the outcome they want, where they see the ad.",
    "messaging": "The single core takeaway: benefit, differentiator or hook.",
    "goals": "Cold traffic, retargeting, repeat purchase, event sign-ups…",
}


def choices() -> dict[str, list[str]]:
    return {
        "awareness_stage": [s.value for s in AwarenessStage],
        "persuasion_trigger": [s.value for s in PersuasionTrigger],
        "creative_style": [s.value for s in CreativeStyle],
        "business_type": [s.value for s in BusinessType],
        "industry": [s.value for s in Industry],
    }


@router.get("/dashboard")
def campaigns_page(request: Request, archived: bool = False) -> Response:
    with viewer_session(request) as (session, viewer):
        items = campaigns.list_campaigns(session, workspace_id=viewer.workspace_id, include_archived=archived)
        if archived:
            items = [c for c in items if c.archived_at is not None]
        counts = _project_counts(session, [c.id for c in items])
        return render(request, "campaigns/list.html",
                      {"viewer": viewer, "campaigns": items, "counts": counts, "archived": archived})


def _project_counts(session: Session, ids: list[str]) -> dict[str, int]:
    if not ids:
        return {}
    rows = session.execute(
        select(Project.campaign_id, func.count()).where(Project.campaign_id.in_(ids)).group_by(Project.campaign_id))
    return {row[0]: int(row[1]) for row in rows}


@router.get("/dashboard/campaigns/new")
def new_campaign_page(request: Request, viewer: Editor) -> Response:
    return render(request, "campaigns/new.html",
                  {"viewer": viewer, "choices": choices(), "form": {}, "error": None, "tab": "upload"})


def _store(request: Request, viewer: Viewer, parsed: ParsedBrief) -> str:
    rt = runtime(request)
    with rt.db.session() as session:
        campaign = campaigns.create_campaign_from_brief(session, rt.storage, workspace_id=viewer.workspace_id,
                                                        parsed=parsed)
        return campaign.id


def clip_limits(request: Request) -> ClipLimits:
    settings = runtime(request).settings
    return ClipLimits.of(settings.max_clip_mb, settings.max_clip_seconds)


@router.post("/dashboard/campaigns/upload")
def upload_brief(request: Request, viewer: Editor, brief: Annotated[UploadFile | None, File()] = None,
                 images: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    max_mb = runtime(request).settings.max_upload_mb
    try:
        if not present(brief):
            raise ValidationError("Choose a brief file (.yaml or .toml) to upload.")
        assert brief is not None
        checked = check_brief(brief, max_mb)
        chosen = [upload for upload in (images or []) if present(upload)]
        pictures = [check_image(upload, max_mb) for upload in chosen if not is_clip(upload)]
        limits = clip_limits(request)
        with scratch_dir() as tmp:
            clips = [check_clip(upload, limits, Path(tmp) / "clips") for upload in chosen if is_clip(upload)]
            parsed = parse_uploaded_brief(checked, pictures, Path(tmp), clips, limits)
            campaign_id = _store(request, viewer, parsed)
    except AdloomError as exc:
        return render(request, "campaigns/new.html", {"viewer": viewer, "choices": choices(), "form": {},
                                                      "error": exc, "tab": "upload"}, status_code=exc.status)
    return redirect(request, f"/dashboard/campaigns/{campaign_id}")


@router.post("/dashboard/campaigns")
async def create_from_form(request: Request, viewer: Editor) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    rt = runtime(request)
    try:
        photos = [check_image(f, rt.settings.max_upload_mb) for f in form_files(form, "photos")]
        logo_file = form_file(form, "logo")
        logo: CheckedUpload | None = check_image(logo_file, rt.settings.max_upload_mb) if logo_file else None
        limits = clip_limits(request)
        with scratch_dir() as tmp:
            clips = [check_clip(f, limits, Path(tmp) / "clips") for f in form_files(form, "clips")]
            parsed = parse_form_brief(fields, photos, logo, Path(tmp), clips, limits)
            campaign_id = _store(request, viewer, parsed)
    except AdloomError as exc:
        return render(request, "campaigns/new.html", {"viewer": viewer, "choices": choices(), "form": fields,
                                                      "error": exc, "tab": "form"}, status_code=exc.status)
    return redirect(request, f"/dashboard/campaigns/{campaign_id}")


@router.post("/dashboard/campaigns/{campaign_id}/archive")
def archive(request: Request, viewer: Editor, campaign_id: str, restore: str = Form("")) -> Response:
    with runtime(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        campaign.archived_at = None if restore else utcnow()
    return redirect(request, "/dashboard" if not restore else f"/dashboard/campaigns/{campaign_id}")


def hub_context(session: Session, viewer: Viewer, campaign: Campaign) -> dict[str, object]:
    strategy = campaigns.current_strategy(session, campaign)
    found = hub.kind_groups(session, workspace_id=viewer.workspace_id, campaign_id=campaign.id,
                            per_kind=HUB_TILES_PER_KIND)
    brand = session.get(BrandKit, campaign.brand_kit_id) if campaign.brand_kit_id else None
    return {
        "viewer": viewer, "campaign": campaign, "strategy": strategy, "brand": brand,
        "groups": found.groups, "kinds": registry.kinds(), "active": found.active,
        "pillars": PILLAR_TITLES, "pillar_help": PILLAR_HELP, "summary": hub.option_summary,
        "format_of": hub.format_of, "warnings": campaigns.campaign_warnings(campaign),
        "fonts": hub.fonts_label(brand.heading_font, brand.body_font) if brand else "",
        "empty_pillars": empty_pillars(strategy),
    }


@router.get("/dashboard/campaigns/{campaign_id}")
def campaign_hub(request: Request, campaign_id: str) -> Response:
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        return render(request, "campaigns/hub.html", hub_context(session, viewer, campaign))


def _pillar(request: Request, campaign_id: str, name: str, *, editing: bool, error: AdloomError | None = None,
            draft: str | None = None, status_code: int = 200) -> Response:
    if name not in PILLAR_TITLES:
        raise ValidationError(f"'{name}' is not a pillar; use audience, messaging or goals.")
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        if editing:
            require_editor(viewer)
        strategy = campaigns.current_strategy(session, campaign)
        return render(request, "campaigns/_pillar.html", {
            "viewer": viewer, "campaign": campaign, "strategy": strategy, "name": name, "editing": editing,
            "title": PILLAR_TITLES[name], "help": PILLAR_HELP[name], "error": error, "oob": True,
            "empty_pillars": empty_pillars(strategy),
            "text": draft if draft is not None else getattr(strategy, name)}, status_code=status_code)


@router.get("/dashboard/campaigns/{campaign_id}/pillars/{name}")
def pillar_view(request: Request, campaign_id: str, name: str, edit: bool = False) -> Response:
    return _pillar(request, campaign_id, name, editing=edit)


@router.post("/dashboard/campaigns/{campaign_id}/pillars/{name}")
def pillar_save(request: Request, viewer: Editor, campaign_id: str, name: str, text: str = Form("")) -> Response:
    try:
        with runtime(request).db.session() as session:
            campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
            if name not in PILLAR_TITLES:
                raise ValidationError(f"'{name}' is not a pillar; use audience, messaging or goals.")
            campaigns.update_strategy(session, campaign, changes={name: text})
    except ValidationError as exc:
        return _pillar(request, campaign_id, name, editing=True, error=exc, draft=text, status_code=200)
    return _pillar(request, campaign_id, name, editing=False)


@router.get("/dashboard/campaigns/{campaign_id}/compare")
def compare(request: Request, campaign_id: str, p: Annotated[list[str] | None, Query()] = None) -> Response:
    p = p or []
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        projects = [x for x in hub.campaign_projects(session, workspace_id=viewer.workspace_id,
                                                     campaign_id=campaign.id) if x.id in set(p)]
        if len(projects) < 2:
            raise ValidationError("Pick two or more projects of this campaign to compare.",
                                  hint="Tick the boxes next to the projects in the Campaign Hub, then Compare.")
        views = project_views(session, projects[:4])
        used = {v.project.id: chosen_idea(session, v.project.id) for v in views}
        return render(request, "campaigns/compare.html", {"viewer": viewer, "campaign": campaign, "views": views,
                                                          "summary": hub.option_summary, "format_of": hub.format_of,
                                                          "ideas_used": used})


@router.get("/dashboard/campaigns/{campaign_id}/clip/{index}/thumb.jpg")
def campaign_clip_thumb(request: Request, campaign_id: str, index: int) -> Response:
    """A JPEG of one frame of the campaign's clip ``index`` (the Hub's preview of it)."""
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        clips = list(campaign.product.get("clips") or [])
    if not 0 <= index < len(clips):
        raise AssetNotFound("This campaign has no such video clip.")
    data = clip_thumbnail(runtime(request).storage, str(clips[index]))
    return Response(data, media_type="image/jpeg",
                    headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/dashboard/campaigns/{campaign_id}/photo/{index}")
def campaign_photo(request: Request, campaign_id: str, index: int) -> Response:
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        photos = list(campaign.product.get("photos") or [])
    if not 0 <= index < len(photos):
        raise AssetNotFound("This campaign has no such photo.")
    key = str(photos[index])
    media = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp"}
    media_type = media.get(Path(key).suffix.lower(), "application/octet-stream")
    return StreamingResponse(runtime(request).storage.open_stream(key), media_type=media_type,
                             headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/dashboard/campaigns/{campaign_id}/assets")
def hub_assets(request: Request, campaign_id: str) -> Response:
    """The hub's assets section alone (refreshed while projects run, and on live status events)."""
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        return render(request, "campaigns/_assets.html", hub_context(session, viewer, campaign))


MAX_OFFSET = 2**31 - 1


@router.get("/dashboard/campaigns/{campaign_id}/assets/{kind}")
def more_tiles(request: Request, campaign_id: str, kind: str, offset: int = HUB_TILES_PER_KIND) -> Response:
    """The rest of one kind's projects, swapped in place of the hub's "Show all" button."""
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        # Clamped: an offset past what SQL integers hold (1e20) would crash the query, and any
        # offset past the last project simply shows no more tiles.
        views = hub.kind_page(session, workspace_id=viewer.workspace_id, campaign_id=campaign.id, kind=kind,
                              offset=min(max(0, offset), MAX_OFFSET))
        return render(request, "campaigns/_tiles.html", {"viewer": viewer, "campaign": campaign, "views": views,
                                                         "format_of": hub.format_of})
