"""Creating a group: the kind, its subtype where the kind has some (a trusted address is
collective, individual or a shelter; a livelihood group a group, THT or HTX), its name, its
village and launch date; the rest is edited on the group's page, where every field saves as soon
as it is left and only the kind's own fields are shown."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.services.choices import catalogue_choices, village_choices
from da8desktop.core.services.group_types import group_type_form
from da8desktop.core.services.groups import GroupsService
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.widgets.field_errors import FieldErrors, read_date
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog


class GroupDialog(FormDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(self.tr("New group"))
        self.kind = QComboBox()
        for text, key, _extra in catalogue_choices(db, "group_type"):
            self.kind.addItem(text, key)
        self.subtype = QComboBox()
        self.name = QLineEdit()
        self.village = FoldingComboBox()
        self.village.set_items(village_choices(db))
        self.launch = QLineEdit()
        self.launch.setPlaceholderText(self.tr("dd/mm/yyyy"))
        form = QFormLayout()
        form.addRow(self.tr("Kind of group"), self.kind)
        form.addRow(self.tr("Subtype"), self.subtype)
        self.form = form
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Launch date"), self.launch)
        compact(self.kind, 24)  # catalogue names must not widen the dialog past the screen
        self.field_errors = FieldErrors(form, {"type_key": self.kind, "subtype": self.subtype,
                                               "name": self.name,
                                               "village_id": self.village,
                                               "launch_date": self.launch})
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.kind.currentIndexChanged.connect(self._suggest_name)
        self.kind.currentIndexChanged.connect(self._show_subtypes)
        self._show_subtypes()
        self.village.currentIndexChanged.connect(self._suggest_name)
        self._suggest_name()

    def _suggest_name(self) -> None:
        """"Tổ truyền thông cộng đồng Bản Che Căn": the usual name, editable."""
        if self.name.isModified():
            return
        village = self.village.currentText() if self.village.value() else ""
        self.name.setText(f"{self.kind.currentText()} {village}".strip())

    def _show_subtypes(self) -> None:
        subtypes = group_type_form(self.db, self.kind.currentData()).subtypes
        self.subtype.clear()
        for subtype in subtypes:
            self.subtype.addItem(subtype, subtype)
        self.form.setRowVisible(self.subtype, bool(subtypes))

    def save(self) -> None:
        launch, problem = read_date(self.launch.text())
        if problem:
            self.field_errors.clear()
            self.field_errors.show("launch_date", problem)
            self.launch.setFocus()
            return
        result = self.attempt(lambda: GroupsService(self.db).create(
            type_key=self.kind.currentData(), name=self.name.text(),
            subtype=self.subtype.currentData() if self.subtype.count() else None,
            village_id=self.village.value(), launch_date=launch))
        if result is None:
            return
        self.saved_id = result.id
        self.accept()
