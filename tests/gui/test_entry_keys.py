"""Typing in the boxes officers use most: filter boxes whose "all" entry is a placeholder (typing
replaces it, never appends to it), Enter in the meeting dialog's guest box, and the group page's
quick member entry driven by the keyboard alone."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.pages.people import PeoplePage
from da8desktop.gui.widgets.meeting_form import MeetingDialog
from tests.gui.helpers import open_window, type_text
from tests.gui.test_workspace import new_team, page_of


def test_filter_boxes_show_all_as_a_placeholder_and_typing_replaces_it(qtbot, commune_db):
    VillagesService(commune_db).create(name="Bản Na San")
    window = open_window(qtbot, commune_db)
    page = page_of(window, PeoplePage)
    for combo in (page.village, page.ethnic, page.group):
        assert combo.currentText() == ""  # nothing typed: the name of "all" is only a hint
        assert combo.lineEdit().placeholderText().startswith("Tất cả")
        assert combo.view().model().index(0, 0).data().startswith("Tất cả")  # still listed
    type_text(page.village.lineEdit(), "na san")
    assert page.village.currentText() == "na san"
    assert page.village.value() is not None


def test_enter_in_the_guest_box_with_no_match_keeps_the_meeting_open(qtbot, commune_db):
    team = new_team(qtbot, commune_db)
    guest = PeopleService(commune_db).create(full_name="Cầm Văn Khách", sex="M",
                                             birth_year=1970).id
    dialog = MeetingDialog(commune_db, group_id=team)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.guest.lineEdit(), "khong co ai")
    qtbot.keyClick(dialog.guest, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert dialog.isVisible() and dialog.result() == 0
    assert "khong co ai" in dialog.errors.text()
    dialog.guest.lineEdit().clear()
    dialog.guest.set_value(guest)
    qtbot.keyClick(dialog.guest, Qt.Key.Key_Return)  # a match: Enter adds the guest
    assert dialog.isVisible()
    assert guest in dialog.person_ids() and dialog.errors.text() == ""


# A paper list as the officer reads it aloud: name, year, and only where it is not the usual
# (Nữ, no ethnic group noted, member) the sex as typed, the ethnic group as typed, the role.
PAPER_LIST = [("Lò Thị Hoa", "1985", "", "thai", "to truong"),
              ("Lò Văn Tiến", "1979", "nam", "thái", ""),
              ("Giàng A Páo", "1982", "m", "mong", ""),
              ("Sùng Thị Mỷ", "1995", "nu", "Mông", ""),
              ("Cầm Thị Xuân", "12/03/1988", "", "", ""),
              ("Vì Văn Ún", "1975", "nam", "", ""),
              ("Tòng Thị Ánh", "2001", "", "kinh", ""),
              ("Điêu Thị Hoà", "1969", "n", "", ""),
              ("Quàng Thị Ơn", "1990", "", "Thai", "ban dieu hanh")]
EXPECTED = {"Lò Thị Hoa": ("F", 1985, "Thái"), "Lò Văn Tiến": ("M", 1979, "Thái"),
            "Giàng A Páo": ("M", 1982, "Mông"), "Sùng Thị Mỷ": ("F", 1995, "Mông"),
            "Cầm Thị Xuân": ("F", 1988, None), "Vì Văn Ún": ("M", 1975, None),
            "Tòng Thị Ánh": ("F", 2001, "Kinh"), "Điêu Thị Hoà": ("F", 1969, None),
            "Quàng Thị Ơn": ("F", 1990, "Thái")}


def key(qtbot, which):
    """A key pressed wherever the focus is, as on a real keyboard."""
    qtbot.keyClick(QApplication.focusWidget(), which)


def test_a_nine_person_paper_list_typed_by_keyboard_only(qtbot, commune_db):
    from da8desktop.core.services.choices import ethnic_choices
    from da8desktop.core.services.groups_query import group_members
    from da8desktop.core.services.people_query import get_person

    window = open_window(qtbot, commune_db)
    team = new_team(qtbot, commune_db)
    page = page_of(window, GroupsPage)
    page.reload()
    page.select_group(team)
    detail = page.detail
    detail.tabs.setCurrentIndex(1)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    detail.new_name.setFocus()
    assert "Enter" in detail.entry_hint.text() and "Tab" in detail.entry_hint.text()
    for name, born, sex, ethnic, role in PAPER_LIST:
        assert QApplication.focusWidget() is detail.new_name
        type_text(QApplication.focusWidget(), name)
        key(qtbot, Qt.Key.Key_Tab)
        type_text(QApplication.focusWidget(), born)
        if sex or ethnic or role:
            key(qtbot, Qt.Key.Key_Tab)
            assert QApplication.focusWidget() is detail.new_sex
            type_text(QApplication.focusWidget(), sex)
            key(qtbot, Qt.Key.Key_Tab)
            type_text(QApplication.focusWidget(), ethnic)
            if role:
                key(qtbot, Qt.Key.Key_Tab)  # Tab selects "Thành viên": typing replaces it
                type_text(QApplication.focusWidget(), role)
        key(qtbot, Qt.Key.Key_Return)
        assert detail.member_error.text() == "", name
        assert detail.new_name.text() == "" and detail.new_sex.currentData() == "F"
    members = group_members(commune_db, team)
    names = {key: text for text, key, _extra in ethnic_choices(commune_db)}
    stored = {}
    for m in members:
        person = get_person(commune_db, m.person_id)
        stored[m.full_name] = (person.sex, person.birth_year, names.get(person.ethnic_key))
    assert stored == EXPECTED
    roles = {m.full_name: m.role_name for m in members}
    assert roles["Lò Thị Hoa"] == "Tổ trưởng"
    assert roles["Quàng Thị Ơn"] == "Thành viên ban điều hành"
    assert detail.members.rowCount() == 9


def test_an_ethnic_group_not_in_the_list_is_said_and_nothing_is_saved(qtbot, commune_db):
    from da8desktop.core.services.groups_query import group_members

    window = open_window(qtbot, commune_db)
    team = new_team(qtbot, commune_db)
    page = page_of(window, GroupsPage)
    page.reload()
    page.select_group(team)
    detail = page.detail
    type_text(detail.new_name, "Lò Thị Hoa")
    type_text(detail.new_birth, "1985")
    type_text(detail.new_ethnic.lineEdit(), "khong co")
    qtbot.keyClick(detail.new_ethnic, Qt.Key.Key_Return)
    assert "khong co" in detail.member_error.text()
    assert group_members(commune_db, team) == []


def test_the_groups_page_remembers_how_the_list_and_the_detail_share_the_height(qtbot, commune_db):
    from da8desktop.gui.events import DataEvents
    from tests.gui.helpers import RecordingDialogs

    first = GroupsPage(commune_db, DataEvents(), RecordingDialogs())
    qtbot.addWidget(first)
    first.resize(1000, 700)
    first.show()
    qtbot.waitExposed(first)
    first.splitter.moveSplitter(120, 1)  # as a drag of the handle does
    chosen = first.splitter.sizes()
    assert chosen[0] < chosen[1]
    again = GroupsPage(commune_db, DataEvents(), RecordingDialogs())
    qtbot.addWidget(again)
    again.resize(1000, 700)
    again.show()
    qtbot.waitExposed(again)
    assert again.splitter.sizes() == chosen


def test_person_form_errors_sit_under_their_field_and_go_when_it_is_fixed(qtbot, commune_db):
    from da8desktop.gui.widgets.person_form import PersonDialog
    from tests.gui.helpers import RecordingDialogs

    dialog = PersonDialog(commune_db, RecordingDialogs())
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.full_name, "Lò Thị Hoa")
    type_text(dialog.birth, "31/02/1990")
    dialog.save()
    errors = dialog.field_errors
    assert "31/02/1990" in errors.shown()["birth_year"] and "dd/mm" not in errors.shown()["birth_year"]
    assert errors.labels["birth_year"].isVisible() and dialog.errors.text() == ""
    dialog.birth.clear()
    type_text(dialog.birth, "1990")  # fixing the field takes its error away at once
    assert errors.shown() == {} and not errors.labels["birth_year"].isVisible()
    for wrong in ("12345", "0912 abc 678", "+8491234"):
        dialog.phone.clear()
        type_text(dialog.phone, wrong)
        dialog.save()
        assert dialog.result() == 0 and "phone" in errors.shown(), wrong
    dialog.phone.clear()
    type_text(dialog.phone, "+84 912 345 678")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, errors.shown()


def test_delete_says_what_went_and_that_ctrl_z_brings_it_back(qtbot, commune_db):
    person = PeopleService(commune_db).create(full_name="Lò Thị Hoa", sex="F",
                                              birth_year=1985).id
    window = open_window(qtbot, commune_db)
    page = page_of(window, PeoplePage)
    page.select_person(person)
    assert page.count.text().startswith("1 ")
    page.delete_person()
    message = window.statusBar().currentMessage()
    assert "Lò Thị Hoa" in message and "Ctrl+Z" in message
    assert page.count.text().startswith("0 ")
    window.undo_delete()
    assert page.count.text().startswith("1 ")


def test_group_and_safe_delivery_dates_that_do_not_exist_are_named_under_the_field(qtbot, demo_db):
    from da8desktop.gui.pages.activities import SafeDeliveryDialog
    from da8desktop.gui.widgets.group_form import GroupDialog

    group = GroupDialog(demo_db)
    qtbot.addWidget(group)
    group.launch.setText("30/02/2026")
    group.save()
    assert group.result() == 0 and "30/02/2026" in group.field_errors.shown()["launch_date"]
    type_text(group.launch, "1")  # editing the field takes the message away
    assert group.field_errors.shown() == {}
    delivery = SafeDeliveryDialog(demo_db)
    qtbot.addWidget(delivery)
    delivery.date.setText("32/01/2026")
    delivery.save()
    assert delivery.result() == 0 and "32/01/2026" in delivery.field_errors.shown()["given_on"]
