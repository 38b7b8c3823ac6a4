"""Issue 19, item 9: a freshly set-up commune sees what to do first on each empty page, with a
button to it: villages, then groups and members, then meetings."""

from __future__ import annotations

from da8desktop.core.services.villages import VillagesService
from da8desktop.gui.pages.activities import ActivitiesPage
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.pages.people import PeoplePage
from da8desktop.gui.pages.villages import VillagesPage
from tests.gui.helpers import open_window


def test_empty_pages_point_to_the_villages_then_the_groups(qtbot, commune_db):
    window = open_window(qtbot, commune_db, language="en")
    people = window.page(PeoplePage)
    for kind in (PeoplePage, GroupsPage, ActivitiesPage, VillagesPage):
        hint = window.page(kind).empty_hint
        assert hint.isVisibleTo(window.page(kind)) and hint.step == "villages", kind
    assert "villages" in people.empty_hint.text.text()

    people.empty_hint.button.click()  # "Go to Villages"
    villages = window.pages.currentWidget()
    assert isinstance(villages, VillagesPage)
    villages.empty_hint.button.click()  # on its own page: the name box, ready to type
    assert villages.new_name.hasFocus() or villages.focusWidget() is villages.new_name

    VillagesService(commune_db).create(name="Bản Na San")
    window.events.changed.emit({"village"})
    assert not villages.empty_hint.isVisibleTo(villages)
    groups = window.page(GroupsPage)
    assert groups.empty_hint.step == "groups" and groups.empty_hint.isVisibleTo(groups)
    # A hidden page catches up when shown (or asked for): its hint now names the next step.
    window.page(PeoplePage).empty_hint.button.click()  # people come in as members of a group
    assert window.pages.currentWidget() is groups


def test_a_commune_with_records_sees_no_hints(qtbot, demo_db):
    window = open_window(qtbot, demo_db, language="en")
    for kind in (PeoplePage, GroupsPage, ActivitiesPage, VillagesPage):
        page = window.page(kind)
        assert page.empty_hint.step is None and not page.empty_hint.isVisibleTo(page)
