"""The catalogue dialog (issue 21, item 1): the province exports, edits and imports a new
version after a preview; a commune sees its version and cannot import."""

from __future__ import annotations

from openpyxl import load_workbook

from da8desktop.core.services.catalogue import versions
from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_province_edits_its_catalogue_in_the_window(qtbot, world, tmp_path):
    dialogs = RecordingDialogs()
    window = open_window(qtbot, world.dbs["P"], language="en", dialogs=dialogs)
    dialog = page_of(window, SyncPage).show_catalogue()
    held, rows = versions(world.dbs["P"])["indicators"], dialog.indicators.rowCount()
    assert held in dialog.version.text() and rows > 10
    dialogs.answers.append(str(tmp_path / "danh-muc"))
    dialog.export_button.click()
    book = load_workbook(tmp_path / "danh-muc.xlsx")
    sheet = book.worksheets[0]
    sheet.append(["II.MOI", "Chỉ tiêu mới", "", "buổi", "2026-2030", "commune", "activities",
                  '{"kind": "policy_dialogue"}', "x"])
    book.save(tmp_path / "moi.xlsx")
    sheet.append(["II.SAI", "Sai quy tắc", "", "buổi", "2026-2030", "commune", "khong_co", "", ""])
    book.save(tmp_path / "sai.xlsx")

    assert not dialog.import_from(tmp_path / "sai.xlsx")
    assert "khong_co" in dialogs.shown[-1][1] and versions(world.dbs["P"])["indicators"] == held
    dialogs.answers.append(False)  # the officer reads the preview and says no
    assert not dialog.import_from(tmp_path / "moi.xlsx")
    assert "II.MOI" in dialogs.shown[-1][1] and versions(world.dbs["P"])["indicators"] == held
    dialogs.answers.append(True)
    assert dialog.import_from(tmp_path / "moi.xlsx")
    assert versions(world.dbs["P"])["indicators"] == f"{held}.1"
    assert dialog.indicators.rowCount() == rows + 1 and f"{held}.1" in dialog.version.text()


def test_a_commune_sees_its_version_and_cannot_import(qtbot, world):
    window = open_window(qtbot, world.dbs["A1"], language="en")
    dialog = page_of(window, SyncPage).show_catalogue()
    held = versions(world.dbs["A1"])["indicators"]
    assert not dialog.import_button.isVisibleTo(dialog) and held in dialog.version.text()
