"""Message boxes behind one small service, so tests can answer them without blocking."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget


class Dialogs:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def error(self, title: str, text: str, details: str | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                          self.parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self.parent, title, text)
        return answer == QMessageBox.StandardButton.Yes

    def choose(self, title: str, text: str, options: list[str]) -> int | None:
        """Buttons in order; returns the index pressed, None for Escape/close."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton,
                          self.parent)
        buttons = [box.addButton(option, QMessageBox.ButtonRole.ActionRole) for option in options]
        box.setDefaultButton(buttons[0])
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else None

    def open_files(self, title: str, name_filter: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self.parent, title, "", name_filter)
        return files

    def save_file(self, title: str, name_filter: str) -> str | None:
        name, _ = QFileDialog.getSaveFileName(self.parent, title, "", name_filter)
        return name or None

    def folder(self, title: str) -> str | None:
        return QFileDialog.getExistingDirectory(self.parent, title) or None

    def pick(self, title: str, label: str, items: list[str]) -> int | None:
        """One item of a long list (a province, a commune); its index, or None."""
        item, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return items.index(item) if ok and item in items else None

    def text(self, title: str, label: str, secret: bool = False) -> str | None:
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        value, ok = QInputDialog.getText(self.parent, title, label, mode)
        return value if ok else None
