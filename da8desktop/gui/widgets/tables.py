"""Read-only tables of rows, each row carrying the id (or object) it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

ID_ROLE = Qt.ItemDataRole.UserRole


def read_only_table(headers: list[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


def fill(table: QTableWidget, rows: list[tuple[object, list[str]]]) -> None:
    table.setRowCount(len(rows))
    for i, (row_id, cells) in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if row_id is not None:  # nothing to store; see tests/gui/test_qt_binding.py
                item.setData(ID_ROLE, row_id)
            table.setItem(i, column, item)
    table.resizeColumnsToContents()


def selected(table: QTableWidget) -> object | None:
    rows = table.selectionModel().selectedRows()
    return table.item(rows[0].row(), 0).data(ID_ROLE) if rows else None
