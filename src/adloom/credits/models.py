"""Credit accounts and the append-only ledger.

``credit_accounts.available`` is what a workspace can spend now; ``held`` is reserved by running
steps. Every movement of ``available`` is one ledger row whose ``amount`` is that movement, so
``sum(ledger.amount) == available`` always holds. A CHECK keeps both columns non-negative.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from adloom.db import Base, created_column, id_column

LEDGER_KINDS = ("grant", "purchase", "hold", "capture", "release", "refund")


class CreditAccount(Base):
    __tablename__ = "credit_accounts"
    __table_args__ = (
        CheckConstraint("available >= 0", name="available_not_negative"),
        CheckConstraint("held >= 0", name="held_not_negative"),
    )

    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True)
    available: Mapped[int] = mapped_column(Integer, default=0)
    held: Mapped[int] = mapped_column(Integer, default=0)


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(Integer)  # effect on `available`
    held_delta: Mapped[int] = mapped_column(Integer, default=0)  # effect on `held`
    project_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    step_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    hold_id: Mapped[str | None] = mapped_column(String(32), nullable=True)  # the hold a capture/release settles
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = created_column()


class Price(Base):
    """A price-list override per workspace (the settings hold the defaults)."""

    __tablename__ = "prices"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(64))
    credits: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = created_column()
