"""Applying one incoming row (sync.md §2): per field, a stamp already known is stale, a stamp
that had seen ours fast-forwards, and two unseen writes are concurrent: the higher (HLC, site)
wins on every replica (a delete beats a concurrent edit) and the loser goes to `sync_conflict`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from da8desktop.core.db.models import Attachment, RowVersion, Synced, SyncConflict
from da8desktop.core.hlc import unpack, wall_millis
from da8desktop.core.sync import codec
from da8desktop.core.sync.partition import MODELS_BY_TABLE, CommuneResolver
from da8desktop.core.sync.state import Sites

FUTURE_LIMIT_MS = 24 * 3600 * 1000  # a laptop clock in 2035 must not poison everyone
LABEL_FIELDS = ("full_name", "name", "title", "item", "file_name", "indicator_key")
Stamp = tuple[str, int, int]


@dataclass
class Outcome:
    action: str  # new, updated, unchanged, conflict, deleted, rejected
    table: str
    row_id: uuid.UUID
    label: str
    fields: dict[str, list[Any]] = field(default_factory=dict)
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "table": self.table, "id": str(self.row_id),
                                "label": self.label}
        if self.fields:
            data["fields"] = self.fields
        if self.reason:
            data["reason"] = self.reason
        return data


def label_of(table: str, values: dict[str, Any], row_id: uuid.UUID) -> str:
    for name in LABEL_FIELDS:
        if values.get(name):
            return str(values[name])
    return f"{table} {str(row_id)[:8]}"


class Merger:
    def __init__(self, session: Session, sites: Sites, resolver: CommuneResolver,
                 incoming_ids: set[tuple[str, uuid.UUID]], bundle_id: uuid.UUID | None,
                 source_label: str, now_ms: int | None = None) -> None:
        self.session = session
        self.sites = sites
        self.resolver = resolver
        self.incoming_ids = incoming_ids
        self.bundle_id = bundle_id
        self.source_label = source_label
        self.now_ms = wall_millis() if now_ms is None else now_ms
        self.max_hlc = 0
        self.rejected_ids: set[tuple[str, uuid.UUID]] = set()

    # -- checks that reject one record ------------------------------------------------------------
    def _missing_reference(self, model: type[Synced], values: dict[str, Any]) -> str | None:
        table = model.__table__  # type: ignore[attr-defined]
        for fk in table.foreign_keys:
            value = values.get(fk.parent.key)
            if value is None:
                continue
            target_table = fk.column.table.name
            if self._exists(target_table, value):
                continue
            return f"{fk.parent.key} refers to a missing {target_table} row"
        if model is Attachment and not self._exists(values["owner_table"], values["owner_id"]):
            return f"owner refers to a missing {values['owner_table']} row"
        return None

    def _exists(self, table: str, key: Any) -> bool:
        if (table, key) in self.rejected_ids:
            return False
        if (table, key) in self.incoming_ids:
            return True
        target = MODELS_BY_TABLE.get(table)
        if target is not None:
            return self.session.get(target, key) is not None
        from da8desktop.core.db.models import Base

        mapper_class = next((m.class_ for m in Base.registry.mappers
                             if m.local_table.name == table), None)
        return mapper_class is not None and self.session.get(mapper_class, key) is not None

    def reject(self, table: str, row_id: uuid.UUID, label: str, reason: str) -> Outcome:
        self.rejected_ids.add((table, row_id))
        return Outcome("rejected", table, row_id, label, reason=reason)

    # -- the merge ---------------------------------------------------------------------------
    def apply(self, model: type[Synced], row_id: uuid.UUID, values: dict[str, Any],
              stamps: dict[str, Stamp], context: dict[str, int]) -> Outcome:
        table = model.__tablename__  # type: ignore[attr-defined]
        label = label_of(table, values, row_id)
        newest = max(hlc for _s, _q, hlc in stamps.values())
        if unpack(newest)[0] > self.now_ms + FUTURE_LIMIT_MS:
            return self.reject(table, row_id, label, "dated in the future: the clock of the "
                               "computer that wrote it is wrong; set its date and time")
        problem = self._missing_reference(model, values)
        if problem:
            return self.reject(table, row_id, label, problem)
        try:
            with self.session.begin_nested():
                outcome = self._merge(model, table, row_id, label, values, stamps, context)
                self.session.flush()
        except IntegrityError as exc:
            return self.reject(table, row_id, label, f"breaks a rule of the data ({exc.orig})")
        self.max_hlc = max(self.max_hlc, newest)
        return outcome

    def _merge(self, model: type[Synced], table: str, row_id: uuid.UUID, label: str,
               values: dict[str, Any], stamps: dict[str, Stamp], context: dict[str, int]
               ) -> Outcome:
        local = self.session.get(model, row_id)
        if local is None:
            row = model(id=row_id, **values)
            row.stamps = {f: [self.sites.index(s), q, h] for f, (s, q, h) in stamps.items()}
            self.session.add(row)
            self._merge_context(table, row_id, context)
            action = "deleted" if values["deleted"] else "new"
            return Outcome(action, table, row_id, label,
                           {f: [None, codec.encode_value(v)] for f, v in values.items()
                            if v not in (None, "", [], {}) and f != "deleted"})
        local_ctx = {self.sites.by_idx[v.site_idx]: v.seq for v in self.session.scalars(
            select(RowVersion).where(RowVersion.table_name == table, RowVersion.row_id == row_id))}
        new_stamps = dict(local.stamps or {})
        changes: dict[str, list[Any]] = {}
        conflict = False
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
                if name == "deleted" and ours != theirs:
                    take = bool(theirs)  # a delete wins over a concurrent edit or undelete
                else:
                    take = (in_hlc, in_site) > (mine[2], mine[0])
                if ours != theirs:
                    conflict = True
                    self._record_conflict(table, row_id, label, name, local, values, take,
                                          mine[0], in_site)
            if take:
                before = getattr(local, name)
                if before != values[name]:
                    changes[name] = [codec.encode_value(before), codec.encode_value(values[name])]
                    setattr(local, name, values[name])
                new_stamps[name] = [self.sites.index(in_site), in_seq, in_hlc]
        local.stamps = new_stamps
        self._merge_context(table, row_id, context)
        if conflict:
            action = "conflict"
        elif "deleted" in changes and values["deleted"]:
            action = "deleted"
        elif changes:
            action = "updated"
        else:
            action = "unchanged"
        return Outcome(action, table, row_id, label, changes)

    def _merge_context(self, table: str, row_id: uuid.UUID, context: dict[str, int]) -> None:
        for site_id, seq in context.items():
            idx = self.sites.index(site_id)
            version = self.session.get(RowVersion, (table, row_id, idx))
            if version is None:
                self.session.add(RowVersion(table_name=table, row_id=row_id, site_idx=idx, seq=seq))
            elif seq > version.seq:
                version.seq = seq

    def _record_conflict(self, table: str, row_id: uuid.UUID, label: str, name: str,
                         local: Synced, values: dict[str, Any], incoming_wins: bool,
                         local_site: str, incoming_site: str) -> None:
        ours = codec.encode_value(getattr(local, name))
        theirs = codec.encode_value(values[name])
        kept, lost = (theirs, ours) if incoming_wins else (ours, theirs)
        kept_site, lost_site = ((incoming_site, local_site) if incoming_wins
                                else (local_site, incoming_site))
        self.session.add(SyncConflict(
            table_name=table, row_id=row_id, field=name, label=label,
            commune_key=self.resolver.commune_of(type(local), values),
            kept_value=kept, kept_site=self.sites.label(kept_site),
            lost_value=lost, lost_site=self.sites.label(lost_site),
            bundle_id=self.bundle_id,
            detected_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
