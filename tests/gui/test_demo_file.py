"""Issue 19, item 3: the demo lives in its own file, clearly marked, with a way out; the
officer's own file is never filled with made-up people, and she can set it up from the menu."""

from __future__ import annotations

import shutil

from da8desktop.core.db.database import Database
from da8desktop.core.paths import (default_database_path, demo_database_path, read_user_config,
                                   start_database_path)
from da8desktop.core.services.site import identity
from da8desktop.core.services.stats import collect
from da8desktop.core.sync.enrol import enroll, province_init
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import RecordingDialogs, open_window


def _people(file) -> int:
    db = Database.open(file)
    try:
        return collect(db).people
    finally:
        db.close()


def test_explore_demo_fills_its_own_file_and_leaving_goes_back(qtbot, db_file):
    window = open_window(qtbot, Database.open(db_file), language="en")
    welcome = window.pages.currentWidget()
    assert isinstance(welcome, WelcomePage) and not window.demo_banner.isVisible()
    welcome.demo_button.click()
    qtbot.waitUntil(lambda: isinstance(window.pages.widget(0), DashboardPage), timeout=60_000)
    assert window.db.file.resolve() == demo_database_path().resolve()
    assert window.demo_banner.isVisible() and "DEMO DATA" in window.windowTitle()
    assert window.leave_demo_action.isEnabled()
    assert not window.status_unsent.isVisible()  # a demo sends nothing: no count of unsent
    assert start_database_path().resolve() == demo_database_path().resolve()
    assert _people(db_file) == 0 and _people(demo_database_path()) >= 300  # own file untouched

    window.leave_demo_action.trigger()
    assert window.db.file.resolve() == db_file.resolve()  # the file she was on
    assert isinstance(window.pages.widget(0), WelcomePage)
    assert not window.demo_banner.isVisible() and "DEMO DATA" not in window.windowTitle()
    assert not window.leave_demo_action.isEnabled()
    assert read_user_config()["data_file"] == str(db_file.resolve())  # next start: her file
    window.db.close()


def test_set_up_from_the_menu_while_in_the_demo(qtbot, tmp_path, template_file, demo_template_file):
    demo_database_path().parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_template_file, demo_database_path())
    shutil.copyfile(template_file, tmp_path / "tinh.sqlite")
    province = Database.open(tmp_path / "tinh.sqlite")
    _identity, fingerprint = province_init(province, "11")
    setup = enroll(province, "03325", tmp_path / "usb").path
    dialogs = RecordingDialogs(answers=[[str(setup)], fingerprint])
    window = open_window(qtbot, Database.open(demo_database_path()), language="en",
                         dialogs=dialogs)
    assert window.demo_banner.isVisible()

    window.set_up_from_setup_file()
    assert window.db.file.resolve() == default_database_path().resolve()
    site = identity(window.db)
    assert site is not None and not site.is_demo and site.commune_name
    assert not window.demo_banner.isVisible()
    assert window.status_unsent.isVisible()
    assert window.status_unsent.text().startswith("Changes not yet confirmed by the province:")
    assert _people(demo_database_path()) >= 300  # the demo stays as it was, beside
    window.db.close()
    province.close()
