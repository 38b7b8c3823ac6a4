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


def test_a_full_disk_during_a_click_is_said_plainly_not_as_a_crash(qtbot, monkeypatch, tmp_path):
    from pathlib import Path

    from da8desktop.core.db.database import StorageFull
    from da8desktop.core.i18n import QT_TRANSLATE_NOOP
    from da8desktop.gui.app import take_writer_lock
    from tests.gui.helpers import RecordingDialogs

    warned, crashed = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: crashed.append(args))
    original = sys.excepthook
    try:
        install_crash_handler(QApplication.instance())
        try:
            raise StorageFull(QT_TRANSLATE_NOOP("Database", "Not saved: the disk holding {folder} is "
                              "full. What was saved before is safe. Free some space (delete or "
                              "move files you do not need), then try again."), folder="D:\\")
        except StorageFull:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = original
    assert warned and not crashed and "D:\\" in warned[0][2]
    # A second window on the same file: told, and it stops before opening anything.
    dialogs = RecordingDialogs()
    first = take_writer_lock(tmp_path / "xa.sqlite", dialogs)
    assert take_writer_lock(Path(tmp_path / "xa.sqlite"), dialogs) is False
    assert "already open" in dialogs.shown[-1][1] or "đang được mở" in dialogs.shown[-1][1]
    first.release()
