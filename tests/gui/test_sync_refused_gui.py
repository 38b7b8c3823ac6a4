"""The commune's Sync page lists the records the province refused, readably, with the reason;
a double-click opens the record's form, and the fix is refused no more (issue #18, item 2)."""

from __future__ import annotations

from da8desktop.core import fields
from da8desktop.core.db.models import Person
from da8desktop.gui.pages.sync import SyncPage
from da8desktop.gui.widgets.person_form import PersonDialog
from tests.core.test_refused_records import exchange, get, stored_over_long
from tests.gui.helpers import RecordingDialogs, open_window

PHONE, VILLAGE = fields.rule("person", "phone"), fields.rule("village", "name")


def test_the_sync_page_lists_refused_records_and_opens_their_form(qtbot, world, monkeypatch):
    from da8desktop.core.i18n import install_ts_language

    install_ts_language("vi")  # the province writes its reasons in Vietnamese, as in the field
    a1, p = world.dbs["A1"], world.dbs["P"]
    _na_pha, far, mai, _hoa, _fine = stored_over_long(world)
    exchange(world)  # the reasons are written in the province's language, before the window
    too_long = fields.TOO_LONG.render(field=PHONE.label.render(), length=20)

    forms = []

    def work_the_form(page, dialog):  # instead of a modal loop
        forms.append(dialog)
        assert dialog.phone.text() == "0912345678 - 0987654321"
        dialog.save()
        assert not dialog.result()  # refused, and the form says why, naming the field
        said = " ".join([dialog.errors.text(), *dialog.field_errors.shown().values()])
        assert PHONE.label.render() in said and "20" in said, said
        dialog.phone.setText("0912345678")
        dialog.save()
        return bool(dialog.result())

    monkeypatch.setattr(SyncPage, "_exec", work_the_form)
    dialogs = RecordingDialogs(answers=["Bản Xa Thượng"])
    window = open_window(qtbot, a1, dialogs=dialogs)
    page = window.page(SyncPage)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    assert page.refused.isVisible()
    rows = {page.refused.item(r, 0).text(): r for r in range(page.refused.rowCount())}
    assert "Lò Thị Mai (Bản Nà Phá)" in rows
    assert page.refused.item(rows["Lò Thị Mai (Bản Nà Phá)"], 1).text() == too_long
    assert page.tr("The province could not take {n} records: correct them (listed below)."
                   ).format(n=3) in page.summary.text()

    page.refused.selectRow(rows["Lò Thị Mai (Bản Nà Phá)"])
    index = page.refused.model().index(rows["Lò Thị Mai (Bản Nà Phá)"], 0)
    page.refused.doubleClicked.emit(index)
    [form] = forms
    assert isinstance(form, PersonDialog) and form.person_id == mai
    assert get(a1, Person, mai).phone == "0912345678"

    # The over-long village is renamed from the list too; then the next exchange clears it.
    [village_row] = [r for r in range(page.refused.rowCount())
                     if page.refused.item(r, 1).text().startswith(VILLAGE.label.render())]
    page.refused.selectRow(village_row)
    page.fix_button.click()
    exchange(world)
    page.reload()
    assert page.refused.rowCount() == 0 and not page.refused.isVisible()
    assert get(p, Person, mai).phone == "0912345678"
