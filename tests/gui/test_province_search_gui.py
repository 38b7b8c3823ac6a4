"""Issue 23 item 5: the province's "Communes' data" page searches after a pause in typing, as
People does, and loads the commune's activities once, not on each keystroke."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from da8desktop.core.db.database import Database
from da8desktop.core.demo_province import load_demo_province
from da8desktop.gui.pages import province_data
from da8desktop.gui.pages.people import SEARCH_DELAY_MS
from da8desktop.gui.pages.province_data import ProvinceDataPage

pytestmark = pytest.mark.sqlite_only


def test_typing_searches_once_per_pause_and_keeps_the_activities(qtbot, template_file,
                                                                 monkeypatch, tmp_path):
    copy = tmp_path / "tinh.sqlite"
    shutil.copyfile(template_file, copy)
    db = Database.open(copy)
    load_demo_province(db, people=50)
    page = ProvinceDataPage(db)
    qtbot.addWidget(page)
    assert page.activities.rowCount() > 0
    activities_before = page.activities.rowCount()
    name = page.people.data(page.people.index(0, 0), Qt.ItemDataRole.DisplayRole)
    loads, searches = [], []
    real_activities, real_filter = province_data.list_activities, page.people.set_filter
    monkeypatch.setattr(province_data, "list_activities",
                        lambda *a, **k: loads.append(1) or real_activities(*a, **k))
    monkeypatch.setattr(page.people, "set_filter",
                        lambda flt: searches.append(flt.search) or real_filter(flt))
    for end in range(1, len(name) + 1):
        page.search.setText(name[:end])  # letter by letter, faster than the delay
    assert searches == []  # nothing yet: the officer is still typing
    qtbot.waitUntil(lambda: bool(searches), timeout=5 * SEARCH_DELAY_MS + 2000)
    assert searches == [name]  # one search, for the whole name
    assert loads == []  # the activities were not loaded again
    assert page.activities.rowCount() == activities_before
    assert page.people.total >= 1
    assert page.people.data(page.people.index(0, 0), Qt.ItemDataRole.DisplayRole) == name
    page.commune.setCurrentIndex((page.commune.currentIndex() + 1) % page.commune.count())
    assert loads == [1]  # another commune: its activities, once
    db.close()
