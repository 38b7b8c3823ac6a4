"""Site numbering and this database's knowledge vector (what it holds of every site)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import Installation, SyncSite


class Sites:
    """site id <-> local index, created on demand inside the current transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_idx: dict[int, str] = {}
        self.by_id: dict[str, int] = {}
        for site in session.scalars(select(SyncSite)):
            self.by_idx[site.idx] = str(site.site_id)
            self.by_id[str(site.site_id)] = site.idx

    def index(self, site_id: str, label: str | None = None) -> int:
        idx = self.by_id.get(site_id)
        if idx is None:
            site = SyncSite(site_id=uuid.UUID(site_id), label=label, known_seq=0)
            self.session.add(site)
            self.session.flush()
            idx = site.idx
            self.by_id[site_id] = idx
            self.by_idx[idx] = site_id
        return idx

    def label(self, site_id: str) -> str:
        idx = self.by_id.get(site_id)
        site = self.session.get(SyncSite, idx) if idx is not None else None
        return (site.label if site and site.label else site_id[:8])


def knowledge(session: Session) -> dict[str, int]:
    """{site_id: seq}: every change of that site up to seq (that concerns us) is here."""
    inst = session.get(Installation, 1)
    result = {str(s.site_id): s.known_seq for s in session.scalars(select(SyncSite))
              if s.known_seq > 0}
    if inst is not None and inst.seq > 0:
        result[str(inst.site_id)] = inst.seq
    return result


def advance(session: Session, sites: Sites, ranges: dict[str, tuple[int, int]]) -> None:
    """A bundle said: it carries every change of site X with lo < seq <= hi. Where we already
    held everything up to lo, we now hold everything up to hi; with a gap (a lost bundle) we
    keep our number, and the data still applies (it is state, not a log)."""
    inst = session.get(Installation, 1)
    for site_id, (lo, hi) in ranges.items():
        if inst is not None and site_id == str(inst.site_id):
            continue
        idx = sites.index(site_id)
        site = session.get(SyncSite, idx)
        assert site is not None
        if site.known_seq >= lo and hi > site.known_seq:
            site.known_seq = hi
