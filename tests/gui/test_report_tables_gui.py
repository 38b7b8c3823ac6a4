"""The Progress page's and the periodic report's tables, clicked as the officer clicks them
(issue 22): a title sorts in Vietnamese order (Đ after D, Ả/Ă/Â after A, never after Z as
code points would put them), a total stays last, and a double-click after sorting still opens
the records behind the figure the officer clicked."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from da8desktop.core.demo import load_demo
from da8desktop.core.text import collation_key
from da8desktop.gui.models.table_model import text_order
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.periodic import PeriodicReportPage
from da8desktop.gui.widgets.records_dialog import RecordsDialog
from tests.core.sync_world import COMMUNE_A
from tests.core.test_periodic_report import build_counted
from tests.gui.helpers import RecordingDialogs
from tests.gui.table_clicks import click_cell, column_texts, double_click_cell, sort_by

TODAY = dt.date(2026, 11, 23)
IN_Q3 = dt.date(2026, 8, 15)
pytestmark = pytest.mark.usefixtures("immediate_operations", "vietnamese")


def shown(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def opened_dialog(page):
    dialogs = [d for d in page.findChildren(RecordsDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    dialog.close()
    dialog.setParent(None)
    return dialog


def test_the_periodic_grid_sorts_and_a_figure_still_opens_its_activities(qtbot, commune_db):
    ids = build_counted(commune_db)
    page = shown(qtbot, PeriodicReportPage(commune_db, RecordingDialogs(), today=lambda: IN_Q3))
    table = page.table
    assert page.report.span.quarter == 3 and table.columnCount() == 1 + len(page.figures)
    as_counted = column_texts(table, 0)
    assert as_counted[0].startswith("I. ")  # the report's own order first: content, groups

    sort_by(table, 0)
    labels = column_texts(table, 0)
    assert labels == sorted(as_counted, key=text_order)

    sort_by(table, 2, Qt.SortOrder.DescendingOrder)  # participant-times, the largest first
    figures = [int(t.replace(".", "")) for t in column_texts(table, 2)]
    assert figures == sorted(figures, reverse=True) and figures[0] > 0
    r = next(r for r, label in enumerate(column_texts(table, 0)) if label.startswith("3.1 "))
    assert table.item(r, 0).text() == "3.1 Đối thoại chính sách"
    double_click_cell(table, r, 2)
    dialog = opened_dialog(page)
    assert sorted((ref.id, ref.value) for ref in dialog.refs.values()) == sorted(
        [(ids["C"], 40), (ids["D"], 3)])
    assert dialog.windowTitle().startswith("3.1 Đối thoại chính sách — Lượt người")


def test_the_indicators_sort_in_vietnamese_and_open_the_row_clicked(qtbot, demo_db):
    page = shown(qtbot, DashboardPage(demo_db, RecordingDialogs(), today=lambda: TODAY))
    table = page.table
    assert table.model().headerData(0, Qt.Orientation.Horizontal) == "Chỉ tiêu"
    sort_by(table, 0)
    names = column_texts(table, 0)
    assert names == sorted(names, key=collation_key)
    trusted = names.index("Số Địa chỉ tin cậy được duy trì")
    # c < đ < l: by code points Đ would come after every "Số v…".
    assert names.index("Số cuộc đối thoại chính sách được tổ chức") < trusted
    assert trusted < names.index("Số lớp tập huấn lồng ghép giới")
    assert trusted < names.index("Số vụ bạo lực thể chất được Địa chỉ tin cậy hỗ trợ")

    click_cell(table, trusted, 1)
    row = page.selected_row()
    assert row.indicator.name == "Số Địa chỉ tin cậy được duy trì"
    double_click_cell(table, trusted, 0)
    dialog = opened_dialog(page)
    assert dialog.windowTitle().startswith("Số Địa chỉ tin cậy được duy trì — ")
    assert sum(ref.value for ref in dialog.refs.values()) == row.cell.achieved

    sort_by(table, 3, Qt.SortOrder.DescendingOrder)  # achieved, the largest first
    achieved = [page.table.rows_model.row_at(r).cell.achieved for r in range(table.rowCount())]
    assert achieved == sorted(achieved, reverse=True)
    page.reload()  # new figures keep the officer's order and the chosen indicator
    assert [page.table.rows_model.row_at(r).cell.achieved
            for r in range(table.rowCount())] == achieved
    assert page.selected_row().indicator.key == row.indicator.key


def test_the_communes_sort_in_vietnamese_with_the_total_last(qtbot, world):
    load_demo(world.dbs["A1"], seed=5, people=80)
    world.round()
    page = shown(qtbot, DashboardPage(world.dbs["P"], RecordingDialogs(), today=lambda: TODAY))
    page.tabs.setCurrentIndex(1)
    table = page.by_commune
    sort_by(table, 0)
    names = [n.removesuffix(" ⚠") for n in column_texts(table, 0)]
    assert names[-1] == "Tổng toàn tỉnh"
    assert names[:-1] == sorted(names[:-1], key=collation_key) and len(names) == 46
    # Đ before M, Ả before C: code points would put both after every other letter.
    assert names.index("Phường Điện Biên Phủ") < names.index("Phường Mường Lay")
    assert names.index("Xã Mường Ảng") < names.index("Xã Mường Chà")
    sort_by(table, 0, Qt.SortOrder.DescendingOrder)
    assert column_texts(table, 0)[-1] == "Tổng toàn tỉnh"  # the total stays under the rows

    code = "II.TTCD_TV"
    column = 1 + next(i for i, r in enumerate(page.progress.rows) if r.indicator.code == code)
    assert table.model().headerData(column, Qt.Orientation.Horizontal) == code
    assert table.model().headerData(column, Qt.Orientation.Horizontal,
                                    Qt.ItemDataRole.ToolTipRole) == "Số thành viên Tổ truyền thông cộng đồng"
    members = page.progress.rows[column - 1].by_commune[f"2025:commune:{COMMUNE_A}"].achieved
    a = column_texts(table, 0).index("Xã Mường Phăng")
    assert members > 0 and table.item(a, column).text() == str(int(members))
    double_click_cell(table, a, column)
    dialog = opened_dialog(page)
    assert sum(ref.value for ref in dialog.refs.values()) == members
    double_click_cell(table, table.rowCount() - 1, column)  # the total: every commune's
    total = opened_dialog(page)
    assert sum(ref.value for ref in total.refs.values()) == page.progress.rows[column - 1].cell.achieved
