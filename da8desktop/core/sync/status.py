"""Receipts and sync status: what the other side confirmed, what is missing, what waits."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (
    AdminUnit, Installation, RowVersion, Setting, SyncBundle, SyncConflict, SyncPeer, SyncSite)
from da8desktop.core.services.site import PREVIOUS_SITES_KEY
from da8desktop.core.sync.refused import listed
from da8desktop.core.domain import Role


def _province_peer(session: Any) -> SyncPeer | None:
    return session.scalar(select(SyncPeer).where(SyncPeer.role == Role.PROVINCE.value,
                                                 SyncPeer.status == "enrolled"))


def unsent_changes(db: Database) -> int:
    """Rows written here that the province has not confirmed yet (all of them before the
    first receipt). At the province: 0, it sends to many and each confirms separately."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or inst.role == Role.PROVINCE.value:
            return 0
        peer = _province_peer(session)
        acked = peer.acked if peer else {}
        previous = session.get(Setting, PREVIOUS_SITES_KEY)  # before a copy or restore
        total = 0
        for idx in [inst.site_idx, *(previous.value if previous else [])]:
            site = session.get(SyncSite, idx)
            seq = int(acked.get(str(site.site_id), 0)) if site else 0
            total += session.scalar(select(func.count()).select_from(RowVersion).where(
                RowVersion.site_idx == idx, RowVersion.seq > seq)) or 0
        return total


@dataclass(frozen=True)
class CommuneReceipt:
    set_up: bool
    province: str | None
    confirmed_until: dt.datetime | None  # the province has everything written before this
    unconfirmed: int
    last_export: dt.datetime | None
    last_import: dt.datetime | None
    open_conflicts: int
    rejected_by_province: list[dict[str, Any]] = field(default_factory=list)


def commune_receipt(db: Database) -> CommuneReceipt:
    unconfirmed = unsent_changes(db)
    with db.read() as session:
        inst = session.get(Installation, 1)
        peer = _province_peer(session)
        if inst is None or peer is None:
            return CommuneReceipt(False, None, None, unconfirmed, None, None, 0)
        acked = int(peer.acked.get(str(inst.site_id), 0))
        outs = list(session.scalars(select(SyncBundle).where(
            SyncBundle.peer_id == peer.id, SyncBundle.direction == "out").order_by(
            SyncBundle.processed_at)))
        confirmed = [b for b in outs if b.own_seq <= acked and acked > 0]
        last_in = session.scalar(select(func.max(SyncBundle.processed_at)).where(
            SyncBundle.peer_id == peer.id, SyncBundle.direction == "in"))
        rejected = listed(session)  # kept until a receipt shows the province took them
        return CommuneReceipt(
            True, peer.label, confirmed[-1].created_at if confirmed else None, unconfirmed,
            outs[-1].processed_at if outs else None, last_in, _open_conflicts(session), rejected)


def _open_conflicts(session: Any, commune_key: str | None = None) -> int:
    query = select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved.is_(False))
    if commune_key is not None:
        query = query.where(SyncConflict.commune_key == commune_key)
    return session.scalar(query) or 0


@dataclass(frozen=True)
class CommuneStatus:
    """One commune (or one laptop of it) as the province sees it."""

    commune_code: str
    commune_name: str
    peer_id: uuid.UUID | None
    status: str  # not_enrolled, pending, awaiting_confirmation, enrolled, revoked
    fingerprint: str | None
    enrolled_at: dt.datetime | None
    last_bundle_at: dt.datetime | None  # written at the commune
    last_imported_at: dt.datetime | None
    last_seq: int | None
    received: int
    missing: list[int]
    open_conflicts: int
    rejected_records: int
    last_sent_at: dt.datetime | None


def province_status(db: Database) -> list[CommuneStatus]:
    """Every commune of the province: enrolled or not, what arrived, what is missing."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return []
        communes = list(session.scalars(select(AdminUnit).where(
            AdminUnit.parent_key == inst.province_key, AdminUnit.level == "commune")))
        peers_by_commune: dict[str, list[SyncPeer]] = {}
        for peer in session.scalars(select(SyncPeer).where(SyncPeer.role == Role.COMMUNE.value)):
            peers_by_commune.setdefault(peer.commune_key or "", []).append(peer)
        result = []
        for commune in communes:
            peers = peers_by_commune.get(commune.key) or [None]
            for peer in peers:
                result.append(_commune_status(session, commune, peer))
        from da8desktop.core.text import collation_key

        result.sort(key=lambda s: (s.status == "not_enrolled", collation_key(s.commune_name)))
        return result


def _commune_status(session: Any, commune: AdminUnit, peer: SyncPeer | None) -> CommuneStatus:
    if peer is None:
        return CommuneStatus(commune.code, commune.name, None, "not_enrolled", None, None, None,
                             None, None, 0, [], 0, 0, None)
    ins = list(session.scalars(select(SyncBundle).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "in").order_by(SyncBundle.seq)))
    seqs = {b.seq for b in ins}
    last = max(ins, key=lambda b: b.seq) if ins else None
    missing = sorted(set(range(1, max(seqs) + 1)) - seqs) if seqs else []
    rejected = sum(b.summary.get("counts", {}).get("rejected", 0) for b in ins[-1:])
    last_sent = session.scalar(select(func.max(SyncBundle.processed_at)).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "out"))
    return CommuneStatus(
        commune.code, commune.name, peer.id, _status(peer), peer.fingerprint, peer.enrolled_at,
        last.created_at if last else None, max((b.processed_at for b in ins), default=None),
        last.seq if last else None, len(ins), missing,
        _open_conflicts(session, commune.key), rejected, last_sent)


def _status(peer: SyncPeer) -> str:
    """'awaiting_confirmation': its first bundle arrived, but the officer has not compared its
    fingerprint yet; it is sent nothing personal until then."""
    if peer.status == "enrolled" and peer.confirmed_at is None:
        return "awaiting_confirmation"
    return peer.status


def open_conflicts(db: Database) -> list[SyncConflict]:
    with db.read() as session:
        return list(session.scalars(select(SyncConflict).where(
            SyncConflict.resolved.is_(False)).order_by(SyncConflict.detected_at.desc())))


def mark_conflict_reviewed(db: Database, conflict_id: int) -> None:
    with db.write() as uow:
        conflict = uow.session.get(SyncConflict, conflict_id)
        if conflict is not None:
            conflict.resolved = True
