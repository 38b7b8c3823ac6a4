"""The Qt binding must not lose references to None.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call that returns nothing
(setText, setData, addItem, ...) and on every call returning an empty value. None is not immortal
before Python 3.12, so after about a million such calls the interpreter aborts with "Fatal Python
error: none_dealloc" -- the province's start-up on 150 communes got there (benchmark P4). The
dependency excludes 6.12; this test fails if such a version is installed again."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox, QTableWidgetItem

from da8desktop.gui.widgets.tables import ID_ROLE


def test_calls_returning_nothing_keep_none_alive(qapp) -> None:
    item = QTableWidgetItem("x")
    combo = QComboBox()
    combo.addItem("a")
    before = sys.getrefcount(None)
    for _ in range(1000):
        item.setText("y")
        item.setData(ID_ROLE, 1)
        combo.setItemData(0, "k")
        combo.itemData(0, ID_ROLE + 1)  # nothing stored under that role: returns None
    # A few references come and go with the interpreter's own work; a leak loses 4,000.
    assert sys.getrefcount(None) > before - 100
