"""The API's error shape, declared on every operation, and 422s with field-level detail.

Every error body is ``{"error": {"code", "message", "hint"?, "fields"?}}`` — the same JSON that
``adloom.web.errors.render_error`` writes for an :class:`~adloom.errors.AdloomError`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from adloom.errors import AdloomError, ValidationError, bounded_problems, clip


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. insufficient_credits.")
    message: str = Field(description="What went wrong, for a person.")
    hint: str | None = Field(default=None, description="What to do next.")
    fields: dict[str, Any] | None = Field(
        default=None, description="Structured detail: needed/available credits, invalid fields, retry_after…"
    )


class ErrorResponse(BaseModel):
    error: ErrorDetail


class RateLimited(AdloomError):
    status = 429
    code = "rate_limited"


class IdempotencyConflict(AdloomError):
    status = 409
    code = "idempotency_in_progress"


class IdempotencyKeyReused(AdloomError):
    status = 422
    code = "idempotency_key_reused"


_DESCRIPTIONS = {
    401: "Missing, unknown or revoked API key.",
    402: "Not enough credits; `fields.needed` and `fields.available` say how many.",
    403: "The API key lacks the scope this operation needs (read keys cannot write).",
    404: "No such object in this API key's workspace.",
    409: "The object's state does not allow this, or the same Idempotency-Key is still being processed.",
    422: "Invalid input; `fields.errors` lists every problem with its location.",
    429: "Rate limit exceeded; retry after the number of seconds in the Retry-After header.",
}
STANDARD_ERRORS = (401, 402, 403, 404, 409, 422, 429)


def error_responses(*extra: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for the standard errors (and ``extra`` codes), all with ErrorResponse."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in (*STANDARD_ERRORS, *extra):
        out[code] = {"model": ErrorResponse, "description": _DESCRIPTIONS.get(code, "Error.")}
    out[429]["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
    return out


def _loc(parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def validation_problems(exc: RequestValidationError) -> list[dict[str, str]]:
    """At most MAX_PROBLEMS problems, each clipped; the rejected input is never echoed back."""
    found = [(_loc(err.get("loc", ())), str(err.get("msg", "invalid"))) for err in exc.errors()]
    return [{"loc": loc, "message": msg} for loc, msg in bounded_problems(found)]


def validation_body(exc: RequestValidationError) -> dict[str, Any]:
    problems = validation_problems(exc)
    total = len(exc.errors())
    lines = "; ".join(f"{p['loc']}: {p['message']}" for p in problems[:10])
    error = ValidationError(f"The request has {total} problem(s): {lines}",
                            hint="Fix the listed fields and send the request again.", errors=problems)
    return {"error": error.to_dict()}


AYTADA_PATHS = ("/api/v1/creative/",)


def install(app: FastAPI) -> None:
    """Bounded 422s on every path; API-shaped HTTP errors under /api/ (other paths keep theirs)."""
    previous_http = app.exception_handlers.get(StarletteHTTPException)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        path = request.url.path
        if path.startswith(AYTADA_PATHS):
            problems = validation_problems(exc)
            message = "; ".join(f"{p['loc']}: {p['message']}" for p in problems[:10])
            return JSONResponse({"status": "error", "message": clip(f"Invalid request: {message}", 4000),
                                 "errors": problems}, status_code=422)
        # Every path (dashboard too) answers with the bounded body: FastAPI's default handler
        # would echo each rejected input back, turning a large request into a larger answer.
        return JSONResponse(validation_body(exc), status_code=422)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith("/api/") or previous_http is None:
            body = {"error": {"code": f"http_{exc.status_code}", "message": str(exc.detail)}}
            return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return await previous_http(request, exc)  # type: ignore[no-any-return, misc]

    async def on_data_error(request: Request, exc: Exception) -> Response:
        # e.g. a NUL character or an over-long value that PostgreSQL refuses: bad input, not a crash
        body = {"error": {"code": "invalid", "message": "The request contains a value the database cannot store "
                          "(a NUL character or a value that is too long).",
                          "hint": "Remove control characters and shorten the values."}}
        return JSONResponse(body, status_code=422)

    app.add_exception_handler(DataError, on_data_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
