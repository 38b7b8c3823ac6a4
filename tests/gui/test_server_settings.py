"""Settings › Server database: a province officer tests the address, saves it (the password
goes to the keyring, never the settings file) and goes back to the local file."""

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from da8desktop.core.db.server_setting import saved_database_url
from da8desktop.core.paths import user_config_file
from da8desktop.gui.i18n import install_qt_language
from da8desktop.gui.pages.settings import SettingsPage
from tests.gui.helpers import RecordingDialogs


def province(db):
    from da8desktop.core.domain import Role
    from da8desktop.core.services.site import set_up_installation

    set_up_installation(db, Role.PROVINCE, "11")
    return db


def test_a_province_tests_saves_and_forgets_its_server(qtbot, db, pg):
    server, reason = pg
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({reason})")
    install_qt_language(QApplication.instance(), "en")  # earlier tests may have left Vietnamese
    dialogs = RecordingDialogs()
    page = SettingsPage("en", province(db), dialogs=dialogs, restore=lambda _b: None)
    qtbot.addWidget(page)
    box = page.server
    url = server.create()

    box.url.setText("http://not-a-database")
    qtbot.mouseClick(box.use_button, Qt.MouseButton.LeftButton)
    assert "is not a server database address" in dialogs.shown[-1][1]
    assert saved_database_url() is None

    box.url.setText(url)
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected to PostgreSQL" in box.status.text(), timeout=20000)
    assert "empty" in box.status.text()  # nothing there yet: set up at the next start

    box.url.setText(url.replace("@127.0.0.1", ":wrong@127.0.0.1").replace("/t_", "/nope_"))
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cannot connect" in box.status.text(), timeout=20000)

    box.url.setText(url.replace("@127.0.0.1", ":s3cret@127.0.0.1"))
    qtbot.mouseClick(box.use_button, Qt.MouseButton.LeftButton)
    assert "next start" in box.status.text()
    stored = json.loads(user_config_file().read_text("utf-8"))["database_url"]
    assert "s3cret" not in stored and stored.endswith(url.rsplit("/", 1)[1])
    assert saved_database_url() == url  # no keyring in tests: the password is simply not kept

    qtbot.mouseClick(box.local_button, Qt.MouseButton.LeftButton)
    assert saved_database_url() is None
    server.drop(url)


def test_a_commune_laptop_has_no_server_setting(qtbot, commune_db):
    page = SettingsPage("en", commune_db, dialogs=RecordingDialogs(), restore=lambda _b: None)
    qtbot.addWidget(page)
    assert not hasattr(page, "server")
