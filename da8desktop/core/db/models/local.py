"""Tables that never travel: this installation's identity, sync bookkeeping, audit, settings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from da8desktop.core.domain import AuditAction, Role, sql_in

from .base import Base


class SyncSite(Base):
    """Local numbering of every site we have seen stamps from (keeps per-field stamps small)."""

    __tablename__ = "sync_site"

    idx: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    site_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    label: Mapped[str | None] = mapped_column(String(200))
    # This database holds every change of that site up to here (for the data it receives).
    # For this installation's own current site the live counter is `installation.seq`.
    known_seq: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Installation(Base):
    """The one row saying who this database is (sync.md §2). A copied or restored file must mint
    a new site id: `install_token` is also kept outside the database to notice copies."""

    __tablename__ = "installation"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint(sql_in("role", Role), name="role"),
        CheckConstraint("role <> 'commune' OR commune_key IS NOT NULL", name="commune_has_unit"),
        CheckConstraint("seq >= 0 AND hlc >= 0", name="counters"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    site_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    site_idx: Mapped[int] = mapped_column(ForeignKey("sync_site.idx"))
    role: Mapped[str] = mapped_column(String(10))
    is_demo: Mapped[bool] = mapped_column(default=False)
    province_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    commune_key: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.key"))
    organisation_name: Mapped[str] = mapped_column(String(200))
    ethnic_scheme: Mapped[str] = mapped_column(String(10), default="2008")
    # Per-site write sequence: every local write transaction takes the next number.
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # Last hybrid-logical-clock value issued or received.
    hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    install_token: Mapped[str] = mapped_column(String(64))
    # Sync keys (issue 4): public halves in clear, private halves wrapped (core/sync/keys.py).
    sign_public: Mapped[str | None] = mapped_column(String(64))
    box_public: Mapped[str | None] = mapped_column(String(100))
    keys_wrapped: Mapped[dict[str, Any] | None]
    created_at: Mapped[dt.datetime]


class RowVersion(Base):
    """Row version vectors, one entry per (row, site): the highest sequence of that site that
    wrote the row. Indexed by (site, seq) so "what changed since the other side's ack" is a range
    scan, not a table scan."""

    __tablename__ = "row_version"
    __table_args__ = (Index("ix_row_version_site_seq", "site_idx", "seq"),)

    table_name: Mapped[str] = mapped_column(String(40), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    site_idx: Mapped[int] = mapped_column(ForeignKey("sync_site.idx"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """Who changed, exported, printed or imported what, and when. Local to this computer."""

    __tablename__ = "audit_log"
    __table_args__ = (
        CheckConstraint(sql_in("action", AuditAction), name="action"),
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_entity", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Setting(Base):
    """Small per-database settings (organisation lines, demo seeds loaded, catalogue version)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
