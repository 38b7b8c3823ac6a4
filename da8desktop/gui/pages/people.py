"""Người: the commune's person registry. Search as you type without accents, filters, a
person's groups and attendance, add / edit / delete (undoable) / merge two records."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGridLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.progress import Cancelled
from da8desktop.core.formats import format_date
from da8desktop.core.services.choices import ethnic_choices, group_choices, village_choices
from da8desktop.core.services.merge_people import merge_people
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.redact import redact_person
from da8desktop.core.services.people_query import (AGE_BANDS, PeopleFilter, get_person,
                                                   person_attendance, person_groups)
from da8desktop.gui.widgets.empty_hint import EmptyHint
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.gui.shortcuts import on_widget
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.models.people_model import ID_ROLE, PeopleTableModel
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.crash import show_failure
from da8desktop.gui.operations import run_operation
from da8desktop.gui.tasks import BackgroundTask
from da8desktop.gui.widgets.person_form import PersonDialog

SEARCH_DELAY_MS = 120  # one query per pause in typing, not per keystroke burst


class PeoplePage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = frozenset({
        "person", "membership", "village", "community_group", "attachment"})

    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        self.search = QLineEdit(clearButtonEnabled=True)
        self.search.setPlaceholderText(self.tr("Search by name — accents optional (Ctrl+F)"))
        self.village = FoldingComboBox(empty_text=self.tr("All villages"))
        self.sex = QComboBox()
        for text, value in ((self.tr("Both sexes"), None), (self.tr("Female"), "F"),
                            (self.tr("Male"), "M")):
            self.sex.addItem(text, value)
        self.ethnic = FoldingComboBox(empty_text=self.tr("All ethnic groups"))
        self.age = QComboBox()
        self.age.addItem(self.tr("All ages"), None)
        age_names = {"child": self.tr("Children (under 16)"), "16_30": self.tr("16–30"),
                     "31_59": self.tr("31–59"), "60_plus": self.tr("60 and over")}
        for code, _low, _high in AGE_BANDS:
            self.age.addItem(age_names[code], code)
        self.group = FoldingComboBox(empty_text=self.tr("All groups"))
        self.add_button = QPushButton(self.tr("Add a person (Ctrl+N)"))
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.import_button = QPushButton(self.tr("Import from Excel…"))
        self.count = QLabel()
        self.model = PeopleTableModel(db, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)
        for column, width in ((1, 60), (2, 90), (3, 90), (4, 120)):  # the name keeps the rest
            self.table.setColumnWidth(column, max(width, header.sectionSizeHint(column)))
        self.table.setMinimumWidth(360)
        self.detail = PersonDetail(self)
        filters = QHBoxLayout()
        for widget in (self.village, self.sex, self.ethnic, self.age, self.group):
            compact(widget)
            filters.addWidget(widget)
        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        top.addWidget(self.export_button)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([700, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("People"), objectName="pageTitle"))
        self.empty_hint = EmptyHint("people")
        layout.addWidget(self.empty_hint)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self.timer.start)
        for combo in (self.village, self.ethnic, self.group):
            combo.currentIndexChanged.connect(self.apply_filter)
        for combo in (self.sex, self.age):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.add_button.clicked.connect(self.add_person)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.open_import)
        self.table.doubleClicked.connect(lambda _i: self.edit_person())
        self.table.selectionModel().selectionChanged.connect(self.show_selected)
        self.detail.edit.clicked.connect(self.edit_person)
        self.detail.delete.clicked.connect(self.delete_person)
        self.detail.merge.clicked.connect(self.merge_selected)
        self.detail.erase.clicked.connect(self.erase_person)
        on_widget(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        on_widget(QKeySequence.StandardKey.New, self, self.add_person)
        on_widget(Qt.Key.Key_Delete, self.table, self.delete_person)
        on_widget(Qt.Key.Key_Return, self.table, self.edit_person)
        self.reload_choices()
        self.apply_filter()
        self.empty_hint.refresh(db)

    # -- filtering ----------------------------------------------------------------------------
    def reload_choices(self) -> None:
        self.village.set_items(village_choices(self.db))
        self.ethnic.set_items(ethnic_choices(self.db))
        self.group.set_items(group_choices(self.db))

    def current_filter(self) -> PeopleFilter:
        return PeopleFilter(search=self.search.text(), village_id=self.village.value(),
                            sex=self.sex.currentData(), ethnic_key=self.ethnic.value(),
                            age_band=self.age.currentData(), group_id=self.group.value())

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        self.count.setText(self.model.count_text())
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.show_person(self.db, None)

    def reload(self, _changed: set | None = None) -> None:
        self.reload_choices()
        self.model.reload()
        self.count.setText(self.model.count_text())  # after a delete, an import, a sync
        self.show_selected()
        self.empty_hint.refresh(self.db)

    # -- import and export ----------------------------------------------------------------------
    def open_import(self) -> None:
        from da8desktop.gui.widgets.import_dialog import ImportDialog  # openpyxl only when used

        dialog = ImportDialog(self.db, self, self.events, self.dialogs)  # it tells every page
        if self.import_accepted(dialog) and dialog.result is not None:
            self.dialogs.info(self.tr("Import from Excel"), self.tr(
                "{created} people added, {matched} already registered, {refused} rows refused.")
                .format(created=dialog.result.created, matched=dialog.result.matched,
                        refused=dialog.result.rejected))

    def import_accepted(self, dialog: QWidget) -> bool:
        """Apart so tests can answer the dialog without a modal loop."""
        return bool(dialog.exec())  # type: ignore[attr-defined]

    # -- export ----------------------------------------------------------------------------------
    def choose_export(self) -> None:
        path = self.dialogs.save_file(self.tr("Export to Excel"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> BackgroundTask:
        """All people, or the members of the group chosen in the filter; in the background."""
        group_id = self.group.value()
        self.export_button.setEnabled(False)

        from da8desktop.core.excel.export import export_people  # openpyxl: only when exporting

        def done(result) -> None:  # noqa: ANN001 - an ExportResult
            self.export_button.setEnabled(True)
            self.dialogs.info(self.tr("Export to Excel"), self.tr(
                "{rows} people written to {file}").format(rows=result.rows, file=result.path))

        def failed(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            if not isinstance(error, Cancelled):
                show_failure(self.dialogs, self.tr("Export to Excel"), error)

        self.export_task = run_operation(
            self, self.tr("Exporting to Excel…"),
            lambda progress: export_people(self.db, path, group_id, progress),
            dialogs=self.dialogs, on_success=done, on_failure=failed)
        return self.export_task

    # -- selection and actions -----------------------------------------------------------------
    def selected_ids(self) -> list[uuid.UUID]:
        return [self.model.data(i, ID_ROLE) for i in self.table.selectionModel().selectedRows()]

    def show_selected(self) -> None:
        ids = self.selected_ids()
        self.detail.show_person(self.db, ids[0] if ids else None)
        self.detail.merge.setEnabled(len(ids) == 2)

    def select_person(self, person_id: uuid.UUID) -> None:
        row = self.model.row_of(person_id)
        if row >= 0:
            self.table.selectRow(row)

    def add_person(self) -> None:
        dialog = PersonDialog(self.db, self.dialogs, parent=self)
        if dialog.exec() and dialog.saved_id:
            self._after_write(dialog.saved_id, dialog.warnings)

    def edit_person(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        dialog = PersonDialog(self.db, self.dialogs, ids[0], parent=self)
        if dialog.exec() and dialog.saved_id:
            self._after_write(dialog.saved_id, dialog.warnings)

    def _after_write(self, person_id: uuid.UUID, warnings: list[str]) -> None:
        self.events.changed.emit({"person"})
        self.model.reload()
        self.select_person(person_id)
        if warnings:
            self.dialogs.info(self.tr("Saved, please check"), "\n".join(warnings))

    def delete_person(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        for person_id in ids:
            PeopleService(self.db).delete(person_id)
            self.events.deleted.emit("person", person_id)
        self.events.changed.emit({"person"})
        self.model.reload()

    def erase_person(self) -> None:
        """For a person who asks to be forgotten: unlike Delete, this cannot be undone."""
        ids = self.selected_ids()
        person = get_person(self.db, ids[0]) if len(ids) == 1 else None
        if person is None:
            return
        if not self.dialogs.confirm(self.tr("Erase personal data"), self.tr(
                "Erase the name, date of birth, CCCD, phone, guardian and note of {name} for good, "
                "on this computer and, with the next bundles, at the province? Counts by sex, "
                "year of birth and ethnic group are kept. This cannot be undone.").format(
                name=person.full_name)):
            return
        def done(result) -> None:  # noqa: ANN001 - an ErasureResult
            self.dialogs.info(self.tr("Personal data erased"), result.message())

        # Every backup holding her is rewritten: seconds to minutes on a big file. The pages
        # showing her follow from the changes the operation announces.
        self.erase_task = run_operation(
            self, self.tr("Erasing the personal data and cleaning the backups…"),
            lambda _progress: redact_person(self.db, person.id), dialogs=self.dialogs,
            events=self.events, on_success=done)

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2:
            return
        people = [get_person(self.db, i) for i in ids]
        labels = [f"{p.full_name} ({p.birth_year or '?'})" for p in people if p]
        answer = self.dialogs.choose(
            self.tr("Merge two records"),
            self.tr("These two records are the same person. Which one should be kept? Groups and "
                    "attendance of the other move to it; the other record is removed (it can be "
                    "restored from Recently deleted)."),
            [self.tr("Keep {name}").format(name=labels[0]),
             self.tr("Keep {name}").format(name=labels[1]), self.tr("Cancel")])
        if answer not in (0, 1):
            return
        keep, other = (ids[0], ids[1]) if answer == 0 else (ids[1], ids[0])
        try:
            merge_people(self.db, keep, other)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Merge two records"), error.message())
            return
        self.events.changed.emit({"person", "membership", "attendance"})
        self.model.reload()
        self.select_person(keep)


class PersonDetail(QWidget):
    """A person's page: who she is, her groups and her attendance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = QLabel(objectName="sectionTitle", wordWrap=True)
        self.info = QLabel(wordWrap=True)
        self.groups = QListWidget()
        self.attendance = QListWidget()
        self.edit = QPushButton(self.tr("Edit (Enter)"))
        self.delete = QPushButton(self.tr("Delete (Del)"))
        self.merge = QPushButton(self.tr("Merge the two selected"))
        self.merge.setEnabled(False)
        self.erase = QPushButton(self.tr("Erase personal data for good…"))
        self.erase.setFlat(True)
        buttons = QGridLayout()  # two rows: the detail stays narrow beside the list at 1024 px
        buttons.addWidget(self.edit, 0, 0)
        buttons.addWidget(self.delete, 0, 1)
        buttons.addWidget(self.merge, 1, 0, 1, 2)
        for listing in (self.groups, self.attendance):
            listing.setMinimumHeight(40)  # the page fits 1093×582 (125 %); they grow with it
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("Groups")))
        layout.addWidget(self.groups, 1)
        layout.addWidget(QLabel(self.tr("Meetings attended")))
        layout.addWidget(self.attendance, 2)
        layout.addWidget(self.erase, 0, Qt.AlignmentFlag.AlignRight)

    def show_person(self, db: Database, person_id: uuid.UUID | None) -> None:
        person = get_person(db, person_id) if person_id else None
        for widget in (self.edit, self.delete, self.erase):
            widget.setEnabled(person is not None)
        self.groups.clear()
        self.attendance.clear()
        if person is None:
            self.name.setText("")
            self.info.setText("")
            return
        self.name.setText(person.full_name)
        born = format_date(person.birth_date) or str(person.birth_year or "?")
        sex = self.tr("Female") if person.sex == "F" else self.tr("Male")
        self.info.setText(self.tr("{sex}, born {born}").format(sex=sex, born=born)
                          + (f" · {person.phone}" if person.phone else ""))
        for group in person_groups(db, person.id):
            until = f" → {format_date(group.left_on)}" if group.left_on else ""
            self.groups.addItem(f"{group.group_name} — {group.role_name}{until}")
        rows = person_attendance(db, person.id)
        for row in rows:
            mark = "✓" if row.present else "✗"
            self.attendance.addItem(f"{mark} {format_date(row.date)}  {row.title}")
