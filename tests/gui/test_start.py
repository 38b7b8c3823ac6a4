"""Issue 23 item 7: a window is on screen before the database code is even imported; the main
window takes its place on the open file, and only then is the file checked and backed up."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QApplication

from da8desktop.core.db.backup import list_backups
from da8desktop.gui import app as app_module
from da8desktop.gui.i18n import install_qt_language
from da8desktop.gui.main_window import MainWindow
from tests.gui.helpers import RecordingDialogs

FIRST_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from da8desktop.gui.app import Start, start_location
app = QApplication([])
start = Start(start_location(sys.argv[1]), "en", None)
start.show_first()
app.processEvents()
print("shown" if start.starting.isVisible() else "hidden")
print(",".join(sorted(m for m in ("sqlalchemy", "alembic", "openpyxl", "pydantic", "nacl")
                      if m in sys.modules)) or "-")
"""


def test_the_first_window_needs_no_database_code(tmp_path):
    done = subprocess.run([sys.executable, "-c", FIRST_WINDOW, str(tmp_path / "x.sqlite")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["shown", "-"]


def test_main_window_replaces_the_first_one_then_the_file_is_checked_and_backed_up(
        qtbot, demo_db_file, immediate_operations, monkeypatch):
    install_qt_language(QApplication.instance(), "en")
    seen = []
    check = MainWindow.check_in_background

    def checked(window):
        seen.append((window.isVisible(), start.starting.isVisible(),
                     len(list_backups(demo_db_file))))
        check(window)

    monkeypatch.setattr(MainWindow, "check_in_background", checked)
    start = app_module.Start(demo_db_file, "en", None, RecordingDialogs())
    qtbot.addWidget(start.starting)
    start.show_first()
    assert start.starting.isVisible() and start.window is None
    assert start.starting.message.text() == "Opening the data file…"
    assert start.starting.windowTitle() == "da8desktop — Project 8 records"
    window = start.finish()
    assert window is not None
    qtbot.addWidget(window)
    # The check started with the main window on screen, the first one gone, no backup yet.
    assert seen == [(True, False, 0)]
    assert len(list_backups(demo_db_file)) == 1  # the day's backup, made by the check
    assert start.code is None
    window.db.close()


def test_a_file_that_cannot_be_opened_closes_the_first_window_with_a_message(qtbot, tmp_path):
    install_qt_language(QApplication.instance(), "en")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a data file" * 200)
    dialogs = RecordingDialogs()
    start = app_module.Start(junk, "en", None, dialogs)
    qtbot.addWidget(start.starting)
    start.show_first()
    assert start.finish() is None
    assert start.code == 2 and not start.starting.isVisible() and start.window is None
    [(title, text)] = dialogs.shown
    assert title in ("Cannot open the data file", "The data file is damaged")
    assert str(junk) in text


def test_the_file_is_opened_off_the_ui_thread_then_the_main_window_takes_the_first_ones_place(
        qtbot, demo_db_file, immediate_operations):
    """What run_gui does: the file opened by the operation helper (a thread in the app; at once
    here), then the main window on it, the first one closed."""
    ended = []
    start = app_module.Start(demo_db_file, "en", None, RecordingDialogs())
    qtbot.addWidget(start.starting)
    start.show_first()
    start.open_in_background(ended.append)
    [window] = ended
    assert window is start.window and window.isVisible() and not start.starting.isVisible()
    qtbot.addWidget(window)
    assert window.db.file == demo_db_file.resolve() and start.code is None
    window.db.close()


def test_a_damaged_file_opened_in_the_background_is_answered_on_the_ui_thread(qtbot, tmp_path,
                                                                           immediate_operations):
    install_qt_language(QApplication.instance(), "en")
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a data file" * 200)
    dialogs, ended = RecordingDialogs(), []
    start = app_module.Start(junk, "en", None, dialogs)
    qtbot.addWidget(start.starting)
    start.show_first()
    start.open_in_background(ended.append)
    assert ended == [None] and start.code == 2 and not start.starting.isVisible()
    [(title, text)] = dialogs.shown
    assert title in ("Cannot open the data file", "The data file is damaged")
    assert str(junk) in text


MAIN_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from da8desktop.gui.app import open_or_recover
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.main_window import MainWindow
app = QApplication([])
window = MainWindow(open_or_recover(sys.argv[1], Dialogs()), "en")
window.show()
app.processEvents()
print(window.page_titles()[0], type(window.pages.currentWidget()).__name__)
print(",".join(sorted(m for m in ("alembic", "openpyxl", "pydantic", "nacl", "pyrage",
                                  "da8desktop.gui.pages.welcome", "da8desktop.core.sync.enrol")
                      if m in sys.modules)) or "-")
"""


def test_the_main_window_on_a_set_up_file_loads_no_setup_file_models(demo_db_file):
    """Issue 23 item 6: the window on a commune's file shows its first page without importing
    what only enrolment, setup files, bundles, backups or Excel need (pydantic models, the sync
    crypto, openpyxl, Alembic): each is imported when first used."""
    done = subprocess.run([sys.executable, "-c", MAIN_WINDOW, str(demo_db_file)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Progress DashboardPage", "-"]
