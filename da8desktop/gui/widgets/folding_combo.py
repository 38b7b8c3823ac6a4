"""A combo box with autocomplete that ignores accents: typing "mong" offers "Mông", "hoa" offers
"Hoà" and "Hòa". Used for villages, ethnic groups, roles and groups."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from da8desktop.core.text import fold

FOLD_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_ROLE = Qt.ItemDataRole.UserRole


class FoldingCompleter(QCompleter):
    def splitPath(self, path: str) -> list[str]:  # noqa: N802 - Qt override
        return [fold(path)]

    def pathFromIndex(self, index) -> str:  # noqa: ANN001, N802 - Qt override
        return index.data(Qt.ItemDataRole.DisplayRole)


class _EmptyChoice(QStandardItem):
    """The "all villages" entry: its name shows in the list, but chosen it leaves the box empty
    with the name as a placeholder, so typing never appends to it ("Tất cả thôn/bảnna san")."""

    def data(self, role: int = Qt.ItemDataRole.UserRole + 1) -> Any:
        if role == Qt.ItemDataRole.EditRole:
            return ""
        return super().data(role)


class FoldingComboBox(QComboBox):
    """Items are (text, value, extra search words). `value()` is the chosen value or None.
    With `keep_enter`, Enter is the box's own (`enter_pressed`): in a dialog it never falls
    through to the default button, so a guest name with no match does not save and close."""

    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None, allow_empty: bool = True,
                 empty_text: str = "", keep_enter: bool = False) -> None:
        super().__init__(parent)
        self.keep_enter = keep_enter
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.items = QStandardItemModel(self)
        self.setModel(self.items)
        completer = FoldingCompleter(self.items, self)
        completer.setCompletionRole(FOLD_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.allow_empty, self.empty_text = allow_empty, empty_text
        self.lineEdit().setPlaceholderText(empty_text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        super().keyPressEvent(event)
        if self.keep_enter and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.enter_pressed.emit()

    def set_items(self, items: list[tuple[str, Any, str]]) -> None:
        """Replace the entries, keeping the chosen value if it is still there. Quiet: refilling
        a filter must not re-run the page's query once per entry."""
        chosen = self.currentData(VALUE_ROLE) if self.items.rowCount() else None
        blocked = self.blockSignals(True)
        self.items.clear()
        if self.allow_empty:
            empty = _EmptyChoice(self.empty_text)
            empty.setData(None, VALUE_ROLE)
            empty.setData("", FOLD_ROLE)
            self.items.appendRow(empty)
        for text, value, extra in items:
            item = QStandardItem(text)
            item.setData(value, VALUE_ROLE)
            item.setData(fold(f"{text} {extra}"), FOLD_ROLE)
            self.items.appendRow(item)
        self.setCurrentIndex(0)
        if chosen is not None:
            self.set_value(chosen)
        self.blockSignals(blocked)

    def value(self) -> Any:
        """The value of the item whose text is typed (accents optional), else None."""
        typed = fold(self.currentText())
        if not typed:
            return None
        current = self.currentData(VALUE_ROLE)
        if current is not None and fold(self.itemText(self.currentIndex())) == typed:
            return current
        texts = [(fold(self.items.item(r).text()), self.items.item(r).data(VALUE_ROLE))
                 for r in range(self.items.rowCount())]
        exact = [value for text, value in texts if text == typed]
        if exact:
            return exact[0]
        # Typed part of a name ("ban dieu hanh"): accepted when only one item contains it.
        partial = [value for text, value in texts if typed in text and value is not None]
        return partial[0] if len(partial) == 1 else None

    def set_value(self, value: Any) -> None:
        for row in range(self.items.rowCount()):
            if self.items.item(row).data(VALUE_ROLE) == value:
                self.setCurrentIndex(row)
                return
        self.setCurrentIndex(0 if self.allow_empty else -1)
