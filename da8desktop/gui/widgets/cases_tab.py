"""A trusted address's "Cases" tab: the aggregate rows it received, added, edited and deleted
(a delete is recoverable: Ctrl+Z or the Recently deleted page)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_date
from da8desktop.core.services.trusted_cases import TrustedCasesService, list_cases
from da8desktop.gui.events import DataEvents
from da8desktop.gui.shortcuts import on_widget
from da8desktop.gui.widgets.case_form import CaseDialog, age_band_names
from da8desktop.gui.widgets.tables import fill, read_only_table, selected


class CasesTab(QWidget):
    def __init__(self, db: Database, events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events = db, events
        self.group_id: uuid.UUID | None = None
        self.table = read_only_table([self.tr("Received on"), self.tr("Form of violence"),
                                      self.tr("Support given"), self.tr("Sex"), self.tr("Age"),
                                      self.tr("Ethnic group"), self.tr("Cases")], 2)
        self.table.setMinimumHeight(70)
        self.total = QLabel()
        self.add_button = QPushButton(self.tr("Record cases…"))
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.total, 1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.add_cases)
        self.edit_button.clicked.connect(self.edit_cases)
        self.delete_button.clicked.connect(self.delete_cases)
        self.table.doubleClicked.connect(self.edit_cases)
        on_widget(Qt.Key.Key_Delete, self.table, self.delete_cases)

    def show_group(self, group_id: uuid.UUID | None) -> None:
        self.group_id = group_id
        rows = list_cases(self.db, group_id) if group_id else []
        sexes = {"F": self.tr("Female"), "M": self.tr("Male")}
        bands = age_band_names()
        fill(self.table, [(r.id, [format_date(r.reported_on), r.violence_form, r.support,
                                  sexes.get(r.sex, r.sex), bands.get(r.age_band, r.age_band),
                                  r.ethnic or self.tr("Not known"), str(r.case_count)])
                          for r in rows])
        self.total.setText(self.tr("{count} cases in {rows} rows").format(
            count=sum(r.case_count for r in rows), rows=len(rows)))

    def add_cases(self) -> None:
        if self.group_id is not None and CaseDialog(self.db, group_id=self.group_id,
                                                    parent=self).exec():
            self.events.changed.emit({"trusted_address_case"})

    def edit_cases(self) -> None:
        case_id = selected(self.table)
        if isinstance(case_id, uuid.UUID) and CaseDialog(self.db, case_id=case_id,
                                                         parent=self).exec():
            self.events.changed.emit({"trusted_address_case"})

    def delete_cases(self) -> None:
        case_id = selected(self.table)
        if isinstance(case_id, uuid.UUID):
            TrustedCasesService(self.db).delete(case_id)
            self.events.deleted.emit("trusted_address_case", case_id)
            self.events.changed.emit({"trusted_address_case"})
