"""What a downloaded file is called, and how it is streamed, for the dashboard and the API alike.

A person who downloads a campaign's banners gets ``saltmarsh-banner-300x250-v1.png`` and
``saltmarsh-banner-728x90-v1.png``, never two ``v0.png`` — the name says whose it is, what kind,
which format and which variant. Downloads honour a single HTTP ``Range`` (video players seek with
it); anything else gets the whole file, as RFC 9110 allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response, StreamingResponse

from adloom.campaigns.models import Campaign
from adloom.errors import AssetNotFound, ValidationError
from adloom.projects.models import Asset, Project
from adloom.storage import Storage

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
VARIANT = re.compile(r"^v(\d+)$")


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


@dataclass(frozen=True)
class Download:
    """An asset of the viewer's workspace and the name it is downloaded under."""

    asset: Asset
    filename: str


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single byte range asked for, None for the whole file; 416 when unsatisfiable."""
    if not header:
        return None
    match = RANGE.match(header.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return None  # multi-range or malformed: send the whole file
    first, last = match.group(1), match.group(2)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:
        start, end = max(size - int(last), 0), size - 1
        if int(last) == 0:
            start = size
    if start >= size or start > end:
        raise RangeNotSatisfiable(f"The requested range {header[:40]} is outside the file ({size} bytes).",
                                  size=size)
    return ByteRange(start, end)


class Named(Protocol):
    """What a download name is made of: an :class:`Asset` row or its read-model view."""

    @property
    def name(self) -> str | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def role(self) -> str: ...


def slug(text: str, limit: int = 48) -> str:
    """Words joined by hyphens; letters of any script and their accents are kept."""
    words = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text)).strip("-_")
    return words[:limit].rstrip("-_")


def download_name(asset: Named, *, campaign: str, kind: str) -> str:
    """``<campaign>-<kind>-<format>-<variant>.<ext>``, leaving out the parts the asset lacks.

    ``v0`` (how generators number variants) becomes ``v1`` for people, and a ``final`` that copies
    a variant is called ``final``; a label already in the
    file name is not repeated ("northbound-300x250.zip" stays itself after the prefix).
    """
    path = PurePosixPath(asset.name or "file")
    stem, ext = path.stem, re.sub(r"[^\w.]", "", path.suffix.lower())
    variant = VARIANT.match(stem)
    label = slug(asset.label or "")
    parts = [slug(campaign) or "campaign", kind]
    if label and label.lower() not in slug(stem).lower():
        parts.append(label)
    elif not label and asset.role not in ("final", "image", stem):
        parts.append(slug(asset.role))
    if variant and asset.role == "final":
        parts.append("final")  # the chosen variant, a copy of one vN: not under that vN's name
    else:
        parts.append(f"v{int(variant.group(1)) + 1}" if variant else slug(stem))
    name = "-".join(part for part in parts if part)
    return f"{name}{ext}" if ext else name


def find_download(session: Session, asset_id: str, *, workspace_id: str) -> Download:
    """The workspace's asset and its download name; another workspace's asset is not found."""
    asset = session.get(Asset, asset_id)
    if asset is None or asset.workspace_id != workspace_id:
        raise AssetNotFound(f"There is no file '{asset_id[:40]}' in this workspace.")
    project = session.get(Project, asset.project_id)
    campaign = session.get(Campaign, project.campaign_id) if project else None
    name = download_name(asset, campaign=campaign.name if campaign else "adloom",
                         kind=project.kind if project else "asset")
    return Download(asset, name)


def disposition(name: str, *, inline: bool = False) -> str:
    """Content-Disposition with an ASCII fallback and the exact UTF-8 name (RFC 6266)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain or 'download'}\"; filename*=UTF-8''{quote(name)}"


def stream_asset(storage: Storage, download: Download, *, range_header: str | None,
                 inline: bool = False) -> Response:
    """The file, whole (200) or the asked range (206); 416 with ``Content-Range: */size``."""
    asset = download.asset
    size = storage.size(asset.storage_key)
    headers = {"Accept-Ranges": "bytes", "Content-Disposition": disposition(download.filename, inline=inline),
               "Cache-Control": "private, max-age=3600", "ETag": f'"{asset.checksum}"',
               "X-Content-Type-Options": "nosniff"}
    try:
        wanted = parse_range(range_header, size)
    except RangeNotSatisfiable as exc:
        return JSONResponse({"error": exc.to_dict()}, status_code=416,
                            headers={"Content-Range": f"bytes */{size}"})
    if wanted is None:
        headers["Content-Length"] = str(size)
        body: Iterator[bytes] = storage.open_stream(asset.storage_key) if size else iter(())
        return StreamingResponse(body, media_type=asset.media_type, headers=headers)
    headers["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{size}"
    headers["Content-Length"] = str(wanted.length)
    body = storage.open_stream(asset.storage_key, start=wanted.start, end=wanted.end)
    return StreamingResponse(body, status_code=206, media_type=asset.media_type, headers=headers)
