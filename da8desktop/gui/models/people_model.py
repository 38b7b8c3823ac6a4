"""The person registry as a lazy table: pages of rows are fetched as the view scrolls, so a
province registry of 300k people opens at once and a keystroke re-queries one page."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_number
from da8desktop.core.services.people_query import PeopleFilter, PersonRow, people_count, people_page
from da8desktop.gui.models.table_model import ID_ROLE

PAGE = 200
COUNT_LIMIT = 1000  # a search counts this many matches at most (see set_filter)


class Column(IntEnum):
    NAME = 0
    SEX = 1
    BIRTH = 2
    ETHNIC = 3
    VILLAGE = 4


class PeopleTableModel(QAbstractTableModel):
    def __init__(self, db: Database, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.db = db
        self.filter = PeopleFilter()
        self.rows: list[PersonRow] = []
        self.total = 0
        self.more = False  # more matches than `total` (a search counted up to COUNT_LIMIT)
        self._exhausted = True
        self.headers = {Column.NAME: self.tr("Full name"), Column.SEX: self.tr("Sex"),
                        Column.BIRTH: self.tr("Born"), Column.ETHNIC: self.tr("Ethnic group"),
                        Column.VILLAGE: self.tr("Village")}
        self.sexes = {"F": self.tr("Female"), "M": self.tr("Male")}

    def set_filter(self, flt: PeopleFilter) -> None:
        """A search counts up to COUNT_LIMIT matches (`more` then says there are more); the
        whole list (no search) is counted exactly, from an index."""
        self.beginResetModel()
        self.filter = flt
        limit = COUNT_LIMIT if flt.search.strip() else None
        self.total = people_count(self.db, flt, at_most=limit)
        self.more = limit is not None and self.total > limit
        if self.more:
            self.total = limit  # type: ignore[assignment]
        self.rows = people_page(self.db, flt, 0, PAGE)
        self._exhausted = len(self.rows) < PAGE
        self.endResetModel()

    def count_text(self) -> str:
        """'1.234 people' or 'more than 1.000 people', for the page's count label."""
        number = format_number(self.total)
        if self.more:
            return self.tr("more than {count} people").format(count=number)
        return self.tr("{count} people").format(count=number)

    def reload(self) -> None:
        self.set_filter(self.filter)

    # -- lazy loading -------------------------------------------------------------------------
    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: ANN001, N802 - Qt override
        if parent.isValid():
            return False
        return not self._exhausted if self.more else len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: ANN001, N802 - Qt override
        more = people_page(self.db, self.filter, len(self.rows), PAGE)
        self._exhausted = len(more) < PAGE
        if not more:
            if not self.more:
                self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    # -- table --------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: ANN001, N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: ANN001, N802 - Qt override
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802, ANN201
                   role: int = Qt.ItemDataRole.DisplayRole):  # Qt override
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[Column(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex,  # noqa: ANN201 - any Qt value
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = Column(index.column())
        if column == Column.NAME:
            return row.full_name
        if column == Column.SEX:
            return self.sexes.get(row.sex, row.sex)
        if column == Column.BIRTH:
            return row.birth_date.strftime("%d/%m/%Y") if row.birth_date else (row.birth_year or "")
        if column == Column.ETHNIC:
            return row.ethnic_name or ""
        return row.village_name or ""

    def row_of(self, person_id) -> int:  # noqa: ANN001
        for i, row in enumerate(self.rows):
            if row.id == person_id:
                return i
        return -1
