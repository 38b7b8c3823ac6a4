"""Recently deleted records and their restore: a delete is a tombstone, never an erase."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Group, Person, Synced, TrustedAddressCase, Village
from da8desktop.core.hlc import unpack
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.records import RecordService, WriteResult
from da8desktop.core.services.trusted_cases import TrustedCasesService
from da8desktop.core.services.villages import VillagesService

# table -> (model, label column, service)
_KINDS: dict[str, tuple[type[Synced], str, type[RecordService]]] = {
    "person": (Person, "full_name", PeopleService),
    "community_group": (Group, "name", GroupsService),
    "activity": (Activity, "title", ActivitiesService),
    "village": (Village, "name", VillagesService),
    # a case row has no name (aggregates only): it is shown by the day it was received
    "trusted_address_case": (TrustedAddressCase, "reported_on", TrustedCasesService),
}


def _label(value: object) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value or "")


@dataclass(frozen=True)
class DeletedRow:
    table: str
    id: uuid.UUID
    label: str
    deleted_at: dt.datetime


def recently_deleted(db: Database, limit: int = 300) -> list[DeletedRow]:
    found: list[DeletedRow] = []
    with db.read() as session:
        for table, (model, label, _service) in _KINDS.items():
            query = select(model).where(model.deleted.is_(True))
            if model is Person:  # erased for good: nothing left to restore
                query = query.where(Person.redacted.is_(False))
            for row in session.scalars(query):
                millis, _counter = unpack(row.stamps.get("deleted", [0, 0, 0])[2])
                found.append(DeletedRow(table, row.id, _label(getattr(row, label)),
                                        dt.datetime.fromtimestamp(millis / 1000)))
    found.sort(key=lambda r: r.deleted_at, reverse=True)
    return found[:limit]


def deleted_label(db: Database, table: str, row_id: uuid.UUID) -> str | None:
    """The name of a record just deleted (a tombstone keeps it), for "Deleted … (Ctrl+Z)"."""
    kind = _KINDS.get(table)
    if kind is None:
        return None
    model, label, _service = kind
    with db.read() as session:
        row = session.get(model, row_id)
        return _label(getattr(row, label)) if row is not None else None


def restore(db: Database, table: str, row_id: uuid.UUID) -> WriteResult:
    _model, _column, service = _KINDS[table]
    return service(db).restore(row_id)
