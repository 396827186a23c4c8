"""Small helpers every dashboard route uses: the runtime, rendering, the signed-in viewer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.assets import registry
from adloom.credits import service as credits
from adloom.pipeline.runtime import Runtime
from adloom.projects.models import Project
from adloom.projects.states import ACTIVE
from adloom.web.auth import Viewer, csrf_token, read_session, resolve_viewer, write_session

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("Draft", "neutral"),
    "generating_ideas": ("Writing ideas", "active"),
    "ideas_ready": ("Ideas ready", "gate"),
    "generating_script": ("Writing script", "active"),
    "script_ready": ("Script ready", "gate"),
    "generating_scenes": ("Planning scenes", "active"),
    "scenes_ready": ("Scenes ready", "gate"),
    "generating": ("Processing", "active"),
    "rendering": ("Processing", "active"),
    "stitching": ("Processing", "active"),
    "completed": ("Completed", "success"),
    "failed": ("Failed", "danger"),
    "cancelled": ("Cancelled", "neutral"),
}
WRITER_PRICE_LABELS: dict[str, str] = {
    "strategy": "Strategy draft", "ideas": "Ideas (first run)", "ideas_reroll": "Ideas reroll",
    "script": "Script (standard)", "script_premium": "Script (premium)", "scenes": "Scenes",
}


def price_labels() -> dict[str, str]:
    """Every price-list line's label: the writer's, then each kind's (from its spec)."""
    return {**WRITER_PRICE_LABELS, **registry.price_labels()}


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


@contextmanager
def viewer_session(request: Request) -> Iterator[tuple[Session, Viewer]]:
    """A database session and the signed-in viewer (LoginRequired when signed out)."""
    with runtime(request).db.session() as session:
        yield session, signed_in_viewer(request, session)


def signed_in_viewer(request: Request, session: Session) -> Viewer:
    """The signed-in viewer and the page shell's facts, read once per request (the role
    dependencies in :mod:`adloom.web.deps` and ``viewer_session`` share them)."""
    cached = getattr(request.state, "viewer", None)
    if isinstance(cached, Viewer):
        return cached
    viewer = resolve_viewer(request, session)
    request.state.shell = shell_facts(session, viewer)
    request.state.viewer = viewer
    return viewer


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a template with the CSRF token and the viewer in its context."""
    ctx = {
        "csrf": csrf_token(request),
        "viewer": None,
        "status_labels": STATUS_LABELS,
        "kind_labels": registry.kind_labels(),
        **(context or {}),
    }
    if isinstance(ctx["viewer"], Viewer) and "shell" not in ctx and hasattr(request.state, "shell"):
        ctx["shell"] = request.state.shell
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if getattr(request.state, "session_dirty", False):
        write_session(request, response, read_session(request))
    return response


@dataclass(frozen=True)
class ShellFacts:
    """What every dashboard page shows around its content: credits and work in progress."""

    available: int
    held: int
    active: int


def shell_facts(session: Session, viewer: Viewer) -> ShellFacts:
    """The workspace's spendable credits and how many of its projects are running now (read
    when the viewer is resolved, in the page's own session)."""
    balance = credits.get_balance(session, workspace_id=viewer.workspace_id)
    active = session.scalar(select(func.count()).select_from(Project).where(
        Project.workspace_id == viewer.workspace_id, Project.status.in_(ACTIVE)))
    return ShellFacts(available=balance.available, held=balance.held, active=int(active or 0))


def redirect(request: Request, url: str) -> Response:
    """A redirect that htmx follows as a full navigation."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def status_label(status: str) -> tuple[str, str]:
    return STATUS_LABELS.get(status, (status.replace("_", " ").title(), "neutral"))


def human_bytes(size: int | None) -> str:
    value = float(size or 0)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def human_date(value: datetime | None) -> str:
    return value.strftime("%d %b %Y · %H:%M") if value else "—"
