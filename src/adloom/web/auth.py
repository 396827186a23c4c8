"""Dashboard sessions, CSRF and the Origin check.

The cookie (itsdangerous, keyed by the app's secret key — see :mod:`adloom.secret_key`) is
HttpOnly, SameSite=Lax, and Secure behind HTTPS or with ``ADLOOM_COOKIE_SECURE``. It holds only a
random session token, the chosen workspace and a per-session CSRF token: whether the session is
live is decided by the ``sessions`` table (:mod:`adloom.accounts.sessions`), so signing out,
a password change or reset, and an owner's "sign out" end it on the server.
Every unsafe request (POST/PUT/PATCH/DELETE) must carry the CSRF token, as a ``csrf_token`` form
field or, from htmx, the ``X-CSRF-Token`` header set once with ``hx-headers`` on ``<body>``; and
when the browser says where the request comes from (``Origin``, else ``Referer``), that must be
this site.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts import sessions
from adloom.accounts.models import Membership, User, Workspace
from adloom.db import Database
from adloom.errors import AdloomError, OriginRejected, PermissionDenied

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
    return URLSafeTimedSerializer(request.app.state.secret_key, salt="adloom.session")


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
    secure = request.app.state.settings.cookie_secure or request.url.scheme == "https"
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


def _database(request: Request) -> Database:
    db: Database = request.app.state.runtime.db
    return db


def sign_in(request: Request, response: Response, user: User, workspace_id: str | None = None) -> None:
    """Start a fresh server-side session for ``user``, ending this browser's previous one (a new
    token and CSRF token: no session fixation)."""
    old = read_session(request).get("sid")
    with _database(request).session() as db:
        if old:
            sessions.revoke_session(db, token=str(old))
        token = sessions.start_session(db, user_id=user.id)
    data = {"sid": token, "csrf": secrets.token_urlsafe(24)}
    if workspace_id:
        data["ws"] = workspace_id
    write_session(request, response, data)


def choose_workspace(request: Request, response: Response, workspace_id: str) -> None:
    """Remember the workspace this browser works in (membership is checked on every request)."""
    write_session(request, response, {**read_session(request), "ws": workspace_id})


def sign_out(request: Request, response: Response) -> None:
    """End this browser's session on the server and forget it in the cookie."""
    token = read_session(request).get("sid")
    if token:
        with _database(request).session() as db:
            sessions.revoke_session(db, token=str(token))
    write_session(request, response, {"csrf": secrets.token_urlsafe(24)})


def _origin_of(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def check_origin(request: Request) -> None:
    """Refuse an unsafe request whose ``Origin`` (or ``Referer``) is another site.

    Defence in depth beside the CSRF token: browsers send Origin on cross-site POSTs, so a form on
    a hostile page is refused even if a token leaked. Requests without either header (curl,
    scripts) and API-key calls without a session cookie are left to their own authentication.
    """
    if request.method not in UNSAFE:
        return
    if request.headers.get("authorization") and COOKIE not in request.cookies:
        return
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return
    scheme, netloc = _origin_of(source)
    own_host = request.headers.get("host", "").lower()
    if netloc and (netloc == own_host or (scheme, netloc) == _origin_of(request.app.state.settings.base_url)):
        return
    raise OriginRejected("This request came from another site's page, so Adloom refused it.",
                         hint="Open Adloom at its own address and submit the form there.")


async def check_csrf(request: Request) -> None:
    """Reject unsafe requests without this session's CSRF token."""
    if request.method not in UNSAFE:
        return
    check_origin(request)
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
    token = data.get("sid")
    user = sessions.user_for_token(session, token=str(token)) if token else None
    if user is None:
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
