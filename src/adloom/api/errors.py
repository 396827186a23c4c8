"""The API's error shape, declared on every operation, and 422s with field-level detail.

Every error body is ``{"error": {"code", "message", "hint"?, "fields"?}}``; the handlers that write
it (for the API and the dashboard alike) are installed in one place, :mod:`adloom.http_errors`.
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from adloom.errors import AdloomError, ValidationError, bounded_problems


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
