"""The one place an error becomes an HTTP response, for the dashboard and the REST API alike.

:func:`install` registers every handler the app has, so no handler depends on another having
been installed first. :func:`wants_json` decides the shape once: API paths and clients that
accept JSON get ``{"error": {"code", "message", "hint"?, "fields"?}}``; the dashboard gets an
HTML page, or the ``_error.html`` fragment for an htmx request, or a redirect to sign in.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from adloom.api.errors import AYTADA_PATHS, validation_body, validation_problems
from adloom.errors import AdloomError, clip, report_internal
from adloom.web.auth import LoginRequired

API_PREFIX = "/api/"
DATA_ERROR = {
    "code": "invalid",
    "message": "The request contains a value the database cannot store (a NUL character or a value that is too long).",
    "hint": "Remove control characters and shorten the values.",
}


def wants_json(request: Request) -> bool:
    """API paths and JSON-accepting clients get JSON; everything else is the dashboard's HTML."""
    return request.url.path.startswith(API_PREFIX) or "application/json" in request.headers.get("accept", "")


def render_error(request: Request, exc: AdloomError) -> Response:
    """An AdloomError as JSON, a dashboard page or an htmx fragment, by request type."""
    headers = {}
    if exc.status == 429 and "retry_after" in exc.fields:
        headers["Retry-After"] = str(exc.fields["retry_after"])
    if wants_json(request):
        return JSONResponse({"error": exc.to_dict()}, status_code=exc.status, headers=headers)
    if isinstance(exc, LoginRequired):
        return _sign_in_redirect(request)
    templates: Jinja2Templates = request.app.state.templates
    template = "_error.html" if request.headers.get("hx-request") else "error.html"
    return templates.TemplateResponse(request, template, {"error": exc}, status_code=exc.status, headers=headers)


def _sign_in_redirect(request: Request) -> Response:
    target = "/login"
    if request.method == "GET" and request.url.path.startswith("/dashboard"):
        target += f"?next={request.url.path}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _on_adloom_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AdloomError)
    return render_error(request, exc)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    # A bug's text (SQL, parameters, paths) stays in the log under the id the user is shown.
    return render_error(request, report_internal(exc, where=f"{request.method} {request.url.path}"))


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if request.url.path.startswith(AYTADA_PATHS):
        problems = validation_problems(exc)
        message = "; ".join(f"{p['loc']}: {p['message']}" for p in problems[:10])
        return JSONResponse({"status": "error", "message": clip(f"Invalid request: {message}", 4000),
                             "errors": problems}, status_code=422)
    # Every path (dashboard too) answers with the bounded body: FastAPI's default handler
    # would echo each rejected input back, turning a large request into a larger answer.
    return JSONResponse(validation_body(exc), status_code=422)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path.startswith(API_PREFIX):
        body = {"error": {"code": f"http_{exc.status_code}", "message": str(exc.detail)}}
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))
    return await http_exception_handler(request, exc)  # the dashboard's 404s and 405s stay FastAPI's


async def _on_data_error(request: Request, exc: Exception) -> Response:
    # e.g. a NUL character or an over-long value that PostgreSQL refuses: bad input, not a crash
    return JSONResponse({"error": DATA_ERROR}, status_code=422)


def install(app: FastAPI) -> None:
    """Register every error handler of the app (called once, by ``create_app``)."""
    app.add_exception_handler(AdloomError, _on_adloom_error)
    app.add_exception_handler(Exception, _on_unexpected)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DataError, _on_data_error)
