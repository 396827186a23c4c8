"""My Videos: every project of the workspace with its status, progress and the action that fits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from adloom.assets import registry
from adloom.campaigns.models import Campaign
from adloom.projects import service as projects
from adloom.projects.models import Project
from adloom.projects.states import ACTIVE, STAGES, STATUSES
from adloom.projects.views import project_views
from adloom.web import hub
from adloom.web.common import render, viewer_session

router = APIRouter(include_in_schema=False)
ACTIVE_INDEX = {stage.active: index for index, stage in enumerate(STAGES)}


def overall_progress(project: Project) -> int:
    """Percent done across the whole pipeline (stage reached plus progress inside it)."""
    if project.status == "completed":
        return 100
    index = ACTIVE_INDEX.get(project.status)
    if index is None:
        return 0
    return round(100 * (index + max(0.0, min(1.0, project.progress))) / len(STAGES))


def action_for(project: Project) -> str:
    """continue | view | download | retry — the main action My Videos offers for a status."""
    if project.status == "failed":
        return "retry"
    if project.status == "completed":
        return "download"
    if project.status in ACTIVE or project.status == "cancelled":
        return "view"
    return "continue"


def videos_context(session: Any, viewer: Any, kind: str, status: str, archived: bool = False) -> dict[str, Any]:
    items = projects.list_projects(session, workspace_id=viewer.workspace_id, kind=kind or None,
                                   status=status or None, limit=500, archived=archived)
    names = dict(session.execute(select(Campaign.id, Campaign.name).where(
        Campaign.workspace_id == viewer.workspace_id)).all())
    return {"viewer": viewer, "views": project_views(session, items), "campaign_names": names,
            "active": hub.any_active(items), "kind": kind, "status": status, "archived": archived,
            "kinds": registry.kinds(),
            "statuses": STATUSES, "progress": overall_progress, "action_for": action_for,
            "format_of": hub.format_of, "active_statuses": ACTIVE}


@router.get("/dashboard/videos")
def videos_page(request: Request, kind: str = "", status: str = "", archived: bool = False) -> Response:
    """Every project of the workspace (archived ones only with ``?archived=1``)."""
    with viewer_session(request) as (session, viewer):
        return render(request, "videos/list.html", videos_context(session, viewer, kind, status, archived))


@router.get("/dashboard/videos/list")
def videos_fragment(request: Request, kind: str = "", status: str = "", archived: bool = False) -> Response:
    with viewer_session(request) as (session, viewer):
        return render(request, "videos/_table.html", videos_context(session, viewer, kind, status, archived))


@router.get("/dashboard/shell/badge")
def processing_badge(request: Request) -> Response:
    """The header's Processing badge alone (it polls itself while projects run)."""
    with viewer_session(request) as (_session, viewer):
        return render(request, "_processing_badge.html", {"viewer": viewer})
