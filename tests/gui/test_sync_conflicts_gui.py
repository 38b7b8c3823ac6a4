"""The Send and receive page of the laptop whose value lost: who and when, and the button that
restores its value as a new change (issue 21, item 5)."""

from __future__ import annotations

from da8desktop.core.db.models import Person
from da8desktop.core.sync.conflicts import list_conflicts
from da8desktop.gui.pages.sync import SyncPage
from tests.core.sync_world import sign_key
from tests.core.test_sync import get
from tests.core.test_sync_conflicts_named import _concurrent_phone_edit
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_losing_laptop_sees_who_and_when_and_restores_its_value(qtbot, world):
    hoa = _concurrent_phone_edit(world)
    world.round()
    a1 = world.dbs["A1"]
    dialogs = RecordingDialogs()
    window = open_window(qtbot, a1, language="en", dialogs=dialogs)
    sync = page_of(window, SyncPage)
    table = sync.conflicts
    assert table.rowCount() == 1
    cells = [table.item(0, c).text() for c in range(table.columnCount())]
    assert cells[:3] == ["Lò Thị Hoa", "phone", "0922222222"]
    assert cells[3] == f"Xã Mường Phăng ({sign_key(world.dbs['A2'])[:4]})"
    assert cells[6] == f"Xã Mường Phăng ({sign_key(a1)[:4]})" and cells[5] == "0911111111"
    assert "/" in cells[4] and "/" in cells[7]  # dd/mm/yyyy hh:mm

    sync.restore_button.click()
    assert dialogs.shown and "Choose a conflict" in dialogs.shown[-1][1]
    table.selectRow(0)
    sync.restore_button.click()
    assert get(a1, Person, hoa).phone == "0911111111"
    assert list_conflicts(a1) == [] and table.rowCount() == 0
