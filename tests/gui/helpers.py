"""Test doubles and helpers for GUI tests."""

from PySide6.QtWidgets import QApplication

from da8desktop.gui.i18n import install_qt_language
from da8desktop.gui.main_window import MainWindow


class RecordingDialogs:
    """Answers prompts without blocking; `answers` feeds `choose` and `confirm` in order."""

    def __init__(self, answers=None):
        self.shown = []
        self.crashes = []
        self.answers = list(answers or [])

    def info(self, title, text):
        self.shown.append((title, text))

    def error(self, title, text, details=None):
        self.shown.append((title, text))

    def warning(self, title, text):
        self.shown.append((title, text))

    def crash(self, title, text):
        self.crashes.append((title, text))

    def confirm(self, title, text):
        self.shown.append((title, text))
        return bool(self.answers.pop(0)) if self.answers else True

    def choose(self, title, text, options):
        self.shown.append((title, text))
        return self.answers.pop(0) if self.answers else None

    def open_files(self, title, name_filter, purpose=None, many=True):
        return self.answers.pop(0)

    def open_file(self, title, name_filter, purpose=None):
        from pathlib import Path

        files = self.answers.pop(0)
        files = files if isinstance(files, list) else [files] if files else []
        return Path(files[0]) if files else None

    def save_file(self, title, name_filter, suffix=None, name="", purpose=None):
        from da8desktop.gui.dialogs import with_suffix

        answer = self.answers.pop(0)
        return str(with_suffix(str(answer), suffix)) if answer else None

    def folder(self, title, purpose=None):
        return self.answers.pop(0)

    def pick(self, title, label, items):
        answer = self.answers.pop(0)
        return items.index(answer) if isinstance(answer, str) else answer

    def passphrase(self, new):
        return None  # the tests' passphrase comes from DA8_KEY_PASSPHRASE (tests/conftest.py)

    def text(self, title, label, secret=False, value=""):
        return self.answers.pop(0) if self.answers else None


def open_window(qtbot, db, language="vi", dialogs=None):
    install_qt_language(QApplication.instance(), language)
    window = MainWindow(db, language, dialogs or RecordingDialogs())
    qtbot.addWidget(window)
    window.show()
    return window


def type_text(widget, text):
    """Type Vietnamese text key by key. QTest.keyClicks only knows ASCII (it aborts on "ò"), so
    each character goes in as a key event carrying its text, as Unikey's output does."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    widget.setFocus()
    for char in text:
        key = Qt.Key(ord(char.upper())) if char.isascii() and char.isalnum() else Qt.Key.Key_unknown
        if char == " ":
            key = Qt.Key.Key_Space
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char))
