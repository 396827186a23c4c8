"""One error hierarchy for Adloom.

Families end in ``Error``; leaves are plain phrases. Every error carries a user-facing message
(what went wrong and what to do next), structured ``fields`` and an HTTP ``status``. One place
(web/api error handlers, the CLI) renders them; services never raise HTTP exceptions.
"""

from __future__ import annotations

from typing import Any


class AdloomError(Exception):
    status: int = 500
    code: str = "internal_error"

    def __init__(self, message: str, *, hint: str | None = None, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.hint:
            data["hint"] = self.hint
        if self.fields:
            data["fields"] = {k: v for k, v in self.fields.items() if _jsonable(v)}
        return data

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


def _jsonable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool | list | dict | type(None))


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
        lines = "\n".join(f"  - {loc}: {msg}" for loc, msg in problems)
        super().__init__(
            f"The {source} has {len(problems)} problem(s):\n{lines}",
            hint="Fix the listed fields and run the command again; nothing was saved.",
            problems=[{"loc": loc, "message": msg} for loc, msg in problems],
        )
        self.problems = problems


class InvalidOption(ValidationError):
    code = "invalid_option"


class InvalidEdit(ValidationError):
    code = "invalid_edit"


class IllegalTransition(ConflictError):
    code = "illegal_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            f"A project cannot move from '{current}' to '{target}'.",
            current=current,
            target=target,
        )


class InsufficientCredits(CreditError):
    def __init__(self, *, needed: int, available: int) -> None:
        super().__init__(
            f"This needs {needed} credits but only {available} are available.",
            hint="Ask an admin to grant credits (adloom credits grant) or buy more.",
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
