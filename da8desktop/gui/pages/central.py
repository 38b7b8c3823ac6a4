"""The centre's page (issue 21, item 6): every province's figures per indicator for a period,
and a province's communes on a double-click. Read only: the figures are the provinces' own,
computed by their programs and sent as aggregates."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget
from PySide6.QtCore import QModelIndex, Qt

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_number, format_utc_time
from da8desktop.core.services.central_query import CentralGrid, central_grid
from da8desktop.gui.widgets.tables import ID_ROLE, Column, RecordTable


class CentralPage(QWidget):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.period = QComboBox()
        self.period.currentIndexChanged.connect(lambda _i: self.show_grid())
        # Columns are the catalogue's indicators, set when filled; a row's id is its code.
        self.provinces = RecordTable([], row_id=lambda row: row.code)
        self.provinces.doubleClicked.connect(self._double_clicked)
        self.communes = RecordTable([], row_id=lambda row: row.code)
        self.communes_title = QLabel(self.tr("Double-click a province to see its communes."))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.period)
        top.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.communes_title)
        lower_layout.addWidget(self.communes, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.provinces)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Provinces' figures"), objectName="pageTitle"))
        layout.addWidget(QLabel(self.tr(
            "Read only: each province computes its communes' figures and sends them with its "
            "bundle (figures only, never a person's record). A cell shows the value reached, and "
            "the target after a slash."), wordWrap=True))
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.grid: CentralGrid | None = None
        self.province_codes: list[str] = []
        self.reload()

    def reload(self, _changed: set | None = None) -> None:
        current = self.period.currentData()
        grid = central_grid(self.db, current)
        self.period.blockSignals(True)
        self.period.clear()
        for period in grid.periods:
            self.period.addItem(period, period)
        self.period.setCurrentIndex(max(self.period.findData(grid.period), 0))
        self.period.blockSignals(False)
        self.show_grid()

    def _cell(self, row, code: str, provinces: bool = False) -> str:  # noqa: ANN001
        if provinces and row.last_bundle is None:  # nothing sent yet: no figure, not a zero
            return "—"
        value = _number(row.values.get(code, 0))
        target = row.targets.get(code)
        return value if target is None else f"{value} / {_number(target)}"

    def _fill(self, table: RecordTable, grid: CentralGrid, first: str, last: bool) -> None:
        columns: list[Column[Any]] = [Column(first, lambda row: f"{row.name} ({row.code})")]
        if last:
            columns.append(Column(self.tr("Last bundle"), lambda row: format_utc_time(
                row.last_bundle) if row.last_bundle else self.tr("waiting for its first bundle"),
                sort=lambda row: str(row.last_bundle or "")))
        for code, name in grid.indicators:  # the name shows on the cell, the code heads it
            columns.append(Column(code, lambda row, c=code: self._cell(row, c, last),
                                  sort=lambda row, c=code: row.values.get(c, 0), right=True,
                                  tooltip=lambda row, c=code, n=name: f"{c}: {n}\n"
                                  f"{self._cell(row, c, last)}"))
        table.rows_model.set_columns(columns)
        table.set_rows(grid.rows)

    def show_grid(self) -> None:
        self.grid = central_grid(self.db, self.period.currentData())
        self.province_codes = [row.code for row in self.grid.rows]
        self._fill(self.provinces, self.grid, self.tr("Province"), last=True)
        self.communes.set_rows([])
        self.communes_title.setText(self.tr("Double-click a province to see its communes."))

    def _double_clicked(self, index: QModelIndex) -> None:
        code = index.data(ID_ROLE)
        if code in self.province_codes:
            self.show_province(self.province_codes.index(code))

    def show_province(self, row: int) -> None:
        """`row`: the province's place in the grid's order (not the table's sorted order)."""
        if not 0 <= row < len(self.province_codes) or self.grid is None:
            return
        code = self.province_codes[row]
        grid = central_grid(self.db, self.grid.period, province=code)
        self._fill(self.communes, grid, self.tr("Commune"), last=False)
        self.communes_title.setText(self.tr("Communes of {province}").format(
            province=self.grid.rows[row].name))


def _number(value: float) -> str:
    """1.337 or 1.337,5: thousands with '.', decimals with ','."""
    whole = int(value)
    if value == whole:
        return format_number(whole)
    return f"{format_number(whole)},{f'{value:.2f}'.split('.')[1].rstrip('0')}"
