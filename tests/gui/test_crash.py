"""An unexpected error is written to the log folder and shown, never swallowed."""

import sys

from PySide6.QtWidgets import QApplication, QMessageBox

from da8desktop.core.paths import user_log_dir
from da8desktop.gui.app import install_crash_handler


def test_unhandled_exception_is_logged_and_shown(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args))
    original = sys.excepthook
    try:
        install_crash_handler(QApplication.instance())
        try:
            raise RuntimeError("boom in a slot")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = original
    log = user_log_dir() / "crash.log"
    assert "boom in a slot" in log.read_text("utf-8")
    assert shown and str(log) in shown[0][2]
