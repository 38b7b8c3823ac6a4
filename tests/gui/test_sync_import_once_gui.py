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



def test_the_centres_page_stores_what_its_preview_read(qtbot, tmp_path, monkeypatch, new_file,
                                                       immediate_operations):
    from da8desktop.core.sync import central_export, central_import
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.gui.pages.central import CentralPage
    from da8desktop.gui.pages.central_sync import CentralSyncPage
    from tests.cli.test_central_ownership_cli import connected, figure

    centre, provinces = connected(tmp_path, new_file)
    monkeypatch.setattr(central_export, "figures",
                        lambda db, today=None: [figure("03325", 1234.5)])
    [bundle] = export_bundles(provinces["11"], tmp_path / "up")
    opened = []
    for module in (importer, central_import):
        def opening(*args, real=module.open_bundle, **kwargs):
            opened.append(args[0])
            return real(*args, **kwargs)

        monkeypatch.setattr(module, "open_bundle", opening)
    dialogs = RecordingDialogs()
    window = open_window(qtbot, centre, language="en", dialogs=dialogs)
    sync = page_of(window, CentralSyncPage)
    dialogs.answers = [[str(bundle.path)], True]  # the file, then "Import these bundles?"
    sync.buttons[0].click()
    assert "new 1" in dialogs.shown[-1][1], dialogs.shown
    assert opened == [bundle.path]  # read once, for the preview
    page = page_of(window, CentralPage)
    row = next(r for r in range(page.provinces.rowCount())
               if page.provinces.item(r, 0).text().endswith("(11)"))
    assert page.provinces.item(row, 2).text() == "1.234,5"
