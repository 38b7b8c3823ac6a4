"""Who owns which rows (sync.md §2), and which rows belong in a bundle for a given receiver.

The commune owns its villages, people, groups, meetings and activities; the province owns
targets (and catalogues and the registry, which travel outside the synced tables) and its own
activities, stamped with the province's unit key: they are in no commune's partition, so they
never go down to a commune, and a commune bundle naming one is refused whole. A commune
bundle that touches another commune's rows or a province-owned table is rejected whole.

A row's commune is decided by what is stored, never by what a bundle says: a row already here
belongs to the commune of its stored `commune_key` (or of its stored parent), and that link never
changes through sync (docs/bundle-format.md, "Who may send what").
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (
    SYNCED_MODELS, Activity, Attachment, Attendance, Group, GroupStatusChange, GroupSupport,
    Membership, Synced,
    Target, TrustedAddressCase)
from da8desktop.core.db.models.attachments import OWNER_TABLES
from da8desktop.core.services.units import is_province_key, old_units

MODELS_BY_TABLE: dict[str, type[Synced]] = {m.__tablename__: m for m in SYNCED_MODELS}
PROVINCE_OWNED = frozenset({Target.__tablename__})
COMMUNE_OWNED = frozenset(MODELS_BY_TABLE) - PROVINCE_OWNED

# Child tables reach their commune through a parent: (column, parent model).
_PARENT: dict[type[Synced], tuple[str, type[Synced]]] = {
    GroupSupport: ("group_id", Group),
    GroupStatusChange: ("group_id", Group),
    Membership: ("group_id", Group),
    TrustedAddressCase: ("group_id", Group),
    Attendance: ("activity_id", Activity),
}


def in_commune(model: type[Synced], commune_key: str) -> ColumnElement[bool]:
    """SQL condition: the row belongs to `commune_key`, read from the rows as stored (a
    child through its stored parent, an attachment through the stored group or activity it
    names), never from anything a bundle says about itself."""
    if hasattr(model, "commune_key"):
        return model.commune_key == commune_key
    if model is Attachment:
        return or_(
            and_(Attachment.owner_table == Group.__tablename__, Attachment.owner_id.in_(
                select(Group.id).where(Group.commune_key == commune_key))),
            and_(Attachment.owner_table == Activity.__tablename__, Attachment.owner_id.in_(
                select(Activity.id).where(Activity.commune_key == commune_key))))
    column, parent = _PARENT[model]
    return getattr(model, column).in_(
        select(parent.id).where(parent.commune_key == commune_key))


class CommuneResolver:
    """The commune of an incoming row, looked up in the bundle first, then in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.incoming: dict[tuple[str, uuid.UUID], str | None] = {}

    def note(self, table: str, row_id: uuid.UUID, commune_key: str | None) -> None:
        self.incoming[(table, row_id)] = commune_key

    def _parent_commune(self, model: type[Synced], row_id: Any) -> str | None:
        if row_id is None:
            return None
        table = model.__tablename__
        if (table, row_id) in self.incoming:
            return self.incoming[(table, row_id)]
        row = self.session.get(model, row_id)
        return None if row is None else row.commune_key

    def commune_of(self, model: type[Synced], values: dict[str, Any]) -> str | None:
        if "commune_key" in values:
            return values["commune_key"]
        if model is Attachment:
            parent = {Group.__tablename__: Group, Activity.__tablename__: Activity}.get(
                values.get("owner_table"))
            return self._parent_commune(parent, values.get("owner_id")) if parent else None
        column, parent_model = _PARENT[model]
        return self._parent_commune(parent_model, values.get(column))


# -- ownership of incoming rows, against the rows as stored ------------------------------
Key = tuple[str, uuid.UUID]
_ATTACHMENT_OWNERS: dict[str, type[Synced]] = {Group.__tablename__: Group,
                                               Activity.__tablename__: Activity}
if set(_ATTACHMENT_OWNERS) != set(OWNER_TABLES):  # the schema changed: update this module
    raise RuntimeError("attachment owners differ from the attachment table's")


@functools.cache  # asked for every record of an import
def _keyed(model: type[Synced]) -> bool:
    """The model's rows carry their own commune key."""
    return hasattr(model, "commune_key")


@functools.cache  # asked for every record of an import
def link_columns(model: type[Synced]) -> tuple[str, ...]:
    """The columns that decide a row's commune: its own commune key, or its parent."""
    if hasattr(model, "commune_key"):
        return ("commune_key",)
    if model is Attachment:
        return ("owner_table", "owner_id")
    return (_PARENT[model][0],)


def _references(model: type[Synced]) -> tuple[tuple[str, str], ...]:
    """Other columns pointing at a commune's rows (a member's person, a person's village): the
    row they point at must be the sender's too."""
    links = set(link_columns(model))
    return tuple(sorted((fk.parent.key, fk.column.table.name)
                        for fk in model.__table__.foreign_keys
                        if fk.column.table.name in COMMUNE_OWNED and fk.parent.key not in links))


REFERENCES = {m: _references(m) for m in SYNCED_MODELS}
# Every row a link or reference reaches carries its own commune key: one level is enough.
if not all(hasattr(MODELS_BY_TABLE[t], "commune_key") for refs in REFERENCES.values()
           for _c, t in refs):
    raise RuntimeError("a reference reaches a table without a commune key: update this module")


def _parent_key(model: type[Synced], link: tuple[Any, ...]) -> Key | None:
    if _keyed(model):
        return None
    if model is Attachment:
        owner = _ATTACHMENT_OWNERS.get(link[0])
        return None if owner is None or link[1] is None else (link[0], link[1])
    parent: Any = _PARENT[model][1]
    return None if link[0] is None else (parent.__tablename__, link[0])


@dataclass(frozen=True)
class Violation:
    """A record the sender may not send. Only the table and id are kept: a row of another
    commune is never shown under a name the sender chose for it."""

    table: str
    row_id: uuid.UUID
    reason: str


class Ownership:
    """Checks a bundle's rows against the sender's commune, reading the stored rows (and their
    stored parents) with a few IN queries."""

    def __init__(self, session: Session, commune_key: str | None,
                 assume_new: bool = False) -> None:
        self.session = session
        self.commune_key = commune_key
        # The importer's bet for a sender none of whose sites is known here: none of its rows
        # is stored, so they are not looked up. The bet is checked by the inserts themselves
        # (a stored id fails its primary key), and a lost bet redoes the whole import with
        # every look-up (importer.apply_bundle): nothing stored is ever merged unchecked.
        self.assume_new = assume_new
        self._incoming: dict[Key, tuple[type[Synced], dict[str, Any]]] = {}
        self._stored_links: dict[Key, tuple[Any, ...]] = {}
        self._communes: dict[Key, str] = {}  # stored rows carrying a commune key
        # Per table, the commune of each row the checks may name: as stored when it is here,
        # else as the bundle brings it, else absent (None: the merge rejects the record). One
        # look-up of an id per reference, rather than two of a (table, id) pair.
        self._known: dict[str, dict[uuid.UUID, str | None]] = {}
        self._former: set[str] | None = None

    def violations(self, decoded: list[tuple[type[Synced], tuple[Any, ...]]]) -> list[Violation]:
        for model, (row_id, values, *_rest) in decoded:
            self._incoming[(_table(model), row_id)] = (model, values)
        self._load(decoded)
        found: list[Violation] = []
        for model, (row_id, values, *_rest) in decoded:
            problem = self._problem(model, row_id, values)
            if problem:
                found.append(Violation(_table(model), row_id, problem))
        return found

    def stored_keys(self) -> set[Key]:
        """The (table, id) of the checked records already stored here: the merge reads those
        rows again, and only those (a first import of a commune reads none)."""
        return set(self._stored_links)

    def _problem(self, model: type[Synced], row_id: uuid.UUID, values: dict[str, Any]
                 ) -> str | None:
        table = model.__tablename__
        columns = link_columns(model)
        link = (values[columns[0]],) if len(columns) == 1 else tuple(values[c] for c in columns)
        stored = self._stored_links.get((table, row_id)) if self._stored_links else None
        if stored is not None:
            stored_owner = self._owner(model, stored, stored_only=True)
            if stored_owner != self.commune_key:
                # The province's own activities (issue 20 item 7) are the province site's:
                # no commune may claim, change or erase one.
                return ("a record of the province" if is_province_key(stored_owner)
                        else "a record of another commune")
            if stored != link:
                return "would move a record to another commune or parent"
        owner = self._owner(model, link, stored_only=False)
        if owner is not None and owner != self.commune_key:
            return ("claims to be a record of the province" if is_province_key(owner)
                    else "belongs to another commune")
        legacy = values.get("legacy_unit_key")
        if legacy is not None and legacy not in self._former_units():
            # Filed under a former commune merged into another commune, it would count in
            # that commune's phase-I figures (issue 20 item 8).
            return "legacy_unit_key is not a former commune merged into this commune"
        known = self._known
        for column, target in REFERENCES[model]:
            value = values.get(column)
            if value is not None and known.get(target, _NONE).get(value) not in (
                    None, self.commune_key):
                return f"{column} refers to a record of another commune"
        return None

    def _former_units(self) -> set[str]:
        if self._former is None:
            self._former = {u.key for u in old_units(self.session, self.commune_key)}
        return self._former

    def _owner(self, model: type[Synced], link: tuple[Any, ...], stored_only: bool) -> str | None:
        if _keyed(model):
            return link[0]
        parent = _parent_key(model, link)
        if parent is None:
            return None
        if stored_only:
            return self._communes.get(parent)
        return self._known.get(parent[0], _NONE).get(parent[1])

    def _load(self, decoded: list[tuple[type[Synced], tuple[Any, ...]]]) -> None:
        ids: dict[type[Synced], list[uuid.UUID]] = {}
        for model, (row_id, *_rest) in decoded:
            ids.setdefault(model, []).append(row_id)
        for model, row_ids in ids.items():
            if self.assume_new:
                break
            table = model.__tablename__
            columns = [getattr(model, c) for c in link_columns(model)]
            for chunk in _chunks(row_ids):
                for row_id, *link in self.session.execute(
                        select(model.id, *columns).where(model.id.in_(chunk))):
                    self._stored_links[(table, row_id)] = tuple(link)
        # The ids wanted per table, first by object: the rows naming one row share its id
        # object (codec._reference), and an int's hash is not a call of Python code as a
        # UUID's is. Sets are made of the distinct objects at the end.
        by_object: dict[str, dict[int, Any]] = {}

        def want(key: Key | None) -> None:
            if key is not None:
                by_object.setdefault(key[0], {})[id(key[1])] = key[1]

        for (table, _row_id), link in self._stored_links.items():
            want(_parent_key(MODELS_BY_TABLE[table], link))
        for model, (_row, values, *_rest) in decoded:
            columns = link_columns(model)
            if not _keyed(model):
                want(_parent_key(model, tuple(values[c] for c in columns)))
            for column, target in REFERENCES[model]:
                value = values.get(column)
                if value is not None:
                    by_object.setdefault(target, {})[id(value)] = value
        wanted = {table: set(objects.values()) for table, objects in by_object.items()}
        for table, keys in wanted.items():
            model = MODELS_BY_TABLE[table]
            # An incoming row not stored here (all were looked up above) has no stored commune.
            keys = {k for k in keys if (table, k) not in self._incoming
                    or (table, k) in self._stored_links}
            for chunk in _chunks(list(keys)):
                for row_id, commune in self.session.execute(select(
                        model.id, model.commune_key).where(
                        model.id.in_(chunk))):
                    self._communes[(table, row_id)] = commune
        # The commune of a row with a commune key: as stored when it is here, else as the
        # bundle brings it (new), else absent (missing: the merge rejects the record).
        known = self._known
        for (table, row_id), (_model, values) in self._incoming.items():
            commune = values.get("commune_key")
            if commune is not None:  # None is what an absent row gives too
                known.setdefault(table, {})[row_id] = commune
        for (table, row_id), commune in self._communes.items():
            known.setdefault(table, {})[row_id] = commune


_NONE: dict[uuid.UUID, str | None] = {}  # never written: a table no row names
def _table(model: type[Synced]) -> str:
    return model.__tablename__


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
