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
    dialogs.answers.append(False)  # a backup exists: it is offered; refused here
    window.check_in_background()
    qtbot.waitUntil(lambda: bool(dialogs.shown), timeout=30000)
    (asked, question), (title, text) = dialogs.shown[-2:]
    assert asked == "The data file is damaged" and "Restore the newest backup" in question
    assert title == "The data file is damaged" and "btreeInitPage" in text
    assert "offers the newest backup" in text  # refused: how to come back to it
    db.close()


def test_the_window_opens_a_small_file_before_checking_it(qtbot, demo_db_file):
    """Issue 23: for every size the check and the day's backup come after the window shows."""
    from da8desktop.gui.app import open_or_recover

    dialogs = RecordingDialogs()
    db = open_or_recover(demo_db_file, dialogs)
    assert db is not None and db.check_pending and list_backups(demo_db_file) == []
    window = open_window(qtbot, db, "en", dialogs)
    window.check_in_background()
    qtbot.waitUntil(lambda: len(list_backups(demo_db_file)) == 1, timeout=30000)
    assert dialogs.shown == []
    db.close()


def test_a_small_file_is_checked_at_open(demo_db_file):
    db = Database.open(demo_db_file)
    assert not db.check_pending and db.integrity_problems() == []
    db.close()
