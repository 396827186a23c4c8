"""Workspaces, users and memberships."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts.models import ROLES, Membership, User, Workspace
from adloom.accounts.passwords import (
    burn_verification,
    check_new_password,
    hash_password,
    verify_password,
)
from adloom.credits import service as credits
from adloom.errors import AuthError, ConflictError, ValidationError, WorkspaceNotFound

DEFAULT_WORKSPACE_SLUG = "local"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "workspace"


def create_workspace(session: Session, *, name: str, welcome_credits: int, slug: str | None = None) -> Workspace:
    """A new workspace with its credit account and the welcome grant."""
    base = slug or slugify(name)
    candidate, n = base, 1
    while session.scalar(select(Workspace.id).where(Workspace.slug == candidate)):
        n += 1
        candidate = f"{base}-{n}"
    workspace = Workspace(name=name, slug=candidate)
    session.add(workspace)
    session.flush()
    credits.ensure_account(session, workspace_id=workspace.id)
    if welcome_credits:
        credits.grant(
            session,
            workspace_id=workspace.id,
            amount=welcome_credits,
            idempotency_key=f"welcome:{workspace.id}",
            note="welcome grant",
        )
    return workspace


def get_workspace_or_raise(session: Session, ref: str) -> Workspace:
    """A workspace by id or slug."""
    workspace = session.get(Workspace, ref) or session.scalars(select(Workspace).where(Workspace.slug == ref)).first()
    if workspace is None:
        raise WorkspaceNotFound(f"There is no workspace '{ref}'.", hint="List them with 'adloom users list'.")
    return workspace


def default_workspace(session: Session, *, welcome_credits: int) -> Workspace:
    """The local workspace the CLI uses without --workspace, created on first use."""
    workspace = session.scalars(select(Workspace).where(Workspace.slug == DEFAULT_WORKSPACE_SLUG)).first()
    if workspace is None:
        workspace = create_workspace(
            session, name="Local workspace", welcome_credits=welcome_credits, slug=DEFAULT_WORKSPACE_SLUG
        )
    return workspace


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    name: str = "",
    workspace: Workspace | None = None,
    role: str = "owner",
    welcome_credits: int = 0,
) -> User:
    """A user with a password, member of ``workspace`` (or of a new workspace of their own)."""
    email = email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ValidationError(f"'{email}' is not an email address.")
    check_new_password(password)
    if role not in ROLES:
        raise ValidationError(f"'{role}' is not a role; use one of {', '.join(ROLES)}.")
    if session.scalar(select(User.id).where(User.email == email)):
        raise ConflictError(f"A user with the email {email} already exists.", hint="Sign in instead.")
    user = User(email=email, name=name or email.split("@")[0], password_hash=hash_password(password))
    session.add(user)
    session.flush()
    if workspace is None:
        workspace = create_workspace(session, name=f"{user.name}'s workspace", welcome_credits=welcome_credits)
    session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=role))
    session.flush()
    return user


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user with this e-mail and password, else None; as slow for unknown e-mails as for known
    ones, so timing does not reveal who has an account."""
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        burn_verification(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one (the caller ends the user's sessions)."""
    if not verify_password(user.password_hash, current):
        raise AuthError("The current password is not right.", hint="Type it again, or sign out and reset it.")
    check_new_password(new)
    user.password_hash = hash_password(new)
    session.flush()


def memberships(session: Session, *, user_id: str) -> list[Membership]:
    return list(session.scalars(select(Membership).where(Membership.user_id == user_id)))


def role_in(session: Session, *, user_id: str, workspace_id: str) -> str | None:
    return session.scalar(
        select(Membership.role).where(Membership.user_id == user_id, Membership.workspace_id == workspace_id)
    )
