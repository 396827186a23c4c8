"""Downloads: each asset streamed from storage (with HTTP Range for video), or a project's zip.

Every URL checks the asset belongs to the viewer's workspace; another workspace's asset is 404.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from adloom.campaigns import service as campaigns
from adloom.projects import downloads
from adloom.projects import service as projects
from adloom.projects.models import Asset
from adloom.storage import Storage
from adloom.web.common import runtime, viewer_session

router = APIRouter(include_in_schema=False)


@router.get("/dashboard/assets/{asset_id}/download")
def download(request: Request, asset_id: str, inline: bool = False) -> Response:
    with viewer_session(request) as (session, viewer):
        found = downloads.find_download(session, asset_id, workspace_id=viewer.workspace_id)
    return downloads.stream_asset(runtime(request).storage, found, range_header=request.headers.get("range"),
                                  inline=inline)


def _zip_name(asset: Asset, name: str, used: set[str], prefix: str = "") -> str:
    """``[<prefix>]<role>/<download name>``, numbered when two files would share a name."""
    candidate, n = f"{prefix}{asset.role}/{name}", 1
    while candidate in used:
        n += 1
        candidate = f"{prefix}{asset.role}/{n}-{name}"
    used.add(candidate)
    return candidate


def _zip_stream(path: Path, folder: tempfile.TemporaryDirectory[str]) -> Iterator[bytes]:
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 16):
                yield chunk
    finally:
        folder.cleanup()


@router.get("/dashboard/projects/{project_id}/download.zip")
def download_zip(request: Request, project_id: str) -> Response:
    """Every current file of the project in one zip (written to a temporary file, then streamed)."""
    with viewer_session(request) as (session, viewer):
        project = projects.get_project_or_raise(session, project_id, workspace_id=viewer.workspace_id)
        found = [("", downloads.find_download(session, a.id, workspace_id=viewer.workspace_id))
                 for a in projects.current_assets(session, project.id)]
        title = project.title
    return _zip_response(runtime(request).storage, found, downloads.slug(title, 60) or "project")


@router.get("/dashboard/campaigns/{campaign_id}/download.zip")
def download_campaign_zip(request: Request, campaign_id: str) -> Response:
    """"Download all": every completed, unarchived project of the campaign, one folder each."""
    with viewer_session(request) as (session, viewer):
        campaign = campaigns.get_campaign_or_raise(session, campaign_id, workspace_id=viewer.workspace_id)
        found: list[tuple[str, downloads.Download]] = []
        folders: set[str] = set()
        for project in projects.list_projects(session, workspace_id=viewer.workspace_id, campaign_id=campaign.id,
                                              status="completed"):
            folder = _distinct(downloads.slug(project.title, 60) or project.id, folders)
            found += [(f"{folder}/", downloads.find_download(session, a.id, workspace_id=viewer.workspace_id))
                      for a in projects.current_assets(session, project.id)]
        name = downloads.slug(campaign.name, 60) or "campaign"
    return _zip_response(runtime(request).storage, found, name)


def _distinct(name: str, used: set[str]) -> str:
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}-{n}"
    used.add(candidate)
    return candidate


def _zip_response(storage: Storage, found: list[tuple[str, downloads.Download]], name: str) -> Response:
    """The files in one zip, written to a temporary file (removed once streamed)."""
    folder = tempfile.TemporaryDirectory(prefix="adloom-zip-")
    path = Path(folder.name) / "files.zip"
    used: set[str] = set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for prefix, item in found:
            with archive.open(_zip_name(item.asset, item.filename, used, prefix), "w") as target:
                for chunk in storage.open_stream(item.asset.storage_key):
                    target.write(chunk)
    headers = {"Content-Disposition": downloads.disposition(f"{name}.zip"), "Content-Length": str(path.stat().st_size)}
    return StreamingResponse(_zip_stream(path, folder), media_type="application/zip", headers=headers)
