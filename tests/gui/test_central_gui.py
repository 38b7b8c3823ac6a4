"""The centre's window (issue 21, item 6): only its figures page, Send and receive and Settings;
the page shows every province's figures and, on a double-click, a province's communes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from da8desktop.core.sync import central_export
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_paths
from da8desktop.gui.pages.central import CentralPage
from da8desktop.gui.pages.central_sync import CentralSyncPage
from tests.cli.test_central_ownership_cli import connected, figure
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_central_page_shows_both_provinces_and_their_communes(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_file, immediate_operations):
    centre, provinces = connected(tmp_path, new_file)
    sent = {"01": [figure("00004", 12), figure("00008", 3)], "11": [figure("03325", 1234.5)]}
    for code, db in provinces.items():
        monkeypatch.setattr(central_export, "figures", lambda db, today=None, c=code: sent[c])
        [bundle] = export_bundles(db, tmp_path / f"out{code}")
        [report] = import_paths(centre, [bundle.path])
        assert report.status == "applied"

    dialogs = RecordingDialogs()
    window = open_window(qtbot, centre, language="en", dialogs=dialogs)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Provinces' figures", "Send and receive", "Settings"]
    page = page_of(window, CentralPage)
    table = page.provinces
    shown = {table.item(r, 0).text(): [table.item(r, c).text()
                                       for c in range(table.columnCount())]
             for r in range(table.rowCount())}
    assert set(shown) == {"Thành phố Hà Nội (01)", "Tỉnh Điện Biên (11)"}
    assert table.model().headerData(2, Qt.Orientation.Horizontal) == "II.TTCD"
    assert shown["Thành phố Hà Nội (01)"][2] == "15"  # 12 + 3: the province's communes summed
    assert shown["Tỉnh Điện Biên (11)"][2] == "1.234,5"

    hanoi = next(r for r in range(table.rowCount()) if table.item(r, 0).text().endswith("(01)"))
    rect = table.visualRect(table.model().index(hanoi, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    communes = {page.communes.item(r, 0).text(): page.communes.item(r, 1).text()
                for r in range(page.communes.rowCount())}
    assert communes == {"Phường Ba Đình (00004)": "12", "Phường Ngọc Hà (00008)": "3"}
    assert "Hà Nội" in page.communes_title.text()

    # Send and receive: both provinces confirmed; a newer bundle imported; catalogues written.
    sync = page_of(window, CentralSyncPage)
    states = {sync.table.item(r, 0).text(): sync.table.item(r, 1).text()
              for r in range(sync.table.rowCount())}
    assert states == {"Thành phố Hà Nội (01)": "confirmed", "Tỉnh Điện Biên (11)": "confirmed"}
    sent["11"] = [figure("03325", 2000)]
    [newer] = export_bundles(provinces["11"], tmp_path / "newer")
    dialogs.answers = [[str(newer.path)], True]
    sync.buttons[0].click()
    assert "updated 1" in dialogs.shown[-1][1], dialogs.shown[-1]
    page = page_of(window, CentralPage)
    row = next(r for r in range(page.provinces.rowCount())
               if page.provinces.item(r, 0).text().endswith("(11)"))
    assert page.provinces.item(row, 2).text() == "2.000"
    sync = page_of(window, CentralSyncPage)
    dialogs.answers = [str(tmp_path / "down")]
    sync.buttons[1].click()
    assert sorted(p.name[:19] for p in (tmp_path / "down").iterdir()) == [
        "da8-tw-to-tinh01-20", "da8-tw-to-tinh11-20"]
