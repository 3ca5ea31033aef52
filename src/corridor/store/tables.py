"""The database tables, as SQLAlchemy 2 declarative models. Migrations create them; see migrations/."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of corridor's tables (its metadata is the migrations' target)."""


class ShipmentRow(Base):
    """A saved shipment: the query, the chosen route and the network version it was planned on."""

    __tablename__ = "shipments"
    # ids of deleted records are never reused
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    query: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    route_index: Mapped[int] = mapped_column(Integer, nullable=False)
    route: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    network: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ScenarioRow(Base):
    """A saved scenario: its name and its TOML text, kept verbatim."""

    __tablename__ = "scenarios"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, index=True
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
