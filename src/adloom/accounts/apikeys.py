"""API keys: create (the secret is shown once), verify, list and revoke.

A secret reads ``adl_<prefix>_<32 urlsafe chars>``. The 8-character prefix is stored in clear
(it identifies the key in lists and finds its row); only ``sha256(secret)`` in hex is stored, so
a leaked database does not leak usable keys. Scopes are ``read`` or ``read,write`` (write implies
read).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts.models import ApiKey
from adloom.db import utcnow
from adloom.errors import AuthError, NotFoundError, ValidationError

SECRET_PREFIX = "adl_"
PREFIX_LENGTH = 8
SCOPES = ("read", "write")
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


class ApiKeyNotFound(NotFoundError):
    code = "api_key_not_found"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_scopes(scopes: str | list[str] | tuple[str, ...]) -> str:
    """``"write"`` or ``["read", "write"]`` -> ``"read,write"``; ``"read"`` -> ``"read"``."""
    items = [s.strip() for s in (scopes.split(",") if isinstance(scopes, str) else scopes) if s.strip()]
    unknown = [s for s in items if s not in SCOPES]
    if unknown or not items:
        raise ValidationError(
            f"Unknown API key scope(s): {', '.join(unknown) or '(none)'}; use read or write.",
            scopes=list(items),
        )
    return "read,write" if "write" in items else "read"


def new_secret() -> tuple[str, str]:
    """(prefix, secret) for a fresh key."""
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    return prefix, f"{SECRET_PREFIX}{prefix}_{secrets.token_urlsafe(24)}"


def create_api_key(
    session: Session,
    *,
    workspace_id: str,
    name: str,
    scopes: str | list[str] | tuple[str, ...] = "read,write",
    rate_limit_per_minute: int = 120,
) -> tuple[ApiKey, str]:
    """A new key for the workspace and its secret (returned once; only its hash is stored)."""
    scope_text = normalize_scopes(scopes)
    if rate_limit_per_minute < 1:
        raise ValidationError("The rate limit must be at least 1 request per minute.")
    prefix, secret = new_secret()
    while session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)):
        prefix, secret = new_secret()
    key = ApiKey(
        workspace_id=workspace_id,
        name=name.strip()[:200],
        prefix=prefix,
        secret_hash=hash_secret(secret),
        scopes=scope_text,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    session.add(key)
    session.flush()
    return key, secret


def parse_prefix(secret: str) -> str | None:
    """The prefix of a well-formed secret, else None."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) < len(SECRET_PREFIX) + PREFIX_LENGTH + 2:
        return None
    prefix = secret[len(SECRET_PREFIX) : len(SECRET_PREFIX) + PREFIX_LENGTH]
    if secret[len(SECRET_PREFIX) + PREFIX_LENGTH] != "_":
        return None
    return prefix


def verify_api_key(session: Session, secret: str, *, touch: bool = False) -> ApiKey:
    """The live key this secret belongs to, or :class:`AuthError` (unknown, wrong or revoked)."""
    prefix = parse_prefix(secret.strip())
    key = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first() if prefix else None
    if key is None or not hmac.compare_digest(key.secret_hash, hash_secret(secret.strip())):
        raise AuthError("The API key is not valid.", hint="Create a key in the dashboard or with 'adloom apikey create'.")
    if key.revoked_at is not None:
        raise AuthError("This API key has been revoked.", hint="Create a new key in the dashboard.")
    if touch:
        key.last_used_at = utcnow()
    return key


def has_scope(key: ApiKey, scope: str) -> bool:
    return scope in key.scopes.split(",")


def list_api_keys(session: Session, *, workspace_id: str, include_revoked: bool = True) -> list[ApiKey]:
    stmt = select(ApiKey).where(ApiKey.workspace_id == workspace_id)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(stmt.order_by(ApiKey.created_at.desc())))


def revoke_api_key(session: Session, *, workspace_id: str, key_id: str) -> ApiKey:
    """Revoke a key of this workspace (idempotent: revoking twice keeps the first date)."""
    key = session.get(ApiKey, key_id)
    if key is None or key.workspace_id != workspace_id:
        raise ApiKeyNotFound(f"There is no API key '{key_id}' in this workspace.")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key
