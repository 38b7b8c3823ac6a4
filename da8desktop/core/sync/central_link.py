"""The province's link to the centre as the province sees it (its `sync status` and its Send and
receive page): connected or not, whether the centre has taken its figures yet, when the last
aggregates bundle was written, and the catalogue versions the centre sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import SyncBundle, SyncPeer
from da8desktop.core.domain import Role

# not_connected: no setup file of the centre used yet. waiting: connected, but no bundle of the
# centre has said it took this province's figures (it takes them once its officer confirmed
# this province's fingerprint). confirmed: the centre's latest bundle acknowledges them.
LINK_STATES = ("not_connected", "waiting", "confirmed")


@dataclass(frozen=True)
class CentralLink:
    state: str
    central: str | None = None
    central_fingerprint: str | None = None
    connected_at: dt.datetime | None = None
    last_aggregates_at: dt.datetime | None = None
    last_aggregates_file: str | None = None
    last_from_centre_at: dt.datetime | None = None
    catalogues: dict[str, str] = field(default_factory=dict)


def central_link(db: Database) -> CentralLink:
    with db.read() as session:
        peer = session.scalar(select(SyncPeer).where(
            SyncPeer.role == Role.CENTRAL.value, SyncPeer.status == "enrolled"))
        if peer is None:
            return CentralLink("not_connected")
        out = session.scalar(select(SyncBundle).where(
            SyncBundle.peer_id == peer.id, SyncBundle.direction == "out").order_by(
            SyncBundle.processed_at.desc()).limit(1))
        ins = list(session.scalars(select(SyncBundle).where(
            SyncBundle.peer_id == peer.id, SyncBundle.direction == "in").order_by(
            SyncBundle.processed_at)))
        catalogues: dict[str, str] = {}
        for bundle in ins:  # the latest version of each catalogue the centre sent
            sent = bundle.summary.get("catalogues") if isinstance(bundle.summary, dict) else None
            if isinstance(sent, dict):
                catalogues.update({str(k): str(v) for k, v in sent.items()})
        taken = any(isinstance(b.summary, dict) and int(b.summary.get("figures_taken") or 0) > 0
                    for b in ins)
        return CentralLink(
            "confirmed" if taken else "waiting", peer.label, peer.fingerprint, peer.enrolled_at,
            out.processed_at if out else None, out.file_name if out else None,
            ins[-1].processed_at if ins else None, dict(sorted(catalogues.items())))
