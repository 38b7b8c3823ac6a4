"""Chọn cột bằng tay: when the header of an old list is not recognised (or recognised wrongly),
the officer says which row holds the titles and what each column is, seeing a few values."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from da8desktop.core.excel.import_people import FIELD_LABELS, SheetLayout, sheet_layout


class ColumnMappingDialog(QDialog):
    def __init__(self, path: Path, sheet: str | None, mapping: dict[int, str] | None = None,
                 header_row: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path, self.sheet = path, sheet
        self.setWindowTitle(self.tr("Choose the columns"))
        self.header_row = QSpinBox(minimum=1, maximum=1000)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Column"), self.tr("Title in the sheet"),
                                              self.tr("Values under it"), self.tr("Holds")])
        self.table.verticalHeader().hide()
        self.combos: list[QComboBox] = []
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Row with the column titles")))
        top.addWidget(self.header_row)
        top.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Say what each column holds; leave the others on «(not imported)». The full name "
            "is needed."), wordWrap=True))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)
        self.show_layout(sheet_layout(path, sheet, header_row), mapping)
        self.header_row.valueChanged.connect(
            lambda row: self.show_layout(sheet_layout(self.path, self.sheet, row), self.mapping()))

    def show_layout(self, layout: SheetLayout, mapping: dict[int, str] | None) -> None:
        chosen = mapping if mapping else layout.mapping
        self.header_row.blockSignals(True)
        self.header_row.setValue(layout.header_row)
        self.header_row.blockSignals(False)
        self.table.setRowCount(len(layout.columns))
        self.combos = []
        for row, column in enumerate(layout.columns):
            for c, text in enumerate((column.letter, column.header, " · ".join(column.samples))):
                self.table.setItem(row, c, QTableWidgetItem(text))
            combo = QComboBox()
            combo.addItem(self.tr("(not imported)"), None)
            for field, label in FIELD_LABELS.items():
                combo.addItem(label.render(), field)
            combo.setCurrentIndex(max(combo.findData(chosen.get(column.index)), 0))
            self.table.setCellWidget(row, 3, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()

    def mapping(self) -> dict[int, str]:
        return {i: combo.currentData() for i, combo in enumerate(self.combos)
                if combo.currentData() is not None}

    def chosen_header_row(self) -> int:
        return self.header_row.value()
