"""Server-side sign-in sessions: start, look up, revoke one, revoke all of a user's.

The browser's cookie carries only a random token (signed, so a tampered cookie is rejected before
any query); the ``sessions`` table keeps its SHA-256 with the user, expiry and revocation date.
Signing out, changing or resetting a password and an owner's "sign out" therefore end sessions
on the server: an old cookie replayed later finds a revoked row and is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from adloom.accounts.access_models import UserSession
from adloom.accounts.models import User
from adloom.db import utcnow

SESSION_TTL = timedelta(days=14)
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is a hint, not worth a write per request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def start_session(session: Session, *, user_id: str) -> str:
    """A new live session for the user; returns the token for the cookie (stored only hashed)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(UserSession(token_hash=_hash(token), user_id=user_id, last_seen_at=now,
                            expires_at=now + SESSION_TTL))
    session.flush()
    return token


def user_for_token(session: Session, *, token: str) -> User | None:
    """The user of a live (not revoked, not expired) session, else None."""
    row = session.scalars(select(UserSession).where(UserSession.token_hash == _hash(token))).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    if now - _aware(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
    return session.get(User, row.user_id)


def revoke_session(session: Session, *, token: str) -> None:
    """End the session with this token (signing out this browser)."""
    session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                              UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


def revoke_user_sessions(session: Session, *, user_id: str) -> int:
    """End every live session of the user (all devices); returns how many were ended."""
    result = session.execute(update(UserSession).where(UserSession.user_id == user_id,
                                                       UserSession.revoked_at.is_(None)).values(revoked_at=utcnow()))
    return int(getattr(result, "rowcount", 0) or 0)
