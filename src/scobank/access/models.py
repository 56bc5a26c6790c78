"""Tables of the access area."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scobank.db import Base, utcnow


class User(Base):
    """A person. Belongs to one organisation (and so to its party); `role` is their role there."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="viewer")  # steward | admin | editor | viewer
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
