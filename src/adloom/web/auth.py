"""Dashboard sessions and CSRF.

The session lives in a signed cookie (itsdangerous, keyed by ``settings.secret_key``), HttpOnly
and SameSite=Lax. It holds the user id, the chosen workspace, a per-session CSRF token and a
fingerprint of the password hash, so that a password reset signs out every other session.
Every unsafe request (POST/PUT/PATCH/DELETE) must carry the CSRF token, as a ``csrf_token`` form
field or, from htmx, the ``X-CSRF-Token`` header set once with ``hx-headers`` on ``<body>``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts.models import Membership, User, Workspace
from adloom.errors import AdloomError, PermissionDenied

COOKIE = "adloom_session"
MAX_AGE = 14 * 24 * 3600
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
EDIT_ROLES = frozenset({"owner", "editor"})


class LoginRequired(AdloomError):
    status = 401
    code = "login_required"


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


@dataclass(frozen=True)
class Viewer:
    """Who is asking, in which workspace, with which role."""

    user_id: str
    email: str
    name: str
    workspace_id: str
    workspace_name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role in EDIT_ROLES

    @property
    def is_owner(self) -> bool:
        return self.role == "owner"


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="adloom.session")


def read_session(request: Request) -> dict[str, Any]:
    """The session data of this request (cached); an empty dict when absent or tampered."""
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return dict(cached)
    raw = request.cookies.get(COOKIE, "")
    data: dict[str, Any] = {}
    if raw:
        try:
            loaded = _serializer(request).loads(raw, max_age=MAX_AGE)
            data = loaded if isinstance(loaded, dict) else {}
        except BadSignature:
            data = {}
    request.state.session = data
    return dict(data)


def write_session(request: Request, response: Response, data: dict[str, Any]) -> None:
    request.state.session = dict(data)
    secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, _serializer(request).dumps(data), max_age=MAX_AGE, httponly=True,
                        samesite="lax", secure=secure, path="/")


def csrf_token(request: Request) -> str:
    """This session's CSRF token (created, and the cookie refreshed, on first use)."""
    data = read_session(request)
    token = data.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        data["csrf"] = token
        request.state.session = data
        request.state.session_dirty = True
    return str(token)


def password_mark(user: User) -> str:
    return user.password_hash[-12:]


def sign_in(request: Request, response: Response, user: User, workspace_id: str | None = None) -> None:
    """Start a fresh session for ``user`` (a new CSRF token: no session fixation)."""
    data = {"uid": user.id, "pw": password_mark(user), "csrf": secrets.token_urlsafe(24)}
    if workspace_id:
        data["ws"] = workspace_id
    write_session(request, response, data)


def sign_out(request: Request, response: Response) -> None:
    write_session(request, response, {"csrf": secrets.token_urlsafe(24)})


async def check_csrf(request: Request) -> None:
    """Reject unsafe requests without this session's CSRF token."""
    if request.method not in UNSAFE:
        return
    expected = read_session(request).get("csrf")
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if "form" in content_type:
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise CsrfFailed("This form has expired or did not come from Adloom.",
                         hint="Reload the page and submit it again.")


def resolve_viewer(request: Request, session: Session) -> Viewer:
    """The signed-in user and their current workspace, or :class:`LoginRequired`."""
    data = read_session(request)
    user = session.get(User, data.get("uid") or "")
    if user is None or data.get("pw") != password_mark(user):
        raise LoginRequired("Please sign in to continue.")
    rows = session.execute(
        select(Workspace.id, Workspace.name, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user.id).order_by(Membership.created_at)
    ).all()
    if not rows:
        raise PermissionDenied("Your account is not a member of any workspace.",
                               hint="Ask a workspace owner for an invitation.")
    chosen = next((row for row in rows if row[0] == data.get("ws")), rows[0])
    return Viewer(user.id, user.email, user.name, chosen[0], chosen[1], chosen[2])


def require_editor(viewer: Viewer) -> None:
    """Viewers can look but not change anything or spend credits."""
    if not viewer.can_edit:
        raise PermissionDenied("Viewers cannot change this workspace or spend its credits.",
                               hint="Ask an owner to make you an editor.")


def require_owner(viewer: Viewer) -> None:
    if not viewer.is_owner:
        raise PermissionDenied("Only a workspace owner can do this.", hint="Ask an owner of this workspace.")
