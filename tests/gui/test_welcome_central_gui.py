"""The first window offers "Set up the national centre" beside the province and commune set-up
(issue 21, item 6): the passphrase is asked through the dialog service, and the window then
shows the centre's pages."""

from __future__ import annotations

import json
import shutil
import sqlite3

from da8desktop.core.db.database import Database
from da8desktop.core.services.site import identity
from da8desktop.core.sync import keys
from da8desktop.gui.pages.central import CentralPage
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import RecordingDialogs, open_window


class AskedDialogs(RecordingDialogs):
    def __init__(self, answers, passphrases):
        super().__init__(answers)
        self.passphrases, self.asked = list(passphrases), []

    def passphrase(self, new):
        self.asked.append(new)
        return self.passphrases.pop(0) if self.passphrases else None


def test_the_centre_is_set_up_from_the_first_window(qtbot, tmp_path, template_file, monkeypatch):
    monkeypatch.delenv("DA8_KEY_PASSPHRASE", raising=False)
    monkeypatch.setenv("DA8_KEYRING", "off")
    shutil.copyfile(template_file, tmp_path / "tw.sqlite")
    db = Database.open(tmp_path / "tw.sqlite")
    # Declined once, then no passphrase given (refused, nothing written), then set up.
    dialogs = AskedDialogs(answers=[False, True, True], passphrases=[None, "a centre passphrase"])
    window = open_window(qtbot, db, language="en", dialogs=dialogs)
    welcome = window.page(WelcomePage)
    assert welcome.central_button.isVisibleTo(welcome)

    welcome.central_button.click()
    assert identity(db) is None and dialogs.asked == []
    welcome.central_button.click()
    assert identity(db) is None and dialogs.asked == [True]
    assert "passphrase" in dialogs.shown[-1][1]

    welcome.central_button.click()
    assert dialogs.asked == [True, True]
    site = identity(db)
    assert site is not None and site.role == "central"
    assert "The national centre is set up" in dialogs.shown[-1][1]
    assert isinstance(window.pages.currentWidget(), CentralPage)
    assert window.page_titles()[:2] == ["Provinces' figures", "Send and receive"]
    with sqlite3.connect(tmp_path / "tw.sqlite") as con:
        [(wrapped,)] = con.execute("SELECT keys_wrapped FROM installation").fetchall()
    unlocked = keys.unwrap(json.loads(wrapped), lambda _new: "a centre passphrase")
    assert unlocked.fingerprint() in dialogs.shown[-1][1]
    # The window keeps the keys made at set-up: Send and receive does not ask again.
    assert window.unlocked.unlock(json.loads(wrapped)).fingerprint() == unlocked.fingerprint()
    assert dialogs.asked == [True, True]
    db.close()


def test_a_demo_file_offers_no_centre(qtbot, tmp_path, template_file):
    shutil.copyfile(template_file, tmp_path / "demo.sqlite")
    db = Database.open(tmp_path / "demo.sqlite")
    welcome = WelcomePage(db, RecordingDialogs(), demo_file=True)
    qtbot.addWidget(welcome)
    assert not welcome.central_button.isVisibleTo(welcome)
    db.close()
