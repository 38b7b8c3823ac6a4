"""What an import checks about this computer itself, called from the end of the importer's
`_finish` inside its transaction: whether this data file went back in time, whether the other
side's acknowledgement is its newest word, and re-dating stamps a wrong clock put in the future."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from da8desktop.core import hlc
from da8desktop.core.db.models import Installation, SyncBundle, SyncPeer
from da8desktop.core.services.site import remember_location
from da8desktop.core.sync.clock import redate_due
from da8desktop.core.sync.went_back import WENT_BACK_TEXT, take_new_site, went_back


def newest_from(session: Session, peer: SyncPeer, manifest: dict[str, Any]) -> bool:
    """Whether this bundle was made after every bundle already imported from the peer."""
    latest = session.scalar(select(func.max(SyncBundle.created_at)).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "in"))
    return latest is None or dt.datetime.fromisoformat(manifest["created_at"]) >= latest


def clock_and_copies(db: Any, uow: Any, inst: Installation, peer: SyncPeer,
                     manifest: dict[str, Any], acked_before: int, dry_run: bool,
                     report: Any) -> None:
    """The other side says it holds changes of ours this file never wrote: an older copy was
    put in its place (core/sync/went_back.py). And own stamps a wrong clock put in the future
    are re-dated once the clock is right (core/sync/clock.py), so they go in the next bundle."""
    if went_back(uow.session, inst, peer, manifest):
        report.message = WENT_BACK_TEXT.render()
        if not dry_run:
            here = str(db.file.resolve()) if db.file is not None else db.url
            take_new_site(uow, here, acked_before)
            remember_location(db)
    if redate_due(inst, hlc.wall_millis()):
        uow.dot()  # the first write of a transaction re-dates what lies in the future
