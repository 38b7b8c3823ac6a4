"""The Progress page: figures against targets, click-through to records, targets entry, the
province's table of communes, report files."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from da8desktop.core.demo import load_demo
from da8desktop.core.services.targets import targets_of
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.widgets.progress_cell import PERCENT_ROLE
from da8desktop.gui.widgets.records_dialog import RecordsDialog
from tests.core.sync_world import COMMUNE_A
from tests.gui.helpers import RecordingDialogs, open_window

TODAY = dt.date(2026, 11, 23)
# Figures, charts and reports are operations: run at once, they have ended when the call returns.
pytestmark = pytest.mark.usefixtures("immediate_operations")


@pytest.fixture
def pending_translations():
    """A branch's new strings in Vietnamese until they join the catalogue."""
    from da8desktop.devtools.pending_translations import install_pending

    pending = install_pending(QApplication.instance())
    yield
    if pending is not None:
        QApplication.instance().removeTranslator(pending)


def loaded(qtbot, page):
    assert page.progress is not None and not page.loading
    return page.progress


def row_of(page, code):
    return next(i for i, r in enumerate(page.progress.rows) if r.indicator.code == code)


def test_home_page_shows_progress_and_clicks_through_to_a_group(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    page = window.page(DashboardPage)
    assert window.pages.currentWidget() is page  # the home page
    progress = loaded(qtbot, page)
    assert page.table.rowCount() == len(progress.rows) == 23  # 14 + 9 of issue 20
    i = row_of(page, "II.TTCD")
    assert page.table.item(i, 2).text() == "12"
    achieved = progress.rows[i].cell.achieved
    assert page.table.item(i, 3).text() == str(int(achieved))
    assert page.table.item(i, 4).data(PERCENT_ROLE) == round(100 * achieved / 12)
    page.table.selectRow(i)
    assert page.chart.target == 12 and len(page.chart.bars) == 4
    dialog = page.show_records()
    assert isinstance(dialog, RecordsDialog) and dialog.table.rowCount() == achieved
    dialog.table.selectRow(0)
    group_id = dialog.refs[0].id
    dialog._open()
    groups = window.page(GroupsPage)
    assert window.pages.currentWidget() is groups and groups.selected_id() == group_id


def test_targets_are_saved_whole_and_a_wrong_number_saves_nothing(qtbot, demo_db):
    dialogs = RecordingDialogs()
    page = DashboardPage(demo_db, dialogs, today=lambda: TODAY)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    dialog = page.edit_targets()
    codes = [i.code for i in dialog.indicators]
    members, dialogues = codes.index("II.TTCD_TV"), codes.index("II.DTCS")
    dialog.table.item(members, 1).setText("120")
    dialog.table.item(dialogues, 1).setText("ba")
    dialog.save()
    assert "ba" in dialogs.shown[-1][1]
    assert targets_of(demo_db, "2026")[("indicator:II.TTCD_TV", "2025:commune:03325")].value == 110
    dialog.table.item(dialogues, 1).setText("4")
    dialog.save()
    saved = targets_of(demo_db, "2026")
    assert saved[("indicator:II.TTCD_TV", "2025:commune:03325")].value == 120
    assert saved[("indicator:II.DTCS", "2025:commune:03325")].value == 4
    assert not page.loading and page.table.item(row_of(page, "II.DTCS"), 2).text() == "4"


def test_quarter_view_and_report_files(qtbot, demo_db, tmp_path):
    dialogs = RecordingDialogs()
    page = DashboardPage(demo_db, dialogs, today=lambda: TODAY)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    page.span.setCurrentIndex(page.span.findData(3))
    assert not page.loading and page.progress.period.quarter == 3
    assert page.table.model().headerData(5, Qt.Orientation.Horizontal) == "Trong quý"
    page.export_excel(tmp_path / "q3.xlsx")
    assert any("q3.xlsx" in text for _t, text in dialogs.shown)
    page.export_pdf(tmp_path / "q3.pdf")
    assert "q3.pdf" in dialogs.shown[-1][1]
    page.export_excel(tmp_path / "no-such-folder" / "x.xlsx")  # a folder that is not there
    assert dialogs.shown[-1][0] == "Báo cáo" and "no-such-folder" in dialogs.shown[-1][1]
    assert not (tmp_path / "no-such-folder").exists()
    ws = load_workbook(tmp_path / "q3.xlsx").active
    assert "QUÝ 3 NĂM 2026" in ws.cell(2, 1).value
    i = row_of(page, "II.TTCD")
    assert ws.cell(6 + i, 6).value == page.progress.rows[i].cell.achieved
    assert (tmp_path / "q3.pdf").read_bytes().startswith(b"%PDF")


def test_province_sees_every_commune_and_the_total(qtbot, world, pending_translations):
    load_demo(world.dbs["A1"], seed=5, people=80)
    world.round()
    page = DashboardPage(world.dbs["P"], RecordingDialogs(), today=lambda: TODAY)
    qtbot.addWidget(page)
    progress = loaded(qtbot, page)
    assert progress.scope == "province"
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert titles == ["Chỉ tiêu", "Theo xã", f"Cần chú ý ({len(page.attention)})"]
    table = page.by_commune
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    a = next(r for r, c in enumerate(page.commune_rows) if c.code == COMMUNE_A)
    assert a == 0  # communes with figures come first
    indicator = row_of(page, "II.TTCD_TV")
    column = indicator + 1  # after the communes' names
    members = progress.rows[indicator].by_commune[f"2025:commune:{COMMUNE_A}"].achieved
    assert members > 0 and table.item(a, column).text() == str(int(members))
    assert names[-1] == "Tổng toàn tỉnh"
    assert table.item(table.rowCount() - 1, column).text() == str(
        int(progress.rows[indicator].cell.achieved))
    dialog = page.show_commune_records(a, column)
    assert sum(r.value for r in dialog.refs.values()) == members
    assert dialog.open_record is None  # the province reads, it never opens commune records to edit
    QApplication.processEvents()


def test_what_needs_attention_is_a_tab_whose_items_lead_to_their_figure(qtbot, demo_db,
                                                                      pending_translations):
    """Below the table it left a 1366×768 laptop at 125 % two rows of indicators: a tab with
    its count in the title (tests/gui/test_fit.py checks the rows shown)."""
    page = DashboardPage(demo_db, RecordingDialogs(), today=lambda: TODAY)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    behind = [i for i, item in enumerate(page.attention) if item.record_kind == "indicator"]
    assert behind and len(page.attention) > len(behind)  # the demo's groups need attention too
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Chỉ tiêu", f"Cần chú ý ({len(page.attention)})"]
    listed = page.attention_list
    assert [listed.item(i).text() for i in range(listed.count())] == [
        item.text for item in page.attention]
    page.tabs.setCurrentWidget(listed)
    item = page.attention[behind[-1]]
    page.act_on_attention(listed.item(behind[-1]))
    assert page.tabs.currentIndex() == 0
    assert page.selected_row().indicator.key == item.record_id
