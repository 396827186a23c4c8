"""One error hierarchy for Adloom.

Families end in ``Error``; leaves are plain phrases. Every error carries a user-facing message
(what went wrong and what to do next), structured ``fields`` and an HTTP ``status``. One place
(web/api error handlers, the CLI) renders them; services never raise HTTP exceptions.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

# An error answer stays small whatever the input: a hostile request must not turn its own
# size into a large response (error amplification).
MAX_PROBLEMS = 20
MAX_PROBLEM_CHARS = 300
MAX_MESSAGE_CHARS = 4000
MAX_ERROR_BYTES = 8 * 1024

log = logging.getLogger("adloom.errors")


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marked with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def bounded_problems(problems: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The first MAX_PROBLEMS problems, each clipped, plus one line counting the rest."""
    shown = [(clip(loc, 120), clip(msg, MAX_PROBLEM_CHARS)) for loc, msg in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        shown.append(("…", f"and {len(problems) - MAX_PROBLEMS} more problem(s) not listed"))
    return shown


class AdloomError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, hint: str | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        """The JSON error body, never larger than MAX_ERROR_BYTES."""
        data: dict[str, Any] = {"code": self.code, "message": clip(self.message, MAX_MESSAGE_CHARS)}
        if self.hint:
            data["hint"] = clip(self.hint, 500)
        if self.fields:
            data["fields"] = {k: v for k, v in self.fields.items() if _jsonable(v)}
        return _within_budget(data)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


def _jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | dict | type(None))


def _size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False, default=str).encode())


def _within_budget(data: dict[str, Any]) -> dict[str, Any]:
    """Shrink an error body past MAX_ERROR_BYTES: a shorter message, then fewer listed
    problems, and only then no ``fields`` at all."""
    if _size(data) <= MAX_ERROR_BYTES:
        return data
    data["message"] = clip(data["message"], 1500)
    fields = data.get("fields") or {}
    lists = [key for key, value in fields.items() if isinstance(value, list)]
    while _size(data) > MAX_ERROR_BYTES and any(len(fields[key]) > 1 for key in lists):
        for key in lists:
            fields[key] = fields[key][: max(1, len(fields[key]) // 2)]
    if _size(data) > MAX_ERROR_BYTES:
        data.pop("fields", None)
        data["message"] = clip(data["message"], 1000)
    return data


# ----------------------------------------------------------------- families


class NotFoundError(AdloomError):
    status = 404
    code = "not_found"


class ValidationError(AdloomError):
    status = 422
    code = "invalid"


class ConflictError(AdloomError):
    status = 409
    code = "conflict"


class AuthError(AdloomError):
    status = 401
    code = "unauthorized"


class PermissionDenied(AdloomError):
    status = 403
    code = "forbidden"


class CreditError(AdloomError):
    status = 402
    code = "insufficient_credits"


class ProviderError(AdloomError):
    """A model or service (TTS, LLM, music...) failed or could not be reached."""

    status = 502
    code = "provider_failed"


class RenderError(AdloomError):
    """Producing media failed (bad input photo, ffmpeg, synthesis...)."""

    status = 422
    code = "render_failed"


class StorageError(AdloomError):
    status = 500
    code = "storage_failed"


# ----------------------------------------------------------------- leaves


class CampaignNotFound(NotFoundError):
    pass


class ProjectNotFound(NotFoundError):
    pass


class AssetNotFound(NotFoundError):
    pass


class WorkspaceNotFound(NotFoundError):
    pass


class InvalidBrief(ValidationError):
    code = "invalid_brief"

    def __init__(self, problems: list[tuple[str, str]], *, source: str = "brief") -> None:
        shown = bounded_problems(problems)
        lines = "\n".join(f"  - {loc}: {msg}" for loc, msg in shown)
        super().__init__(
            f"The {source} has {len(problems)} problem(s):\n{lines}",
            hint="Fix the listed fields and run the command again; nothing was saved.",
            problems=[{"loc": loc, "message": msg} for loc, msg in shown],
        )
        self.problems = problems


class InvalidOption(ValidationError):
    code = "invalid_option"


class InvalidEdit(ValidationError):
    code = "invalid_edit"


class WebhookURLRefused(ValidationError):
    """A webhook receiver URL that could make Adloom reach inside the operator's network."""

    code = "webhook_url_refused"


class SoundFontNotFound(ValidationError):
    """A ``soundfont`` option that names no SoundFont in the operator's folder or the bundled banks."""

    code = "soundfont_not_found"


class VoiceNotFound(ValidationError):
    """A ``voice`` option that names no voice in the operator's voices folder or the shipped one."""

    code = "voice_not_found"


class IllegalTransition(ConflictError):
    code = "illegal_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"A project cannot move from '{current}' to '{target}'.",
            current=current,
            target=target,
        )


class RetryLimitReached(ConflictError):
    """A step failed the same way ``step_max_failures`` times: another retry would fail again."""

    code = "retry_limit_reached"


class ProjectRunning(ConflictError):
    """The project is running a stage; archiving it would hide work that is still spending credits."""

    code = "project_running"


def credits_phrase(count: int) -> str:
    """'1 credit', '0 credits', '7 credits'."""
    return f"{count} credit" if count == 1 else f"{count} credits"


class InsufficientCredits(CreditError):
    def __init__(self, *, needed: int, available: int) -> None:
        super().__init__(
            f"This needs {credits_phrase(needed)} but only {credits_phrase(available)} "
            f"{'is' if available == 1 else 'are'} available.",
            hint="Ask your Adloom administrator to add credits to this workspace.",
            needed=needed,
            available=available,
        )
        self.needed = needed
        self.available = available


class FFmpegFailed(RenderError):
    code = "ffmpeg_failed"

    def __init__(self, args: list[str], stderr_tail: str) -> None:
        super().__init__(
            f"ffmpeg failed: {stderr_tail.strip()[-400:]}",
            hint="Check the input media; if it persists, run 'adloom doctor'.",
            args=args,
        )


class BadMedia(RenderError):
    """An input photo, logo or audio file cannot be used."""

    code = "bad_media"


class ProviderUnavailable(ProviderError):
    code = "provider_unavailable"


class StepLost(AdloomError):
    """A worker lost its lease on a step (another worker took it over)."""

    status = 409
    code = "lease_lost"


class DiskFull(StorageError):
    """A step could not write its files: the disk (or quota) holding the data folder is full."""

    status = 507
    code = "disk_full"


class OutOfMemory(RenderError):
    """A step ran out of memory; nothing it made was kept."""

    status = 503
    code = "out_of_memory"


class InternalError(AdloomError):
    """An unexpected failure, shown to the user as a generic message with an error id.

    The details (exception text, SQL, parameters, storage keys) stay in the server log under
    the same id; they may hold other tenants' data or internals a user must not see.
    """

    status = 500
    code = "internal_error"

    def __init__(self, error_id: str) -> None:
        super().__init__(
            f"Something went wrong on our side (error id {error_id}). Nothing you did caused it; "
            "try again, or send the id to your administrator.",
            error_id=error_id,
        )
        self.error_id = error_id


def report_internal(exc: BaseException, *, where: str) -> InternalError:
    """Log ``exc`` with its traceback under a new error id; the user sees only the id."""
    error_id = uuid.uuid4().hex[:12]
    log.error("internal error %s in %s: %s: %s", error_id, where, type(exc).__name__, exc,
              exc_info=(type(exc), exc, exc.__traceback__))
    return InternalError(error_id)


class WeakPassword(ValidationError):
    """A new password is too short, blank or one of the most common passwords."""

    code = "weak_password"


class TooManyAttempts(AdloomError):
    """Sign-in or sign-up attempts came too fast for one account or one client address."""

    status = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, hint=f"Wait {retry_after} second(s), then try again.", retry_after=retry_after)
        self.retry_after = retry_after


class SignupClosed(PermissionDenied):
    """This instance does not take sign-ups (``ADLOOM_SIGNUP``), or only with an invitation."""

    code = "signup_closed"


class OriginRejected(PermissionDenied):
    """A state-changing dashboard request came from another site's page."""

    code = "origin_rejected"


class WeakSecretKey(AdloomError):
    """``ADLOOM_SECRET_KEY`` is a published default or too short to keep sessions unforgeable."""

    status = 500
    code = "weak_secret_key"
