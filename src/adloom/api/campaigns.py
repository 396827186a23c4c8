"""Campaigns: create (JSON brief or YAML/TOML upload), list, read, update, archive; strategy pillars."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from adloom.brands.models import BrandKit
from adloom.campaigns import brief as briefs
from adloom.campaigns import editing
from adloom.campaigns import service as campaigns
from adloom.campaigns.brief import Brief
from adloom.clip_uploads import ClipLimits, looks_like_video, validate_clip_upload
from adloom.db import utcnow
from adloom.errors import InvalidBrief, NotFoundError
from adloom.uploads import validate_upload

from . import schemas as s
from .auth import Principal, Reader, Writer, runtime_of
from .errors import error_responses
from .idempotency import request_hash, run_once
from .views import campaign_out, dump, strategy_out

router = APIRouter(tags=["campaigns"], responses=error_responses())
IdemKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", max_length=255, description="Makes the create safe to retry."),
]

BRIEF_BODY = {
    "requestBody": {
        "required": True,
        "description": "A brief file: YAML or TOML text, or multipart with `brief` (the file) and `files` "
        "(photos, video clips and logo it references by name).",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/toml": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "brief": {"type": "string", "format": "binary"},
                        "files": {
                            "type": "array",
                            "maxItems": 19,
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                    "required": ["brief"],
                }
            },
        },
    }
}


def nul_problems(value: Any, loc: str = "") -> list[tuple[str, str]]:
    """Where a NUL character hides in brief data (paths and the database both refuse them)."""
    if isinstance(value, str):
        return [(loc or "(file)", "contains a NUL character")] if "\x00" in value else []
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nul_problems(v, f"{loc}.{k}" if loc else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in nul_problems(v, f"{loc}[{i}]")]
    return []


def _create(
    request: Request,
    principal: Principal,
    data: dict[str, Any],
    files: dict[str, bytes | Path],
    source: str,
) -> tuple[int, Any]:
    rt = runtime_of(request)
    if problems := nul_problems(data):
        raise InvalidBrief(problems)
    with tempfile.TemporaryDirectory(prefix="adloom-brief-") as tmp:
        folder = Path(tmp) / "brief"
        folder.mkdir()
        for name, content in files.items():
            if isinstance(content, Path):  # a clip, already checked and written to disk
                shutil.copyfile(content, folder / name)
            else:
                (folder / name).write_bytes(content)
        limits = ClipLimits.of(rt.settings.max_clip_mb, rt.settings.max_clip_seconds)
        parsed = briefs.parse_brief_data(data, base=folder, root=folder, clip_limits=limits)
        with rt.db.session() as session:
            campaign = campaigns.create_campaign_from_brief(
                session, rt.storage, workspace_id=principal.workspace_id, parsed=parsed
            )
            return 201, dump(campaign_out(session, campaign))


@router.post(
    "/campaigns",
    status_code=201,
    response_model=s.CampaignOut,
    summary="Create a campaign from a JSON brief",
)
def create_campaign(
    request: Request, body: Brief, principal: Writer, idempotency_key: IdemKey = None
) -> Response:
    data = body.model_dump(mode="json", exclude_none=True)
    return run_once(
        runtime_of(request),
        workspace_id=principal.workspace_id,
        key=idempotency_key,
        method="POST",
        path="/campaigns",
        payload=data,
        action=lambda: _create(request, principal, data, {}, "brief.json"),
    )


def _safe_name(name: str | None) -> str:
    base = Path(name or "file").name.strip().replace("\x00", "")
    return base if base not in ("", ".", "..") else "file"


async def _read_upload(request: Request, scratch: Path) -> tuple[str, str, dict[str, bytes | Path], bytes]:
    """(brief text, source name, attached files, raw bytes for the idempotency hash). Video
    clips are checked into ``scratch`` (too large to hold in memory); other files are images."""
    content_type = request.headers.get("content-type", "")
    settings = runtime_of(request).settings
    limit = settings.max_upload_mb * 1024 * 1024
    clip_limits = ClipLimits.of(settings.max_clip_mb, settings.max_clip_seconds)
    if content_type.startswith("multipart/form-data"):
        try:
            form = await request.form(max_files=20, max_fields=20, max_part_size=limit)
        except StarletteHTTPException as exc:  # malformed multipart, too many parts
            raise InvalidBrief([("(upload)", str(exc.detail))]) from None
        brief = form.get("brief")
        if not isinstance(brief, UploadFile):
            raise InvalidBrief([("brief", "attach the brief file in a form field named 'brief'")])
        # Every part is checked from its content (type, size, pixels, polyglots) before use.
        checked = validate_upload(brief.filename or "brief.yaml", brief.file, kind="brief", max_bytes=limit)
        text_bytes = checked.data
        files: dict[str, bytes | Path] = {}
        digests: dict[str, bytes] = {}
        for item in form.getlist("files"):
            if not isinstance(item, UploadFile):
                continue
            head = item.file.read(64)
            item.file.seek(0)
            if looks_like_video(item.filename or "", head):
                video = await run_in_threadpool(validate_clip_upload, item.filename or "clip.mp4", item.file,
                                                folder=scratch, limits=clip_limits)
                files[video.filename], digests[video.filename] = video.path, video.checksum.encode()
            else:
                image = validate_upload(item.filename or "photo", item.file, kind="image", max_bytes=limit)
                files[image.filename] = digests[image.filename] = image.data
        source = checked.filename
        raw = text_bytes + b"".join(k.encode() + v for k, v in sorted(digests.items()))
    else:
        text_bytes = await request.body()
        files, raw = {}, text_bytes
        source = "brief.toml" if "toml" in content_type else "brief.yaml"
    if len(raw) > limit:
        raise InvalidBrief([("(file)", f"is larger than {limit // (1024 * 1024)} MB")])
    try:
        return text_bytes.decode("utf-8"), source, files, raw
    except UnicodeDecodeError:
        raise InvalidBrief([("(file)", "is not UTF-8 text")]) from None


@router.post(
    "/campaigns/brief",
    status_code=201,
    response_model=s.CampaignOut,
    openapi_extra=BRIEF_BODY,
    summary="Create a campaign from a YAML/TOML brief file",
)
async def upload_brief(
    request: Request, principal: Writer, idempotency_key: IdemKey = None
) -> Response:
    with tempfile.TemporaryDirectory(prefix="adloom-clips-") as scratch:
        return await _upload_brief(request, principal, idempotency_key, Path(scratch))


async def _upload_brief(request: Request, principal: Principal, idempotency_key: str | None,
                        scratch: Path) -> Response:
    text, source, files, raw = await _read_upload(request, scratch)

    def work() -> Response:
        data = briefs.load_data(text, source=source)
        return run_once(
            runtime_of(request),
            workspace_id=principal.workspace_id,
            key=idempotency_key,
            method="POST",
            path="/campaigns/brief",
            payload=request_hash("", "", raw).encode(),
            action=lambda: _create(request, principal, data, files, source),
        )

    return await run_in_threadpool(work)


@router.get("/campaigns", response_model=list[s.CampaignOut], summary="List campaigns")
def list_campaigns(request: Request, principal: Reader, include_archived: bool = False) -> Any:
    with runtime_of(request).db.session() as session:
        rows = campaigns.list_campaigns(
            session, workspace_id=principal.workspace_id, include_archived=include_archived
        )
        return [campaign_out(session, c) for c in rows]


@router.get("/campaigns/{campaign_id}", response_model=s.CampaignOut, summary="Read a campaign")
def get_campaign(request: Request, campaign_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        return campaign_out(
            session,
            campaigns.get_campaign_or_raise(
                session, campaign_id, workspace_id=principal.workspace_id
            ),
        )


@router.patch("/campaigns/{campaign_id}", response_model=s.CampaignOut, summary="Update a campaign")
def update_campaign(
    request: Request, campaign_id: str, body: s.CampaignUpdate, principal: Writer
) -> Any:
    with runtime_of(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(
            session, campaign_id, workspace_id=principal.workspace_id
        )
        changes = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")
        brand_kit_id = changes.pop("brand_kit_id", None)
        if brand_kit_id is not None:
            brand = session.get(BrandKit, brand_kit_id)
            if brand is None or brand.workspace_id != principal.workspace_id:
                raise NotFoundError(f"There is no brand kit '{brand_kit_id}' in this workspace.")
            campaign.brand_kit_id = brand_kit_id
        product = changes.pop("product", {})
        photos = product.pop("photos", None)
        edit = editing.CampaignEdit(fields=changes, product=product, photos=photos)
        editing.update_campaign(session, runtime_of(request).storage, campaign, edit=edit)
        return campaign_out(session, campaign)


@router.delete("/campaigns/{campaign_id}", status_code=204, summary="Archive a campaign")
def archive_campaign(request: Request, campaign_id: str, principal: Writer) -> Response:
    with runtime_of(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(
            session, campaign_id, workspace_id=principal.workspace_id
        )
        campaign.archived_at = campaign.archived_at or utcnow()
    return Response(status_code=204)


@router.get(
    "/campaigns/{campaign_id}/strategy",
    response_model=s.StrategyOut,
    summary="Read the strategy pillars",
)
def get_strategy(request: Request, campaign_id: str, principal: Reader) -> Any:
    with runtime_of(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(
            session, campaign_id, workspace_id=principal.workspace_id
        )
        return strategy_out(campaigns.current_strategy(session, campaign))


@router.patch(
    "/campaigns/{campaign_id}/strategy",
    response_model=s.StrategyOut,
    summary="Edit strategy pillars (adds a version; earlier projects keep theirs)",
)
def update_strategy(
    request: Request, campaign_id: str, body: s.StrategyUpdate, principal: Writer
) -> Any:
    with runtime_of(request).db.session() as session:
        campaign = campaigns.get_campaign_or_raise(
            session, campaign_id, workspace_id=principal.workspace_id
        )
        changes = body.model_dump(exclude_none=True)
        return strategy_out(campaigns.update_strategy(session, campaign, changes=changes))


__all__ = ["JSONResponse", "Query", "router"]
