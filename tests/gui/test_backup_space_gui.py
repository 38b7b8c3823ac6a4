"""Issue 23 item 2: the Settings page shows what the backups take and warns when the disk is
too full for the next backup."""

import shutil
from collections import namedtuple

import pytest

from PySide6.QtWidgets import QApplication

from da8desktop.core.formats import format_size
from da8desktop.gui.i18n import install_qt_language
from da8desktop.gui.pages.settings import SettingsPage
from tests.gui.helpers import RecordingDialogs

pytestmark = pytest.mark.sqlite_only


def _page(qtbot, db):
    install_qt_language(QApplication.instance(), "en")  # whatever language a test before left
    page = SettingsPage("en", db, dialogs=RecordingDialogs(), restore=lambda _b: None)
    qtbot.addWidget(page)
    return page


def test_the_backups_total_is_shown_and_follows_a_new_backup(qtbot, demo_db, immediate_operations):
    page = _page(qtbot, demo_db)
    assert "The backups take 0 KB" in page.space.text()
    assert "Warning" not in page.space.text()
    page.backups.now_button.click()
    total = sum(p.stat().st_size for p in (demo_db.file.parent / "backups").iterdir())
    assert f"The backups take {format_size(total)}" in page.space.text()


def test_a_disk_too_full_for_the_next_backup_is_told(qtbot, demo_db, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 4096, 4096))
    page = _page(qtbot, demo_db)
    assert "Warning: the disk has only 4 KB free" in page.space.text()
