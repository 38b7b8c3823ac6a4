"""A province file of several GB is not read whole before the window shows: its integrity check
and daily backup run quietly after, and damage found then is reported with the way back."""

from da8desktop.core.db import database as database_module
from da8desktop.core.db.backup import list_backups
from da8desktop.core.db.database import Database
from tests.gui.helpers import RecordingDialogs, open_window


def test_a_big_file_is_checked_after_the_window_shows(qtbot, demo_db_file, monkeypatch):
    monkeypatch.setattr(database_module, "CHECK_AT_OPEN_LIMIT", 0)  # every file counts as big
    db = Database.open(demo_db_file)
    assert db.check_pending
    before = len(list_backups(demo_db_file))
    dialogs = RecordingDialogs()
    window = open_window(qtbot, db, "en", dialogs)
    window.check_in_background()
    assert "Checking the data file" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "", timeout=30000)
    assert dialogs.shown == []  # sound: nothing to say
    assert len(list_backups(demo_db_file)) == before + 1  # the day's backup, made meanwhile

    monkeypatch.setattr(db, "integrity_problems", lambda: ["Tree 7 page 12: btreeInitPage error"])
    window.check_in_background()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=30000)
    title, text = dialogs.shown[-1]
    assert title == "The data file is damaged" and "btreeInitPage" in text
    assert "offers the newest backup" in text
    db.close()


def test_a_small_file_is_checked_at_open(demo_db_file):
    db = Database.open(demo_db_file)
    assert not db.check_pending and db.integrity_problems() == []
    db.close()
