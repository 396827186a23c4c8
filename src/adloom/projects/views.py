"""The read model of a project as shown: its current assets, the credits it spent, what to preview.

One definition, read by every face — the CLI's ``project_dict``, the API's ``project_out``, the
Campaign Hub, My Videos and the Studio — so they cannot disagree about which files are current
or what a project cost. It works on a batch of projects in two queries (current assets, credits)
whatever their number, because the hub and My Videos show hundreds at once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from adloom.projects.models import Asset, Project, Step

PREVIEW_ROLES = ("final", "preview", "poster", "contact_sheet", "sonic_logo", "image")
MAX_TILE_MEDIA = 4
PROVENANCE_WORDS = ("licen", "model", "voice", "soundfont", "font", "generator", "provider", "dataset", "synth",
                    "name", "source")

PREVIEW_MEDIA = ("video/", "image/", "audio/")  # media-type families a page can show or play


@dataclass(frozen=True)
class AssetView:
    """One current file of a project (the columns of :class:`Asset`, detached from the session)."""

    id: str
    project_id: str
    step_id: str
    role: str
    label: str
    name: str
    media_type: str
    width: int | None
    height: int | None
    duration: float | None
    bytes: int
    checksum: str
    storage_key: str
    created_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def provenance(self) -> list[str]:
        """What made this file (models, voices, SoundFonts, fonts) and their licences."""
        return provenance_lines(self.meta)

    @property
    def family(self) -> str:
        return self.media_type.split("/", 1)[0]


ASSET_COLUMNS = (Asset.id, Asset.project_id, Asset.step_id, Asset.role, Asset.label, Asset.name, Asset.media_type,
                 Asset.width, Asset.height, Asset.duration, Asset.bytes, Asset.checksum, Asset.storage_key,
                 Asset.created_at, Asset.meta)


@dataclass
class ProjectView:
    """A project with its current assets and the credits it spent, plus what a tile previews."""

    project: Project
    assets: list[AssetView] = field(default_factory=list)
    credits: int = 0
    _media: list[AssetView] | None = field(default=None, repr=False)

    @property
    def media(self) -> list[AssetView]:
        """The assets worth previewing: finals first, one per label, visual/audible only."""
        if self._media is None:
            self._media = self._pick_media()
        return self._media

    def _pick_media(self) -> list[AssetView]:
        shown = sorted((a for a in self.assets if a.media_type.startswith(PREVIEW_MEDIA)), key=_preview_order)
        seen: set[tuple[str, str]] = set()
        out = []
        for asset in shown:
            if (asset.family, asset.label) not in seen:
                seen.add((asset.family, asset.label))
                out.append(asset)
        return out[:MAX_TILE_MEDIA]

    @property
    def hero(self) -> AssetView | None:
        media = self.media
        return media[0] if media else None

    @property
    def thumb(self) -> AssetView | None:
        """A still image for lists: a poster, preview or the final image."""
        return next((a for a in self.media if a.family == "image"), None)

    @property
    def downloads(self) -> list[AssetView]:
        return sorted(self.assets, key=_preview_order)


def provenance_lines(meta: Any, prefix: str = "", limit: int = 8) -> list[str]:
    """``key: value`` lines for the provenance fields of an asset's meta (nested dicts flattened)."""
    lines: list[str] = []
    if not isinstance(meta, dict):
        return lines
    for key, value in meta.items():
        name = f"{prefix}{key}".replace("_", " ")
        if isinstance(value, dict):
            lines += provenance_lines(value, f"{name} · ", limit)
        elif isinstance(value, str | int | float) and any(w in str(key).lower() for w in PROVENANCE_WORDS):
            lines.append(f"{name}: {value}"[:160])
    return lines[:limit]


def _role_rank(role: str) -> int:
    return PREVIEW_ROLES.index(role) if role in PREVIEW_ROLES else len(PREVIEW_ROLES)


def _preview_order(asset: AssetView) -> tuple[int, str, str]:
    return _role_rank(asset.role), asset.label, asset.name


def current_assets_by_project(session: Session, project_ids: list[str]) -> dict[str, list[AssetView]]:
    """The assets of each stage's latest successful step (older attempts are history), oldest
    first, for many projects in one query."""
    if not project_ids:
        return {}
    latest = (
        select(Step.project_id, Step.name, func.max(Step.attempt).label("attempt"))
        .where(Step.project_id.in_(project_ids), Step.status == "succeeded")
        .group_by(Step.project_id, Step.name)
        .subquery()
    )
    rows = session.execute(
        select(*ASSET_COLUMNS)
        .join(Step, Step.id == Asset.step_id)
        .join(latest, and_(latest.c.project_id == Step.project_id, latest.c.name == Step.name,
                           latest.c.attempt == Step.attempt))
        .where(Step.status == "succeeded")
        .order_by(Asset.created_at, Asset.id)
    ).all()
    grouped: dict[str, list[AssetView]] = defaultdict(list)
    for row in rows:
        grouped[row.project_id].append(AssetView(**{**row._asdict(), "meta": dict(row.meta or {})}))
    return grouped


def credits_by_project(session: Session, project_ids: list[str]) -> dict[str, int]:
    """Credits each project's steps captured (a failed or cancelled step captured nothing)."""
    if not project_ids:
        return {}
    rows = session.execute(
        select(Step.project_id, func.coalesce(func.sum(Step.credits), 0))
        .where(Step.project_id.in_(project_ids))
        .group_by(Step.project_id)
    ).all()
    return {row[0]: int(row[1]) for row in rows}


def project_views(session: Session, projects: list[Project]) -> list[ProjectView]:
    """Each project as shown, in the order given, in two queries."""
    ids = [p.id for p in projects]
    assets = current_assets_by_project(session, ids)
    spent = credits_by_project(session, ids)
    return [ProjectView(p, assets.get(p.id, []), spent.get(p.id, 0)) for p in projects]


def project_view(session: Session, project: Project) -> ProjectView:
    """One project as shown."""
    return project_views(session, [project])[0]
