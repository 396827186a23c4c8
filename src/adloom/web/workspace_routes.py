"""Workspace pages: credits (balance, holds, ledger, prices), brand kits and API keys."""

from __future__ import annotations

import re
import uuid

from fastapi import APIRouter, File, Form, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts import admin as credits_admin
from adloom.accounts import apikeys
from adloom.brands.models import BrandKit
from adloom.credits import service as credits
from adloom.errors import AdloomError, NotFoundError, ValidationError
from adloom.projects.models import Project
from adloom.web.common import price_labels, redirect, render, runtime, viewer_session
from adloom.web.deps import Editor, Owner
from adloom.web.uploads import check_image, form_file

router = APIRouter(include_in_schema=False)
COLOR_KEYS = ("primary", "secondary", "accent", "background", "text")
HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


@router.get("/dashboard/credits")
def credits_page(request: Request) -> Response:
    rt = runtime(request)
    with viewer_session(request) as (session, viewer):
        ledger = credits.list_ledger(session, workspace_id=viewer.workspace_id, limit=200)
        ids = {e.project_id for e in ledger if e.project_id}
        titles = dict(session.execute(select(Project.id, Project.title).where(
            Project.id.in_(ids), Project.workspace_id == viewer.workspace_id)).all()) if ids else {}
        return render(request, "workspace/credits.html", {
            "viewer": viewer, "balance": credits.get_balance(session, workspace_id=viewer.workspace_id),
            "ledger": ledger, "titles": titles,
            "prices": rt.prices_for(session, viewer.workspace_id), "price_labels": price_labels(),
            **_grant_form(session, rt.settings.is_admin(viewer.email))})


def _grant_form(session: Session, is_admin: bool) -> dict[str, object]:
    """What the administrator's grant form needs (nothing for everyone else)."""
    if not is_admin:
        return {"is_admin": False}
    return {"is_admin": True, "workspaces": credits_admin.list_workspaces(session), "grant_key": uuid.uuid4().hex}


@router.post("/dashboard/credits/grant")
def grant_credits(request: Request, amount: int = Form(...), workspace_id: str = Form(...), note: str = Form(""),
                  grant_key: str = Form("")) -> Response:
    """An instance administrator adds credits to a workspace (403 for everyone else)."""
    rt = runtime(request)
    with viewer_session(request) as (session, viewer):
        credits_admin.admin_grant(session, rt.settings, admin_email=viewer.email, workspace_id=workspace_id,
                                  amount=amount, note=note, key=grant_key[:64] or uuid.uuid4().hex)
    return redirect(request, "/dashboard/credits")


def _brand_or_404(session: Session, workspace_id: str, brand_id: str) -> BrandKit:
    brand = session.get(BrandKit, brand_id)
    if brand is None or brand.workspace_id != workspace_id:
        raise NotFoundError(f"There is no brand kit '{brand_id}' in this workspace.")
    return brand


@router.get("/dashboard/brands")
def brands_page(request: Request) -> Response:
    with viewer_session(request) as (session, viewer):
        brands = list(session.scalars(select(BrandKit).where(BrandKit.workspace_id == viewer.workspace_id)
                                      .order_by(BrandKit.created_at.desc())))
        return render(request, "workspace/brands.html", {"viewer": viewer, "brands": brands, "color_keys": COLOR_KEYS})


@router.get("/dashboard/brands/{brand_id}")
def brand_page(request: Request, brand_id: str) -> Response:
    with viewer_session(request) as (session, viewer):
        brand = _brand_or_404(session, viewer.workspace_id, brand_id)
        return render(request, "workspace/brand.html",
                      {"viewer": viewer, "brand": brand, "color_keys": COLOR_KEYS, "error": None, "saved": False})


@router.post("/dashboard/brands/{brand_id}")
async def brand_save(request: Request, viewer: Editor, brand_id: str) -> Response:
    form = await request.form()
    rt = runtime(request)
    with runtime(request).db.session() as session:
        brand = _brand_or_404(session, viewer.workspace_id, brand_id)
        try:
            _apply_brand(brand, {k: v for k, v in form.items() if isinstance(v, str)})
            logo = form_file(form, "logo")
            if logo is not None:
                checked = check_image(logo, rt.settings.max_upload_mb)
                brand.logo_key = rt.storage.put_bytes(checked.data, suffix=checked.suffix).key
        except AdloomError as exc:
            session.rollback()
            return render(request, "workspace/brand.html", {"viewer": viewer, "brand": brand,
                          "color_keys": COLOR_KEYS, "error": exc, "saved": False}, status_code=exc.status)
        return render(request, "workspace/brand.html",
                      {"viewer": viewer, "brand": brand, "color_keys": COLOR_KEYS, "error": None, "saved": True})


def _apply_brand(brand: BrandKit, form: dict[str, str]) -> None:
    colors = dict(brand.colors or {})
    for key in COLOR_KEYS:
        value = form.get(key, "").strip()
        if value:
            if not HEX.match(value):
                raise ValidationError(f"The {key} colour '{value}' is not a #RRGGBB colour.")
            colors[key] = value
    name = form.get("name", brand.name).strip()
    if not name or len(name) > 200:
        raise ValidationError("A brand kit needs a name of 1 to 200 characters.")
    brand.name, brand.colors = name, colors
    brand.tagline = form.get("tagline", brand.tagline).strip()[:300]
    brand.tone = form.get("tone", brand.tone).strip()[:5000]
    brand.heading_font = form.get("heading_font", brand.heading_font).strip()[:100] or brand.heading_font
    brand.body_font = form.get("body_font", brand.body_font).strip()[:100] or brand.body_font


@router.get("/dashboard/brands/{brand_id}/logo")
def brand_logo(request: Request, brand_id: str) -> Response:
    with viewer_session(request) as (session, viewer):
        brand = _brand_or_404(session, viewer.workspace_id, brand_id)
        key = brand.logo_key
    if not key:
        raise NotFoundError("This brand kit has no logo yet.")
    storage = runtime(request).storage
    media = "image/png" if key.endswith(".png") else "image/jpeg" if key.endswith((".jpg", ".jpeg")) else "image/webp"
    return StreamingResponse(storage.open_stream(key), media_type=media,
                             headers={"Cache-Control": "private, max-age=3600", "X-Content-Type-Options": "nosniff"})


@router.get("/dashboard/api-keys")
def keys_page(request: Request) -> Response:
    with viewer_session(request) as (session, viewer):
        keys = apikeys.list_api_keys(session, workspace_id=viewer.workspace_id)
        return render(request, "workspace/api_keys.html", {"viewer": viewer, "keys": keys, "secret": None,
                                                            "error": None})


@router.post("/dashboard/api-keys")
def create_key(request: Request, viewer: Owner, name: str = Form(""), scopes: str = Form("read,write")) -> Response:
    with runtime(request).db.session() as session:
        error, secret = None, None
        try:
            if not name.strip():
                raise ValidationError("Give the key a name, e.g. 'Zapier' or 'CI', so you know where it is used.")
            _key, secret = apikeys.create_api_key(session, workspace_id=viewer.workspace_id, name=name, scopes=scopes)
        except AdloomError as exc:
            error = exc
        keys = apikeys.list_api_keys(session, workspace_id=viewer.workspace_id)
        return render(request, "workspace/api_keys.html", {"viewer": viewer, "keys": keys, "secret": secret,
                                                            "error": error}, headers={"Cache-Control": "no-store"})


@router.post("/dashboard/api-keys/{key_id}/revoke")
def revoke_key(request: Request, viewer: Owner, key_id: str) -> Response:
    with runtime(request).db.session() as session:
        apikeys.revoke_api_key(session, workspace_id=viewer.workspace_id, key_id=key_id)
    return redirect(request, "/dashboard/api-keys")


__all__ = ["File", "router"]
