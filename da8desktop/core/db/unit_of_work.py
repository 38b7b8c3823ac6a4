"""One write transaction: the only place that stamps fields, bumps the site sequence and writes
the audit log, so no service can forget (and no hidden ORM hook does it behind anyone's back)."""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from da8desktop.core.db.changes import Changes
from da8desktop.core.db.dialect import installation_for_update
from da8desktop.core.db.models import AuditEntry, Installation, RowVersion, Synced
from da8desktop.core.errors import NotSetUp
from da8desktop.core import hlc
from da8desktop.core.hlc import Hlc
from da8desktop.core.ids import new_id
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

# Own stamps this far ahead of the wall clock are re-dated (core/sync/clock.py): more than a
# time-zone mistake (up to 12 h wrong is common and harmless), less than the 24 h a receiver allows.
REDATE_MARGIN_MS = 12 * 3600 * 1000
# A transaction's changed row ids are reported up to this many per table (an import of 300,000
# people reports the table alone: no page reloads row by row anyway).
MAX_IDS = 1000


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows setups
        return "?"


class UnitOfWork:
    """Created by `Database.write()`. All writes in it share one dot (site, seq) and one HLC."""

    def __init__(self, session: Session, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor or current_actor()
        self._dot: tuple[int, int, int] | None = None
        self.redated = 0  # own stamps a wrong clock had put in the future, re-dated here
        self._touched: dict[str, set[Any]] = {}
        # Local tables written without stamps (settings, sync registry) are seen at flush.
        event.listen(session, "before_flush", self._before_flush)

    # -- what changed -------------------------------------------------------------------------
    def touched(self, table: str, row_id: Any = None) -> None:
        """Note a change the session cannot see (a bulk statement)."""
        ids = self._touched.setdefault(table, set())
        if row_id is not None and len(ids) <= MAX_IDS:  # past that, "many rows" is the news
            ids.add(row_id)

    def changes(self) -> Changes:
        return Changes(frozenset(self._touched),
                       {t: frozenset(ids) for t, ids in self._touched.items()
                        if len(ids) <= MAX_IDS})

    def _before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            table = getattr(type(row), "__tablename__", None)
            if table is not None:
                self.touched(table, getattr(row, "id", None))

    # -- identity -----------------------------------------------------------------------------
    def installation(self) -> Installation:
        inst = self.session.get(Installation, 1)
        if inst is None:
            raise NotSetUp(QT_TRANSLATE_NOOP(
                "Database", "This data file is not set up yet. Load the demo commune or set up "
                "this computer first."))
        return inst

    def dot(self) -> tuple[int, int, int]:
        """(site_idx, seq, hlc) of this transaction, allocated at its first write."""
        if self._dot is None:
            inst = installation_for_update(self.session)
            if inst is None:
                inst = self.installation()  # raises NotSetUp
            inst.seq += 1
            now = hlc.wall_millis()
            if hlc.unpack(inst.hlc)[0] > now + REDATE_MARGIN_MS:
                # The clock was ahead and is right again: without this, every stamp from now
                # on would be "in the future" and refused (core/sync/clock.py).
                from da8desktop.core.sync.clock import redate_future

                self.redated = redate_future(self.session, inst, now)
            inst.hlc = Hlc(inst.hlc).tick(now).value
            self._dot = (inst.site_idx, inst.seq, inst.hlc)
        return self._dot

    # -- stamped writes ---------------------------------------------------------------------
    def add(self, row: Synced, *, audit: str | None = None) -> Synced:
        site_idx, seq, hlc = self.dot()
        if row.id is None:
            row.id = new_id()
        if row.deleted is None:
            row.deleted = False
        row.stamps = {f: [site_idx, seq, hlc] for f in type(row).data_fields()}
        self.session.add(row)
        self._record_version(row)
        if audit:
            self.audit("create", row, audit)
        return row

    def update(self, row: Synced, changes: dict[str, Any], *, audit: str | None = None,
               action: str = "update") -> dict[str, tuple[Any, Any]]:
        """Apply only the fields whose value really changes; returns {field: (before, after)}."""
        fields = set(type(row).data_fields())
        diff: dict[str, tuple[Any, Any]] = {}
        for name, value in changes.items():
            if name not in fields:
                raise KeyError(f"{type(row).__name__} has no field {name}")
            before = getattr(row, name)
            if before != value:
                diff[name] = (before, value)
        if not diff:
            return diff
        site_idx, seq, hlc = self.dot()
        stamps = dict(row.stamps or {})
        for name, (_before, after) in diff.items():
            setattr(row, name, after)
            stamps[name] = [site_idx, seq, hlc]
        row.stamps = stamps  # reassign: JSON columns do not track in-place mutation
        self._record_version(row)
        if audit:
            # Before -> after for review; personal fields other than the name stay out of the log.
            shown = {k: [_plain(b), _plain(a)] for k, (b, a) in diff.items()
                     if k not in type(row).PERSONAL or k == "full_name"}
            self.audit(action, row, audit, shown)
        return diff

    def set_deleted(self, row: Synced, deleted: bool, *, audit: str | None = None) -> bool:
        """Tombstone (or undo it). Rows are never removed, so a delete can always be undone."""
        return bool(self.update(row, {"deleted": deleted}, audit=audit,
                                action="delete" if deleted else "restore"))

    def _record_version(self, row: Synced) -> None:
        site_idx, seq, _hlc = self.dot()
        table = type(row).__tablename__
        self.touched(table, row.id)
        version = self.session.get(RowVersion, (table, row.id, site_idx))
        if version is None:
            self.session.add(RowVersion(table_name=table, row_id=row.id, site_idx=site_idx, seq=seq))
        else:
            version.seq = seq

    # -- audit --------------------------------------------------------------------------------
    def audit(self, action: str, row: Synced | None, summary: str,
              details: dict[str, Any] | None = None, *, entity: str | None = None,
              entity_id: str | None = None) -> None:
        self.session.add(AuditEntry(
            at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
            actor=self.actor, action=action,
            entity=entity or (type(row).__tablename__ if row is not None else "-"),
            entity_id=entity_id or (str(row.id) if row is not None else None),
            summary=summary, details=details or {}))


def _plain(value: Any) -> Any:
    """JSON-safe form of a value for audit details."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return str(value)

