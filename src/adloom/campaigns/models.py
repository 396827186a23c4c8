"""Campaigns and their versioned strategy pillars."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from adloom.db import Base, created_column, id_column


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    brand_kit_id: Mapped[str | None] = mapped_column(ForeignKey("brand_kits.id", ondelete="SET NULL"), nullable=True)
    name: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(16), default="en")
    product: Mapped[dict[str, Any]] = mapped_column(default=dict)  # name, description, url, offer, price, photos (storage keys)
    event: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    awareness_stage: Mapped[str] = mapped_column(String(32), default="problem_aware")
    persuasion_trigger: Mapped[str] = mapped_column(String(32), default="social_proof")
    business_type: Mapped[str] = mapped_column(String(64), default="other")
    industry: Mapped[str] = mapped_column(String(64), default="other")
    creative_style: Mapped[str] = mapped_column(String(32), default="direct_response")
    tone: Mapped[str] = mapped_column(Text, default="")
    assets_wanted: Mapped[list[Any]] = mapped_column(default=list)
    strategy_version: Mapped[int] = mapped_column(Integer, default=1)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = created_column()


class StrategyVersion(Base):
    """An immutable snapshot of the three pillars; editing a pillar adds a version."""

    __tablename__ = "strategy_versions"
    __table_args__ = (UniqueConstraint("campaign_id", "version"),)

    id: Mapped[str] = id_column()
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(Text, default="")
    messaging: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_column()
