"""Each model on the Groups page (issue 20 item 5): a trusted address's cases recorded, edited
and deleted through the real widgets; a group's own fields by its type."""

import datetime as dt

import pytest

from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.trusted_cases import list_cases
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.widgets.case_form import CaseDialog
from tests.gui.helpers import open_window
from tests.gui.test_workspace import page_of


@pytest.fixture
def patched_exec():
    """CaseDialog.exec runs the given filler (as the officer would) instead of blocking."""
    original = CaseDialog.exec
    fillers = []

    def run(dialog):
        fillers.pop(0)(dialog)
        return dialog.result()

    CaseDialog.exec = run
    yield fillers
    CaseDialog.exec = original


def test_a_case_is_recorded_edited_and_deleted_on_the_trusted_address(qtbot, commune_db,
                                                                      patched_exec):
    db = commune_db
    address = GroupsService(db).create(type_key="group_type:DCTC", name="Địa chỉ tin cậy xã",
                                       subtype="tập thể").id
    team = GroupsService(db).create(type_key="group_type:TTCD", name="Tổ TT bản Phăng").id
    window = open_window(qtbot, db)
    page = page_of(window, GroupsPage)
    detail = page.detail
    page.select_group(team)
    assert not detail.tabs.isTabVisible(detail.cases_tab)  # a team has no cases
    page.select_group(address)
    assert detail.tabs.isTabVisible(detail.cases_tab)
    detail.tabs.setCurrentIndex(detail.cases_tab)

    def first(dialog):
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

        # nowhere to type a name: the text boxes are the date, the ethnic group's search (a
        # list) and the number of cases (digits)
        assert [w for w in dialog.findChildren(QLineEdit) if w.isVisibleTo(dialog)
                and w is not dialog.day and w is not dialog.ethnic.lineEdit()
                and w.parent() is not dialog.count] == []
        assert not dialog.findChildren(QTextEdit) and not dialog.findChildren(QPlainTextEdit)
        dialog.day.setText("03/05/2026")
        dialog.form_of_violence.setCurrentIndex(
            dialog.form_of_violence.findData("violence_form:TINH_THAN"))
        dialog.support["case_support:TU_VAN"].setChecked(True)
        dialog.support["case_support:TAM_LANH"].setChecked(True)
        dialog.age_band.setCurrentIndex(dialog.age_band.findData("under_16"))
        dialog.ethnic.set_value("ethnic:2008:03")
        dialog.count.setValue(2)
        dialog.day.setText("03/05/2099")  # a day to come: refused, said under the date
        dialog.save()
        assert dialog.result() != dialog.DialogCode.Accepted
        assert dialog.field_errors.shown().get("reported_on")
        dialog.day.setText("03/05/2026")
        dialog.save()

    patched_exec.append(first)
    detail.cases.add_button.click()
    [row] = list_cases(db, address)
    assert (row.reported_on, row.violence_form_key, row.support_keys, row.sex, row.age_band,
            row.ethnic_key, row.case_count) == (
        dt.date(2026, 5, 3), "violence_form:TINH_THAN",
        ("case_support:TU_VAN", "case_support:TAM_LANH"), "F", "under_16", "ethnic:2008:03", 2)
    assert detail.cases.table.rowCount() == 1
    assert detail.cases.table.item(0, 6).text() == "2"

    def second(dialog):
        assert dialog.count.value() == 2 and dialog.support["case_support:TAM_LANH"].isChecked()
        dialog.count.setValue(3)
        dialog.save()

    patched_exec.append(second)
    detail.cases.table.selectRow(0)
    detail.cases.edit_button.click()
    assert [r.case_count for r in list_cases(db, address)] == [3]
    detail.cases.table.selectRow(0)
    detail.cases.delete_button.click()
    assert list_cases(db, address) == []
    window.undo_delete()  # a delete is recoverable
    assert [r.case_count for r in list_cases(db, address)] == [3]


def test_a_livelihood_group_shows_and_saves_its_own_fields(qtbot, commune_db):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from da8desktop.core.services.groups_query import get_group, group_support
    from tests.gui.helpers import type_text

    db = commune_db
    coop = GroupsService(db).create(type_key="group_type:SINHKE", name="Tổ dệt thổ cẩm").id
    club = GroupsService(db).create(type_key="group_type:CLB", name="CLB Thủ lĩnh").id
    window = open_window(qtbot, db)
    page = page_of(window, GroupsPage)
    detail = page.detail
    page.select_group(club)
    shown = {name for name, edit in detail.fields.items() if edit.isVisibleTo(detail)}
    assert {"grades", "facilitators", "host_location"} <= shown
    assert not {"hotline", "women_owners", "registration_no"} & shown
    assert not detail.subtype_combo.isVisibleTo(detail) and not detail.support.isVisibleTo(detail)

    page.select_group(coop)
    shown = {name for name, edit in detail.fields.items() if edit.isVisibleTo(detail)}
    assert {"field_of_activity", "registration_no", "women_owners", "women_co_owners"} <= shown
    assert not {"hotline", "grades", "facilitators", "host_location"} & shown
    combo = detail.subtype_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "tổ nhóm", "THT", "HTX"]
    combo.setCurrentIndex(combo.findData("HTX"))
    combo.activated.emit(combo.currentIndex())
    for name, text in (("field_of_activity", "Dệt thổ cẩm"), ("registration_no", "62/HTX"),
                       ("women_owners", "5"), ("women_co_owners", "x")):
        edit = detail.fields[name]
        edit.clear()
        type_text(edit, text)
        QTest.keyClick(edit, Qt.Key.Key_Return)
    assert detail.info_error.text()  # "x" is not a number: said, nothing saved
    edit = detail.fields["women_co_owners"]
    edit.clear()
    type_text(edit, "3")
    QTest.keyClick(edit, Qt.Key.Key_Return)
    saved = get_group(db, coop)
    assert (saved.subtype, saved.field_of_activity, saved.registration_no, saved.women_owners,
            saved.women_co_owners) == ("HTX", "Dệt thổ cẩm", "62/HTX", 5, 3)

    page.select_group(coop)
    assert detail.support.isVisibleTo(detail)
    type_text(detail.support_item, "Phần mềm bán hàng")
    detail.support_kind.setCurrentIndex(detail.support_kind.findData("support_kind:CONG_NGHE_40"))
    type_text(detail.support_date, "02/05/2026")
    QTest.keyClick(detail.support_date, Qt.Key.Key_Return)
    [support] = group_support(db, coop)
    assert (support.item, support.kind, support.received_on) == (
        "Phần mềm bán hàng", "Công nghệ 4.0", dt.date(2026, 5, 2))
    page.select_group(coop)
    assert detail.support.item(0, 1).text() == "Công nghệ 4.0"
