"""Issue 17, item 5, in the window: the commune's first-run setup shows the province's
fingerprint found in the file and sets nothing up until the officer types the digits the
province reads out by phone."""

from __future__ import annotations

import shutil

from da8desktop.core.db.database import Database
from da8desktop.core.services.site import identity
from da8desktop.core.sync.enrol import enroll, own_fingerprint, province_init
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import RecordingDialogs, open_window


def test_the_commune_sets_up_only_with_the_provinces_fingerprint(qtbot, tmp_path, template_file):
    for name in ("tinh", "gia", "xa"):
        shutil.copyfile(template_file, tmp_path / f"{name}.sqlite")
    province, impostor = Database.open(tmp_path / "tinh.sqlite"), Database.open(tmp_path / "gia.sqlite")
    _identity, real = province_init(province, "11")
    province_init(impostor, "11")  # someone else's keys, the same province name
    forged = enroll(impostor, "03325", tmp_path / "usb").path
    commune_db = Database.open(tmp_path / "xa.sqlite")
    dialogs = RecordingDialogs(answers=[[str(forged)], real, [str(forged)], None])
    window = open_window(qtbot, commune_db, dialogs=dialogs)
    welcome = window.page(WelcomePage)

    welcome.setup_button.click()  # the forged file, with the digits the real province reads
    _title, refusal = dialogs.shown[-1]
    assert (tmp_path / "usb").exists() and forged.name in refusal
    assert identity(commune_db) is None and own_fingerprint(commune_db) is None

    welcome.setup_button.click()  # the officer closes the question: nothing happens
    assert identity(commune_db) is None

    dialogs.answers += [[str(enroll(province, "03325", tmp_path / "usb2").path)], real.replace(" ", "")]
    welcome.setup_button.click()
    _title, done = dialogs.shown[-1]
    assert identity(commune_db) is not None and own_fingerprint(commune_db) in done
    for db in (province, impostor, commune_db):
        db.close()
