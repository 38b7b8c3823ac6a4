"""Read-only tables of rows (a `QTableView` over the one generic model, gui/models/
table_model.py), each row carrying the id (or object) it shows; a click on a title sorts
in Vietnamese order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from da8desktop.gui.models.table_model import ID_ROLE, Column, RowsModel

__all__ = ["ID_ROLE", "Column", "RecordTable", "fill", "read_only_table", "selected"]


class Cell:
    """One shown cell, read back (tests and callers read a table as they see it)."""

    def __init__(self, table: RecordTable, row: int, column: int) -> None:
        self._index = table.model().index(row, column)

    def text(self) -> str:
        return self._index.data() or ""

    def data(self, role: int) -> Any:
        return self._index.data(role)

    def toolTip(self) -> str:  # noqa: N802 - as QTableWidgetItem
        return self._index.data(Qt.ItemDataRole.ToolTipRole) or ""

    def textAlignment(self) -> int:  # noqa: N802 - as QTableWidgetItem
        return self._index.data(Qt.ItemDataRole.TextAlignmentRole) or 0


class RecordTable(QTableView):
    def __init__(self, columns: Sequence[Column[Any]], stretch: int = 0,
                 row_id: Any = None, parent: QWidget | None = None, muted: Any = None,
                 background: Any = None, last: Any = None) -> None:
        super().__init__(parent)
        self.rows_model: RowsModel[Any] = RowsModel(columns, row_id, self, muted, background,
                                                    last)
        self.setModel(self.rows_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicatorShown(False)  # the rows' own order first
        self.horizontalHeader().sortIndicatorChanged.connect(
            lambda *_: self.horizontalHeader().setSortIndicatorShown(True))
        if columns:
            self.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.rows_model.set_rows(rows)
        if self.horizontalHeader().isSortIndicatorShown():  # the officer's chosen order stays
            header = self.horizontalHeader()
            self.rows_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.resizeColumnsToContents()

    def rowCount(self) -> int:  # noqa: N802 - as QTableWidget
        return self.rows_model.rowCount()

    def columnCount(self) -> int:  # noqa: N802 - as QTableWidget
        return self.rows_model.columnCount()

    def item(self, row: int, column: int) -> Cell | None:
        if 0 <= row < self.rowCount() and 0 <= column < self.columnCount():
            return Cell(self, row, column)
        return None

    def cellWidget(self, row: int, column: int) -> QWidget | None:  # noqa: N802 - as QTableWidget
        return self.indexWidget(self.rows_model.index(row, column))

    def selected_row(self) -> Any | None:
        rows = self.selectionModel().selectedRows()
        return self.rows_model.row_at(rows[0].row()) if rows else None


def _cell(column: int):  # noqa: ANN202
    return lambda row: row[1][column]


def read_only_table(headers: list[str], stretch: int, right: Sequence[int] = ()) -> RecordTable:
    """A table of (id, [texts]) rows, filled with `fill`; `right`: columns of numbers."""
    columns = [Column(title, _cell(i), right=i in right) for i, title in enumerate(headers)]
    return RecordTable(columns, stretch, row_id=lambda row: row[0])


def fill(table: RecordTable, rows: list[tuple[object, list[str]]]) -> None:
    table.set_rows(rows)


def selected(table: RecordTable) -> object | None:
    rows = table.selectionModel().selectedRows()
    return table.model().data(rows[0], ID_ROLE) if rows else None
