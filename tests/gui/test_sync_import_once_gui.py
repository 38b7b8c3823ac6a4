"""Issue 23 item 4 on the Send and receive page: the officer previews a folder of bundles and
accepts; the import that follows applies what the preview read, without decrypting or parsing
the files again."""

from __future__ import annotations

from sqlalchemy import select

from da8desktop.core.db.models import Person
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import importer
from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_page_imports_what_its_preview_read(qtbot, world, monkeypatch, immediate_operations):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    opened = []
    open_bundle = importer.open_bundle

    def opening(*args, **kwargs):
        opened.append(args[0])
        return open_bundle(*args, **kwargs)

    monkeypatch.setattr(importer, "open_bundle", opening)
    previews = []

    def accept(self, dialog):
        previews.append(list(opened))  # what the preview had read when it was shown
        return True

    monkeypatch.setattr(SyncPage, "_accepted", accept)
    dialogs = RecordingDialogs(answers=[str(path.parent)])
    window = open_window(qtbot, world.dbs["P"], dialogs=dialogs)
    sync = page_of(window, SyncPage)
    sync.import_button.click()
    assert previews == [[path]]
    assert [r.status for r in sync.last_reports] == ["applied"]
    assert opened == [path]  # read once, for the preview
    with world.dbs["P"].read() as session:
        assert "Lò Thị Hoa" in set(session.scalars(select(Person.full_name)))

