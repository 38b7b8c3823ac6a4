"""The commune's file picker takes a bundle saved from an e-mail or Zalo under any name
(issue 21, item 7): every file is shown first, the content decides."""

from __future__ import annotations

import shutil

from da8desktop.core.services.targets import TargetsService
from da8desktop.gui.pages.sync import SyncPage
from tests.core.sync_world import COMMUNE_A
from tests.gui.helpers import RecordingDialogs, open_window
from tests.gui.test_sync_gui import page_of


class Picker(RecordingDialogs):
    def open_files(self, title, name_filter, **kwargs):
        self.filters = name_filter
        return super().open_files(title, name_filter, **kwargs)


def test_a_renamed_bundle_is_picked_and_imported_at_the_commune(qtbot, world, tmp_path,
                                                               monkeypatch):
    TargetsService(world.dbs["P"]).set("indicator:II.TTCD", "2026", 5, f"2025:commune:{COMMUNE_A}")
    [bundle] = world.send("P", "A1")
    renamed = tmp_path / "goi (1).bin"
    shutil.copyfile(bundle, renamed)
    dialogs = Picker(answers=[[str(renamed)]])
    window = open_window(qtbot, world.dbs["A1"], dialogs=dialogs)
    sync = page_of(window, SyncPage)
    monkeypatch.setattr(SyncPage, "_accepted", lambda self, dialog: True)
    sync.import_button.click()
    assert dialogs.filters.split(";;")[0].endswith("(*)")  # every file is listed first
    with qtbot.waitSignal(sync.task.finished, timeout=30_000):
        pass
    with qtbot.waitSignal(sync.task.finished, timeout=30_000):
        pass
    assert [(r.file, r.status) for r in sync.last_reports] == [("goi (1).bin", "applied")]
