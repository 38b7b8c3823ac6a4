"""The window's sync keys (issue 22, item 5): the passphrase is asked on the window's own thread,
once per open data file (the window keeps an `UnlockedKeys` for the file it has open), and the
background export is handed the keys and asks nobody."""

import threading

from da8desktop.gui.pages.sync import SyncPage
from tests.gui.helpers import RecordingDialogs, open_window


class PassphraseDialogs(RecordingDialogs):
    def __init__(self):
        super().__init__()
        self.asked_on = []

    def passphrase(self, new):
        self.asked_on.append(threading.current_thread())
        return "test passphrase"


def export_once(qtbot, window, folder):
    sync = window.page(SyncPage)
    window.nav.setCurrentRow(window.pages.indexOf(sync))
    window.dialogs.answers.append(str(folder))
    sync.export_button.click()
    with qtbot.waitSignal(sync.task.finished, timeout=30_000):
        pass
    return sync


def test_the_passphrase_is_asked_once_per_open_file_on_the_window_thread(
        qtbot, world, monkeypatch, tmp_path):
    monkeypatch.delenv("DA8_KEY_PASSPHRASE")
    dialogs = PassphraseDialogs()
    window = open_window(qtbot, world.dbs["A1"], language="en", dialogs=dialogs)
    written = []
    sync = export_once(qtbot, window, tmp_path / "first")
    written += list((tmp_path / "first").iterdir())
    export_once(qtbot, window, tmp_path / "second")
    written += list((tmp_path / "second").iterdir())
    assert len(written) == 2 and dialogs.crashes == []
    assert dialogs.asked_on == [threading.main_thread()]  # once, on the window's thread
    assert sync.keys is not None

    second = world.dbs["A2"]
    assert window.open_data_file(second.file)  # another file: its own keys, asked once
    export_once(qtbot, window, tmp_path / "third")
    assert any((tmp_path / "third").iterdir())
    assert dialogs.asked_on == [threading.main_thread()] * 2
