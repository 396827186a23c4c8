"""Read models for the dashboard: the Campaign Hub and the project lists, in a few queries.

The hub must stay fast with hundreds of projects, so it never walks projects one by one: one
query for the projects, one for their current assets, one for the credits each spent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.labels import label
from adloom.pipeline.states import ACTIVE
from adloom.projects.models import Asset, Project, Step
from adloom.render.fonts import resolve_font


def font_label(family: str) -> str:
    """The font the renderers draw with for a brand font: "Manrope" or "Manrope (for Inter)"
    when the brand names a family Adloom does not ship (render/fonts.py picks the nearest)."""
    choice = resolve_font(family)
    return f"{choice.family} (for {family})" if choice.fallback else choice.family


def fonts_label(heading: str, body: str) -> str:
    """Heading and body fonts as the renderers use them, said once when they are the same."""
    shown = [font_label(heading), font_label(body)]
    return shown[0] if shown[0] == shown[1] else f"{shown[0]} headings / {shown[1]} text"


PREVIEW_ROLES = ("final", "preview", "poster", "contact_sheet", "sonic_logo", "image")
MAX_TILE_MEDIA = 4
PREVIEW_MEDIA = ("video/", "image/", "audio/")  # media-type families the hub can preview


@dataclass(frozen=True)
class AssetView:
    id: str
    role: str
    label: str
    name: str
    media_type: str
    width: int | None
    height: int | None
    duration: float | None
    bytes: int
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def provenance(self) -> list[str]:
        """What made this file (models, voices, SoundFonts, fonts) and their licences."""
        return provenance_lines(self.meta)

    @property
    def family(self) -> str:
        return self.media_type.split("/", 1)[0]

    @property
    def previewable(self) -> bool:
        """A picture, a film or a sound (a media type a page can show or play)."""
        return self.media_type.startswith(PREVIEW_MEDIA)


@dataclass
class ProjectView:
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
        shown = [a for a in self.assets if a.previewable]
        shown.sort(key=lambda a: (_role_rank(a.role), a.label, a.name))
        seen: set[tuple[str, str]] = set()
        out = []
        for asset in shown:
            if (asset.family, asset.label) in seen:
                continue
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
        return sorted(self.assets, key=lambda a: (_role_rank(a.role), a.label, a.name))


PROVENANCE_WORDS = ("licen", "model", "voice", "soundfont", "font", "generator", "provider", "dataset", "synth",
                    "name", "source")


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


def current_assets_by_project(
    session: Session, project_ids: list[str]
) -> dict[str, list[AssetView]]:
    """The assets of each project's latest successful step per stage, in one query."""
    if not project_ids:
        return {}
    rows = session.execute(
        select(
            Asset.id,
            Asset.project_id,
            Asset.role,
            Asset.label,
            Asset.name,
            Asset.media_type,
            Asset.width,
            Asset.height,
            Asset.duration,
            Asset.bytes,
            Step.name,
            Step.attempt,
        )
        .join(Step, Step.id == Asset.step_id)
        .where(Asset.project_id.in_(project_ids), Step.status == "succeeded")
    ).all()
    latest: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row[1], row[10])
        latest[key] = max(latest.get(key, 0), row[11])
    grouped: dict[str, list[AssetView]] = defaultdict(list)
    for row in rows:
        if latest[(row[1], row[10])] == row[11]:
            grouped[row[1]].append(
                AssetView(row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9])
            )
    return grouped


def credits_by_project(session: Session, project_ids: list[str]) -> dict[str, int]:
    if not project_ids:
        return {}
    rows = session.execute(
        select(Step.project_id, func.coalesce(func.sum(Step.credits), 0))
        .where(Step.project_id.in_(project_ids))
        .group_by(Step.project_id)
    ).all()
    return {row[0]: int(row[1]) for row in rows}


def project_views(session: Session, projects: list[Project]) -> list[ProjectView]:
    ids = [p.id for p in projects]
    assets = current_assets_by_project(session, ids)
    spent = credits_by_project(session, ids)
    return [ProjectView(p, assets.get(p.id, []), spent.get(p.id, 0)) for p in projects]


def campaign_projects(session: Session, *, workspace_id: str, campaign_id: str) -> list[Project]:
    stmt = (
        select(Project)
        .where(Project.workspace_id == workspace_id, Project.campaign_id == campaign_id)
        .order_by(Project.created_at.desc())
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class KindGroup:
    kind: str
    total: int
    views: list[ProjectView]

    @property
    def more(self) -> int:
        return self.total - len(self.views)


def _campaign_filter(workspace_id: str, campaign_id: str) -> Any:
    return (Project.workspace_id == workspace_id) & (Project.campaign_id == campaign_id)


@dataclass(frozen=True)
class HubProjects:
    groups: list[KindGroup]
    active: bool  # any project of the campaign is running


def kind_groups(session: Session, *, workspace_id: str, campaign_id: str, per_kind: int) -> HubProjects:
    """The latest ``per_kind`` projects of each kind (with their assets), each kind's total, and
    whether any project of the campaign is running — in three queries whatever the project count."""
    where = _campaign_filter(workspace_id, campaign_id)
    rank = func.row_number().over(partition_by=Project.kind, order_by=Project.created_at.desc()).label("rank")
    total = func.count().over(partition_by=Project.kind).label("total")
    running = func.sum(case((Project.status.in_(ACTIVE), 1), else_=0)).over().label("running")
    ranked = select(Project.id, rank, total, Project.kind, running).where(where).subquery()
    rows = session.execute(select(ranked.c.id, ranked.c.total, ranked.c.kind, ranked.c.running)
                           .where(ranked.c.rank <= per_kind)).all()
    totals = {row[2]: int(row[1]) for row in rows}
    wanted = [row[0] for row in rows]
    latest = list(session.scalars(select(Project).where(Project.id.in_(wanted)).order_by(Project.created_at.desc())))
    views = project_views(session, latest)
    known = registry.kinds()
    order = [k for k in known if k in totals] + sorted(k for k in totals if k not in known)
    groups = [KindGroup(kind, totals[kind], [v for v in views if v.project.kind == kind]) for kind in order]
    return HubProjects(groups, any(int(row[3] or 0) > 0 for row in rows))


def kind_page(session: Session, *, workspace_id: str, campaign_id: str, kind: str, offset: int) -> list[ProjectView]:
    """The projects of one kind after the first ``offset`` (the hub's "show all")."""
    stmt = (select(Project).where(_campaign_filter(workspace_id, campaign_id), Project.kind == kind)
            .order_by(Project.created_at.desc()).offset(offset))
    return project_views(session, list(session.scalars(stmt)))


def any_active(projects: list[Project]) -> bool:
    return any(p.status in ACTIVE for p in projects)


def option_summary(project: Project) -> dict[str, Any]:
    """What an A/B comparison shows for one project: stage, style, trigger, length, formats."""
    snap = project.snapshot.get("campaign", {}) if project.snapshot else {}
    opts = project.options or {}
    return {
        "stage": opts.get("awareness_stage") or snap.get("awareness_stage", ""),
        "style": opts.get("creative_style") or snap.get("creative_style", ""),
        "trigger": opts.get("persuasion_trigger") or snap.get("persuasion_trigger", ""),
        "length": f"{opts['length']} s" if opts.get("length") else "—",
        "formats": ", ".join(label(str(f), project.kind) for f in (opts.get("formats") or opts.get("sizes") or [])[:6])
        or "—",
        "strategy_version": (project.snapshot or {}).get("strategy", {}).get("version"),
        "messaging": (project.snapshot or {}).get("strategy", {}).get("messaging", ""),
    }


def format_of(project: Project) -> str:
    spec = registry.find(project.kind)
    return spec.summary(project.options or {}) if spec else ""
