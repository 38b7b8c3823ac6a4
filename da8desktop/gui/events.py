"""One app-wide "data changed" signal carrying what changed; each page decides to reload."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class DataEvents(QObject):
    # table names that changed (e.g. {"person", "membership"}); empty set means "everything"
    changed = Signal(set)
    # a record was deleted (table, id): the window offers Ctrl+Z to undo the last one
    deleted = Signal(str, object)
