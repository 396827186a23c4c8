"""API key authentication, scopes and the per-key rate limit.

Keys arrive as ``Authorization: Bearer adl_…`` (or ``X-AYTADA-API-KEY: adl_…``, for clients of
Aytada's API). The rate limit is an in-process token bucket per key: ``rate_limit_per_minute``
tokens, refilled continuously. With several web processes each one counts on its own, so the
effective limit is that many times higher (documented in docs/api.md).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from adloom.accounts.apikeys import has_scope, verify_api_key
from adloom.api.errors import RateLimited
from adloom.db import utcnow
from adloom.errors import AuthError, PermissionDenied
from adloom.pipeline.runtime import Runtime

bearer = HTTPBearer(auto_error=False, description="An Adloom API key: `Authorization: Bearer adl_…`.")
aytada_header = APIKeyHeader(name="X-AYTADA-API-KEY", auto_error=False,
                             description="The same API key, as Aytada's API clients send it.")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key and its workspace."""

    key_id: str
    workspace_id: str
    scopes: tuple[str, ...]
    rate_limit_per_minute: int


class TokenBuckets:
    """One bucket per API key: ``rate`` requests per minute, bursts up to ``rate``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._state: dict[str, tuple[float, float]] = {}

    def take(self, key: str, rate: int, now: float | None = None) -> float:
        """0 when a request may proceed, else the seconds until one token is back."""
        now = time.monotonic() if now is None else now
        per_second = rate / 60.0
        with self._lock:
            tokens, last = self._state.get(key, (float(rate), now))
            tokens = min(float(rate), tokens + (now - last) * per_second)
            if tokens >= 1.0:
                self._state[key] = (tokens - 1.0, now)
                return 0.0
            self._state[key] = (tokens, now)
            return (1.0 - tokens) / per_second


def runtime_of(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def buckets_of(request: Request) -> TokenBuckets:
    buckets: TokenBuckets | None = getattr(request.app.state, "api_buckets", None)
    if buckets is None:
        buckets = request.app.state.api_buckets = TokenBuckets()
    return buckets


def secret_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-aytada-api-key") or None


def authenticate(request: Request) -> Principal:
    """The caller's key, or AuthError (401); RateLimited (429) past the key's rate."""
    secret = secret_from(request)
    if not secret:
        raise AuthError("This endpoint needs an API key.",
                        hint="Send 'Authorization: Bearer adl_…'; create a key with 'adloom apikey create'.")
    with runtime_of(request).db.session() as session:
        key = verify_api_key(session, secret)
        principal = Principal(key.id, key.workspace_id, tuple(key.scopes.split(",")), key.rate_limit_per_minute)
        stale = key.last_used_at is None or _aware(key.last_used_at) < utcnow() - timedelta(minutes=1)
        if stale:
            key.last_used_at = utcnow()
    wait = buckets_of(request).take(principal.key_id, principal.rate_limit_per_minute)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise RateLimited(
            f"This API key is limited to {principal.rate_limit_per_minute} requests per minute.",
            hint=f"Retry after {seconds} second(s).", retry_after=seconds,
        )
    request.state.principal = principal
    return principal


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def read_access(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    _aytada: Annotated[str | None, Depends(aytada_header)],
) -> Principal:
    """Any valid key (read or write scope)."""
    return authenticate(request)


def write_access(principal: Annotated[Principal, Depends(read_access)]) -> Principal:
    """A key with the write scope; 403 for a read-only key."""
    if "write" not in principal.scopes:
        raise PermissionDenied("This API key is read-only.",
                               hint="Create a key with the write scope to create or change things.")
    return principal


Reader = Annotated[Principal, Depends(read_access)]
Writer = Annotated[Principal, Depends(write_access)]

__all__ = ["Principal", "Reader", "Writer", "has_scope", "read_access", "write_access"]
