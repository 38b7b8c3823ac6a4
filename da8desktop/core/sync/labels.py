"""Readable labels of records a receipt lists as refused: "Lò Thị Mai (Bản Nà Phá)", a group's
name, an activity's title and date, never "person 01a22edd". The names come from the bundle's
own lines (even refused ones: a village refused for its over-long name still names its people)
or from this database.

At the province a label travels back to the sending commune in its receipt, and is shown in the
preview: so a name is taken only from rows of the sender's own commune (as stored), never from
another commune's stored rows, and a record whose id is another commune's row is labelled by its
table and id alone, never by the name the sender chose for it (issue #17, item 7)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from da8desktop.core.formats import format_date

PART = 60  # a label is for reading; an over-long name is cut (it is often why it was refused)
NAME_FIELDS = {"village": "name", "person": "full_name", "community_group": "name",
               "activity": "title", "group_support": "item", "attachment": "file_name"}


def _cut(text: Any) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= PART else text[:PART - 1] + "…"


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _day(value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    try:
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return ""


class Labeller:
    """Names by (table, id), from the incoming lines first, then the database."""

    def __init__(self, session: Session, tables: dict[str, list[Any]] | None = None,
                 commune_key: str | None = None) -> None:
        self.session = session
        self.tables = tables or {}
        self.commune_key = commune_key  # the sender's commune; None: every stored row is ours
        self._names: dict[tuple[str, uuid.UUID], str] | None = None

    def _stored(self, table: str, row_id: uuid.UUID) -> Any:
        from da8desktop.core.sync.merge import _mapped

        try:
            return self.session.get(_mapped(table), row_id)
        except Exception:  # noqa: BLE001 - an unknown table name is simply not stored here
            return None

    def _foreign(self, table: str, row_id: uuid.UUID) -> bool:
        """Is this id a stored row of another commune than the sender's?"""
        if self.commune_key is None or table not in _COMMUNE_OF:
            return False
        row = self._stored(table, row_id)
        if row is None:
            return False
        commune = _COMMUNE_OF[table](self, row)
        return commune is not None and commune != self.commune_key

    @property
    def names(self) -> dict[tuple[str, uuid.UUID], str]:
        """Indexed on the first refusal only: most imports refuse nothing."""
        if self._names is None:
            self._names = self._index()
        return self._names

    def _index(self) -> dict[tuple[str, uuid.UUID], str]:
        names: dict[tuple[str, uuid.UUID], str] = {}
        for table, field in NAME_FIELDS.items():
            for record in self.tables.get(table, []):
                try:
                    if isinstance(record, tuple):  # decoded: (id, values, stamps, context)
                        row_id, name = record[0], record[1].get(field)
                    else:  # as read (a record refused before it was decoded)
                        row_id, name = _uuid(record["id"]), record["v"][field]
                except (KeyError, TypeError, ValueError):
                    continue
                if row_id is not None and isinstance(name, str) and name:
                    names[(table, row_id)] = _cut(name)
        return names

    def name(self, table: str, key: Any) -> str:
        row_id = _uuid(key)
        if row_id is None:
            return ""
        if self._foreign(table, row_id):
            return ""
        found = self.names.get((table, row_id))
        if found is None and table in NAME_FIELDS:
            row = self._stored(table, row_id)
            found = _cut(getattr(row, NAME_FIELDS[table]) or "") if row is not None else ""
            self.names[(table, row_id)] = found
        return found or ""

    def label(self, table: str, values: dict[str, Any], row_id: Any) -> str:
        """Raw (JSON) or decoded values alike."""
        key = _uuid(row_id)
        if key is not None and self._foreign(table, key):
            return f"{table} {str(row_id)[:8]}"
        own = values.get(NAME_FIELDS.get(table, ""))
        own = _cut(own) if isinstance(own, str) and own else ""
        where = ""
        if table == "person":
            where = self.name("village", values.get("village_id"))
        elif table == "community_group":
            where = self.name("village", values.get("village_id"))
        elif table == "activity":
            where = _day(values.get("date_start"))
        elif table in ("membership", "group_support", "trusted_address_case", "group_status_change"):
            own = own or self.name("person", values.get("person_id"))
            where = self.name("community_group", values.get("group_id"))
        elif table == "attendance":
            own = self.name("person", values.get("person_id"))
            where = self.name("activity", values.get("activity_id"))
        elif table == "safe_delivery_support":
            own = self.name("person", values.get("person_id"))
            where = _day(values.get("given_on"))
        elif table == "attachment":
            where = self.name(str(values.get("owner_table")), values.get("owner_id"))
        if not own:
            own = f"{table} {str(row_id)[:8]}"
        return f"{own} ({where})" if where else own


def _group_commune(labeller: Labeller, row: Any) -> str | None:
    group = labeller._stored("community_group", row.group_id)
    return None if group is None else group.commune_key


def _activity_commune(labeller: Labeller, row: Any) -> str | None:
    activity = labeller._stored("activity", row.activity_id)
    return None if activity is None else activity.commune_key


def _attachment_commune(labeller: Labeller, row: Any) -> str | None:
    owner = labeller._stored(str(row.owner_table), row.owner_id)
    return getattr(owner, "commune_key", None)


# The commune of a stored row, by table: its own column, or its stored parent's.
_COMMUNE_OF: dict[str, Any] = {
    "village": lambda _l, row: row.commune_key,
    "person": lambda _l, row: row.commune_key,
    "community_group": lambda _l, row: row.commune_key,
    "activity": lambda _l, row: row.commune_key,
    "safe_delivery_support": lambda _l, row: getattr(row, "commune_key", None),
    "membership": _group_commune,
    "group_support": _group_commune,
    "group_status_change": _group_commune,
    "trusted_address_case": _group_commune,
    "attendance": _activity_commune,
    "attachment": _attachment_commune,
}
