"""The import preview of issue 19 on the real widgets: a women's list without a sex column, a
total row, a signature, a duplicate, a future year, a new village mapped to an existing one,
the sex chosen for one row; the commit does what the preview showed and the People page's
count follows."""

import pytest

from da8desktop.core.excel.import_people import remembered_options
from da8desktop.core.services.people_query import PeopleFilter, people_count
from da8desktop.core.services.villages import VillagesService
from da8desktop.gui.pages.people import PeoplePage
from da8desktop.gui.widgets.import_dialog import ImportDialog
from tests.core.test_import_real_lists import women_list
from tests.gui.helpers import open_window


# The preview and the commit are operations: run at once, so each step has ended when it returns.
pytestmark = pytest.mark.usefixtures("immediate_operations")


def rows_of(dialog):
    return {int(dialog.table.item(r, 0).text()): [dialog.table.item(r, c).text() for c in (1, 2, 4)]
            for r in range(dialog.table.rowCount())}


def test_preview_with_defaults_duplicates_villages_then_the_page_count_follows(
        qtbot, commune_db, tmp_path):
    VillagesService(commune_db).create(name="Bản Nà Phá")
    window = open_window(qtbot, commune_db, language="en")
    page = window.page(PeoplePage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    before = people_count(commune_db, PeopleFilter())
    sheet = women_list(tmp_path / "ds.xlsx")
    opened = []

    def answer(dialog):
        opened.append(dialog)
        dialog.load(sheet)
        rows = rows_of(dialog)
        # The list has no sex column: the women's default applies; names are tidied.
        assert rows[4][:2] == ["New", "Lò Thị Pảnh"]
        assert rows[5][:2] == ["New", "Tòng Thị Ánh"]  # a family name, not a total
        assert rows[7][0] == "Written twice" and "row 4" in rows[7][2]
        assert rows[8][0] == "Refused" and "2090" in rows[8][2]
        assert rows[12][0] == "Not a person" and "total" in rows[12][2]
        assert rows[13][0] == "Not a person" and "signature" in rows[13][2]
        assert dialog.tabs.tabText(1) == "New villages (1)"
        assert dialog.villages_table.item(0, 0).text() == "Bản Không Có"
        combo = dialog.villages_table.cellWidget(0, 1)
        combo.setCurrentIndex(combo.findData("Bản Nà Phá"))
        combo.activated.emit(combo.currentIndex())
        assert dialog.tabs.tabText(1) == "New villages (0)"
        assert dialog.preview.villages_to_create == []
        dialog.keep_duplicates.setChecked(True)  # the officer says row 7 is another person
        assert rows_of(dialog)[7][0] == "New"
        dialog.keep_duplicates.setChecked(False)
        ask = dialog.sex.findData("ask")
        dialog.sex.setCurrentIndex(ask)
        dialog.sex.activated.emit(ask)
        assert rows_of(dialog)[4][0] == "Refused"
        box = dialog.table.cellWidget(next(r for r in range(dialog.table.rowCount())
                                           if dialog.table.item(r, 0).text() == "4"), 3)
        box.setCurrentIndex(box.findData("F"))
        box.activated.emit(box.currentIndex())
        assert rows_of(dialog)[4][0] == "New" and rows_of(dialog)[5][0] == "Refused"
        dialog.sex.setCurrentIndex(dialog.sex.findData("F"))
        dialog.sex.activated.emit(dialog.sex.currentIndex())
        assert "3 new" in dialog.summary.text() and "1 written twice" in dialog.summary.text()
        dialog.save()
        return dialog.result is not None

    page.import_accepted = answer
    page.open_import()
    assert opened[0].result.created == 3 and opened[0].result.villages == 0
    assert people_count(commune_db, PeopleFilter()) == before + 3
    assert page.count.text() == f"{before + 3} people"  # the page followed the data-changed signal
    assert window.dialogs.shown[-1][0] == "Import from Excel"
    remembered = remembered_options(commune_db, sheet)
    assert remembered.defaults["sex"] == "F" and remembered.village_map == {"Bản Không Có": "Bản Nà Phá"}
    again = ImportDialog(commune_db)
    qtbot.addWidget(again)
    again.load(sheet)  # the same file again: the choices are back on screen
    assert again.sex.currentData() == "F" and again.tabs.tabText(1) == "New villages (0)"


def test_everyone_joins_the_chosen_group_with_the_chosen_role(qtbot, commune_db, tmp_path):
    from da8desktop.core.services.groups import GroupsService
    from da8desktop.core.services.groups_query import group_members

    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Nà Phá").id
    open_window(qtbot, commune_db, language="en")
    rows = [[1, "Lò Thị Một", 1980, "Thái", None, None, None],
            [2, "Lò Thị Hai", 1981, "Thái", None, None, None]]
    dialog = ImportDialog(commune_db)
    qtbot.addWidget(dialog)
    dialog.load(women_list(tmp_path / "g.xlsx", rows))
    dialog.group.setEditText("na pha")  # part of the name, without accents
    dialog.group.lineEdit().editingFinished.emit()
    dialog.role.set_value("role:TO_PHO")
    dialog.role.activated.emit(dialog.role.currentIndex())
    assert dialog.preview.options.defaults["group"] == "Tổ TT Nà Phá"
    dialog.save()
    assert dialog.result.memberships == 2
    assert {m.role_key for m in group_members(commune_db, team)} == {"role:TO_PHO"}
