"""Sex chosen from the keyboard in a row typed from a paper list: "n" or "nu" (Nữ), "nam" or
"m" (Nam); "f"/"m" in English. Both Vietnamese words start with N, so the letters typed since
the box got the focus decide, not Qt's first-letter search."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QWidget

from da8desktop.core.text import fold

WORDS = {"n": "F", "nu": "F", "f": "F", "fe": "F", "female": "F",
         "na": "M", "nam": "M", "m": "M", "ma": "M", "male": "M"}


class SexBox(QComboBox):
    """Female first (a Women's Union list). `enter_pressed` lets the row save on Enter."""

    enter_pressed = Signal()

    def __init__(self, female: str, male: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(female, "F")
        self.addItem(male, "M")
        self.typed = ""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self.typed = ""
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.enter_pressed.emit()
            return
        letters = fold(event.text()).strip()
        if letters.isalpha() and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier:
            typed = self.typed + letters
            value = WORDS.get(typed) or WORDS.get(letters)
            self.typed = typed if typed in WORDS else letters
            if value:
                self.setCurrentIndex(self.findData(value))
            event.accept()
            return
        super().keyPressEvent(event)
