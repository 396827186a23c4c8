"""Downloads: each asset streamed from storage (with HTTP Range for video), or a project's zip.

Every URL checks the asset belongs to the viewer's workspace; another workspace's asset is 404.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from adloom.errors import AssetNotFound, ValidationError
from adloom.projects import service as projects
from adloom.projects.models import Asset
from adloom.storage import Storage
from adloom.web.common import runtime, viewer_session

router = APIRouter(include_in_schema=False)
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class RangeNotSatisfiable(ValidationError):
    status = 416
    code = "range_not_satisfiable"


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range asked for, None for the whole file; 416 when unsatisfiable."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # multi-range or malformed: send the whole file, as RFC 9110 allows
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
    if start >= size or start > end:
        raise RangeNotSatisfiable(f"The requested range {header} is outside the file ({size} bytes).")
    return ByteRange(start, end)


def disposition(name: str, inline: bool) -> str:
    ascii_name = name.encode("ascii", "ignore").decode() or "download"
    ascii_name = ascii_name.replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def stream_asset(request: Request, storage: Storage, asset: Asset, *, inline: bool) -> Response:
    size = storage.size(asset.storage_key)
    headers = {"Accept-Ranges": "bytes", "Content-Disposition": disposition(asset.name, inline),
               "Cache-Control": "private, max-age=3600", "ETag": f'"{asset.checksum}"',
               "X-Content-Type-Options": "nosniff"}
    try:
        wanted = parse_range(request.headers.get("range"), size)
    except RangeNotSatisfiable:
        return Response(status_code=416, headers={"Content-Range": f"bytes */{size}"})
    if wanted is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(storage.open_stream(asset.storage_key), media_type=asset.media_type, headers=headers)
    headers["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    headers["Content-Length"] = str(wanted.length)
    body = storage.open_stream(asset.storage_key, start=wanted.start, end=wanted.end)
    return StreamingResponse(body, status_code=206, media_type=asset.media_type, headers=headers)


@router.get("/dashboard/assets/{asset_id}/download")
def download(request: Request, asset_id: str, inline: bool = False) -> Response:
    with viewer_session(request) as (session, viewer):
        asset = session.get(Asset, asset_id)
        if asset is None or asset.workspace_id != viewer.workspace_id:
            raise AssetNotFound(f"There is no file '{asset_id}' in this workspace.")
    return stream_asset(request, runtime(request).storage, asset, inline=inline)


def _zip_name(asset: Asset, used: set[str]) -> str:
    folder = asset.role + (f"/{asset.label}" if asset.label else "")
    name = f"{folder}/{asset.name}"
    n = 1
    while name in used:
        n += 1
        name = f"{folder}/{n}-{asset.name}"
    used.add(name)
    return name


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
    storage = runtime(request).storage
    with viewer_session(request) as (session, viewer):
        project = projects.get_project_or_raise(session, project_id, workspace_id=viewer.workspace_id)
        assets = projects.current_assets(session, project.id)
        title = project.title
    folder = tempfile.TemporaryDirectory(prefix="adloom-zip-")
    path = Path(folder.name) / "project.zip"
    used: set[str] = set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for asset in assets:
            with archive.open(_zip_name(asset, used), "w") as target:
                for chunk in storage.open_stream(asset.storage_key):
                    target.write(chunk)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", title).strip("-")[:60] or "project"
    headers = {"Content-Disposition": disposition(f"{safe}.zip", False), "Content-Length": str(path.stat().st_size)}
    return StreamingResponse(_zip_stream(path, folder), media_type="application/zip", headers=headers)
