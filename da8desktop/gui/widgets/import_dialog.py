"""Nhập danh sách từ Excel: pick a file and a sheet, see every row marked new / already
registered / refused (with the reason), correct the columns by hand if needed, then import the
accepted rows in one go."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QFormLayout, QHeaderView,
                               QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.excel.import_people import (ImportPreview, commit_import, preview_import,
                                                 save_report)
from da8desktop.core.services.choices import group_choices
from da8desktop.gui.widgets.column_mapping import ColumnMappingDialog
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog


class ImportDialog(FormDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.preview: ImportPreview | None = None
        self.result = None
        self.setWindowTitle(self.tr("Import a list from Excel"))
        self.file_button = QPushButton(self.tr("Choose the Excel file…"))
        self.file_label = QLabel()
        self.columns_button = QPushButton(self.tr("Choose the columns…"))
        self.columns_button.setEnabled(False)
        self.columns_button.clicked.connect(self.choose_columns)
        self.mapping: dict[int, str] | None = None
        self.header_row: int | None = None
        self.sheet = QComboBox()
        self.group = FoldingComboBox(empty_text=self.tr("(do not add to a group)"))
        self.group.set_items(group_choices(db))
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Result"),
                                              self.tr("Full name"), self.tr("Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(wordWrap=True)
        self.report_button = QPushButton(self.tr("Save the refused rows as Excel…"))
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.choose_report)
        form = QFormLayout()
        form.addRow(self.file_button, self.file_label)
        form.addRow(self.tr("Sheet"), self.sheet)
        form.addRow("", self.columns_button)
        form.addRow(self.tr("Also add everyone to"), self.group)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.report_button)
        self.finish_layout(layout)
        self.buttons.button(self.buttons.StandardButton.Save).setText(self.tr("Import"))
        self.buttons.button(self.buttons.StandardButton.Save).setEnabled(False)
        self.file_button.clicked.connect(self.choose_file)
        self.sheet.activated.connect(lambda _i: self.load(self.path, self.sheet.currentText(),
                                                          keep_columns=False))
        self.path: Path | None = None
        self.sheet_name: str | None = None
        self.resize(820, 600)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, self.tr("Choose the Excel file"), "",
                                                    self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.load(Path(path))

    def load(self, path: Path | None, sheet: str | None = None, keep_columns: bool = True) -> None:
        """Read and check every row; nothing is written here."""
        if path is None:
            return
        if path != self.path or not keep_columns:
            self.mapping, self.header_row = None, None
        self.path = path
        self.sheet_name = sheet
        self.file_label.setText(path.name)
        self.columns_button.setEnabled(True)
        preview = self.attempt(lambda: preview_import(self.db, path, sheet, header_row=self.header_row,
                                                      mapping=self.mapping))
        self.preview = preview
        save = self.buttons.button(self.buttons.StandardButton.Save)
        if preview is None:
            self.table.setRowCount(0)
            save.setEnabled(False)
            return
        self.errors.setText("")
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(preview.sheets)
        self.sheet.setCurrentText(preview.sheet)
        self.sheet.blockSignals(False)
        labels = {"new": self.tr("New"), "match": self.tr("Already registered"),
                  "error": self.tr("Refused")}
        colours = {"new": "#e6f4ea", "match": "#e8f0fe", "error": "#fce8e6"}
        self.table.setRowCount(len(preview.rows))
        for i, row in enumerate(preview.rows):
            cells = [str(row.number), labels[row.status], row.values.get("full_name") or "",
                     " ".join(row.reasons + row.warnings)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # long reasons and conversions are cut in the cell
                item.setBackground(QColor(colours[row.status]))
                self.table.setItem(i, column, item)
        self.table.resizeColumnsToContents()
        self.summary.setText(self.tr(
            "{new} new, {matched} already registered, {refused} refused. Nothing is written "
            "until you press Import.").format(new=preview.count("new"),
                                               matched=preview.count("match"),
                                               refused=preview.count("error")))
        save.setEnabled(preview.count("new") + preview.count("match") > 0)
        self.report_button.setEnabled(preview.count("error") > 0)

    def choose_columns(self) -> None:
        """The manual mapping screen: the recognised columns (or a guess) to correct."""
        if self.path is None:
            return
        current = self.preview.mapping if self.preview is not None else self.mapping
        row = self.preview.header_row if self.preview is not None else self.header_row
        dialog = ColumnMappingDialog(self.path, self.sheet_name, current, row, self)
        if self.mapping_accepted(dialog):
            self.mapping, self.header_row = dialog.mapping(), dialog.chosen_header_row()
            self.load(self.path, self.sheet_name)

    def mapping_accepted(self, dialog: ColumnMappingDialog) -> bool:
        """Apart so tests can answer the dialog without a modal loop."""
        return dialog.exec() == ColumnMappingDialog.DialogCode.Accepted

    def choose_report(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the refused rows"), "",
                                                    self.tr("Excel workbooks (*.xlsx)"))
        if path and self.preview is not None:
            self.save_report(Path(path if path.lower().endswith(".xlsx") else path + ".xlsx"))

    def save_report(self, path: Path) -> None:
        preview = self.preview
        if preview is not None and self.attempt(lambda: save_report(preview, path)) is not None:
            self.summary.setText(self.summary.text() + " " + self.tr("Report saved: {file}")
                                 .format(file=path))

    def save(self) -> None:
        if self.preview is None:
            return
        preview = self.preview
        result = self.attempt(lambda: commit_import(self.db, preview, self.group.value()))
        if result is not None:
            self.result = result
            self.accept()
