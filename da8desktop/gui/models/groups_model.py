"""Groups as a table (a commune has tens of groups; a province a few thousand: loaded whole)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from da8desktop.core.formats import format_date
from da8desktop.core.services.groups_query import GroupRow
from da8desktop.gui.models.table_model import ID_ROLE



class Column(IntEnum):
    NAME = 0
    KIND = 1
    VILLAGE = 2
    MEMBERS = 3
    LAST_MEETING = 4
    STATUS = 5


class GroupsTableModel(QAbstractTableModel):
    def __init__(self, status_names: dict[str, str], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.rows: list[GroupRow] = []
        self.status_names = status_names
        self.headers = [self.tr("Group"), self.tr("Kind"), self.tr("Village"), self.tr("Members"),
                        self.tr("Last meeting"), self.tr("Status")]

    def set_rows(self, rows: list[GroupRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: ANN001, N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: ANN001, N802 - Qt override
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201, N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == Column.MEMBERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Column.NAME: row.name, Column.KIND: row.type_short,
                Column.VILLAGE: row.village_name or "", Column.MEMBERS: row.members,
                Column.LAST_MEETING: format_date(row.last_meeting),
                Column.STATUS: self.status_names.get(row.status, row.status)}[Column(index.column())]

    def row_of(self, group_id) -> int:  # noqa: ANN001
        return next((i for i, r in enumerate(self.rows) if r.id == group_id), -1)
