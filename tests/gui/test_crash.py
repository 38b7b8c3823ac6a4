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


def test_a_full_disk_during_a_click_is_said_plainly_not_as_a_crash(qtbot, monkeypatch, demo_db,
                                                                    tmp_path):
    import sqlite3
    from pathlib import Path

    from PySide6.QtCore import Qt
    from sqlalchemy import event

    from da8desktop.core.services.people_query import PeopleFilter, people_count
    from da8desktop.gui.app import take_writer_lock
    from da8desktop.gui.pages.people import PeoplePage
    from tests.gui.helpers import RecordingDialogs, open_window

    warned, crashed = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: crashed.append(args))
    dialogs = RecordingDialogs()
    window = open_window(qtbot, demo_db, dialogs=dialogs)
    page = window.page(PeoplePage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    total = people_count(demo_db, PeopleFilter())
    victim = page.model.rows[0].id
    page.table.selectRow(0)
    log = user_log_dir() / "crash.log"
    logged = log.read_text("utf-8") if log.exists() else ""

    def disk_full(_conn, _cursor, statement, *_rest):  # SQLite's own words when the disk is full
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(demo_db.engine, "before_cursor_execute", disk_full)
    original = sys.excepthook
    try:
        install_crash_handler(QApplication.instance())
        qtbot.mouseClick(page.detail.delete, Qt.MouseButton.LeftButton)  # the officer's click
    finally:
        sys.excepthook = original
        event.remove(demo_db.engine, "before_cursor_execute", disk_full)
    said = warned + [text for _title, text in dialogs.shown]
    assert any(text.startswith("Chưa lưu được: ổ đĩa chứa") for text in said), said
    assert not crashed and (log.read_text("utf-8") if log.exists() else "") == logged
    assert people_count(demo_db, PeopleFilter()) == total  # nothing half-deleted
    assert victim in [r.id for r in page.model.rows]
    # A second window on the same file: told, and it stops before opening anything.
    dialogs = RecordingDialogs()
    first = take_writer_lock(tmp_path / "xa.sqlite", dialogs)
    assert take_writer_lock(Path(tmp_path / "xa.sqlite"), dialogs) is False
    assert "already open" in dialogs.shown[-1][1] or "đang được mở" in dialogs.shown[-1][1]
    first.release()
