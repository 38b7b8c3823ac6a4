"""The provinces' computers as the centre knows them (for its Send and receive page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AdminUnit, SyncBundle, SyncPeer
from da8desktop.core.domain import Role
from da8desktop.core.sync.central import awaiting_central_confirmation
from da8desktop.core.text import collation_key


@dataclass(frozen=True)
class ProvinceComputer:
    code: str
    name: str
    status: str  # pending | awaiting_confirmation | enrolled | revoked
    fingerprint: str | None
    last_bundle_at: dt.datetime | None


def province_computers(db: Database) -> list[ProvinceComputer]:
    with db.read() as session:
        last = dict(session.execute(
            select(SyncBundle.peer_id, func.max(SyncBundle.processed_at))
            .where(SyncBundle.direction == "in").group_by(SyncBundle.peer_id)).all())
        found = []
        for peer in session.scalars(select(SyncPeer).where(
                SyncPeer.role == Role.PROVINCE.value)):
            unit = session.get(AdminUnit, peer.province_key)
            status = "awaiting_confirmation" if awaiting_central_confirmation(peer) \
                else peer.status
            found.append(ProvinceComputer(unit.code if unit else "?", unit.name if unit else "?",
                                          status, peer.fingerprint, last.get(peer.id)))
        return sorted(found, key=lambda p: (collation_key(p.name), p.status))
