"""Nhập danh sách từ Excel: pick a file (.xlsx, .xls or .csv) and a sheet, see every row marked
new / already registered / same as an earlier row / refused (with the reason) and every row
that is not a person (totals, signatures), choose defaults for the columns the list lacks, map
new villages to existing ones, correct the columns by hand if needed, then import the accepted
rows in one go. What the preview shows is what the import does (issue 19)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout,
                               QGridLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel.import_people import (ImportOptions, ImportPreview, commit_import,
                                                 preview_import, remembered_options, save_report)
from da8desktop.core.services.choices import catalogue_choices, group_choices, village_choices
from da8desktop.core.text import fold
from da8desktop.gui.crash import show_failure
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.gui.operations import run_operation
from da8desktop.gui.widgets.column_mapping import ColumnMappingDialog
from da8desktop.gui.models.table_model import person_order
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.tables import Column, RecordTable
from da8desktop.gui.widgets.form_dialog import FormDialog

PER_ROW_SEX_LIMIT = 300  # beyond this many rows without a sex, a default is the sensible choice
COLOURS = {"new": "#e6f4ea", "match": "#e8f0fe", "error": "#fce8e6", "duplicate": "#fef7e0",
           "skipped": "#f1f3f4"}


class ImportDialog(FormDialog):
    def __init__(self, db: Database, parent: QWidget | None = None,
                 events: DataEvents | None = None, dialogs: Dialogs | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.events = events
        self.dialogs = dialogs or Dialogs(self)
        self.preview: ImportPreview | None = None
        self.result = None
        self.options = ImportOptions()
        self.setWindowTitle(self.tr("Import a list from Excel"))
        self.file_button = QPushButton(self.tr("Choose the file…"))
        self.file_label = QLabel()
        self.columns_button = QPushButton(self.tr("Choose the columns…"))
        self.columns_button.setEnabled(False)
        self.columns_button.clicked.connect(self.choose_columns)
        self.mapping: dict[int, str] | None = None
        self.header_row: int | None = None
        self.sheet = QComboBox()
        # Defaults for a column the list lacks or a cell left empty, remembered for the file.
        self.sex = QComboBox()
        self.sex.addItem(self.tr("Nữ (women's list)"), "F")
        self.sex.addItem(self.tr("Nam"), "M")
        self.sex.addItem(self.tr("Ask for each row"), "ask")
        self.village = FoldingComboBox(empty_text=self.tr("(as in the list)"))
        self.village.set_items(village_choices(db))
        self.group = FoldingComboBox(empty_text=self.tr("(do not add to a group)"))
        self.group.set_items(group_choices(db))
        self.role = FoldingComboBox(empty_text=self.tr("Member"))
        self.role.set_items(catalogue_choices(db, "role"))
        self.keep_duplicates = QCheckBox(self.tr("Import a person written twice in the list twice"))
        for combo in (self.sex, self.village, self.group, self.role):
            combo.activated.connect(lambda _i: self.options_changed())
        for combo in (self.village, self.group, self.role):
            combo.lineEdit().editingFinished.connect(self.options_changed)
        self.keep_duplicates.toggled.connect(lambda _on: self.options_changed())
        # Lines: (row number, status, name, sex, reason, the previewed row or None).
        self.status_labels = {"new": self.tr("New"), "match": self.tr("Already registered"),
                              "duplicate": self.tr("Written twice"), "error": self.tr("Refused"),
                              "skipped": self.tr("Not a person")}
        self.table = RecordTable([
            Column(self.tr("Row"), lambda line: str(line[0]), sort=lambda line: line[0],
                   right=True),
            Column(self.tr("Result"), lambda line: self.status_labels[line[1]]),
            Column(self.tr("Full name"), lambda line: line[2],
                   sort=lambda line: person_order(line[2])),
            Column(self.tr("Sex"), lambda line: line[3]),
            Column(self.tr("Reason"), lambda line: line[4])], stretch=4,
            row_id=lambda line: line[0], background=lambda line: QColor(COLOURS[line[1]]))
        self.villages_table = QTableWidget(0, 2)
        self.villages_table.setHorizontalHeaderLabels([self.tr("Village in the list"),
                                                       self.tr("Put its people in")])
        self.villages_table.verticalHeader().setVisible(False)
        self.villages_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, self.tr("Rows"))
        self.tabs.addTab(self.villages_table, self.tr("New villages"))
        self.summary = QLabel(wordWrap=True)
        self.report_button = QPushButton(self.tr("Save the refused rows as Excel…"))
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.choose_report)
        form = QFormLayout()
        form.addRow(self.file_button, self.file_label)
        form.addRow(self.tr("Sheet"), self.sheet)
        form.addRow("", self.columns_button)
        defaults = QGridLayout()
        defaults.addWidget(QLabel(self.tr("Sex when not in the list")), 0, 0)
        defaults.addWidget(self.sex, 0, 1)
        defaults.addWidget(QLabel(self.tr("Village when not in the list")), 0, 2)
        defaults.addWidget(self.village, 0, 3)
        defaults.addWidget(QLabel(self.tr("Also add everyone to")), 1, 0)
        defaults.addWidget(self.group, 1, 1)
        defaults.addWidget(QLabel(self.tr("Role in the group")), 1, 2)
        defaults.addWidget(self.role, 1, 3)
        defaults.addWidget(self.keep_duplicates, 2, 0, 1, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(defaults)
        layout.addWidget(self.tabs, 1)
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
        self.resize(860, 600)

    def choose_file(self) -> None:
        path = self.dialogs.open_file(
            self.tr("Choose the list"),
            self.tr("Lists (*.xlsx *.xls *.csv);;Excel workbooks (*.xlsx *.xls);;CSV (*.csv)"))
        if path:
            self.load(path)

    # -- the officer's choices ------------------------------------------------------------------
    def show_options(self, options: ImportOptions) -> None:
        """The choices remembered for this file, on screen; a new file starts as a women's list."""
        options.defaults.setdefault("sex", "F")
        self.options = options
        for widget in (self.sex, self.village, self.group, self.role, self.keep_duplicates):
            widget.blockSignals(True)
        sex = options.defaults.get("sex", "F")
        self.sex.setCurrentIndex(max(self.sex.findData({"Nam": "M", "M": "M"}.get(
            sex, "ask" if sex == "ask" else "F")), 0))
        self.village.setEditText(options.defaults.get("village", ""))
        self.group.setEditText(options.defaults.get("group", ""))
        self.role.setEditText(options.defaults.get("role", ""))
        self.keep_duplicates.setChecked(options.keep_duplicates)
        for widget in (self.sex, self.village, self.group, self.role, self.keep_duplicates):
            widget.blockSignals(False)

    def read_options(self) -> ImportOptions:
        defaults = {"sex": self.sex.currentData()}
        village = " ".join(self.village.currentText().split())
        if village:
            defaults["village"] = village
        group = self.group.value()
        if group is not None:  # by its full name, also when only part of it was typed
            defaults["group"] = next(text for text, value, _extra in group_choices(self.db)
                                     if value == group)
        if self.role.value() is not None:
            defaults["role"] = self.role.value()
        mapped = {}
        for row in range(self.villages_table.rowCount()):
            combo = self.villages_table.cellWidget(row, 1)
            if isinstance(combo, QComboBox) and combo.currentData():
                mapped[self.villages_table.item(row, 0).text()] = combo.currentData()
        return ImportOptions(defaults, self.keep_duplicates.isChecked(), mapped,
                             dict(self.options.row_sex))

    def options_changed(self) -> None:
        if self.path is not None:
            self.options = self.read_options()
            self.load(self.path, self.sheet_name)

    def choose_row_sex(self, number: int, sex: str | None) -> None:
        if sex:
            self.options.row_sex[number] = sex
        else:
            self.options.row_sex.pop(number, None)
        self.load(self.path, self.sheet_name)

    # -- the preview ----------------------------------------------------------------------------
    def load(self, path: Path | None, sheet: str | None = None, keep_columns: bool = True) -> None:
        """Read and check every row, in the background (a list of thousands of rows takes
        seconds); nothing is written here."""
        if path is None:
            return
        if path != self.path:
            self.show_options(remembered_options(self.db, path) or ImportOptions())
        if path != self.path or not keep_columns:
            self.mapping, self.header_row = None, None
        self.path = path
        self.sheet_name = sheet
        self.file_label.setText(path.name)
        self.columns_button.setEnabled(True)
        options, header_row, mapping = self.options, self.header_row, self.mapping
        self.errors.clear()
        self.buttons.button(self.buttons.StandardButton.Save).setEnabled(False)
        self.task = run_operation(
            self, self.tr("Reading the list…"),
            lambda _progress: preview_import(self.db, path, sheet, header_row=header_row,
                                             mapping=mapping, options=options),
            dialogs=self.dialogs, on_success=self._previewed,
            on_failure=lambda error: self._refused(error, self._previewed))

    def _refused(self, error: BaseException, then: Callable[[None], None]) -> None:
        """A refusal is explained in the form (as `attempt` does); anything else is a crash."""
        if isinstance(error, UserFacingError):
            self.attempt(lambda: _raise(error))
            then(None)
        else:
            then(None)
            show_failure(self.dialogs, self.windowTitle(), error)

    def _previewed(self, preview: ImportPreview | None) -> None:
        self.preview = preview
        save = self.buttons.button(self.buttons.StandardButton.Save)
        if preview is None:
            self.table.set_rows([])
            save.setEnabled(False)
            return
        self.errors.setText("")
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(preview.sheets)
        self.sheet.setCurrentText(preview.sheet)
        self.sheet.blockSignals(False)
        self.fill_rows(preview)
        self.fill_villages(preview)
        self.summary.setText(self.tr(
            "{new} new, {matched} already registered, {same} written twice (skipped), "
            "{refused} refused, {other} rows that are not people; {villages} new villages. "
            "Nothing is written until you press Import.").format(
                new=preview.count("new"), matched=preview.count("match"),
                same=preview.count("duplicate"), refused=preview.count("error"),
                other=len(preview.skipped), villages=len(preview.villages_to_create)))
        save.setEnabled(preview.count("new") + preview.count("match") > 0)
        self.report_button.setEnabled(preview.count("error") > 0)

    def fill_rows(self, preview: ImportPreview) -> None:
        sexes = {"F": self.tr("Nữ"), "M": self.tr("Nam")}
        lines = [(r.number, r.status, r.values.get("full_name") or "",
                  sexes.get(r.values.get("sex"), ""), " ".join(r.reasons + r.warnings), r)
                 for r in preview.rows]
        lines += [(s.number, "skipped", s.text, "", s.reason, None) for s in preview.skipped]
        lines.sort(key=lambda line: line[0])
        self.table.set_rows(lines)  # each cell's tooltip is its text: long reasons read in full
        asked = 0
        for i, (number, _status, _name, _sex, _reason, row) in enumerate(lines):
            if row is not None and not row.values.get("sex") and asked < PER_ROW_SEX_LIMIT:
                asked += 1
                self.table.setIndexWidget(self.table.model().index(i, 3),
                                          self.row_sex_box(number))

    def row_sex_box(self, number: int) -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("Choose…"), None)
        box.addItem(self.tr("Nữ"), "F")
        box.addItem(self.tr("Nam"), "M")
        box.activated.connect(lambda _i: self.choose_row_sex(number, box.currentData()))
        return box

    def fill_villages(self, preview: ImportPreview) -> None:
        """Each village the import would create, with the commune's villages to use instead."""
        existing = village_choices(self.db)
        self.villages_table.setRowCount(len(preview.new_villages))
        for row, name in enumerate(preview.new_villages):
            self.villages_table.setItem(row, 0, QTableWidgetItem(name))
            box = QComboBox()
            box.addItem(self.tr("Create this new village"), None)
            for text, _id, _extra in existing:
                box.addItem(text, text)
            chosen = {fold(k): v for k, v in preview.options.village_map.items()}.get(fold(name))
            box.setCurrentIndex(max(box.findData(chosen), 0) if chosen else 0)
            box.activated.connect(lambda _i: self.options_changed())
            self.villages_table.setCellWidget(row, 1, box)
        self.tabs.setTabText(1, self.tr("New villages ({n})").format(
            n=len(preview.villages_to_create)))

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
        path = self.dialogs.save_file(self.tr("Save the refused rows"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx")
        if path and self.preview is not None:
            self.save_report(Path(path))

    def save_report(self, path: Path) -> None:
        preview = self.preview
        if preview is not None and self.attempt(lambda: save_report(preview, path)) is not None:
            self.summary.setText(self.summary.text() + " " + self.tr("Report saved: {file}")
                                 .format(file=path))

    def save(self) -> None:
        if self.preview is None:
            return
        preview = self.preview
        self.buttons.button(self.buttons.StandardButton.Save).setEnabled(False)
        # In the background; every page showing what it wrote (people, villages, groups'
        # members, counts) follows from the changes the operation announces.
        self.task = run_operation(
            self, self.tr("Importing…"), lambda _progress: commit_import(self.db, preview),
            dialogs=self.dialogs, events=self.events, on_success=self._committed,
            on_failure=lambda error: self._refused(error, self._committed))

    def _committed(self, result: Any) -> None:
        if result is None:
            self.buttons.button(self.buttons.StandardButton.Save).setEnabled(True)
            return
        self.result = result
        self.accept()


def _raise(error: BaseException) -> None:
    raise error
