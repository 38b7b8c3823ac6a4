"""The province's total split over its communes in the real targets grid (issue 20 item 6):
the total typed in the "Whole province" row, split evenly, then re-typed by hand with what
remains shown, saved only when it adds up."""

from da8desktop.core.indicators.catalogue import indicators_of
from da8desktop.core.indicators.progress import province_of, scope_of
from da8desktop.core.services.targets import targets_of
from da8desktop.gui.widgets.targets_dialog import TargetsDialog
from tests.gui.helpers import RecordingDialogs


def test_a_total_typed_in_the_grid_is_split_evenly_then_by_hand(qtbot, world):
    db = world.dbs["P"]
    communes = scope_of(db)[2]
    whole = province_of(db)
    dialog = TargetsDialog(db, RecordingDialogs(), "province", "2026",
                           indicators_of(db, "2026-2030"), communes)
    qtbot.addWidget(dialog)
    column = next(i for i, ind in enumerate(dialog.indicators) if ind.code == "II.TTCD")
    teams = dialog.indicators[column].key
    last = len(communes)
    assert dialog.table.verticalHeaderItem(last).text() in ("Whole province", "Toàn tỉnh")
    dialog.table.item(last, column).setText("540")
    dialog.table.setCurrentCell(last, column)
    assert dialog.split_button.isVisibleTo(dialog)  # the province's grid only
    dialog.split_button.click()
    chooser = dialog.split_dialog
    assert chooser.way.currentData() == "even" and chooser.table.rowCount() == len(communes)
    assert {chooser.table.item(r, 3).text() for r in range(len(communes))} == {"12"}
    assert targets_of(db, "2026") == {}  # a preview
    assert chooser.apply_button.isEnabled()
    chooser.apply_button.click()
    saved = targets_of(db, "2026")
    assert saved[(teams, whole.key)].value == 540
    assert sum(saved[(teams, c.key)].value for c in communes) == 540
    assert {dialog.table.item(r, column).text() for r in range(last)} == {"12"}

    dialog.split_button.click()
    chooser = dialog.split_dialog
    chooser.way.setCurrentIndex(chooser.way.findData("typed"))
    assert chooser.table.item(0, 3).text() == "12"  # starts from the targets as they are
    chooser.table.item(0, 3).setText("20")
    assert "8" in chooser.remainder.text() and not chooser.apply_button.isEnabled()
    chooser.table.item(1, 3).setText("4")
    assert chooser.apply_button.isEnabled()
    chooser.apply_button.click()
    saved = targets_of(db, "2026")
    assert (saved[(teams, communes[0].key)].value, saved[(teams, communes[1].key)].value) == (20, 4)
    assert sum(saved[(teams, c.key)].value for c in communes) == 540
    assert dialog.table.item(0, column).text() == "20"
