"""Run by tests/gui/test_fit.py in a child process whose offscreen screen has the size under test:
opens every page and dialog and prints, as JSON, what does not fit (see test_fit.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QRect, QSize
from PySide6.QtWidgets import (QAbstractScrollArea, QApplication, QLabel, QTableView, QTabWidget,
                               QWidget)

# The frame Windows adds around a window (title bar and borders) that the offscreen platform
# does not draw: a window's contents plus this must fit the free area.
FRAME_W, FRAME_H = 16, 40
FIRST_COLUMN_MIN = 110  # a name column narrower than this shows "Lò Thị…" at best
PROGRESS_ROWS = 7  # indicators the Progress page's table shows whole, without dragging anything


def _inside_scrolled_content(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        holder = parent.parentWidget()
        if isinstance(holder, QAbstractScrollArea) and holder.viewport() is parent:
            return True
        parent = holder
    return False


def _name(widget: QWidget) -> str:
    text = ""
    for attr in ("text", "windowTitle", "placeholderText"):
        getter = getattr(widget, attr, None)
        if callable(getter):
            try:
                text = getter()
            except TypeError:
                continue
            if text:
                break
    return f"{type(widget).__name__}{' ' + repr(text[:40]) if text else ''}"


def problems_of(window: QWidget, where: str) -> list[str]:
    QApplication.processEvents()
    area = window.screen().availableGeometry()
    found = []
    size = window.size()
    if size.width() + FRAME_W > area.width() or size.height() + FRAME_H > area.height():
        found.append(f"{where}: window {size.width()}×{size.height()} (+frame) is bigger than the "
                     f"free area {area.width()}×{area.height()}")
    # pos() is where the frame starts (on Windows the title bar; offscreen draws none)
    outer = QRect(window.pos(), size + QSize(FRAME_W, FRAME_H))
    if not area.contains(outer):
        found.append(f"{where}: window at {outer.x()},{outer.y()} {outer.width()}×"
                     f"{outer.height()} with its frame leaves the free area {area.width()}×"
                     f"{area.height()}")
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.isWindow():
            continue
        parent = widget.parentWidget()
        if parent is None:
            continue
        if not _inside_scrolled_content(widget) and not parent.rect().adjusted(-1, -1, 1, 1) \
                .contains(widget.geometry()) and widget.width() > 0 and widget.height() > 0:
            found.append(f"{where}: {_name(widget)} is cut off by {_name(parent)} "
                         f"({widget.geometry().getRect()} in {parent.width()}×{parent.height()})")
        if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
            hint = widget.sizeHint()
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height() + 2:
                    found.append(f"{where}: {_name(widget)} needs {needed} px high, has "
                                 f"{widget.height()}")
            elif hint.width() > widget.width() + 2:
                found.append(f"{where}: {_name(widget)} is clipped ({widget.width()} px wide, "
                             f"needs {hint.width()})")
        if isinstance(widget, QTableView) and widget.model() is not None \
                and widget.model().columnCount() > 1 and widget.horizontalHeader().isVisible():
            first, needed = widget.columnWidth(0), widget.sizeHintForColumn(0)
            if first < min(FIRST_COLUMN_MIN, needed) - 2:
                found.append(f"{where}: the first column of a table is {first} px wide, its "
                             f"text needs {needed}")
    return found


def rows_shown(table: QTableView) -> int:
    """Rows of a table seen whole in its viewport (scrolled to the top)."""
    table.scrollToTop()
    QApplication.processEvents()
    height = table.viewport().height()
    return sum(1 for row in range(table.model().rowCount())
               if 0 <= table.rowViewportPosition(row)
               and table.rowViewportPosition(row) + table.rowHeight(row) <= height)


def progress_problems(page, where: str) -> list[str]:
    """The Progress page's reason to be: its table of indicators, PROGRESS_ROWS of them at
    once, beside a chart still readable (its minimum height, never less)."""
    if page.tabs.currentIndex() != 0 or page.table.model().rowCount() < PROGRESS_ROWS:
        return [f"{where}: the indicators are not shown ({page.table.model().rowCount()} rows)"]
    found = []
    shown = rows_shown(page.table)
    if shown < PROGRESS_ROWS:
        found.append(f"{where}: the indicators' table shows {shown} rows whole, fewer than "
                     f"{PROGRESS_ROWS}")
    if page.chart.height() < page.chart.minimumHeight():
        found.append(f"{where}: the chart is {page.chart.height()} px high")
    print(f"{where}: {shown} indicator rows shown, chart {page.chart.height()} px",
          file=sys.stderr)
    return found


def settle(seconds: float = 0.3) -> None:
    """Let queued layouts and quick background loads (the progress page) finish."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.02)


def main_window_problems(db, label: str, dialogs) -> tuple[list[str], object]:
    from da8desktop.gui.main_window import MainWindow
    from da8desktop.gui.pages.dashboard import DashboardPage

    window = MainWindow(db, "vi", dialogs)
    window.show()
    found = []
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        deadline = time.monotonic() + 30
        settle()
        while isinstance(page, DashboardPage) and page.loading and time.monotonic() < deadline:
            settle(0.1)
        where = f"{label} / {window.nav.item(row).text()}"
        found += problems_of(window, where)
        if isinstance(page, DashboardPage) and page.progress is not None:
            found += progress_problems(page, where)
        for tabs in page.findChildren(QTabWidget):
            if tabs.isVisible():
                for index in range(1, tabs.count()):
                    tabs.setCurrentIndex(index)
                    settle(0.1)
                    found += problems_of(window, f"{where} / {tabs.tabText(index)}")
                tabs.setCurrentIndex(0)
    return found, window


def dialog_problems(dialog, where: str) -> list[str]:
    dialog.show()
    settle(0.1)
    found = problems_of(dialog, where)
    dialog.close()
    dialog.deleteLater()
    return found


def commune_dialogs(db, window) -> list[str]:
    from da8desktop.core.services.activities_query import ActivityFilter, list_activities
    from da8desktop.core.services.groups_query import GroupFilter, list_groups
    from da8desktop.core.services.people_query import PeopleFilter, people_page
    from da8desktop.core.reports.member_list import member_list
    from da8desktop.gui.printing import PrintDialog
    from da8desktop.gui.widgets.activity_form import ActivityDialog
    from da8desktop.gui.widgets.group_form import GroupDialog
    from da8desktop.gui.widgets.import_dialog import ImportDialog
    from da8desktop.gui.widgets.meeting_form import MeetingDialog
    from da8desktop.gui.widgets.person_form import PersonDialog
    from da8desktop.gui.pages.activities import SafeDeliveryDialog

    group = list_groups(db, GroupFilter())[0].id
    person = people_page(db, PeopleFilter())[0].id
    activities = list_activities(db, ActivityFilter())
    meeting = next(a.id for a in activities if a.kind == "group_meeting")
    found = []
    found += dialog_problems(PersonDialog(db, window.dialogs, parent=window), "add a person")
    found += dialog_problems(PersonDialog(db, window.dialogs, person, parent=window),
                             "edit a person")
    found += dialog_problems(GroupDialog(db, window), "new group")
    from da8desktop.gui.widgets.case_form import CaseDialog

    trusted = next(g.id for g in list_groups(db, GroupFilter(type_key="group_type:DCTC")))
    found += dialog_problems(CaseDialog(db, group_id=trusted, parent=window), "trusted-address cases")
    found += dialog_problems(MeetingDialog(db, group_id=group, parent=window), "new meeting")
    found += dialog_problems(MeetingDialog(db, activity_id=meeting, parent=window), "edit meeting")
    for index in range(3):
        dialog = ActivityDialog(db, parent=window)
        dialog.kind.setCurrentIndex(index)
        found += dialog_problems(dialog, f"activity form: {dialog.kind.currentText()}")
    other = next((a.id for a in activities if a.kind in ("policy_dialogue", "training")), None)
    if other is not None:
        found += dialog_problems(ActivityDialog(db, other, parent=window), "edit an activity")
    found += dialog_problems(SafeDeliveryDialog(db, window), "safe delivery")
    found += dialog_problems(ImportDialog(db, window), "import from Excel")
    printing = PrintDialog(db, "In", lambda o: member_list(db, [group], o), window)
    found += dialog_problems(printing, "print")
    found += dialog_problems(print_preview(printing.document(), window), "print preview")
    return found


def group_type_problems(db, window) -> list[str]:
    """Each group type's own fields on the Groups page's Details tab (a trusted address's Cases
    tab too), and the new-group form with each type (issue 20, item 5)."""
    from da8desktop.core.services.choices import catalogue_choices
    from da8desktop.core.services.groups_query import GroupFilter, list_groups
    from da8desktop.gui.pages.groups import GroupsPage
    from da8desktop.gui.widgets.group_form import GroupDialog

    page = window.page(GroupsPage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    found = []
    for text, key, _extra in catalogue_choices(db, "group_type"):
        groups = list_groups(db, GroupFilter(type_key=key))
        if not groups:
            continue
        page.select_group(groups[0].id)
        detail = page.detail
        detail.tabs.setCurrentIndex(0)
        settle(0.1)
        found += problems_of(window, f"groups / {text}")
        if detail.tabs.isTabVisible(detail.cases_tab):
            detail.tabs.setCurrentIndex(detail.cases_tab)
            settle(0.1)
            found += problems_of(window, f"groups / {text} / cases")
            detail.tabs.setCurrentIndex(0)
    for index in range(GroupDialog(db, window).kind.count()):
        dialog = GroupDialog(db, window)
        dialog.kind.setCurrentIndex(index)
        found += dialog_problems(dialog, f"new group: {dialog.kind.currentText()}")
    return found


def central_problems(centre) -> list[str]:
    """The centre's window (issue 21, item 6): its figures, a province's communes opened, its
    Send and receive."""
    from tests.gui.helpers import RecordingDialogs
    from da8desktop.core.db.database import Database
    from da8desktop.gui.pages.central import CentralPage

    db = Database.open(centre)
    found, window = main_window_problems(db, "centre", RecordingDialogs())
    page = window.page(CentralPage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    page.show_province(0)
    settle(0.1)
    found += problems_of(window, "centre / a province's communes")
    window.close()
    db.close()
    return found


def print_preview(doc, parent):  # as PrintDialog.preview opens it
    from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrinter

    from da8desktop.render.pdf import a4_layout, paint

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4_layout(doc.landscape))
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.paintRequested.connect(lambda device: paint(doc, device))
    dialog.printer = printer  # the dialog does not own it: kept alive as long as the dialog
    return dialog


def targets_problems(window) -> list[str]:
    from da8desktop.gui.pages.dashboard import DashboardPage

    page = window.page(DashboardPage)
    dialog = page.edit_targets()
    if dialog is None:
        return ["targets: the progress page did not load"]
    settle(0.1)
    found = problems_of(dialog, "targets")
    if not dialog.split_button.isHidden():  # the province's grid
        split = dialog.split_total()
        settle(0.1)
        found += problems_of(split, "split the total") if split else ["split: not opened"]
        if split:
            split.close()
    dialog.close()
    return found


def main() -> None:
    demo, province, empty, centre = (Path(p) for p in sys.argv[1:5])
    app = QApplication(sys.argv[:1])
    from da8desktop.core.db.database import Database
    from da8desktop.gui.app import STYLE
    from da8desktop.gui.i18n import install_qt_language
    from da8desktop.gui.guide import GuideDialog
    from da8desktop.gui.about import AboutDialog
    from da8desktop.gui.screen_fit import install_screen_fit
    from tests.gui.helpers import RecordingDialogs

    app.setStyleSheet(STYLE)
    install_qt_language(app, "vi")
    from da8desktop.devtools.pending_translations import install_pending

    pending = install_pending(app)  # noqa: F841 - a branch's new strings, measured in Vietnamese
    install_screen_fit(app)
    found: list[str] = []
    db = Database.open(demo)
    problems, window = main_window_problems(db, "commune", RecordingDialogs())
    found += problems + commune_dialogs(db, window) + targets_problems(window)
    found += group_type_problems(db, window)
    found += dialog_problems(GuideDialog("vi", window), "user guide")
    found += dialog_problems(AboutDialog(db, window), "about")
    window.close()
    db.close()
    db = Database.open(province)
    problems, window = main_window_problems(db, "province", RecordingDialogs())
    found += problems + targets_problems(window)
    window.close()
    db.close()
    db = Database.open(empty)
    problems, window = main_window_problems(db, "first start", RecordingDialogs())
    found += problems
    window.close()
    db.close()
    # A commune just set up: its empty pages carry the first-step hints (issue 19, item 9).
    import shutil
    import tempfile

    from da8desktop.core.domain import Role
    from da8desktop.core.services.site import set_up_installation

    with tempfile.TemporaryDirectory() as folder:
        fresh = Path(folder) / "new.sqlite"
        shutil.copyfile(empty, fresh)
        db = Database.open(fresh)
        set_up_installation(db, Role.COMMUNE, "11", "03325")
        problems, window = main_window_problems(db, "new commune", RecordingDialogs())
        found += problems
        window.close()
        db.close()
    found += central_problems(centre)
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
