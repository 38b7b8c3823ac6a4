"""Send and receive on a demo copy: "Connect this data file to the province…" keeps every
record and sets the file up from the setup file (issue 21, item 3)."""

from __future__ import annotations


from da8desktop.core.db.database import Database
from da8desktop.core.demo import load_demo
from da8desktop.core.services.stats import collect as stats
from da8desktop.core.sync.enrol import enroll, province_init
from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_a_demo_copy_is_connected_from_the_send_and_receive_page(qtbot, tmp_path, template_file):
    import shutil

    shutil.copyfile(template_file, tmp_path / "tinh.sqlite")
    shutil.copyfile(template_file, tmp_path / "xa.sqlite")
    province = Database.open(tmp_path / "tinh.sqlite")
    _identity, fingerprint = province_init(province, "11")
    setup = enroll(province, "03325", tmp_path / "stick")
    commune = Database.open(tmp_path / "xa.sqlite")
    load_demo(commune, seed=3, people=50)
    people = stats(commune).people
    dialogs = RecordingDialogs(answers=[[str(setup.path)], fingerprint])
    window = open_window(qtbot, commune, language="en", dialogs=dialogs)
    sync = page_of(window, SyncPage)
    assert sync.connect_button.isVisibleTo(sync) and not sync.export_button.isEnabled()
    assert "connect it with the province's setup file" in sync.summary.text()
    sync.connect_button.click()
    assert "is connected to the province" in dialogs.shown[-1][1]
    assert sync.export_button.isEnabled() and not sync.connect_button.isVisibleTo(sync)
    assert stats(commune).people == people == 50
    province.close()
