"""The activity form records the activity group (defaulted when left empty), who an ND4 training
trained, and the typed women × minority cross-tabulation (issue 20 items 1-2)."""

import datetime as dt

from da8desktop.core.services.activities_query import get_activity
from da8desktop.gui.widgets.activity_form import ActivityDialog


def test_a_training_takes_its_group_from_its_subject_and_keeps_typed_counts(qtbot, commune_db):
    dialog = ActivityDialog(commune_db)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("training"))
    assert dialog.target_category.isVisibleTo(dialog)
    dialog.title_edit.setText("Tập huấn giám sát")
    dialog.date_start.setText("05/08/2026")
    dialog.training_type.setCurrentIndex(dialog.training_type.findData("training_type:GIAM_SAT"))
    for name, n in (("count_total", 20), ("count_women", 12), ("count_men", 8), ("count_minority", 15)):
        dialog.counts[name].setValue(n)
    dialog.women_minority.setValue(13)  # more than the women: refused, explained
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.women_minority.setValue(9)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    saved = get_activity(commune_db, dialog.saved_id)
    assert (saved.content_key, saved.activity_group_key, saved.count_women_minority,
            saved.date_start) == ("content:ND3", "activity_group:3.4", 9, dt.date(2026, 8, 5))

    again = ActivityDialog(commune_db, saved.id)
    qtbot.addWidget(again)
    assert again.activity_group.currentData() == "activity_group:3.4"
    assert again.women_minority.value() == 9
    again.activity_group.setCurrentIndex(again.activity_group.findData("activity_group:4.1"))
    again.content.setCurrentIndex(again.content.findData("content:ND4"))
    again.target_category.setCurrentIndex(again.target_category.findData("target_category:CAN_BO"))
    again.save()
    assert again.result() == again.DialogCode.Accepted
    moved = get_activity(commune_db, saved.id)
    assert (moved.content_key, moved.activity_group_key, moved.target_category_key) == (
        "content:ND4", "activity_group:4.1", "target_category:CAN_BO")


def test_a_status_change_is_saved_with_the_day_it_happened(qtbot, commune_db):
    from da8desktop.core.services.groups import GroupsService, status_history
    from da8desktop.gui.pages.groups import GroupsPage
    from tests.gui.test_workspace import page_of
    from tests.gui.helpers import open_window

    team = GroupsService(commune_db).create(type_key="group_type:TKVV", name="Tổ TKVV bản Phăng",
                                            launch_date=dt.date(2023, 1, 1)).id
    window = open_window(qtbot, commune_db)
    page = page_of(window, GroupsPage)
    page.detail.show_group(team)
    page.detail.status_date.setText("15/08/2026")
    combo = page.detail.status_combo
    combo.setCurrentIndex(combo.findData("stopped"))
    combo.activated.emit(combo.currentIndex())
    assert status_history(commune_db, team) == [(dt.date(2026, 8, 15), "stopped")]
    assert page.detail.status_date.text() == ""


def test_a_training_with_a_list_of_participants_from_the_activities_page(qtbot, commune_db):
    from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
    from da8desktop.core.services.activities_query import meeting_attendance
    from da8desktop.core.services.people import PeopleService
    from da8desktop.gui.pages.activities import ActivitiesPage
    from da8desktop.gui.widgets.meeting_form import MeetingDialog
    from tests.gui.helpers import open_window
    from tests.gui.test_workspace import page_of

    people = [PeopleService(commune_db).create(full_name=name, sex=sex, birth_year=1985,
                                               ethnic_key="ethnic:2008:03").id
              for name, sex in (("Lò Thị Mai", "F"), ("Lò Văn Tiến", "M"))]
    window = open_window(qtbot, commune_db)
    page = page_of(window, ActivitiesPage)
    opened = []
    page.dialogs.answers.append(0)  # Training

    def fill(dialog):
        opened.append(dialog)
        assert not dialog.group.isVisibleTo(dialog) and dialog.attendance.count() == 0
        dialog.title_edit.setText("Tập huấn lồng ghép giới")
        dialog.date.setText("12/08/2026")
        dialog.activity_group.setCurrentIndex(dialog.activity_group.findData("activity_group:4.1"))
        for person in people:
            dialog.guest.set_value(person)
            dialog.add_guest.click()
        dialog.save()
        return dialog.result()

    original = MeetingDialog.exec
    MeetingDialog.exec = fill  # the dialog is filled in as the officer would, then saved
    try:
        page.record_named()
    finally:
        MeetingDialog.exec = original
    [dialog] = opened
    rows = meeting_attendance(commune_db, dialog.saved_id)
    assert sorted((r.full_name, r.present, r.is_guest) for r in rows) == [
        ("Lò Thị Mai", True, False), ("Lò Văn Tiến", True, False)]
    [row] = [r for r in compute_periodic(commune_db, ReportSpan.choose(2026, 3)).rows
             if r.sessions]
    assert (row.activity_group, row.participants, row.women, row.men, row.minority) == (
        "4.1", 2, 1, 1, 2)


def test_a_blank_sign_in_sheet_when_no_activity_is_selected(qtbot, commune_db, tmp_path):
    from da8desktop.gui import printing
    from da8desktop.gui.pages.activities import ActivitiesPage
    from tests.core.test_print_and_export import pdf_text
    from tests.gui.helpers import open_window
    from tests.gui.test_workspace import page_of

    window = open_window(qtbot, commune_db)
    page = page_of(window, ActivitiesPage)
    page.dialogs.answers.append("Tập huấn kỹ năng truyền thông")
    saved = []
    original = printing.PrintDialog.exec
    printing.PrintDialog.exec = lambda dialog: saved.append(dialog.save_pdf(tmp_path / "blank.pdf"))
    try:
        page.print_sign_in()
    finally:
        printing.PrintDialog.exec = original
    assert saved and saved[0] >= 1  # pages written
    text = " ".join(" ".join(pdf_text(tmp_path / "blank.pdf")).split())
    assert "TẬP HUẤN KỸ NĂNG TRUYỀN THÔNG" in text and " 25 " in text
