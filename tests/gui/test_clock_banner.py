"""The banner that says the computer's date and time look wrong, in the real window (issue #18)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from da8desktop.core import hlc
from tests.gui.helpers import open_window

REAL = hlc.wall_millis


def test_a_wrong_clock_shows_a_banner_until_the_officer_sets_it(qtbot, demo_db, monkeypatch):
    monkeypatch.setattr(hlc, "wall_millis", lambda: 631152000000)  # 1 January 1990
    window = open_window(qtbot, demo_db, language="en")
    banner = window.notice_banner
    assert banner.isVisible() and "01/01/1990" in banner.label.text()
    assert "set them, then continue" in banner.label.text()
    monkeypatch.setattr(hlc, "wall_millis", REAL)  # the officer sets the date
    qtbot.mouseClick(banner.continue_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()


def test_no_banner_when_the_clock_is_right(qtbot, demo_db):
    window = open_window(qtbot, demo_db, language="en")
    assert not window.notice_banner.isVisible()
