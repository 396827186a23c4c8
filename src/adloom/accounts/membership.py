"""Dashboard account flows: sign-up, password reset links, invitations and member roles.

Tokens are random, shown once as a link, and stored only as SHA-256 hashes. Without a mail
server the link is written to the server log (and, for invitations, shown to the owner).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from adloom.accounts import service as accounts
from adloom.accounts.access_models import Invitation, PasswordReset
from adloom.accounts.models import ROLES, Membership, User, Workspace
from adloom.accounts.passwords import check_new_password, hash_password
from adloom.accounts.sessions import revoke_user_sessions
from adloom.db import utcnow
from adloom.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    SignupClosed,
    ValidationError,
)

RESET_TTL = timedelta(hours=1)
INVITE_TTL = timedelta(days=7)


class TokenInvalid(NotFoundError):
    code = "token_invalid"


@dataclass(frozen=True)
class MemberRow:
    user_id: str
    email: str
    name: str
    role: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def sign_up(session: Session, *, email: str, password: str, name: str, workspace_name: str,
            welcome_credits: int) -> User:
    """A new user who owns a new workspace (with the welcome grant)."""
    workspace_name = workspace_name.strip() or f"{(name.strip() or email.split('@')[0])}'s workspace"
    if len(workspace_name) > 200:
        raise ValidationError("The workspace name is too long (200 characters at most).")
    user = accounts.create_user(session, email=email, password=password, name=name.strip(),
                                workspace=None, welcome_credits=welcome_credits)
    membership = accounts.memberships(session, user_id=user.id)[0]
    workspace = session.get(Workspace, membership.workspace_id)
    if workspace is not None:
        workspace.name = workspace_name
    return user


def start_password_reset(session: Session, *, email: str) -> str | None:
    """A reset token for the account with this email, or None when there is none."""
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        return None
    token = secrets.token_urlsafe(32)
    session.add(PasswordReset(user_id=user.id, token_hash=_hash(token), expires_at=utcnow() + RESET_TTL))
    session.flush()
    return token


def _live_reset(session: Session, token: str) -> PasswordReset:
    row = session.scalars(select(PasswordReset).where(PasswordReset.token_hash == _hash(token))).first()
    if row is None or row.used_at is not None or _aware(row.expires_at) < utcnow():
        raise TokenInvalid("This password reset link is not valid any more.",
                           hint="Links work once and for one hour; ask for a new one.")
    return row


def check_reset_token(session: Session, *, token: str) -> None:
    _live_reset(session, token)


def finish_password_reset(session: Session, *, token: str, password: str) -> User:
    """Set a new password with a live token; the token is spent and every session of the user ends."""
    row = _live_reset(session, token)
    check_new_password(password)
    user = session.get(User, row.user_id)
    assert user is not None
    user.password_hash = hash_password(password)
    row.used_at = utcnow()
    revoke_user_sessions(session, user_id=user.id)  # whoever knew the old password is signed out
    session.flush()
    return user


def members(session: Session, *, workspace_id: str) -> list[MemberRow]:
    rows = session.execute(
        select(User.id, User.email, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(User.email)
    ).all()
    return [MemberRow(*row) for row in rows]


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError(f"'{role}' is not a role; use owner, editor or viewer.")


def invite(session: Session, *, workspace_id: str, email: str, role: str, invited_by: str) -> str:
    """An invitation token for ``email`` to join with ``role``."""
    email = email.strip().lower()
    _check_role(role)
    if "@" not in email or len(email) > 320:
        raise ValidationError(f"'{email}' is not an email address.")
    already = session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id, User.email == email)
    )
    if already:
        raise ConflictError(f"{email} is already a member of this workspace.")
    token = secrets.token_urlsafe(32)
    session.add(Invitation(workspace_id=workspace_id, email=email, role=role, token_hash=_hash(token),
                           invited_by=invited_by, expires_at=utcnow() + INVITE_TTL))
    session.flush()
    return token


def pending_invitations(session: Session, *, workspace_id: str) -> list[Invitation]:
    stmt = select(Invitation).where(Invitation.workspace_id == workspace_id, Invitation.accepted_at.is_(None),
                                    Invitation.revoked_at.is_(None))
    return [i for i in session.scalars(stmt.order_by(Invitation.created_at.desc())) if _aware(i.expires_at) > utcnow()]


def get_invitation(session: Session, *, token: str) -> Invitation:
    row = session.scalars(select(Invitation).where(Invitation.token_hash == _hash(token))).first()
    if row is None or row.accepted_at or row.revoked_at or _aware(row.expires_at) < utcnow():
        raise TokenInvalid("This invitation is not valid any more.",
                           hint="Ask the workspace owner for a new invitation link.")
    return row


def accept_invitation(session: Session, *, token: str, user: User) -> Membership:
    """Join the invitation's workspace as ``user`` (whose email must match the invitation)."""
    invitation = get_invitation(session, token=token)
    if invitation.email != user.email:
        raise PermissionDenied(f"This invitation is for {invitation.email}, not {user.email}.",
                               hint="Sign out and sign in (or sign up) with the invited email.")
    existing = session.scalars(select(Membership).where(Membership.workspace_id == invitation.workspace_id,
                                                        Membership.user_id == user.id)).first()
    invitation.accepted_at = utcnow()
    if existing is not None:
        return existing
    membership = Membership(workspace_id=invitation.workspace_id, user_id=user.id, role=invitation.role)
    session.add(membership)
    session.flush()
    return membership


def revoke_invitation(session: Session, *, workspace_id: str, invitation_id: str) -> None:
    row = session.get(Invitation, invitation_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFoundError("There is no such invitation in this workspace.")
    row.revoked_at = utcnow()


def _owners(session: Session, workspace_id: str) -> int:
    return int(session.scalar(select(func.count()).where(Membership.workspace_id == workspace_id,
                                                         Membership.role == "owner")) or 0)


def _membership(session: Session, workspace_id: str, user_id: str) -> Membership:
    row = session.scalars(select(Membership).where(Membership.workspace_id == workspace_id,
                                                   Membership.user_id == user_id)).first()
    if row is None:
        raise NotFoundError("That person is not a member of this workspace.")
    return row


def set_role(session: Session, *, workspace_id: str, user_id: str, role: str) -> None:
    """Change a member's role; a workspace always keeps at least one owner."""
    _check_role(role)
    row = _membership(session, workspace_id, user_id)
    if row.role == "owner" and role != "owner" and _owners(session, workspace_id) <= 1:
        raise ConflictError("A workspace needs at least one owner.", hint="Make someone else owner first.")
    row.role = role


def remove_member(session: Session, *, workspace_id: str, user_id: str) -> None:
    row = _membership(session, workspace_id, user_id)
    if row.role == "owner" and _owners(session, workspace_id) <= 1:
        raise ConflictError("A workspace needs at least one owner.", hint="Make someone else owner first.")
    session.delete(row)


SIGNUP_POLICIES = ("open", "invite", "closed")


def signup_policy(setting: str, *, on_loopback: bool) -> str:
    """``ADLOOM_SIGNUP`` resolved: empty means open on a loopback-only server, closed otherwise."""
    if setting in SIGNUP_POLICIES:
        return setting
    return "open" if on_loopback else "closed"


def check_signup_allowed(session: Session, *, policy: str, invite: str, email: str) -> None:
    """Refuse a sign-up the policy does not allow: none when closed, only an invited e-mail with
    its live invitation when ``invite``."""
    if policy == "closed":
        raise SignupClosed("This Adloom does not take new sign-ups.",
                           hint="Ask an administrator to create your account (adloom users create).")
    if policy == "invite":
        if not invite:
            raise SignupClosed("Signing up here needs an invitation.",
                               hint="Ask a workspace owner for an invitation link.")
        invitation = get_invitation(session, token=invite)
        if invitation.email != email.strip().lower():
            raise PermissionDenied(f"This invitation is for {invitation.email}.",
                                   hint="Sign up with the e-mail address the invitation was sent to.")


def require_member(session: Session, *, workspace_id: str, user_id: str) -> None:
    """NotFoundError unless ``user_id`` is a member of the workspace."""
    _membership(session, workspace_id, user_id)
