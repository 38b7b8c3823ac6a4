"""Creating a group: the kind, its name, its village and launch date; the rest is edited on the
group's page, where every field saves as soon as it is left."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.formats import parse_date
from da8desktop.core.services.choices import catalogue_choices, village_choices
from da8desktop.core.services.groups import GroupsService
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.shortcuts import save_on_ctrl_s


class GroupDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(self.tr("New group"))
        self.kind = QComboBox()
        for text, key, _extra in catalogue_choices(db, "group_type"):
            self.kind.addItem(text, key)
        self.name = QLineEdit()
        self.village = FoldingComboBox()
        self.village.set_items(village_choices(db))
        self.launch = QLineEdit()
        self.launch.setPlaceholderText(self.tr("dd/mm/yyyy"))
        self.errors = QLabel(wordWrap=True)
        self.errors.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.tr("Kind of group"), self.kind)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Launch date"), self.launch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        save_on_ctrl_s(self, self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.village.currentIndexChanged.connect(self._suggest_name)
        self._suggest_name()

    def _suggest_name(self) -> None:
        """"Tổ truyền thông cộng đồng Bản Che Căn": the usual name, editable."""
        if self.name.isModified():
            return
        village = self.village.currentText() if self.village.value() else ""
        self.name.setText(f"{self.kind.currentText()} {village}".strip())

    def save(self) -> None:
        try:
            launch = parse_date(self.launch.text()) if self.launch.text().strip() else None
        except ValueError:
            self.errors.setText(self.tr("Write the date as dd/mm/yyyy."))
            return
        try:
            result = GroupsService(self.db).create(type_key=self.kind.currentData(),
                                                   name=self.name.text(),
                                                   village_id=self.village.value(),
                                                   launch_date=launch)
        except ValidationFailed as failed:
            self.errors.setText("\n".join(e.message() for e in failed.errors))
            return
        except UserFacingError as error:
            self.errors.setText(error.message())
            return
        self.saved_id = result.id
        self.accept()
