"""Erasing a person's personal data for good (sync.md §2 "redact"): unlike a delete it cannot be
undone. The erased values travel in the next bundles and win on every site; the traces this
computer kept (audit details, conflicts, import summaries) are scrubbed too, and with SQLite's
`secure_delete` and a WAL checkpoint the old bytes leave the data file."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AuditEntry, Person, SyncBundle, SyncConflict
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

ERASED_LABEL = "—"


def redact_person(db: Database, person_id: uuid.UUID) -> None:
    with db.write() as uow:
        row = uow.session.get(Person, person_id)
        if row is None:
            raise UserFacingError(QT_TRANSLATE_NOOP("People", "This person no longer exists."))
        uow.update(row, {**Person.ERASED, "redacted": True, "deleted": True})  # no audit details
        scrub_traces(uow.session, [person_id])
        uow.audit(AuditAction.DELETE, row, "personal data erased for good")
    flush_old_pages(db)


def scrub_traces(session: Session, person_ids: Iterable[uuid.UUID]) -> None:
    """Remove what this computer kept of the erased values outside the person row."""
    ids = list(person_ids)
    if not ids:
        return
    keys = {str(i) for i in ids}
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.entity == "person",
                                                          AuditEntry.entity_id.in_(keys))):
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
    """Copy the WAL into the file and empty it: with secure_delete on (engine.py) the erased
    values are then in neither file."""
    if db.dialect == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
