"""Dashboard routes (server-rendered with Jinja2 + htmx)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

HERE = Path(__file__).parent
router = APIRouter()


@router.get("/", include_in_schema=False)
def index() -> Response:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request) -> Response:
    return request.app.state.templates.TemplateResponse(request, "accounts/login.html", {"error": None})


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard(request: Request) -> Response:
    return RedirectResponse("/login", status_code=303)


def install(app: FastAPI) -> None:
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(router)
