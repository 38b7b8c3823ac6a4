"""One app-wide "data changed" notification carrying what changed; each page says which tables
it shows and is reloaded only when one of them changed (gui/page_refresh.py)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    # A core.db.changes.Changes (older callers: a set of table names, empty meaning everything;
    # read either with core.db.changes.as_changes).
    changed = Signal(object)
    # a record was deleted (table, id): the window offers Ctrl+Z to undo the last one
    deleted = Signal(str, object)
