"""Run by tests/gui/test_officers_quarter.py in a child process whose offscreen screen is
1366×768 at 125 % (as fit_probe.py): walks the officer's quarter on the real window and prints,
as JSON, what it saw. Arguments: the commune's data file, a work folder."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget


def wait_until(condition, seconds: float = 60) -> bool:
    """Events are processed until the condition holds (a background task's end): no sleep."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True


def settle(_seconds: float = 0) -> None:
    """Queued layouts and posted events are handled; nothing here waits on a clock."""
    for _ in range(3):
        QApplication.processEvents()


def main() -> None:  # one walk, step by step
    db_path, work = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    from da8desktop.gui import tasks

    tasks.use_executor(tasks.ImmediateExecutor())  # each step has ended when its click returns
    from da8desktop.core.db.database import Database
    from da8desktop.core.services.activities_query import ActivityFilter, list_activities
    from da8desktop.core.services.groups_query import group_members
    from da8desktop.core.services.people_query import PeopleFilter, people_page
    from da8desktop.gui.app import STYLE
    from da8desktop.gui.pages.activities import ActivitiesPage
    from da8desktop.gui.pages.groups import GroupsPage
    from da8desktop.gui.pages.people import PeoplePage
    from da8desktop.gui.pages.sync import SyncPage
    from da8desktop.gui.printing import PrintDialog
    from da8desktop.gui.screen_fit import install_screen_fit
    from da8desktop.gui.widgets.meeting_form import MeetingDialog
    from tests.core.test_import_real_lists import women_list
    from tests.gui.fit_probe import problems_of
    from da8desktop.gui.i18n import install_qt_language
    from da8desktop.gui.main_window import MainWindow
    from tests.gui.helpers import RecordingDialogs, type_text
    from tests.gui.test_entry_keys import PAPER_LIST

    app.setStyleSheet(STYLE)
    install_screen_fit(app)
    out: dict = {"fit": [], "screen": None}
    db = Database.open(db_path)
    dialogs = RecordingDialogs()
    install_qt_language(app, "vi")
    window = MainWindow(db, "vi", dialogs)
    window.show()
    area = window.screen().availableGeometry()
    out["screen"] = [area.width(), area.height(), window.screen().devicePixelRatio()]
    settle()

    def fit(widget: QWidget, where: str) -> None:
        out["fit"] += problems_of(widget, where)

    def page(kind):
        found = window.page(kind)
        window.nav.setCurrentRow(window.pages.indexOf(found))
        settle(0.1)
        return found

    # 1. A team from the paper list, keyboard only, from the Groups page's quick entry.
    from da8desktop.core.services.villages import VillagesService
    from da8desktop.gui.widgets.group_form import GroupDialog

    village = VillagesService(db).create(name="Bản Nậm Chim").id
    groups = page(GroupsPage)
    fit(window, "groups page")
    made = GroupDialog(db, window)
    made.kind.setCurrentIndex(made.kind.findData("group_type:TTCD"))
    made.village.set_value(village)
    made.show()
    fit(made, "new group")
    made.save()
    team = made.saved_id
    groups.reload()
    groups.select_group(team)
    detail = groups.detail
    detail.tabs.setCurrentIndex(1)
    window.activateWindow()
    wait_until(window.isActiveWindow, 10)
    detail.new_name.setFocus()
    errors = []
    for name, born, sex, ethnic, role in PAPER_LIST:
        type_text(QApplication.focusWidget(), name)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        type_text(QApplication.focusWidget(), born)
        if sex or ethnic or role:
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            type_text(QApplication.focusWidget(), sex)
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            type_text(QApplication.focusWidget(), ethnic)
            if role:
                QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
                type_text(QApplication.focusWidget(), role)
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        if detail.member_error.text():
            errors.append([name, detail.member_error.text()])
    fit(window, "groups page, members typed")
    members = group_members(db, team)
    from da8desktop.core.services.choices import ethnic_choices
    from da8desktop.core.services.people_query import get_person

    ethnic = {key: text for text, key, _extra in ethnic_choices(db)}
    stored = {}
    for m in members:
        person = get_person(db, m.person_id)
        stored[m.full_name] = [person.sex, person.birth_year, ethnic.get(person.ethnic_key),
                               m.role_name]
    out["team"] = {"errors": errors, "stored": stored, "members": sorted(m.full_name for m in members),
                   "rows_on_screen": detail.members.rowCount(),
                   "entry_visible": detail.new_name.isVisible()
                   and window.rect().contains(detail.new_name.mapTo(window, detail.new_name.rect().bottomRight()))}

    # 2. Three meetings, attendance ticked (one member absent each time).
    for number, day in enumerate(("05/01/2026", "05/02/2026", "05/03/2026")):
        meeting = MeetingDialog(db, group_id=team, parent=window)
        meeting.show()
        settle(0.05)
        fit(meeting, f"meeting {number + 1}")
        meeting.date.setText(day)
        meeting.attendance.setFocus()
        meeting.attendance.setCurrentRow(number)
        QTest.keyClick(meeting.attendance, Qt.Key.Key_Space)  # one member absent: untick
        out.setdefault("meeting_titles", []).append(meeting.title_edit.text())
        out.setdefault("meeting_counts", []).append(meeting.present_count.text())
        meeting.save()
        out.setdefault("meetings_saved", []).append(meeting.saved_id is not None)
    meetings = [a for a in list_activities(db, ActivityFilter()) if a.kind == "group_meeting"]
    out["meetings"] = len(meetings)
    from da8desktop.core.services.activities_query import meeting_attendance

    out["attendance"] = [[sum(r.present for r in meeting_attendance(db, m.id)),
                          sum(not r.present for r in meeting_attendance(db, m.id))]
                         for m in meetings]

    # 3. Last year's list from a sheet: the preview, then the commit.
    people = page(PeoplePage)
    before = sorted(p.full_name for p in people_page(db, PeopleFilter(), limit=10_000))
    sheet = women_list(work / "danh-sach-2025.xlsx")

    def answer(dialog) -> bool:
        dialog.show()
        dialog.load(sheet)
        settle(0.05)
        fit(dialog, "import preview")
        table = dialog.table

        def choose_sex(data: str) -> None:  # by keyboard, as the officer does
            dialog.sex.setFocus()
            for _ in range(dialog.sex.count()):
                if dialog.sex.currentData() == data:
                    break
                step = Qt.Key.Key_Down if dialog.sex.currentIndex() < dialog.sex.findData(
                    data) else Qt.Key.Key_Up
                QTest.keyClick(dialog.sex, step)
            settle(0.05)

        out["sex_offered"] = dialog.sex.currentData()  # a women's list: Nữ before any choice
        choose_sex("ask")
        out["asked_summary"] = dialog.summary.text()
        out["asked_new"] = dialog.preview.count("new")
        choose_sex("F")
        out["preview"] = [[table.item(r, c).text() for c in (0, 1, 2, 4)]
                          for r in range(table.rowCount())]
        out["preview_summary"] = dialog.summary.text()
        out["preview_new"] = sorted(r.values.get("full_name") for r in dialog.preview.rows
                                    if r.status == "new")
        out["preview_values"] = {r.values.get("full_name"): [r.values.get("sex"),
                                 r.values.get("cccd"), r.values.get("phone")]
                                 for r in dialog.preview.rows if r.status == "new"}
        out["preview_villages"] = sorted(dialog.preview.villages_to_create)
        out["preview_counts"] = {s: dialog.preview.count(s)
                                 for s in ("new", "match", "duplicate", "error")}
        QTest.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
        out["import_result"] = None if dialog.result is None else {
            "created": dialog.result.created}
        out["import_errors"] = dialog.errors.text()
        return dialog.result is not None

    people.import_accepted = answer
    people.open_import()
    after = sorted(p.full_name for p in people_page(db, PeopleFilter(), limit=10_000))
    added = list(after)
    for name in before:
        added.remove(name)
    out["stored_new"] = sorted(added)
    rows = {p.full_name: p for p in people_page(db, PeopleFilter(), limit=10_000)}
    out["stored_values"] = {name: [rows[name].sex, get_person(db, rows[name].id).cccd,
                                   get_person(db, rows[name].id).phone] for name in added}
    from da8desktop.core.services.choices import village_choices

    out["villages"] = sorted(text for text, _id, _extra in village_choices(db))
    fit(window, "people page after import")

    # 4. The member list and a sign-in sheet, to PDF, from their buttons.
    pdfs: list[str] = []

    def exec_print(self) -> int:  # answers the modal dialog as the officer does
        self.show()
        settle(0.05)
        fit(self, self.windowTitle())
        path = work / f"print-{len(pdfs)}.pdf"
        pages = self.save_pdf(path)
        pdfs.append(str(path) if pages else self.message.text())
        self.close()
        return 1

    PrintDialog.exec = exec_print
    groups = page(GroupsPage)
    groups.select_group(team)
    QTest.mouseClick(groups.detail.print_button, Qt.MouseButton.LeftButton)
    activities = page(ActivitiesPage)
    activities.select_activity(meetings[0].id)
    settle(0.05)
    QTest.mouseClick(activities.print_button, Qt.MouseButton.LeftButton)
    out["pdfs"] = pdfs

    # 4b. The first quarter's periodic report: the meetings are counted, a figure double-clicked
    # lists them, the workbook saved from its button.
    from da8desktop.gui.pages import periodic as periodic_module
    from da8desktop.gui.widgets.records_dialog import RecordsDialog

    report = page(periodic_module.PeriodicReportPage)
    report.year.setCurrentIndex(report.year.findData(2026))
    report.span.setCurrentIndex(report.span.findData("q1"))
    wait_until(lambda: not report.loading and report.report is not None
               and report.report.span.quarter == 1 and report.report.span.year == 2026)
    fit(window, "periodic report")
    row = next(r for r in range(report.table.rowCount())
               if report.table.item(r, 0).text().startswith("1.1 "))
    out["periodic_cells"] = [report.table.item(row, c).text() for c in (1, 2, 3)]
    report.table.scrollTo(report.table.model().index(row, 2))
    settle()
    cell = report.table.visualRect(report.table.model().index(row, 2)).center()
    QTest.mouseClick(report.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    QTest.mouseDClick(report.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    settle()
    shown = [d for d in report.findChildren(RecordsDialog) if d.isVisible()]
    out["periodic_records"] = [[r.label, r.value] for d in shown for r in d.refs.values()]
    for dialog in shown:
        fit(dialog, "records behind a periodic figure")
        dialog.close()
    dialogs.answers.append(str(work / "bao-cao-quy-1"))  # the extension is added by the service
    QTest.mouseClick(report.excel_button, Qt.MouseButton.LeftButton)
    out["periodic_saved"] = wait_until(lambda: (work / "bao-cao-quy-1.xlsx").exists()
                                       and any("bao-cao-quy-1" in t for _h, t in dialogs.shown), 60)
    dialogs.shown[:] = [s for s in dialogs.shown if "bao-cao-quy-1" not in s[1]]  # said; checked

    # 5. The bundle for the province, on the stick.
    stick = work / "usb"
    stick.mkdir()
    sync = page(SyncPage)
    fit(window, "sync page")
    dialogs.answers.append(str(stick))
    finished: list[bool] = []
    sync.events.changed.connect(lambda _changes: finished.append(True))  # announced at its end
    QTest.mouseClick(sync.export_button, Qt.MouseButton.LeftButton)
    out["export_done"] = bool(finished)  # an operation: it has ended when the click returns
    out["bundles"] = sorted(p.name for p in stick.glob("*.da8"))
    out["shown"] = [list(s) for s in dialogs.shown]
    window.close()
    db.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
