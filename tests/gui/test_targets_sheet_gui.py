"""The targets grid's "Import from Excel" button: the same preview as the CLI, refused cells
block saving, a clean sheet saves in one go and shows in the grid (issue 21, item 2)."""

from openpyxl import load_workbook

from da8desktop.core.indicators.catalogue import indicators_of
from da8desktop.core.indicators.progress import scope_of
from da8desktop.core.services.targets import targets_of
from da8desktop.gui.widgets.targets_dialog import TargetsDialog
from tests.gui.helpers import RecordingDialogs


def _grid(qtbot, db, dialogs):
    dialog = TargetsDialog(db, dialogs, "province", "2026", indicators_of(db, "2026-2030"),
                           scope_of(db)[2])
    qtbot.addWidget(dialog)
    return dialog


def test_a_sheet_is_previewed_then_saved_from_the_province_grid(qtbot, world, tmp_path):
    db = world.dbs["P"]
    communes = scope_of(db)[2]
    dialogs = RecordingDialogs()
    dialog = _grid(qtbot, db, dialogs)
    blank = tmp_path / "blank.xlsx"
    dialogs.answers.append(str(tmp_path / "blank"))
    dialog.export_button.click()
    book = load_workbook(blank)
    book.active["C4"] = 12
    book.active["D4"] = "nhiều"
    book.save(tmp_path / "bad.xlsx")

    dialogs.answers.append([str(tmp_path / "bad.xlsx")])
    dialog.import_button.click()
    preview = dialog.sheet_preview
    assert not preview.apply_button.isEnabled()
    assert "nhiều" in preview.tree.topLevelItem(0).child(0).text(1)
    preview.reject()
    assert targets_of(db, "2026") == {}

    book.active["D4"] = 5
    book.save(tmp_path / "good.xlsx")
    preview = dialog.import_sheet(tmp_path / "good.xlsx")
    assert preview.tree.topLevelItem(1).childCount() == 2 and preview.apply_button.isEnabled()
    preview.apply_button.click()
    saved = targets_of(db, "2026")
    first = communes[0].key
    assert {k: v.value for k, v in saved.items()} == {
        (dialog.indicators[0].key, first): 12, (dialog.indicators[1].key, first): 5}
    assert dialog.table.item(0, 0).text() == "12" and dialog.table.item(0, 1).text() == "5"
    assert "2" in dialogs.shown[-1][1]
