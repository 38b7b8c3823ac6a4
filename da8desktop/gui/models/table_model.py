"""The one table model for read-only lists of rows: rows are core dataclasses (or tuples), the
columns are declared (title, how a row shows, how it sorts), sorting is in Vietnamese order
(core/text.collation_key), and each row's id is under `ID_ROLE`, defined here once.

    columns = [Column(tr("Full name"), lambda m: m.full_name),
               Column(tr("Born"), lambda m: str(m.birth_year or ""), right=True)]
    model = RowsModel(columns, row_id=lambda m: m.id)
    model.set_rows(group_members(db, group_id))
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from da8desktop.core.text import collation_key, name_sort_key, split_full_name

ID_ROLE = Qt.ItemDataRole.UserRole

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


def person_order(full_name: str) -> str:
    """People sort as on official lists: by given name, then family and middle name."""
    try:
        parts = split_full_name(full_name)
    except ValueError:
        return ""
    return name_sort_key(parts.family, parts.middle, parts.given)


def text_order(text: str) -> tuple[int, Any]:
    """How a shown text sorts: numbers as numbers (Vietnamese "1.234,5"), dd/mm/yyyy as dates,
    empty last, words in Vietnamese order (a, ă, â, b, … đ after d)."""
    text = text.strip()
    if not text or text == "—":
        return (3, "")
    if _NUMBER.match(text):
        return (0, float(text.replace(".", "").replace(",", ".")))
    date = _DATE.match(text)
    if date:
        day, month, year = (int(x) for x in date.groups())
        return (1, (year, month, day, text))
    return (2, collation_key(text))


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]
    sort: Callable[[R], Any] | None = None  # default: the shown text, in Vietnamese order
    right: bool = False  # numbers are right-aligned
    tooltip: Callable[[R], str] | None = None  # default: the text (a long cell read in full)
    # Any other role of a cell, e.g. {Qt.ItemDataRole.FontRole: bold_of} or a delegate's own
    # role (a progress bar's percentage); a value of None leaves the model's default.
    roles: Mapping[int, Callable[[R], Any]] = field(default_factory=dict)
    title_tip: str = ""  # the title's tooltip (a code's full name)


class RowsModel(QAbstractTableModel, Generic[R]):
    def __init__(self, columns: Sequence[Column[R]], row_id: Callable[[R], object] | None = None,
                 parent: QObject | None = None, muted: Callable[[R], bool] | None = None,
                 background: Callable[[R], QColor | None] | None = None,
                 last: Callable[[R], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.row_id = row_id
        self.muted = muted  # rows shown in grey (a member who left)
        self.background = background  # a row's colour (an import preview's status)
        self.last = last  # rows that stay at the bottom whatever the order (a total)
        self.rows: list[R] = []

    def set_columns(self, columns: Sequence[Column[R]]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        self.endResetModel()

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self.rows[row]

    def row_of(self, row_id: object) -> int:
        if self.row_id is not None:
            for number, row in enumerate(self.rows):
                if self.row_id(row) == row_id:
                    return number
        return -1

    # -- Qt ---------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        own = column.roles.get(role)
        if own is not None:
            value = own(row)
            if value is not None:
                return value
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return (column.tooltip or column.text)(row) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self.muted is not None and self.muted(row):
            return QColor(Qt.GlobalColor.gray)
        if role == Qt.ItemDataRole.BackgroundRole and self.background is not None:
            return self.background(row)
        if role == ID_ROLE and self.row_id is not None:
            return self.row_id(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].title_tip or None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        declared = self.columns[column]
        key = declared.sort or (lambda row: text_order(declared.text(row)))
        order_of = sorted(range(len(self.rows)), key=lambda i: key(self.rows[i]),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        if self.last is not None:  # a total stays under the rows it adds up
            order_of = ([i for i in order_of if not self.last(self.rows[i])]
                        + [i for i in order_of if self.last(self.rows[i])])
        self.layoutAboutToBeChanged.emit()
        # The selection and any widget in a cell (a combo box) move with their row.
        moved = {old: new for new, old in enumerate(order_of)}
        before = self.persistentIndexList()
        self.rows = [self.rows[i] for i in order_of]
        self.changePersistentIndexList(before, [self.index(moved[i.row()], i.column())
                                                for i in before])
        self.layoutChanged.emit()
