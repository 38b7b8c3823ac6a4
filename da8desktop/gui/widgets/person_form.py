"""Adding or editing a person: keyboard-first, accents optional in pickers, errors beside the
field, and "this looks like someone already registered" before a duplicate is created."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.domain import ADULT_AGE
from da8desktop.core.formats import parse_birth
from da8desktop.core.services.choices import catalogue_choices, ethnic_choices, village_choices
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import get_person, possible_duplicates
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.screen_fit import scrolling
from da8desktop.gui.widgets.field_errors import FieldErrors, missing_day
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog


def ask_use_existing(dialogs: Dialogs, db: Database, values: dict[str, Any],
                     exclude: uuid.UUID | None = None) -> uuid.UUID | None | bool:
    """Offer an existing look-alike. Returns its id to use it, True to create anyway,
    False to go back and edit."""
    similar = possible_duplicates(db, values.get("full_name"), values.get("birth_year"),
                                  values.get("cccd"), exclude)
    if not similar:
        return True
    first = similar[0]
    described = ", ".join(str(x) for x in (first.full_name, first.birth_year, first.village_name)
                          if x)
    answer = dialogs.choose(
        QCoreApplication.translate("PersonDialog", "Possible duplicate"),
        QCoreApplication.translate(
            "PersonDialog", "{name} looks like someone already registered: {existing}. Use the "
            "existing person instead of creating a new one?").format(
                      name=values.get("full_name"), existing=described),
        [QCoreApplication.translate("PersonDialog", "Use the existing person"),
         QCoreApplication.translate("PersonDialog", "Create a new person"),
         QCoreApplication.translate("PersonDialog", "Go back")])
    return first.id if answer == 0 else True if answer == 1 else False


class PersonDialog(FormDialog):
    """`person_id` None adds a person. After accept, `saved_id` and `warnings` are set."""

    def __init__(self, db: Database, dialogs: Dialogs, person_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.person_id = db, dialogs, person_id
        self.saved_id: uuid.UUID | None = None
        self.warnings: list[str] = []
        self.setWindowTitle(self.tr("Edit person") if person_id else self.tr("Add a person"))
        self.full_name = QLineEdit()
        self.full_name.setPlaceholderText(self.tr("e.g. Lò Thị Hoa"))
        self.sex = QComboBox()
        self.sex.addItem(self.tr("Female"), "F")
        self.sex.addItem(self.tr("Male"), "M")
        self.birth = QLineEdit()
        self.birth.setPlaceholderText(self.tr("dd/mm/yyyy or year only"))
        self.ethnic = FoldingComboBox()
        self.ethnic.set_items(ethnic_choices(db))
        self.village = FoldingComboBox()
        self.village.set_items(village_choices(db))
        self.position = FoldingComboBox()
        self.position.set_items(catalogue_choices(db, "position"))
        self.cccd = QLineEdit()
        self.cccd.setPlaceholderText(self.tr("12 digits, adults only"))
        self.phone = QLineEdit()
        self.school = QLineEdit()
        self.guardian = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Full name"), self.full_name)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("Born"), self.birth)
        form.addRow(self.tr("Ethnic group"), self.ethnic)
        form.addRow(self.tr("Village"), self.village)
        form.addRow(self.tr("Position in the village"), self.position)
        form.addRow(self.tr("CCCD"), self.cccd)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("School (children)"), self.school)
        form.addRow(self.tr("Guardian (children)"), self.guardian)
        self.cccd_label = form.labelForField(self.cccd)
        self.field_errors = FieldErrors(
            form, {"full_name": self.full_name, "sex": self.sex, "birth_year": self.birth,
                   "ethnic_key": self.ethnic, "village_id": self.village, "cccd": self.cccd,
                   "phone": self.phone},
            aliases={"given_name": "full_name", "family_name": "full_name",
                     "birth_date": "birth_year"})
        fields = QWidget()
        fields.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(fields), 1)  # errors under fields may lengthen it: it scrolls
        self.finish_layout(layout)
        self.resize(520, 600)  # shrunk to the screen when shown; the fields then scroll
        self.birth.textChanged.connect(self._child_fields)
        if person_id:
            self._load(person_id)
        self._child_fields()

    def _load(self, person_id: uuid.UUID) -> None:
        person = get_person(self.db, person_id)
        if person is None:
            return
        self.full_name.setText(person.full_name)
        self.sex.setCurrentIndex(self.sex.findData(person.sex))
        self.birth.setText(person.birth_date.strftime("%d/%m/%Y") if person.birth_date
                           else str(person.birth_year or ""))
        self.ethnic.set_value(person.ethnic_key)
        self.village.set_value(person.village_id)
        self.position.set_value(person.position_key)
        self.cccd.setText(person.cccd or "")
        self.phone.setText(person.phone or "")
        self.school.setText(person.school or "")
        self.guardian.setText(person.guardian_name or "")

    def _child_fields(self) -> None:
        """No CCCD for children (domain.md §6): the field is not even offered."""
        try:
            _date, year = parse_birth(self.birth.text())
        except ValueError:
            year = None
        child = year is not None and dt.date.today().year - year < ADULT_AGE
        self.cccd.setVisible(not child)
        self.cccd_label.setVisible(not child)
        if child:
            self.cccd.clear()

    def values(self) -> dict[str, Any]:
        try:
            birth_date, birth_year = parse_birth(self.birth.text())
        except ValueError as exc:
            raise ValueError("birth") from exc
        return dict(full_name=self.full_name.text(), given_name=None, family_name=None,
                    middle_name=None, sex=self.sex.currentData(), birth_date=birth_date,
                    birth_year=birth_year, ethnic_key=self.ethnic.value(),
                    village_id=self.village.value(), position_key=self.position.value(),
                    cccd=self.cccd.text() or None, phone=self.phone.text() or None,
                    school=self.school.text() or None, guardian_name=self.guardian.text() or None)

    def save(self) -> None:
        try:
            values = self.values()
        except ValueError:
            problem = missing_day(self.birth.text()) or self.tr(
                "Write the birth date as dd/mm/yyyy, or only the year.")
            self.field_errors.clear()
            self.field_errors.show("birth_year", problem)
            self.birth.setFocus()
            return
        service = PeopleService(self.db)
        if self.person_id is None:
            choice = ask_use_existing(self.dialogs, self.db, values)
            if choice is False:
                return
            if isinstance(choice, uuid.UUID):
                self.saved_id = choice
                self.accept()
                return
            result = self.attempt(lambda: service.create(**values))
        else:
            result = self.attempt(lambda: service.update(self.person_id, **values))
        if result is None:
            return
        self.saved_id = result.id
        self.warnings = [w.message() for w in result.warnings]
        self.accept()
