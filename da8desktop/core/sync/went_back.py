"""A data file that went back in time (issue #18): an older copy put over it by hand keeps its
site id and re-uses change numbers the other side has already seen, so its later edits would be
skipped there as "already known". The other side's acknowledgement gives it away: it claims more
of our changes than this file ever wrote. Then this file takes a new site id and the changes it
cannot prove were received travel again under it (sync.md §8, "Clocks and copies lie")."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (
    SYNCED_MODELS, Installation, RowVersion, Setting, SyncBundle, SyncPeer)
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

WENT_BACK_TEXT = QT_TRANSLATE_NOOP(
    "Sync", "This data file went back in time: an older copy was put in its place (the other "
    "side has received changes and files from this computer that this file does not hold). It "
    "now writes as a new computer and sends your changes again with the next export; nothing "
    "was lost. Do not copy data files by hand: use Backups, then Restore.")
WENT_BACK_AT_OPEN = QT_TRANSLATE_NOOP(
    "Sync", "This data file is older than the last file sent from it: an older copy was put in "
    "its place. It now writes as a new computer, so nothing you change is lost; the changes made "
    "since that copy come back from the province with the next exchange. Do not copy data files "
    "by hand: use Backups, then Restore.")

FOREIGN_RECEIPTS_KEY = "sync:foreign_receipts"


def went_back(session: Session, inst: Installation, peer: SyncPeer,
              manifest: dict[str, Any]) -> bool:
    """The sender holds changes of ours this file never wrote, or returns receipts of bundles
    this file never made (it went on after the copy was taken: the change numbers may be the
    same, the bundles are not)."""
    if int(manifest["knowledge"].get(str(inst.site_id), 0)) > inst.seq:
        return True
    named = set()
    for summary in manifest["summaries"]:
        try:
            named.add(uuid.UUID(str(summary["bundle_id"])))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    known = set(session.scalars(select(SyncBundle.bundle_id).where(
        SyncBundle.direction == "out", SyncBundle.peer_id == peer.id,
        SyncBundle.bundle_id.in_(named)))) if named else set()
    setting = session.get(Setting, FOREIGN_RECEIPTS_KEY)
    state = dict(setting.value) if setting is not None and isinstance(setting.value, dict) else {}
    handled = set(state.get("handled", []))
    unknown = {str(b) for b in named - known} - handled
    # A new site id already taken at open (a copy, a restore) makes the receipts of the first
    # bundle after it expected: no reason to take yet another.
    absorbed = bool(state.pop("absorb", False))
    if not unknown and not absorbed:
        return False
    state["handled"] = sorted(handled | unknown)[-500:]  # the same receipts come back later
    if setting is None:
        session.add(Setting(key=FOREIGN_RECEIPTS_KEY, value=state))
    else:
        setting.value = state
    return bool(unknown) and not absorbed


def absorb_next_receipts(session: Session) -> None:
    """A new site id was taken at open (a copy or a restore): receipts of bundles this file did
    not make are expected once, and are no reason to take yet another."""
    setting = session.get(Setting, FOREIGN_RECEIPTS_KEY)
    state = dict(setting.value) if setting is not None and isinstance(setting.value, dict) else {}
    state["absorb"] = True
    if setting is None:
        session.add(Setting(key=FOREIGN_RECEIPTS_KEY, value=state))
    else:
        setting.value = state


def take_new_site(uow: Any, here: str, acked_before: int) -> int:
    """In the import's transaction: a new site id (keys and enrolment kept); every change of the
    old site above what the other side had confirmed to this file (`acked_before`) is put under
    the new site's dot, its clock kept, so it travels again and meets what the other side holds
    as a concurrent edit (the older value stays reviewable as a conflict, nothing is lost).
    Returns how many fields travel again."""
    from da8desktop.core.services.site import mint_site_id

    session: Session = uow.session
    inst = uow.installation()
    old_idx = inst.site_idx
    mint_site_id(uow, here, known_of_old=acked_before, went_back=True)
    uow._dot = None  # a dot taken earlier in this transaction belongs to the old site
    new_idx, seq, _hlc = uow.dot()
    moved = 0
    for model in SYNCED_MODELS:
        table = model.__tablename__
        versions = {v.row_id: v for v in session.scalars(select(RowVersion).where(
            RowVersion.table_name == table, RowVersion.site_idx == old_idx,
            RowVersion.seq > acked_before))}
        if not versions:
            continue
        for row in session.scalars(select(model).where(model.id.in_(list(versions)))):
            stamps = dict(row.stamps or {})
            for name, stamp in stamps.items():
                if stamp[0] == old_idx and stamp[1] > acked_before:
                    stamps[name] = [new_idx, seq, stamp[2]]
                    moved += 1
            row.stamps = stamps
            # The row no longer claims to have seen the old site's numbers it re-used: those
            # are the other side's, and must come back here as what they are.
            versions[row.id].seq = acked_before
            mine = session.get(RowVersion, (table, row.id, new_idx))
            if mine is None:
                session.add(RowVersion(table_name=table, row_id=row.id, site_idx=new_idx, seq=seq))
            else:
                mine.seq = seq
    return moved
