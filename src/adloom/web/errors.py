"""The one place errors are rendered: JSON for the API, an htmx fragment or an HTML page."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from adloom.errors import AdloomError, report_internal


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def render_error(request: Request, exc: AdloomError) -> Response:
    headers = {}
    if exc.status == 429 and "retry_after" in exc.fields:
        headers["Retry-After"] = str(exc.fields["retry_after"])
    if wants_json(request):
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status, headers=headers)
    templates = request.app.state.templates
    template = "_error.html" if request.headers.get("hx-request") else "error.html"
    return templates.TemplateResponse(request, template, {"error": exc}, status_code=exc.status, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(AdloomError)
    async def _adloom_error(request: Request, exc: AdloomError) -> Response:
        return render_error(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # A bug's text (SQL, parameters, paths) stays in the log under the id the user is shown.
        return render_error(request, report_internal(exc, where=f"{request.method} {request.url.path}"))


__all__ = ["HTMLResponse", "install", "render_error"]
