"""The periodic report page (issue 20 item 3): the hand-counted commune's quarter and year on
screen, cell by cell; every figure double-clicked lists activities adding up to it (and the
sessions' list is as long as the figure); the report saved as .xlsx and PDF; at the province,
each commune and the total."""

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.periodic import UNKNOWN
from da8desktop.core.indicators.periodic_records import COUNTS, ETHNIC, VILLAGE
from da8desktop.gui.pages.activities import ActivitiesPage
from da8desktop.gui.pages.periodic import PeriodicReportPage
from da8desktop.gui.widgets.records_dialog import RecordsDialog
from tests.core.test_periodic_report import (
    EXPECTED_Q3,
    EXPECTED_YEAR,
    ZERO,
    build_counted,
)
from tests.core.test_print_and_export import pdf_text
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.table_clicks import double_click_cell

IN_Q3 = dt.date(2026, 8, 15)

pytestmark = pytest.mark.usefixtures("vietnamese")


def loaded(qtbot, page):
    qtbot.waitUntil(lambda: page.report is not None and not page.loading, timeout=20000)
    return page.report


def group_rows(page):
    """Activity group code -> table row (content subtotal rows start with a Roman numeral)."""
    rows = {}
    for r in range(page.table.rowCount()):
        code = page.table.item(r, 0).text().split(" ", 1)[0]
        if code[0].isdigit():
            rows[code] = r
    return rows


def shown_cells(page, r):
    """The row's figures as the page shows them, in the report JSON's shape."""
    cells = {name: page.table.item(r, 1 + i).text() for i, name in enumerate(COUNTS)}
    ethnic, village = {}, {}
    for column, figure in enumerate(page.figures, start=1):
        text = page.table.item(r, column).text()
        if figure.startswith(ETHNIC) and text != "0":
            ethnic[figure[len(ETHNIC):]] = text
        elif figure.startswith(VILLAGE) and text != "0":
            village[figure[len(VILLAGE):]] = text
    return {**cells, "by_ethnic": ethnic, "by_village": village}


def as_text(cells):
    return {k: ({n: format_figure(v) for n, v in cells[k].items()} if isinstance(cells[k], dict)
                else format_figure(cells[k])) for k in ZERO}


def check_table(page, expected):
    rows = group_rows(page)
    assert sorted(rows, key=lambda c: [int(p) for p in c.split(".")]) == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4",
        "4.1", "4.2", "4.3"]
    for code, r in rows.items():
        assert shown_cells(page, r) == as_text(expected.get(code, ZERO)), code


def check_every_click_through(qtbot, page):
    """Every non-zero figure, subtotals included: the records listed add up to it."""
    checked = 0
    for r in range(page.table.rowCount()):
        for column in range(1, page.table.columnCount()):
            figure = page.table.item(r, column).text()
            dialog = page.records_for(r, column)
            refs = list(dialog.refs.values())
            assert format_figure(sum(ref.value for ref in refs)) == figure, (r, column)
            if page.figures[column - 1] == "sessions":
                assert format_figure(len(refs)) == figure  # one line per session
            assert all(ref.value > 0 for ref in refs)
            dialog.deleteLater()
            checked += figure != "0"
    return checked


def test_the_quarter_and_the_year_on_screen_and_their_records(qtbot, commune_db):
    ids = build_counted(commune_db)
    window = open_window(qtbot, commune_db)
    page = window.page(PeriodicReportPage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    assert window.page_titles()[1] == "Báo cáo định kỳ"  # beside Progress, where reports are
    report = loaded(qtbot, page)
    page.span.setCurrentIndex(page.span.findData("q3"))
    qtbot.waitUntil(lambda: not page.loading and page.report.span.quarter == 3, timeout=20000)
    assert report is not page.report
    check_table(page, EXPECTED_Q3)
    header = page.table.model().headerData
    assert header(2, Qt.Orientation.Horizontal) == "Lượt người"
    assert "Không rõ" in header(len(COUNTS) + 1 + len(page.report.ethnic_names()) - 1,
                                Qt.Orientation.Horizontal).replace("\n", " ")
    assert check_every_click_through(qtbot, page) > 40

    # The real double-click on 3.1's participants: the dialogue by counts (40) and the named one (3).
    r = group_rows(page)["3.1"]
    double_click_cell(page.table, r, 2)  # where the officer sees it
    dialog = next(w for w in page.findChildren(RecordsDialog) if w.isVisible())
    assert sorted((ref.id, ref.value) for ref in dialog.refs.values()) == sorted(
        [(ids["C"], 40), (ids["D"], 3)])
    activity = next(i for i, ref in dialog.refs.items() if ref.id == ids["D"])
    dialog.table.selectRow(activity)
    dialog._open()  # a commune opens the activity on its page
    activities = window.page(ActivitiesPage)
    assert window.pages.currentWidget() is activities

    page.span.setCurrentIndex(page.span.findData("year"))
    qtbot.waitUntil(lambda: not page.loading and page.report.span.quarter is None
                    and page.report.span.half is None, timeout=20000)
    check_table(page, EXPECTED_YEAR)
    assert check_every_click_through(qtbot, page) > 50


def test_the_report_is_saved_as_a_workbook_and_a_pdf(qtbot, commune_db, tmp_path):
    build_counted(commune_db)
    dialogs = RecordingDialogs()
    page = PeriodicReportPage(commune_db, dialogs, today=lambda: IN_Q3)
    qtbot.addWidget(page)
    loaded(qtbot, page)
    assert page.report.span.quarter == 3  # the quarter running is shown first
    assert page.default_name(".xlsx") == "bao-cao-dinh-ky-2026-q3.xlsx"
    page.export_excel(tmp_path / "q3.xlsx")
    qtbot.waitUntil(lambda: any("q3.xlsx" in text for _t, text in dialogs.shown), timeout=20000)
    page.export_pdf(tmp_path / "q3.pdf")
    assert "q3.pdf" in dialogs.shown[-1][1]
    ws = load_workbook(tmp_path / "q3.xlsx").active
    assert "QUÝ 3 NĂM 2026" in ws.cell(2, 1).value
    rows = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1)}
    for code, cells in EXPECTED_Q3.items():
        assert [ws.cell(rows[code], c).value for c in range(3, 10)] == [cells[k] for k in COUNTS]
    text = " ".join(" ".join(pdf_text(tmp_path / "q3.pdf")).split())
    assert "3.1 Đối thoại chính sách 2 43 28 15 33 3 1" in text and "XÁC NHẬN CỦA UBND XÃ" in text
    page.export_excel(tmp_path / "no-such-folder" / "x.xlsx")
    qtbot.waitUntil(lambda: dialogs.shown[-1][0] == "Báo cáo định kỳ"
                    and "no-such-folder" in dialogs.shown[-1][1], timeout=20000)


def test_the_province_sees_each_commune_and_the_total(qtbot, world, tmp_path):
    from da8desktop.core.services.activities import ActivitiesService

    build_counted(world.dbs["A1"])
    other = ActivitiesService(world.dbs["B1"]).create(
        kind="policy_dialogue", title="Đối thoại xã B", date_start=dt.date(2026, 8, 20),
        count_total=30, count_women=20, count_men=10, count_minority=5, count_women_minority=4).id
    world.round()
    dialogs = RecordingDialogs()
    page = PeriodicReportPage(world.dbs["P"], dialogs, today=lambda: IN_Q3)
    qtbot.addWidget(page)
    report = loaded(qtbot, page)
    assert report.scope == "province" and page.unit.count() == 1 + len(report.communes)
    assert page.unit.currentText() == "Toàn tỉnh"
    total = {**EXPECTED_Q3, "3.1": {**EXPECTED_Q3["3.1"]}}
    t = total["3.1"]
    for name, n in (("sessions", 1), ("participants", 30), ("women", 20), ("men", 10),
                    ("minority", 5), ("women_minority", 4)):
        t[name] += n
    t["by_ethnic"] = {**t["by_ethnic"], UNKNOWN: t["by_ethnic"][UNKNOWN] + 30}
    t["by_village"] = {**t["by_village"], UNKNOWN: t["by_village"][UNKNOWN] + 30}
    check_table(page, total)
    dialog = page.show_records(group_rows(page)["3.1"], 1)
    qtbot.addWidget(dialog)
    assert other in {ref.id for ref in dialog.refs.values()} and len(dialog.refs) == 3
    assert dialog.open_record is None  # the province reads, it never opens commune records
    a = next(c for c in report.communes if any(r.sessions for r in c.rows) and
             any(r.activity_group == "4.1" and r.sessions for r in c.rows))
    page.unit.setCurrentIndex(page.unit.findData(a.commune.key))
    check_table(page, EXPECTED_Q3)
    assert a.commune.name in page.subtitle.text()
    check_every_click_through(qtbot, page)
    page.export_excel(tmp_path / "a.xlsx")
    qtbot.waitUntil(lambda: any("a.xlsx" in text for _t, text in dialogs.shown), timeout=20000)
    workbook = load_workbook(tmp_path / "a.xlsx")
    assert workbook.sheetnames == ["Tổng hợp"] and a.commune.name in workbook.active.cell(3, 1).value
