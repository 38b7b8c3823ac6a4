"""The status bar's count of changes the province has not confirmed is counted again after sync
work only (issue 22): a sync import recounts it at once; saving a group's field does not (the
count shown becomes a floor, "N or more", since a save can only add to it)."""

import pytest

from da8desktop.core.demo import load_demo
from da8desktop.core.services.groups_query import GroupFilter, get_group, list_groups
from da8desktop.core.sync.status import unsent_changes
from da8desktop.core.sync import status as status_module  # the window imports it when counting
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window

pytestmark = pytest.mark.usefixtures("immediate_operations")


def test_a_save_does_not_recount_the_status_bar_and_an_import_does(qtbot, world, monkeypatch):
    laptop = world.dbs["A1"]
    load_demo(laptop, seed=3, people=50)
    [bundle] = world.send("A1", "P")
    assert world.receive("P", bundle).ok
    [receipt] = world.send("P", "A1")  # the province's answer: what it now holds of A1
    counts = []
    real = status_module.commune_receipt

    def counting(db):
        counts.append(True)
        return real(db)

    monkeypatch.setattr(status_module, "commune_receipt", counting)
    dialogs = RecordingDialogs()
    window = open_window(qtbot, laptop, language="en", dialogs=dialogs)
    before = unsent_changes(laptop)
    assert before > 0 and window.status_unsent.isVisible()
    assert window.status_unsent.text() == (
        f"Changes not yet confirmed by the province: {before:,}".replace(",", "."))
    recounts = len(counts)

    sync = window.page(SyncPage)
    window.nav.setCurrentRow(window.pages.indexOf(sync))
    dialogs.answers.append([str(receipt)])
    monkeypatch.setattr(SyncPage, "_accepted", lambda self, dialog: True)
    sync.import_button.click()
    assert [r.status for r in sync.last_reports] == ["applied"]
    assert len(counts) > recounts  # the import changed the sync tables: counted at once
    confirmed = unsent_changes(laptop)
    assert confirmed < before  # the province confirmed what it took
    assert window.status_unsent.text() == (
        f"Changes not yet confirmed by the province: {confirmed}")
    recounts = len(counts)

    groups = window.page(GroupsPage)
    window.nav.setCurrentRow(window.pages.indexOf(groups))
    group = list_groups(laptop, GroupFilter())[0]
    groups.select_group(group.id)
    hotline = groups.detail.fields["hotline"]
    hotline.setText("0912 345 678")
    hotline.setModified(True)
    hotline.editingFinished.emit()
    assert get_group(laptop, group.id).hotline == "0912 345 678"
    assert len(counts) == recounts  # saved, announced, and not counted again
    assert window.status_unsent.text() == (
        f"Changes not yet confirmed by the province: {confirmed} or more")
    assert unsent_changes(laptop) > confirmed  # which is what "or more" says
