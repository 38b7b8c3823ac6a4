"""Recording cases a trusted address received, as aggregates: every answer is chosen from a
list or is a number. There is no box where a name or a note could be typed (domain.md §6)."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGridLayout, QLabel,
                               QLineEdit, QSpinBox, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AgeBand
from da8desktop.core.formats import format_date
from da8desktop.core.services.choices import catalogue_choices, ethnic_choices
from da8desktop.core.services.trusted_cases import TrustedCasesService, get_case
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.widgets.field_errors import FieldErrors, read_date
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog
from da8desktop.gui.widgets.sex_box import SexBox


def age_band_names() -> dict[str, str]:
    return {AgeBand.UNDER_16.value: QCoreApplication.translate("AgeBand", "Under 16"),
            AgeBand.FROM_16_TO_17.value: QCoreApplication.translate("AgeBand", "16 to 17"),
            AgeBand.FROM_18_TO_59.value: QCoreApplication.translate("AgeBand", "18 to 59"),
            AgeBand.FROM_60.value: QCoreApplication.translate("AgeBand", "60 and over")}


class CaseDialog(FormDialog):
    """New cases of one trusted address (`group_id`), or an existing row (`case_id`)."""

    def __init__(self, db: Database, group_id: uuid.UUID | None = None,
                 case_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.group_id, self.case_id = db, group_id, case_id
        self.saved_id: uuid.UUID | None = None
        self.setWindowTitle(self.tr("Cases received") if case_id is None
                            else self.tr("Edit cases"))
        self.day = QLineEdit(format_date(dt.date.today()))
        self.day.setPlaceholderText(self.tr("dd/mm/yyyy"))
        self.form_of_violence = QComboBox()
        for text, key, _extra in catalogue_choices(db, "violence_form"):
            self.form_of_violence.addItem(text, key)
        compact(self.form_of_violence, 20)
        self.support: dict[str, QCheckBox] = {}
        support_box = QWidget()
        grid = QGridLayout(support_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, (text, key, _extra) in enumerate(catalogue_choices(db, "case_support")):
            box = QCheckBox(text)
            self.support[str(key)] = box
            grid.addWidget(box, i // 2, i % 2)
        self.sex = SexBox(self.tr("Female"), self.tr("Male"))
        self.age_band = QComboBox()
        for value, text in age_band_names().items():
            self.age_band.addItem(text, value)
        self.age_band.setCurrentIndex(self.age_band.findData(AgeBand.FROM_18_TO_59.value))
        self.ethnic = FoldingComboBox(empty_text=self.tr("Not known"))
        self.ethnic.set_items(ethnic_choices(db))
        compact(self.ethnic, 16)
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        form = QFormLayout()
        form.addRow(self.tr("Received on"), self.day)
        form.addRow(self.tr("Form of violence"), self.form_of_violence)
        form.addRow(self.tr("Support given"), support_box)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("Age"), self.age_band)
        form.addRow(self.tr("Ethnic group"), self.ethnic)
        form.addRow(self.tr("Number of cases"), self.count)
        self.field_errors = FieldErrors(form, {
            "reported_on": self.day, "violence_form_key": self.form_of_violence,
            "support_given": support_box, "sex": self.sex, "age_band": self.age_band,
            "ethnic_key": self.ethnic, "case_count": self.count})
        hint = QLabel(self.tr("Only numbers are recorded: cases with the same answers go in one "
                              "row. Never write a victim's name anywhere in the application."),
                      wordWrap=True, objectName="hint")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        self.finish_layout(layout)
        if case_id is not None:
            self._fill(case_id)

    def _fill(self, case_id: uuid.UUID) -> None:
        row = get_case(self.db, case_id)
        if row is None:
            return
        self.group_id = row.group_id
        self.day.setText(format_date(row.reported_on))
        self.form_of_violence.setCurrentIndex(self.form_of_violence.findData(row.violence_form_key))
        for key, box in self.support.items():
            box.setChecked(key in row.support_keys)
        self.sex.setCurrentIndex(self.sex.findData(row.sex))
        self.age_band.setCurrentIndex(self.age_band.findData(row.age_band))
        self.ethnic.set_value(row.ethnic_key)
        self.count.setValue(row.case_count)

    def save(self) -> None:
        day, problem = read_date(self.day.text())
        if problem or day is None:
            self.field_errors.clear()
            self.field_errors.show("reported_on", problem or self.tr("Enter the day received."))
            self.day.setFocus()
            return
        support = [key for key, box in self.support.items() if box.isChecked()]
        values = {"reported_on": day, "violence_form_key": self.form_of_violence.currentData(),
                  "support_given": support or None, "sex": self.sex.currentData(),
                  "age_band": self.age_band.currentData(), "ethnic_key": self.ethnic.value(),
                  "case_count": self.count.value()}
        service = TrustedCasesService(self.db)
        if self.case_id is None:
            result = self.attempt(lambda: service.create(group_id=self.group_id, **values))
        else:
            result = self.attempt(lambda: service.update(self.case_id, **values))
        if result is None:
            return
        self.saved_id = result.id
        self.accept()
