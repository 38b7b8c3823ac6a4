"""What a write changed: the tables (and row ids) a committed transaction touched.

`UnitOfWork` collects them as it stamps rows (and from the session's flushes, for local tables
written without stamps); `Database.write()` hands them, once committed, to whoever records
(`recording()`), so a caller learns what its call changed without knowing which services ran.
The GUI sends them in its one change notification and each page reloads only if a table it
shows is among them (as Anki's `OpChanges`).
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Changes:
    """Tables a write changed, with the ids of the rows where known (a table written in bulk
    has no ids). `everything` stands for "anything may have changed" (another data file
    opened, a backup restored)."""

    tables: frozenset[str] = frozenset()
    ids: Mapping[str, frozenset[Any]] = field(default_factory=dict)
    everything: bool = False

    @classmethod
    def of(cls, *tables: str) -> Changes:
        return cls(frozenset(tables))

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    def __bool__(self) -> bool:
        return self.everything or bool(self.tables)

    def touches(self, tables: Iterable[str] | None) -> bool:
        """Whether a view showing `tables` (None: it shows everything) must reload."""
        if not self:
            return False
        if self.everything or tables is None:
            return True
        return not self.tables.isdisjoint(tables)

    def __or__(self, other: Changes) -> Changes:
        ids = {t: self.ids.get(t, frozenset()) | other.ids.get(t, frozenset())
               for t in set(self.ids) | set(other.ids)}
        return Changes(self.tables | other.tables, ids, self.everything or other.everything)


def as_changes(value: object) -> Changes:
    """The change notification's payload: a `Changes`, or (older callers) a set of table names
    where an empty set meant everything."""
    if isinstance(value, Changes):
        return value
    if value is None:
        return Changes.all()
    tables = frozenset(str(t) for t in value)  # type: ignore[attr-defined]
    return Changes(tables) if tables else Changes.all()


class ChangeLog:
    """Collects what the writes inside `recording()` committed."""

    def __init__(self) -> None:
        self.changes = Changes()

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes


_logs: contextvars.ContextVar[tuple[ChangeLog, ...]] = contextvars.ContextVar(
    "da8_change_logs", default=())


@contextmanager
def recording() -> Iterator[ChangeLog]:
    """Every write committed inside (on this thread) is added to the log it yields."""
    log = ChangeLog()
    token = _logs.set(_logs.get() + (log,))
    try:
        yield log
    finally:
        _logs.reset(token)


def committed(changes: Changes) -> None:
    """Called by `Database.write()` after a commit."""
    if changes:
        for log in _logs.get():
            log.add(changes)
