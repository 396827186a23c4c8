"""The Campaign Hub's and the project lists' queries, in a few queries whatever the project count.

The hub must stay fast with hundreds of projects, so it never walks projects one by one: one
query for the projects, then the shared read model (:mod:`adloom.projects.views`: one query for
their current assets, one for the credits each spent). Archived projects are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.labels import label
from adloom.projects.models import Project
from adloom.projects.states import ACTIVE
from adloom.projects.views import ProjectView, project_views
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
    return ((Project.workspace_id == workspace_id) & (Project.campaign_id == campaign_id)
            & Project.archived_at.is_(None))


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
