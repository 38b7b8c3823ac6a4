"""Applying one incoming row (sync.md §2): per field, a stamp already known is stale, a stamp
that had seen ours fast-forwards, and two unseen writes are concurrent: the higher (HLC, site)
wins on every replica (a delete beats a concurrent edit) and the loser goes to `sync_conflict`."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from da8desktop.core.db.dialect import insert_many
from da8desktop.core.db.models import Attachment, Person, RowVersion, Synced, SyncConflict
from da8desktop.core.hlc import unpack
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec
from da8desktop.core.sync.clock import FUTURE_LIMIT_MS, own_clock_behind, real_time_estimate
from da8desktop.core.sync.labels import Labeller
from da8desktop.core.sync.conflicts import record_details
from da8desktop.core.sync.partition import MODELS_BY_TABLE, CommuneResolver
from da8desktop.core.sync.state import Sites
from da8desktop.core.sync.record_rules import RecordRules

PARENT_REFUSED = QT_TRANSLATE_NOOP(
    "Sync", "Not taken because {parent} was refused: correct that record first.")
STICKY_TRUE = frozenset({"deleted", "redacted"})  # a delete or an erasure wins a concurrent edit
BATCH = 500
LABEL_FIELDS = ("full_name", "name", "title", "item", "file_name", "indicator_key")
Stamp = tuple[str, int, int]


class NotNew(Exception):
    """A row assumed new (its sender is unknown here, so nothing was looked up) is stored here
    after all: the import is redone with every look-up and every ownership check."""


@dataclass(slots=True)  # one per record of an import: 35,000 of them for a commune's first
class Outcome:
    action: str  # new, updated, unchanged, conflict, deleted, rejected
    table: str
    row_id: uuid.UUID
    label: str
    fields: dict[str, list[Any]] = field(default_factory=dict)
    reason: str | None = None
    # A new row's values: its drill-down (None -> value) is made only when asked for.
    new_values: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "table": self.table, "id": str(self.row_id),
                                "label": self.label}
        if self.new_values is not None and not self.fields:
            self.fields = {f: [None, codec.encode_value(v)] for f, v in self.new_values.items()
                           if v not in (None, "", [], {}) and f != "deleted"}
        if self.fields:
            data["fields"] = self.fields
        if self.reason:
            data["reason"] = self.reason
        return data


def label_of(table: str, values: dict[str, Any], row_id: uuid.UUID) -> str:
    for name in _label_fields(table):
        if values.get(name):
            return str(values[name])
    if type(row_id) is uuid.UUID:  # str(row_id)[:8] without UUID.__str__ (a call per record)
        return f"{table} {row_id.int >> 96:08x}"
    return f"{table} {str(row_id)[:8]}"


@functools.cache
def _label_fields(table: str) -> tuple[str, ...]:
    """LABEL_FIELDS a synced table has (a record's decoded values hold its fields, no other):
    an attendance row has none, and 30,000 of them looked each one up."""
    model = MODELS_BY_TABLE.get(table)
    if model is None:
        return LABEL_FIELDS
    fields = set(model.data_fields())
    return tuple(name for name in LABEL_FIELDS if name in fields)


class Merger:
    def __init__(self, session: Session, sites: Sites, resolver: CommuneResolver,
                 incoming_ids: set[tuple[str, uuid.UUID]], bundle_id: uuid.UUID | None,
                 source_label: str, now_ms: int | None = None) -> None:
        self.session = session
        self.sites = sites
        self.resolver = resolver
        self.incoming_ids = incoming_ids
        self._incoming_by_table: dict[str, set[uuid.UUID]] | None = None  # made by _exists
        self.bundle_id = bundle_id
        self.source_label = source_label
        # Not the bare wall clock: a province whose clock is behind must not refuse (and
        # blame) a commune whose clock is right (docs/bundle-format.md, "Clocks").
        self.now_ms = real_time_estimate(session, bundle_id) if now_ms is None else now_ms
        self._clock_behind: bool | None = None
        self.max_hlc = 0
        self.rejected_ids: set[tuple[str, uuid.UUID]] = set()
        self.rejected_labels: dict[tuple[str, uuid.UUID], str] = {}
        self.labeller = Labeller(session)  # readable labels for refusals (importer sets its own)
        self.rules = RecordRules(session)  # values no form could write (record_rules.py)
        self.redacted_ids: set[uuid.UUID] = set()
        # Filled by prepare(): the rows, version vectors and referenced ids the bundle touches,
        # read with a few IN queries instead of one query per record.
        # Set by the importer: the incoming rows its ownership check found stored here. The
        # others are new to this database (it looked them up in this transaction), so they are
        # not looked up again. None: every incoming id is looked up.
        self.stored: set[tuple[str, uuid.UUID]] | None = None
        self.assumed_new = False  # `stored` is empty because nothing was looked up: see NotNew
        self._rows: dict[tuple[str, uuid.UUID], Synced] | None = None
        self._versions: dict[tuple[str, uuid.UUID], dict[int, RowVersion]] = {}
        self._present: dict[str, set[Any]] = {}
        # New rows of the current batch, written with one executemany per table at its end.
        self._new_rows: dict[type[Synced], list[dict[str, Any]]] = {}
        self._new_versions: list[dict[str, Any]] = []
        # The stored form of the last new row's stamps, for the next row of the same write.
        self._last_stamps: tuple[Any, dict[str, list[int]]] = (None, {})
        # The stamps and context last checked, and their newest clock (_checked).
        self._last_checked: tuple[Any, Any, int] = (None, None, 0)

    # -- bulk reads ---------------------------------------------------------------------------
    def prepare(self, decoded: list[tuple[type[Synced], tuple[Any, ...]]]) -> None:
        self.rules.prepare(decoded)
        ids: dict[type[Synced], list[uuid.UUID]] = {}
        # Referenced ids per table, first by object (rows naming one row share its id object,
        # codec._reference, and an int hashes without a call of Python code, a UUID not).
        by_object: dict[str, dict[int, Any]] = {}
        stored = self.stored
        for model, (row_id, values, _stamps, _context) in decoded:
            if stored is None or (model.__tablename__, row_id) in stored:
                ids.setdefault(model, []).append(row_id)
            for column, target in _references(model):
                value = values.get(column)
                if value is not None:
                    by_object.setdefault(target, {})[id(value)] = value
            if model is Attachment:
                by_object.setdefault(values["owner_table"], {})[id(values["owner_id"])] = \
                    values["owner_id"]
        wanted = {table: set(objects.values()) for table, objects in by_object.items()}
        self._rows = {}
        for model, row_ids in ids.items():
            table = model.__tablename__
            for chunk in _chunks(row_ids):
                for row in self.session.scalars(select(model).where(model.id.in_(chunk))):
                    self._rows[(table, row.id)] = row
                for version in self.session.scalars(select(RowVersion).where(
                        RowVersion.table_name == table, RowVersion.row_id.in_(chunk))):
                    self._versions.setdefault((table, version.row_id), {})[version.site_idx] = version
        for table, keys in wanted.items():
            mapped = _mapped(table)
            if mapped is None:
                continue
            # Rows the bundle brings need no look-up: _exists takes them as present.
            keys = {k for k in keys if (table, k) not in self.incoming_ids}
            key_column = mapped.__mapper__.primary_key[0]
            found: set[Any] = set()
            for chunk in _chunks(list(keys)):
                found.update(self.session.scalars(select(key_column).where(key_column.in_(chunk))))
            self._present[table] = found

    # -- checks that reject one record ------------------------------------------------------------
    def _missing_reference(self, model: type[Synced], values: dict[str, Any]) -> str | None:
        for column, target_table in _references(model):
            value = values.get(column)
            if value is None:
                continue
            # (A pair is looked up only when something was refused: hashing an id is a call.)
            if self.rejected_ids and (target_table, value) in self.rejected_ids:
                # refused above: say which, plainly
                return PARENT_REFUSED.render(parent=self.rejected_labels.get(
                    (target_table, value), target_table))
            if self._exists(target_table, value):
                continue
            return f"{column} refers to a missing {target_table} row"
        owner = (values.get("owner_table"), values.get("owner_id"))
        if model is Attachment and owner in self.rejected_ids:
            return PARENT_REFUSED.render(parent=self.rejected_labels.get(owner, owner[0]))
        if model is Attachment and not self._exists(values["owner_table"], values["owner_id"]):
            return f"owner refers to a missing {values['owner_table']} row"
        return None

    def _exists(self, table: str, key: Any) -> bool:
        if self.rejected_ids and (table, key) in self.rejected_ids:
            return False
        incoming = self._incoming_by_table
        if incoming is None:  # the bundle's ids per table: one look-up of an id, not of a pair
            incoming = self._incoming_by_table = {}
            for table_name, row_id in self.incoming_ids:
                incoming.setdefault(table_name, set()).add(row_id)
        if key in incoming.get(table, ()):
            return True
        if self._rows is not None and table in self._present:
            return key in self._present[table]
        mapper_class = _mapped(table)
        return mapper_class is not None and self.session.get(mapper_class, key) is not None

    def reject(self, table: str, row_id: uuid.UUID, label: str, reason: str) -> Outcome:
        if self.assumed_new and self._stored_here(table, row_id):
            # The bet on new rows is checked by their inserts; a refused row is never
            # inserted, so a stored row (another commune's, say) refused here would slip past
            # the ownership check, and a row naming it before its refusal (a village cycle
            # sorts one first) would be kept: the import is redone with every look-up.
            raise NotNew
        self.rejected_ids.add((table, row_id))
        self.rejected_labels[(table, row_id)] = label
        return Outcome("rejected", table, row_id, label, reason=reason)

    def _stored_here(self, table: str, row_id: uuid.UUID) -> bool:
        model = MODELS_BY_TABLE.get(table)
        return model is not None and self.session.scalar(
            select(model.id).where(model.id == row_id)) is not None

    def readable(self, table: str, values: dict[str, Any], row_id: uuid.UUID) -> str:
        """The label a receipt shows for a refused record (names, group, date)."""
        return self.labeller.label(table, values, row_id)

    # -- the merge ---------------------------------------------------------------------------
    def apply_all(self, decoded: list[tuple[type[Synced], tuple[Any, ...]]]) -> list[Outcome]:
        """Merge every record, a batch of rows per savepoint; a batch that breaks a rule of the
        data is rolled back and redone record by record, so only the bad record is skipped."""
        self.prepare(decoded)
        outcomes: list[Outcome] = []
        for start in range(0, len(decoded), BATCH):
            batch = decoded[start:start + BATCH]
            if self._rows is None:  # after a failed batch: record by record from here on
                outcomes.extend(self.apply(m, *row) for m, row in batch)
                continue
            redacted_before = set(self.redacted_ids)
            rejected_before = set(self.rejected_ids)
            checked = [(model, row, self._checked(model, *row)) for model, row in batch]
            done: list[Outcome] = []
            self._new_rows, self._new_versions = {}, []
            try:
                with self.session.no_autoflush, self.session.begin_nested():
                    for model, row, rejection in checked:
                        done.append(rejection or self._merge(
                            model, model.__tablename__, row[0], label_of(
                                model.__tablename__, row[1], row[0]), *row[1:]))
                    self.session.flush()
                    self._write_new_rows()
            except IntegrityError:
                if self.stored is not None and self.assumed_new:
                    raise NotNew from None  # a bet lost: the importer redoes it all, looking
                self.redacted_ids = redacted_before
                self.rejected_ids = rejected_before
                self._rows, self._versions, self._present = None, {}, {}  # stale after rollback
                outcomes.extend(self.apply(m, *row) for m, row in batch)
                continue
            outcomes.extend(done)
        return outcomes

    def _checked(self, model: type[Synced], row_id: uuid.UUID, values: dict[str, Any],
                 stamps: dict[str, Stamp], _context: dict[str, int]) -> Outcome | None:
        """The rejection of a record that cannot be applied, or None (and its clock noted)."""
        table = model.__tablename__
        # Rows of one write share their stamps and context objects (codec.decode_row), which
        # nobody changes: their sites and newest clock are worked out once per run of them.
        if stamps is self._last_checked[0] and _context is self._last_checked[1]:
            newest = self._last_checked[2]
        else:
            # Sites are numbered here, outside any savepoint: a rolled-back savepoint must not
            # take a site row with it while the numbering cache still points at it.
            for site in {s for s, _q, _h in stamps.values()} | set(_context):
                self.sites.index(site)
            newest = max(hlc for _s, _q, hlc in stamps.values())
            self._last_checked = (stamps, _context, newest)
        if unpack(newest)[0] > self.now_ms + FUTURE_LIMIT_MS:
            if self._clock_behind is None:
                self._clock_behind = own_clock_behind(self.session)
            return self.reject(table, row_id, self.readable(table, values, row_id), (
                "dated in the future for this computer, whose own date and time look wrong: "
                "set them, then import the file again" if self._clock_behind else
                "dated in the future: the clock of the computer that wrote it is wrong; set "
                "its date and time (it re-dates its changes by itself and sends them again)"))
        problem = self._missing_reference(model, values) or self.rules.problem(model, values)
        if problem:
            return self.reject(table, row_id, self.readable(table, values, row_id), problem)
        self.max_hlc = max(self.max_hlc, newest)
        return None

    def apply(self, model: type[Synced], row_id: uuid.UUID, values: dict[str, Any],
              stamps: dict[str, Stamp], context: dict[str, int]) -> Outcome:
        """One record in its own savepoint."""
        table = model.__tablename__
        label = label_of(table, values, row_id)
        rejected = self._checked(model, row_id, values, stamps, context)
        if rejected:
            return rejected
        try:
            with self.session.begin_nested():
                outcome = self._merge(model, table, row_id, label, values, stamps, context)
                self.session.flush()
        except IntegrityError as exc:
            return self.reject(table, row_id, self.readable(table, values, row_id),
                               f"breaks a rule of the data ({exc.orig})")
        return outcome

    def _merge(self, model: type[Synced], table: str, row_id: uuid.UUID, label: str,
               values: dict[str, Any], stamps: dict[str, Stamp], context: dict[str, int]
               ) -> Outcome:
        if self._rows is not None:
            local = self._rows.get((table, row_id))
        else:
            local = self.session.get(model, row_id)
        if local is None and self._rows is not None and not values.get("redacted"):
            return self._add_new(model, table, row_id, label, values, stamps, context)
        if local is None:
            row = model(id=row_id, **values)
            row.stamps = {f: [self.sites.index(s), q, h] for f, (s, q, h) in stamps.items()}
            self._keep_erased(row)
            self.session.add(row)
            self._merge_context(table, row_id, context)
            action = "deleted" if values["deleted"] else "new"
            return Outcome(action, table, row_id, label, new_values=values)
        local_ctx = {self.sites.by_idx[v.site_idx]: v.seq
                     for v in self._row_versions(table, row_id).values()}
        new_stamps = dict(local.stamps or {})
        changes: dict[str, list[Any]] = {}
        conflicts: list[tuple[str, Any, bool, tuple[str, int], tuple[str, int]]] = []
        for name, incoming in stamps.items():
            in_site, in_seq, in_hlc = incoming
            mine_raw = new_stamps.get(name)
            mine = (self.sites.by_idx[mine_raw[0]], mine_raw[1], mine_raw[2]) if mine_raw else None
            take = False
            if mine is None:
                take = True
            elif mine == incoming or local_ctx.get(in_site, 0) >= in_seq:
                continue  # the same write, or one we have already seen (stale)
            elif context.get(mine[0], 0) >= mine[1]:
                take = True  # they had seen our value: fast-forward
            else:  # concurrent
                ours, theirs = getattr(local, name), values[name]
                if name in STICKY_TRUE and ours != theirs:
                    take = bool(theirs)  # a delete wins over a concurrent edit or undelete
                else:
                    take = (in_hlc, in_site) > (mine[2], mine[0])
                if ours != theirs:
                    conflicts.append((name, ours, take, (mine[0], mine[2]), (in_site, in_hlc)))
            if take:
                before = getattr(local, name)
                if before != values[name]:
                    changes[name] = [codec.encode_value(before), codec.encode_value(values[name])]
                    setattr(local, name, values[name])
                new_stamps[name] = [self.sites.index(in_site), in_seq, in_hlc]
        local.stamps = new_stamps
        for erased in self._keep_erased(local):
            changes.setdefault(erased, ["…", codec.encode_value(Person.ERASED[erased])])
        for name, ours, take, local_site, their_site in conflicts:  # (site id, clock) each
            if not (getattr(local, "redacted", False) and name in Person.ERASED):
                self._record_conflict(table, row_id, label, name, ours, type(local), values,
                                      take, local_site, their_site)
        self._merge_context(table, row_id, context)
        if conflicts:
            action = "conflict"
        elif "deleted" in changes and values["deleted"]:
            action = "deleted"
        elif changes:
            action = "updated"
        else:
            action = "unchanged"
        return Outcome(action, table, row_id, label, changes)

    def _add_new(self, model: type[Synced], table: str, row_id: uuid.UUID, label: str,
                 values: dict[str, Any], stamps: dict[str, Stamp], context: dict[str, int]
                 ) -> Outcome:
        """A row this site has never seen, as plain values for the batch's executemany: most of
        a first import is new rows, and ORM objects for them were most of its time."""
        index = self.sites.index
        if stamps is self._last_stamps[0]:  # rows of one write share their stamps (codec)
            row_stamps = self._last_stamps[1]
        else:
            # The fields of a row written together share one stamp (codec._stamps): each
            # stamp is turned into its stored form once per row, not once per field.
            stored: dict[int, list[int]] = {}
            row_stamps = {}
            for name, stamp in stamps.items():
                form = stored.get(id(stamp))
                if form is None:
                    form = stored[id(stamp)] = [index(stamp[0]), stamp[1], stamp[2]]
                row_stamps[name] = form
            self._last_stamps = (stamps, row_stamps)
        self._new_rows.setdefault(model, []).append(
            {**values, "id": row_id, "stamps": row_stamps})
        self._new_versions.extend({"table_name": table, "row_id": row_id, "site_idx": index(site),
                                   "seq": seq} for site, seq in context.items())
        return Outcome("deleted" if values["deleted"] else "new", table, row_id, label,
                       new_values=values)

    def _write_new_rows(self) -> None:
        for model, rows in self._new_rows.items():  # parents first, as the bundle lists them
            insert_many(self.session, model.__table__, rows)
        insert_many(self.session, RowVersion.__table__, self._new_versions)
        self._new_rows, self._new_versions = {}, []

    def _keep_erased(self, row: Synced) -> list[str]:
        """An erased person stays erased, whatever value a late or concurrent bundle carries:
        a personal field holding anything but its erased value is forced back and stamped like
        the erasure, which every site does the same way. Fields the erasure found already empty
        keep their stamp, as at the site that erased."""
        if not isinstance(row, Person) or not row.redacted:
            return []
        self.redacted_ids.add(row.id)
        forced = []
        stamp = row.stamps["redacted"]
        stamps = dict(row.stamps)
        for name, value in Person.ERASED.items():
            if getattr(row, name) != value:  # a value that survived the erasure somewhere
                setattr(row, name, value)
                stamps[name] = stamp
                forced.append(name)
        row.stamps = stamps
        return forced

    def _row_versions(self, table: str, row_id: uuid.UUID) -> dict[int, RowVersion]:
        if self._rows is not None:
            return self._versions.setdefault((table, row_id), {})
        return {v.site_idx: v for v in self.session.scalars(select(RowVersion).where(
            RowVersion.table_name == table, RowVersion.row_id == row_id))}

    def _merge_context(self, table: str, row_id: uuid.UUID, context: dict[str, int]) -> None:
        versions = self._row_versions(table, row_id)
        for site_id, seq in context.items():
            idx = self.sites.index(site_id)
            version = versions.get(idx)
            if version is None:
                version = RowVersion(table_name=table, row_id=row_id, site_idx=idx, seq=seq)
                self.session.add(version)
                versions[idx] = version
            elif seq > version.seq:
                version.seq = seq

    def _record_conflict(self, table: str, row_id: uuid.UUID, label: str, name: str,
                         ours_value: Any, model: type[Synced], values: dict[str, Any],
                         incoming_wins: bool, local: tuple[str, int], incoming: tuple[str, int]
                         ) -> None:
        """`local` and `incoming`: (site id, clock) of each value's write."""
        ours = codec.encode_value(ours_value)
        theirs = codec.encode_value(values[name])
        kept, lost = (theirs, ours) if incoming_wins else (ours, theirs)
        kept_side, lost_side = (incoming, local) if incoming_wins else (local, incoming)
        conflict = SyncConflict(
            table_name=table, row_id=row_id, field=name, label=label,
            commune_key=self.resolver.commune_of(model, values),
            kept_value=kept, kept_site=self.sites.label(kept_side[0]),
            lost_value=lost, lost_site=self.sites.label(lost_side[0]),
            bundle_id=self.bundle_id,
            detected_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
        self.session.add(conflict)
        record_details(self.session, conflict, kept_side, lost_side)  # who and when


@functools.cache
def _references(model: type[Synced]) -> tuple[tuple[str, str], ...]:
    """(column, table it refers to) of each foreign key of a model's table, in the order the
    table lists them: read once per model, not once per record."""
    return tuple((fk.parent.key, fk.column.table.name) for fk in model.__table__.foreign_keys)


def _chunks(items: list[Any], size: int = 500) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


def _mapped(table: str) -> Any:
    """The mapped class of a table name (synced or reference)."""
    from da8desktop.core.db.models import Base

    if table in MODELS_BY_TABLE:
        return MODELS_BY_TABLE[table]
    return next((m.class_ for m in Base.registry.mappers if m.local_table.name == table), None)
