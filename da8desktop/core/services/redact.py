"""Erasing a person's personal data for good (sync.md §2 "redact"): unlike a delete it cannot be
undone. The erased values travel in the next bundles and win on every site; the traces this
computer kept (audit details, conflicts, import summaries) are scrubbed too, and with SQLite's
`secure_delete` and a WAL checkpoint the old bytes leave the data file. The records merged into
the erased person are erased with her, and every backup beside the file that holds them is
rewritten or removed (core/db/backup_scrub.py)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, delete, or_, select
from sqlalchemy.orm import Session

from da8desktop.core.db.backup_scrub import scrub_backups
from da8desktop.core.db import search_index
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Attendance, AuditEntry, Membership, Person,
                                       SafeDeliverySupport, SyncBundle, SyncConflict)
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

ERASED_LABEL = "—"
CHECKPOINT_ATTEMPTS = 50


@dataclass(frozen=True)
class ErasureResult:
    people: int  # the person and the records merged into her
    backups_cleaned: int
    backups_dropped: int

    def message(self) -> str:
        text = QT_TRANSLATE_NOOP(
            "People", "The personal data was erased for good. {cleaned} backup(s) were cleaned "
            "and {dropped} that could not be cleaned were removed. Copies you made by hand (USB "
            "sticks, other folders) are not reached: delete them yourself.").render(
            cleaned=self.backups_cleaned, dropped=self.backups_dropped)
        if self.people > 1:
            text += " " + QT_TRANSLATE_NOOP(
                "People", "{count} duplicate record(s) merged into this person were erased "
                "too.").render(count=self.people - 1)
        return text


def redact_person(db: Database, person_id: uuid.UUID) -> ErasureResult:
    with db.write() as uow:
        row = uow.session.get(Person, person_id)
        if row is None:
            raise UserFacingError(QT_TRANSLATE_NOOP("People", "This person no longer exists."))
        ids = [person_id, *merged_into(uow.session, person_id)]
        needles: set[str] = set()
        for erased_id in ids:
            erased = uow.session.get(Person, erased_id)
            if erased is None:
                continue  # the merge named a record this computer never received
            needles |= personal_values(erased)
            if erased.deleted and not erased.redacted:
                _stop_counting(uow, erased_id)
            uow.update(erased, {**Person.ERASED, "redacted": True, "deleted": True})
        scrub_traces(uow.session, ids)
        for erased_id in ids:  # after the scrub, which would blank these lines too
            erased = uow.session.get(Person, erased_id)
            if erased is not None:
                uow.audit(AuditAction.DELETE, erased, "personal data erased for good")
    flush_old_pages(db)
    scrubbed = scrub_backups(db, ids, needles)
    return ErasureResult(len(ids), scrubbed.cleaned, scrubbed.dropped)


def _stop_counting(uow: Any, person_id: uuid.UUID) -> None:
    """An erased person still counts in the figures (measures.counted_person); one deleted
    before (a record made by mistake, not counted) must not come back into them through her
    memberships, attendance or support: those are deleted with the erasure."""
    for model in (Membership, Attendance, SafeDeliverySupport):
        for row in uow.session.scalars(select(model).where(
                model.person_id == person_id, model.deleted.is_(False))):
            uow.set_deleted(row, True)


def personal_values(row: Person) -> set[str]:
    """The values an erasure removes, as text (to find them again in copies)."""
    return {str(getattr(row, name)) for name in ("full_name", "search_key", "cccd", "phone",
                                                  "guardian_name", "guardian_phone", "note")
            if getattr(row, name)}


def merged_into(session: Session, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The records merged into this person (services/merge_people.py notes each one's id in the
    merge's audit line), and the ones merged into those, in turn."""
    found: list[uuid.UUID] = []
    queue = [person_id]
    while queue:
        current = queue.pop()
        for details in session.scalars(select(AuditEntry.details).where(
                AuditEntry.entity == "person", AuditEntry.entity_id == str(current),
                AuditEntry.action == AuditAction.MERGE.value)):
            try:
                merged = uuid.UUID(str((details or {}).get("merged_id")))
            except ValueError:
                continue
            if merged != person_id and merged not in found:
                found.append(merged)
                queue.append(merged)
    return found


def scrub_traces(session: Session, person_ids: Iterable[uuid.UUID]) -> None:
    """Remove what this computer kept of the erased values outside the person row."""
    ids = list(person_ids)
    if not ids:
        return
    keys = {str(i) for i in ids}
    # Its own lines, and others that name it (the merge line on the record kept).
    mentions = [cast(AuditEntry.details, String).like(f"%{key}%") for key in keys]
    for entry in session.scalars(select(AuditEntry).where(or_(
            (AuditEntry.entity == "person") & AuditEntry.entity_id.in_(keys), *mentions))):
        entry.summary, entry.details = ERASED_LABEL, {}
    session.execute(delete(SyncConflict).where(SyncConflict.table_name == "person",
                                               SyncConflict.row_id.in_(ids)))
    for bundle in session.scalars(select(SyncBundle)):
        summary = bundle.summary or {}
        rejected = summary.get("rejected") or []
        if any(r.get("id") in keys for r in rejected):
            bundle.summary = {**summary, "rejected": [
                {**r, "label": ERASED_LABEL} if r.get("id") in keys else r for r in rejected]}


def flush_old_pages(db: Database) -> None:
    """Merge the search index into one segment (its old segments, which still list the erased
    words, are freed), then copy the WAL into the file and empty it: with secure_delete on
    (engine.py) freed pages are zeroed, so the erased values are in neither file."""
    if db.dialect == "sqlite":
        with db.engine.connect() as connection:
            with connection.begin():
                connection.exec_driver_sql(
                    f"INSERT INTO {search_index.TABLE}({search_index.TABLE}) VALUES ('optimize')")
            # A reader elsewhere (a page loading) keeps the WAL from being emptied: its old
            # frames would survive until overwritten, so try again a little later.
            for _attempt in range(CHECKPOINT_ATTEMPTS):
                busy = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
                if busy is None or not busy[0]:
                    break
                time.sleep(0.1)
