"""The province's Send and receive page shows its link to the centre and connects to it with
the centre's setup file and fingerprint, by the real button (issue 21, item 6)."""

from __future__ import annotations

import shutil

from da8desktop.core.db.database import Database
from da8desktop.core.sync.central import central_enroll, central_init, confirm_province
from da8desktop.core.sync.central_link import central_link
from da8desktop.core.sync.enrol import province_init
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_paths
from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


def test_the_province_connects_to_the_centre_and_sees_the_link(qtbot, tmp_path, template_file):
    for name in ("tinh.sqlite", "tw.sqlite"):
        shutil.copyfile(template_file, tmp_path / name)
    province, centre = Database.open(tmp_path / "tinh.sqlite"), Database.open(tmp_path / "tw.sqlite")
    province_init(province, "11")
    _identity, centre_fp = central_init(centre)
    setup = central_enroll(centre, "11", tmp_path / "stick").path
    dialogs = RecordingDialogs(answers=[[str(setup)], "12345 12345 12345 12345 12345 12345",
                                        [str(setup)], centre_fp])
    window = open_window(qtbot, province, language="en", dialogs=dialogs)
    sync = page_of(window, SyncPage)
    box = sync.central
    assert "not connected" in box.text.text() and box.connect_button.isVisibleTo(sync)

    box.connect_button.click()  # digits that are not the centre's: refused, nothing changed
    assert "are not the fingerprint of the centre" in dialogs.shown[-1][1]
    assert central_link(province).state == "not_connected"
    assert box.connect_button.isVisibleTo(sync)

    box.connect_button.click()
    assert "Connected to" in dialogs.shown[-1][1]
    assert central_link(province).state == "waiting"
    assert not box.connect_button.isVisibleTo(sync)
    assert "waiting" in box.text.text()

    up = [b.path for b in export_bundles(province, tmp_path / "up") if "-to-tw-" in b.path.name]
    confirm_fp = dialogs.shown[-1][1].split("Fingerprint of this province: ")[1].split("\n")[0]
    import_paths(centre, up)  # registers the province
    confirm_province(centre, "11", confirm_fp)
    import_paths(centre, up)
    down = [b.path for b in export_bundles(centre, tmp_path / "down")]
    import_paths(province, down)
    sync.reload()
    assert "confirmed" in box.text.text()
    assert f"indicators version {central_link(province).catalogues['indicators']}" \
        in box.text.text()
    province.close()
    centre.close()
