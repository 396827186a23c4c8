"""Instance administrators grant credits from the dashboard (the CLI's ``adloom credits grant``).

Who is an administrator is a setting (``ADLOOM_ADMIN_EMAILS``), not a role inside a workspace:
an owner of a workspace must not be able to grant credits to it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from adloom.accounts.models import Workspace
from adloom.credits import service as credits
from adloom.credits.models import LedgerEntry
from adloom.errors import NotFoundError, PermissionDenied, ValidationError
from adloom.settings import Settings

MAX_GRANT = 1_000_000


def require_admin(settings: Settings, email: str) -> None:
    if not settings.is_admin(email):
        raise PermissionDenied("Only an Adloom administrator can add credits.",
                               hint="Ask your Adloom administrator to add credits to this workspace.")


def admin_grant(session: Session, settings: Settings, *, admin_email: str, workspace_id: str, amount: int,
                note: str, key: str) -> LedgerEntry:
    """Grant ``amount`` credits to a workspace as an administrator; a replayed ``key`` grants once."""
    require_admin(settings, admin_email)
    if not 1 <= amount <= MAX_GRANT:
        raise ValidationError(f"Grant between 1 and {MAX_GRANT:,} credits.", amount=amount)
    if session.get(Workspace, workspace_id) is None:
        raise NotFoundError(f"There is no workspace '{workspace_id}'.")
    reason = " ".join(note.split())[:200] or "admin grant"
    return credits.grant(session, workspace_id=workspace_id, amount=amount, idempotency_key=f"web-grant:{key}",
                         note=f"{reason} (by {admin_email})"[:300])


def list_workspaces(session: Session) -> list[Workspace]:
    """Every workspace of the instance, for the administrator's grant form."""
    return list(session.scalars(select(Workspace).order_by(Workspace.name)))
