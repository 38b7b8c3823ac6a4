""""Explore a demo province" on the first window (issue 21, item 4): the province pages open
with data: progress by commune with targets, communes that sent bundles, a conflict with names,
a refused record, and each commune's records."""

from __future__ import annotations

import shutil

from da8desktop.core.db.database import Database
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.province_data import ProvinceDataPage
from da8desktop.gui.pages.sync import SyncPage
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_demo_province_opens_and_every_province_page_shows_data(qtbot, tmp_path,
                                                                     template_file):
    shutil.copyfile(template_file, tmp_path / "tinh.sqlite")
    db = Database.open(tmp_path / "tinh.sqlite")
    window = open_window(qtbot, db, language="en", dialogs=RecordingDialogs())
    welcome = page_of(window, WelcomePage)
    welcome.demo_province_button.click()
    # The demo province has a file of its own: the officer's file stays as it was.
    from da8desktop.core.paths import demo_province_path

    assert window.db.file.resolve() == demo_province_path().resolve()
    welcome = page_of(window, WelcomePage)  # the demo file's own first window, filling it
    with qtbot.waitSignal(welcome.task.finished, timeout=240_000):
        pass
    qtbot.waitUntil(lambda: window.page(SyncPage) is not None, timeout=10_000)

    sync = page_of(window, SyncPage)
    sent = [sync.communes.item(r, 0).text() for r in range(sync.communes.rowCount())]
    assert {"03325", "03158", "03217"} <= set(sent)
    assert sync.conflicts.rowCount() == 1
    assert sync.conflicts.item(0, 3).text() != sync.conflicts.item(0, 6).text()

    home = page_of(window, DashboardPage)
    qtbot.waitUntil(lambda: home.progress is not None and not home.loading, timeout=30_000)
    assert home.progress.scope == "province" and home.by_commune.rowCount() >= 4
    assert any(cell.target for row in home.progress.rows for cell in row.by_commune.values())

    data = page_of(window, ProvinceDataPage)
    assert data.commune.count() >= 3
    data.commune.setCurrentIndex(0)
    data.show_commune()
    assert data.people.rowCount() > 0 or data.groups.rowCount() > 0
    from da8desktop.core.services.site import identity

    assert identity(Database.open(tmp_path / "tinh.sqlite")) is None  # never set up as a demo
