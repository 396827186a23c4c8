"""Credits: quotes, holds, captures, releases and grants (DESIGN §3).

A hold is a conditional update (``available >= amount``) plus one ledger row, so the balance can
never go below zero whatever the concurrency; the CHECK constraint is the backstop. A hold is
settled exactly once — captured or released — guarded by a unique idempotency key
``settle:<hold id>``. Captures happen inside the caller's transaction, the one that saves the
step's result.

A *run hold* (``step_id`` empty, ``project_id`` set) reserves a whole autopilot run's quote at
once; each priced stage then captures its share with :func:`capture_part` (key
``capture:<hold id>:<step id>``), and :func:`release` gives back what is left when the run ends.
Settling always takes the account row's lock first, so a part capture and the final release can
never both spend the same remainder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from adloom.credits.models import CreditAccount, LedgerEntry, Price
from adloom.db import rowcount
from adloom.errors import InsufficientCredits, ValidationError


@dataclass(frozen=True)
class Balance:
    available: int
    held: int

    @property
    def total(self) -> int:
        return self.available + self.held


def ensure_account(session: Session, *, workspace_id: str) -> CreditAccount:
    account = session.get(CreditAccount, workspace_id)
    if account is None:
        account = CreditAccount(workspace_id=workspace_id, available=0, held=0)
        session.add(account)
        session.flush()
    return account


def get_balance(session: Session, *, workspace_id: str) -> Balance:
    row = session.execute(
        select(CreditAccount.available, CreditAccount.held).where(
            CreditAccount.workspace_id == workspace_id
        )
    ).first()
    return Balance(available=row[0], held=row[1]) if row else Balance(0, 0)


def ledger_sum(session: Session, *, workspace_id: str) -> Balance:
    """The balance derived from the ledger alone (must equal :func:`get_balance`)."""
    row = session.execute(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0), func.coalesce(func.sum(LedgerEntry.held_delta), 0))
        .where(LedgerEntry.workspace_id == workspace_id)
    ).one()
    return Balance(available=int(row[0]), held=int(row[1]))


def _existing(session: Session, key: str) -> LedgerEntry | None:
    return session.scalars(select(LedgerEntry).where(LedgerEntry.idempotency_key == key)).first()


def grant(
    session: Session,
    *,
    workspace_id: str,
    amount: int,
    idempotency_key: str,
    kind: str = "grant",
    note: str = "",
) -> LedgerEntry:
    """Add credits (admin grant, purchase or refund). Replaying the same key does nothing."""
    if amount <= 0:
        raise ValidationError("A grant must be a positive number of credits.", amount=amount)
    if kind not in ("grant", "purchase", "refund"):
        raise ValidationError(f"'{kind}' is not a kind of credit grant.")
    if (entry := _existing(session, idempotency_key)) is not None:
        return entry
    ensure_account(session, workspace_id=workspace_id)
    entry = LedgerEntry(
        workspace_id=workspace_id, kind=kind, amount=amount, idempotency_key=idempotency_key, note=note
    )
    session.add(entry)
    session.execute(
        update(CreditAccount)
        .where(CreditAccount.workspace_id == workspace_id)
        .values(available=CreditAccount.available + amount)
    )
    session.flush()
    return entry


def hold(
    session: Session,
    *,
    workspace_id: str,
    amount: int,
    idempotency_key: str,
    project_id: str | None = None,
    step_id: str | None = None,
    note: str = "",
) -> LedgerEntry:
    """Reserve ``amount`` credits or raise :class:`InsufficientCredits`; nothing is written then."""
    if (entry := _existing(session, idempotency_key)) is not None:
        return entry
    ensure_account(session, workspace_id=workspace_id)
    with session.begin_nested():
        moved = rowcount(session.execute(
            update(CreditAccount)
            .where(CreditAccount.workspace_id == workspace_id, CreditAccount.available >= amount)
            .values(available=CreditAccount.available - amount, held=CreditAccount.held + amount)
            .execution_options(synchronize_session=False)
        ))
        if moved != 1:
            available = get_balance(session, workspace_id=workspace_id).available
            raise InsufficientCredits(needed=amount, available=available)
        entry = LedgerEntry(
            workspace_id=workspace_id,
            kind="hold",
            amount=-amount,
            held_delta=amount,
            project_id=project_id,
            step_id=step_id,
            idempotency_key=idempotency_key,
            note=note,
        )
        session.add(entry)
        session.flush()
    return entry


def _lock_account(session: Session, workspace_id: str) -> None:
    """Serialise settlements of one workspace (PostgreSQL row lock; SQLite writes are serial)."""
    session.execute(
        select(CreditAccount.workspace_id).where(CreditAccount.workspace_id == workspace_id).with_for_update()
    )


def hold_remaining(session: Session, hold_entry: LedgerEntry) -> int:
    """What a hold still reserves: its amount minus every part already captured or released."""
    settled = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.held_delta), 0)).where(LedgerEntry.hold_id == hold_entry.id)
    )
    return hold_entry.held_delta + int(settled or 0)


def _settle(session: Session, hold_entry: LedgerEntry, *, capture: bool) -> LedgerEntry | None:
    key = f"settle:{hold_entry.id}"
    _lock_account(session, hold_entry.workspace_id)
    if _existing(session, key) is not None:
        return None
    amount = hold_remaining(session, hold_entry)
    if amount <= 0:
        return None  # a run hold whose every credit was captured by its stages
    entry = LedgerEntry(
        workspace_id=hold_entry.workspace_id,
        kind="capture" if capture else "release",
        amount=0 if capture else amount,
        held_delta=-amount,
        project_id=hold_entry.project_id,
        step_id=hold_entry.step_id,
        hold_id=hold_entry.id,
        idempotency_key=key,
    )
    return _apply_settlement(session, entry, capture=capture)


def _apply_settlement(session: Session, entry: LedgerEntry, *, capture: bool) -> LedgerEntry | None:
    amount = -entry.held_delta
    try:
        with session.begin_nested():
            session.add(entry)
            session.flush()
    except IntegrityError:
        return None  # settled concurrently by someone else
    values = {"held": CreditAccount.held - amount}
    if not capture:
        values["available"] = CreditAccount.available + amount
    session.execute(
        update(CreditAccount).where(CreditAccount.workspace_id == entry.workspace_id).values(**values)
    )
    return entry


def capture_part(session: Session, *, hold_id: str, step_id: str, amount: int) -> LedgerEntry | None:
    """Charge one stage's price from a run hold; None when already captured for this step.

    Raises :class:`InsufficientCredits` when the hold no longer covers ``amount`` (the run ended,
    or the stage costs more than quoted): a stage is never charged beyond what was reserved."""
    hold_entry = session.get(LedgerEntry, hold_id)
    if hold_entry is None:
        return None
    key = f"capture:{hold_id}:{step_id}"
    _lock_account(session, hold_entry.workspace_id)
    if _existing(session, key) is not None:
        return None
    remaining = 0 if _existing(session, f"settle:{hold_id}") else hold_remaining(session, hold_entry)
    if remaining < amount:
        raise InsufficientCredits(needed=amount, available=remaining)
    entry = LedgerEntry(
        workspace_id=hold_entry.workspace_id,
        kind="capture",
        amount=0,
        held_delta=-amount,
        project_id=hold_entry.project_id,
        step_id=step_id,
        hold_id=hold_id,
        idempotency_key=key,
        note="from the run hold",
    )
    return _apply_settlement(session, entry, capture=True)


def open_run_hold(session: Session, *, project_id: str) -> LedgerEntry | None:
    """The run hold of a project's current autopilot run that still reserves credits, if any."""
    holds = session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.project_id == project_id, LedgerEntry.kind == "hold", LedgerEntry.step_id.is_(None))
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id)
    ).all()
    for entry in holds:
        if _existing(session, f"settle:{entry.id}") is None and hold_remaining(session, entry) > 0:
            return entry
    return None


def capture(session: Session, *, hold_id: str) -> LedgerEntry | None:
    """Turn a hold into a charge; returns None if it was already settled."""
    hold_entry = session.get(LedgerEntry, hold_id)
    return _settle(session, hold_entry, capture=True) if hold_entry else None


def release(session: Session, *, hold_id: str) -> LedgerEntry | None:
    """Give a hold back; returns None if it was already settled."""
    hold_entry = session.get(LedgerEntry, hold_id)
    return _settle(session, hold_entry, capture=False) if hold_entry else None


def capture_for_step(session: Session, *, hold_id: str, step_id: str, amount: int) -> bool:
    """Charge a finished step from the hold that funds it (its own, or its run's); True when
    this call charged it."""
    hold_entry = session.get(LedgerEntry, hold_id)
    if hold_entry is None:
        return False
    if hold_entry.step_id is None:
        return capture_part(session, hold_id=hold_id, step_id=step_id, amount=amount) is not None
    return _settle(session, hold_entry, capture=True) is not None


def release_for_step(session: Session, *, hold_id: str) -> None:
    """Give back a failed or cancelled step's own hold. A run hold's share stays reserved for a
    retry within the run; the run hold's remainder is released when the run ends."""
    hold_entry = session.get(LedgerEntry, hold_id)
    if hold_entry is not None and hold_entry.step_id is not None:
        _settle(session, hold_entry, capture=False)


def list_ledger(session: Session, *, workspace_id: str, limit: int = 100) -> list[LedgerEntry]:
    stmt = (
        select(LedgerEntry)
        .where(LedgerEntry.workspace_id == workspace_id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def price_list(session: Session, *, workspace_id: str | None, defaults: Mapping[str, int]) -> dict[str, int]:
    """The defaults from settings with this workspace's overrides on top."""
    prices = dict(defaults)
    stmt = select(Price).where((Price.workspace_id.is_(None)) | (Price.workspace_id == workspace_id))
    for row in sorted(session.scalars(stmt), key=lambda p: (p.workspace_id is not None, p.created_at)):
        prices[row.action] = row.credits
    return prices
