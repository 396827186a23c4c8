"""Dashboard routes (server-rendered with Jinja2 + htmx): wiring of the feature routers."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from adloom.labels import label
from adloom.web import (
    account_routes,
    campaign_edit_routes,
    campaign_routes,
    events,
    file_routes,
    project_routes,
    videos_routes,
    workspace_routes,
)
from adloom.web.auth import check_csrf
from adloom.web.common import human_bytes, human_date, status_label

HERE = Path(__file__).parent
router = APIRouter()
FEATURES = (account_routes, campaign_routes, campaign_edit_routes, project_routes, videos_routes, workspace_routes, file_routes, events)


@router.get("/", include_in_schema=False)
def index() -> Response:
    return RedirectResponse("/dashboard", status_code=303)


def _templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.filters.update(bytes=human_bytes, date=human_date, label=label)
    env.globals.update(status_label=status_label)
    return templates


def install(app: FastAPI) -> None:
    """Templates, static files, the dashboard routers (all CSRF-checked) and live events."""
    app.state.templates = _templates()
    app.state.events = events.EventHub()
    app.state.runtime.on_status.append(app.state.events.listener)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
    for feature in FEATURES:
        app.include_router(feature.router, dependencies=[Depends(check_csrf)])
