"""Every prompt, message and file picker of the window behind one small service, so tests
answer them without blocking (`tests/gui/helpers.RecordingDialogs`) and no page repeats the
rules: the extension added to a saved file's name, the last folder remembered per purpose
(the USB stick for bundles, the folder of exports). `tests/gui/test_dialog_service.py` fails if
anything else in gui/ opens a QMessageBox, QFileDialog or QInputDialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

# Purposes whose last folder is remembered apart (a bundle's stick is not the exports' folder).
USB = "usb"
EXPORTS = "exports"
DATA_FILES = "data_files"
DOCUMENTS = "documents"


def with_suffix(name: str, suffix: str | None) -> Path:
    """The extension rule, once: a name typed without the file type's extension gets it."""
    if suffix and not name.lower().endswith(suffix.lower()):
        name += suffix
    return Path(name)


def _settings() -> QSettings:
    from da8desktop.gui.main_window import SETTINGS_APP, SETTINGS_ORG  # the window's own store

    return QSettings(SETTINGS_ORG, SETTINGS_APP)


def last_folder(purpose: str) -> str:
    value = _settings().value(f"dialogs/folder/{purpose}")
    return str(value) if value and Path(str(value)).is_dir() else ""


def remember_folder(purpose: str, chosen: str | Path) -> None:
    path = Path(chosen)
    _settings().setValue(f"dialogs/folder/{purpose}", str(path if path.is_dir() else path.parent))


class Dialogs:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    # -- messages -------------------------------------------------------------------------------
    def info(self, title: str, text: str) -> None:
        QMessageBox.information(self.parent, title, text)

    def warning(self, title: str, text: str) -> None:
        QMessageBox.warning(self.parent, title, text)

    def error(self, title: str, text: str, details: str | None = None) -> None:
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok,
                          self.parent)
        if details:
            box.setDetailedText(details)
        box.exec()

    def crash(self, title: str, text: str) -> None:
        """The crash dialog (gui/crash.py words it; the details are in the log, not here)."""
        QMessageBox.critical(self.parent, title, text)

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

    # -- files and folders ------------------------------------------------------------------------
    def open_files(self, title: str, name_filter: str, *, purpose: str = DOCUMENTS,
                   many: bool = True) -> list[str]:
        start = last_folder(purpose)
        if many:
            files, _ = QFileDialog.getOpenFileNames(self.parent, title, start, name_filter)
        else:
            file, _ = QFileDialog.getOpenFileName(self.parent, title, start, name_filter)
            files = [file] if file else []
        if files:
            remember_folder(purpose, files[0])
        return files

    def open_file(self, title: str, name_filter: str, *, purpose: str = DOCUMENTS) -> Path | None:
        files = self.open_files(title, name_filter, purpose=purpose, many=False)
        return Path(files[0]) if files else None

    def save_file(self, title: str, name_filter: str, *, suffix: str | None = None,
                  name: str = "", purpose: str = EXPORTS) -> str | None:
        """Where to write a file; `suffix` (".xlsx") is added when the officer leaves it out."""
        start = str(Path(last_folder(purpose)) / name) if last_folder(purpose) else name
        chosen, _ = QFileDialog.getSaveFileName(self.parent, title, start, name_filter)
        if not chosen:
            return None
        remember_folder(purpose, Path(chosen).parent)
        return str(with_suffix(chosen, suffix))

    def folder(self, title: str, *, purpose: str = USB) -> str | None:
        chosen = QFileDialog.getExistingDirectory(self.parent, title, last_folder(purpose))
        if chosen:
            remember_folder(purpose, chosen)
        return chosen or None

    # -- input ------------------------------------------------------------------------------------
    def pick(self, title: str, label: str, items: list[str]) -> int | None:
        """One item of a long list (a province, a commune); its index, or None."""
        item, ok = QInputDialog.getItem(self.parent, title, label, items, 0, False)
        return items.index(item) if ok and item in items else None

    def passphrase(self, new: bool) -> str | None:
        """Where no OS keyring protects the sync keys, a passphrase does (core/sync/keys.py).
        Asked on the UI thread only: the unlocked keys are then passed to background work."""
        label = (QCoreApplication.translate(
            "MainWindow", "Choose a passphrase for this computer's sync keys (at least 8 "
            "characters). Write it down and keep it safe.") if new
            else QCoreApplication.translate("MainWindow", "Passphrase of this computer's sync keys:"))
        return self.text(QCoreApplication.translate("MainWindow", "Sync keys"), label, secret=True)

    def text(self, title: str, label: str, secret: bool = False, value: str = "") -> str | None:
        mode = QLineEdit.EchoMode.Password if secret else QLineEdit.EchoMode.Normal
        answer, ok = QInputDialog.getText(self.parent, title, label, mode, value)
        return answer if ok else None
