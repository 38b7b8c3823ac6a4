"""The officer's clicks on a read-only table (gui/widgets/tables.RecordTable): a column title
(sorts), a cell (selects), a double-click (opens what is behind it), where the view shows them."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest


def click_title(table, column):
    header = table.horizontalHeader()
    where = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                   header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)


def cell_point(table, row, column):
    index = table.model().index(row, column)
    table.scrollTo(index)
    return table.visualRect(index).center()


def click_cell(table, row, column):
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=cell_point(table, row, column))


def double_click_cell(table, row, column):
    where = cell_point(table, row, column)
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)


def column_texts(table, column):
    return [table.item(r, column).text() for r in range(table.rowCount())]


def sort_by(table, column, order=Qt.SortOrder.AscendingOrder):
    """Click the title until the table is sorted by it in `order` (a click turns it round)."""
    header = table.horizontalHeader()
    for _ in range(3):
        click_title(table, column)
        if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == order:
            return
    raise AssertionError(f"column {column} never sorted in {order}")
