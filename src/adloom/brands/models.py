"""Brand kits: the identity campaigns share."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adloom.db import Base, created_column, id_column


class BrandKit(Base):
    __tablename__ = "brand_kits"

    id: Mapped[str] = id_column()
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    logo_key: Mapped[str | None] = mapped_column(String(128), nullable=True)
    colors: Mapped[dict[str, Any]] = mapped_column(default=dict)
    heading_font: Mapped[str] = mapped_column(String(100), default="Inter")
    body_font: Mapped[str] = mapped_column(String(100), default="Inter")
    tone: Mapped[str] = mapped_column(Text, default="")
    tagline: Mapped[str] = mapped_column(String(300), default="")
    voice: Mapped[str] = mapped_column(String(100), default="", server_default="")  # a Piper voice name
    sonic_logo_asset_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = created_column()
