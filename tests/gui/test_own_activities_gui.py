"""Issue 20 items 7 and 8 on the real widgets: the province records a training of its own on its
Activities page, and a commune formed by merging is asked once, at start, which former commune
its earlier records belong to."""

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from da8desktop.core.db.models import Activity
from da8desktop.core.domain import Role
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.site import set_up_installation
from da8desktop.gui.pages.activities import ActivitiesPage
from da8desktop.gui.widgets.activity_form import ActivityDialog
from tests.gui.helpers import RecordingDialogs, open_window

MUONG_PHANG = "pre2025:commune:03325"


def legacy_units(db):
    with db.read() as session:
        return sorted((a.title, a.legacy_unit_key) for a in session.scalars(select(Activity)))


def phase_one_records(db) -> None:
    for title, day in (("Truyền thông 2023", dt.date(2023, 4, 2)),
                       ("Đối thoại 2024", dt.date(2024, 9, 9)),
                       ("Truyền thông 2025", dt.date(2025, 10, 1))):  # after the merger
        ActivitiesService(db).create(kind="communication", title=title, date_start=day,
                                     participation="counts", count_total=10)


def test_a_merged_commune_is_asked_once_at_start(qtbot, commune_db):
    phase_one_records(commune_db)
    closed = RecordingDialogs([])  # the question closed: nothing changes, asked again later
    window = open_window(qtbot, commune_db, dialogs=closed)
    qtbot.waitUntil(lambda: len(closed.shown) == 1, timeout=5000)  # the question, closed
    assert [v for _t, v in legacy_units(commune_db)] == [None, None, None]
    window.close()

    dialogs = RecordingDialogs([1])  # the second button: Mường Phăng (03325)
    window = open_window(qtbot, commune_db, dialogs=dialogs)
    qtbot.waitUntil(lambda: len(dialogs.shown) == 2, timeout=5000)  # asked, then told
    assert dialogs.answers == [] and "2" in dialogs.shown[1][1]
    assert legacy_units(commune_db) == [("Truyền thông 2023", MUONG_PHANG),
                                        ("Truyền thông 2025", None),
                                        ("Đối thoại 2024", MUONG_PHANG)]
    window.close()

    again = RecordingDialogs([0])  # asked once: the next start asks nothing
    window = open_window(qtbot, commune_db, dialogs=again)
    for _ in range(3):
        QApplication.processEvents()
    assert again.answers == [0] and again.shown == []
    window.close()


def test_the_province_records_its_own_training_on_its_activities_page(qtbot, db, monkeypatch):
    set_up_installation(db, Role.PROVINCE, "11")
    window = open_window(qtbot, db)
    page = window.page(ActivitiesPage)
    assert page is not None and page.province_key == "2025:province:11"
    window.nav.setCurrentRow(window.pages.indexOf(page))
    assert not page.new_meeting.isVisibleTo(page)  # groups are the communes'
    opened = []

    def fill(dialog):
        opened.append(dialog)
        assert not dialog.villages.isVisibleTo(dialog)  # no commune's villages at the province
        dialog.kind.setCurrentIndex(dialog.kind.findData("training"))
        dialog.title_edit.setText("Tập huấn giám sát cho cán bộ xã")
        dialog.date_start.setText("10/03/2026")
        dialog.training_type.setCurrentIndex(
            dialog.training_type.findData("training_type:GIAM_SAT"))
        for name, n in (("count_total", 45), ("count_women", 38), ("count_men", 7)):
            dialog.counts[name].setValue(n)
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(ActivityDialog, "exec", fill)
    qtbot.mouseClick(page.new_activity, Qt.MouseButton.LeftButton)
    assert opened and opened[0].saved_id is not None
    with db.read() as session:
        saved = session.get(Activity, opened[0].saved_id)
        assert (saved.commune_key, saved.count_total) == ("2025:province:11", 45)
    page.year.setCurrentIndex(page.year.findData(2026))
    page.reload()
    assert page.table.rowCount() == 1 and "45" in page.summary.text()
    progress = compute_progress(db, Period.choose(2026))
    [row] = [r for r in progress.rows if r.indicator.code == "II.TH_GS"]
    assert row.cell.achieved == 45 and row.province_own.total == 45
    assert not any(cell.achieved for cell in row.by_commune.values())


def test_the_province_registers_the_participants_of_its_named_list(qtbot, db, monkeypatch):
    """By hand: two women officials registered on the training's list, both present."""
    from da8desktop.core.services.activities_query import meeting_attendance
    from da8desktop.gui.widgets.meeting_form import MeetingDialog
    from da8desktop.gui.widgets.person_form import PersonDialog

    set_up_installation(db, Role.PROVINCE, "11")
    dialog = MeetingDialog(db, kind="training")
    qtbot.addWidget(dialog)
    assert dialog.register.isVisibleTo(dialog)
    names = iter(["Lò Thị Hoa", "Quàng Thị Lan"])

    def fill(person):
        person.full_name.setText(next(names))
        person.birth.setText("1988")
        person.save()
        return person.result()

    monkeypatch.setattr(PersonDialog, "exec", fill)
    dialog.register.click()
    dialog.register.click()
    assert dialog.attendance.count() == 2
    dialog.title_edit.setText("Tập huấn cán bộ nữ")
    dialog.date.setText("12/03/2026")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    rows = meeting_attendance(db, dialog.saved_id)
    assert sorted((r.full_name, r.present) for r in rows) == [("Lò Thị Hoa", True),
                                                              ("Quàng Thị Lan", True)]
    from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic

    periodic = compute_periodic(db, ReportSpan.choose(2026, quarter=1))
    assert sum(r.participants for r in periodic.province_own) == 2
    assert sum(r.women for r in periodic.rows) == 2
