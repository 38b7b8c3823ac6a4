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
