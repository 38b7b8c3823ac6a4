"""A healthy file on read-only media opens with a banner, not as "damaged" with a restore offer
(issue 18, item 7). os.access is made to answer "not writable", which is what a locked stick or
a CD answers; tests run as root, for whom chmod would change nothing."""

from __future__ import annotations

import os

from da8desktop.core.db.database import Database
from da8desktop.gui.app import open_or_recover
from tests.gui.helpers import RecordingDialogs, open_window


def test_a_read_only_file_opens_with_a_banner_and_no_restore_offer(qtbot, demo_db_file,
                                                                   monkeypatch):
    Database.open(demo_db_file).close()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode & os.W_OK
                        else real_access(p, mode, **k))
    dialogs = RecordingDialogs()
    db = open_or_recover(demo_db_file, dialogs)
    assert db is not None and db.read_only
    assert dialogs.shown == []  # no "damaged", no restore question
    window = open_window(qtbot, db, language="en", dialogs=dialogs)
    assert window.read_only_banner.isVisible()
    assert "read-only media" in window.read_only_banner.text()
    db.close()


def test_a_writable_file_shows_no_banner(qtbot, demo_db):
    window = open_window(qtbot, demo_db, language="en")
    assert not window.read_only_banner.isVisible()
