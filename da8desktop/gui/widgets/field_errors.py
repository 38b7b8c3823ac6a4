"""Errors where the officer looks: in red under the field they concern, gone as soon as the
field is edited; and dates read with a message that says what is wrong (31/02/2026 does not
exist) rather than only the format."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from da8desktop.core.formats import parse_date

_DATE_SHAPE = re.compile(r"\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}\s*")


def missing_day(text: str) -> str | None:
    """The message for a date written right that does not exist (31/02/2026), else None."""
    if not _DATE_SHAPE.fullmatch(text):
        return None
    try:
        parse_date(text)
    except ValueError:
        return QCoreApplication.translate(
            "FieldErrors", "There is no day {date}: check the day and the month.").format(
                date=text.strip())
    return None


def read_date(text: str) -> tuple[dt.date | None, str | None]:
    """(date, None), or (None, message). An empty text is (None, None)."""
    if not text.strip():
        return None, None
    try:
        return parse_date(text), None
    except ValueError:
        return None, missing_day(text) or QCoreApplication.translate(
            "FieldErrors", "Write the date as dd/mm/yyyy, e.g. 15/03/2026.")


class FieldErrors:
    """A red line under each named field of a QFormLayout, shown by `show(name, text)`."""

    def __init__(self, form: QFormLayout, fields: dict[str, QWidget],
                 aliases: dict[str, str] | None = None) -> None:
        self.labels: dict[str, QLabel] = {}
        self.fields = fields
        self.aliases = aliases or {}  # a core field shown under another's box (given_name)
        for name, widget in fields.items():
            label = QLabel(wordWrap=True, objectName="fieldError")
            label.setStyleSheet("color: #b00020;")
            label.hide()
            row, _role = form.getWidgetPosition(widget)
            form.insertRow(row + 1, "", label)
            self.labels[name] = label
            editor = widget.lineEdit() if isinstance(widget, QComboBox) else widget
            if isinstance(editor, QLineEdit):
                editor.textEdited.connect(lambda _text, n=name: self.clear(n))
            elif isinstance(widget, QComboBox):
                widget.currentIndexChanged.connect(lambda _i, n=name: self.clear(n))
            elif isinstance(widget, QSpinBox):
                widget.valueChanged.connect(lambda _v, n=name: self.clear(n))

    def show(self, name: str, text: str) -> bool:
        """False when the form has no such field (the caller shows the text elsewhere)."""
        label = self.labels.get(self.aliases.get(name, name))
        if label is None:
            return False
        label.setText(text)
        label.show()
        return True

    def clear(self, name: str | None = None) -> None:
        for key, label in self.labels.items():
            if name in (None, key):
                label.clear()
                label.hide()

    def shown(self) -> dict[str, str]:
        return {name: label.text() for name, label in self.labels.items() if label.text()}
