"""Sync bookkeeping that never travels: the peers this site exchanges bundles with, the bundles
seen, and the conflicts found (sync.md §2-§5)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class SyncPeer(Base):
    """A computer this site exchanges bundles with: the province at a commune; every enrolled
    (or pending) commune laptop at the province. Identified by its signing key, not its site id:
    a restored or copied data file mints a new site id but keeps its enrolment."""

    __tablename__ = "sync_peer"
    __table_args__ = (
        CheckConstraint("role IN ('commune', 'province', 'central')", name="role"),
        CheckConstraint("status IN ('pending', 'enrolled', 'revoked')", name="status"),
        Index("ix_sync_peer_commune", "commune_key"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10))
    province_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    commune_key: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.key"))
    label: Mapped[str] = mapped_column(String(200))
    sign_public: Mapped[str | None] = mapped_column(String(64), unique=True)  # Ed25519, hex
    box_public: Mapped[str | None] = mapped_column(String(100))  # age X25519 recipient
    code_hash: Mapped[str | None] = mapped_column(String(64))  # one-time enrolment code, hashed
    fingerprint: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[dt.datetime]
    enrolled_at: Mapped[dt.datetime | None]
    # When the officer compared the fingerprint by phone and confirmed it: until then the
    # province sends this laptop no personal data (a setup file alone is not a key).
    confirmed_at: Mapped[dt.datetime | None]
    # What the peer said it holds, {site_id: seq}: exports to it start from here.
    acked: Mapped[dict[str, Any]] = mapped_column(default=dict)
    acked_at: Mapped[dt.datetime | None]
    out_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_out_bundle: Mapped[uuid.UUID | None]


class SyncBundle(Base):
    """A bundle written here or imported here (rejected imports write nothing, so are absent)."""

    __tablename__ = "sync_bundle"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        Index("ix_sync_bundle_peer", "peer_id", "direction", "seq"),
    )

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    direction: Mapped[str] = mapped_column(String(3))
    peer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sync_peer.id"))
    kind: Mapped[str] = mapped_column(String(12))
    seq: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]  # when the sender wrote it
    processed_at: Mapped[dt.datetime]  # written (out) or imported (in) here
    # Highest sequence of this site's own writes the bundle carried (out), for receipts.
    own_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # For an outgoing bundle: the receiver's import summary once it came back.
    receipt: Mapped[dict[str, Any] | None]


class SyncConflict(Base):
    """Two sites changed one field without seeing each other's change. The rule picked the same
    winner everywhere; the losing value is kept here for the officer to review."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved", "commune_key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[uuid.UUID]
    field: Mapped[str] = mapped_column(String(40))
    commune_key: Mapped[str | None] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(Text)
    kept_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept_site: Mapped[str] = mapped_column(String(200))
    lost_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    lost_site: Mapped[str] = mapped_column(String(200))
    bundle_id: Mapped[uuid.UUID | None]
    detected_at: Mapped[dt.datetime]
    resolved: Mapped[bool] = mapped_column(default=False)
