"""A failure of the welcome page's demo or of the server test reaches the officer in Vietnamese
plain words through run_operation's one policy (issue 22): never the exception's own text, and
the button that started it is usable again."""

import errno

import pytest
from PySide6.QtCore import Qt

from da8desktop.core import demo as demo_module  # the Welcome page imports it when pressed
from da8desktop.gui.pages.welcome import WelcomePage
from da8desktop.gui.widgets import server_box as server_box_module
from da8desktop.gui.widgets.server_box import ServerBox
from tests.gui.helpers import RecordingDialogs

pytestmark = pytest.mark.usefixtures("immediate_operations", "vietnamese")


def test_a_full_disk_while_making_the_demo_is_said_in_vietnamese(qtbot, db, monkeypatch, tmp_path):
    def full(_db, progress):
        progress(1, 10)
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "demo.sqlite"))

    monkeypatch.setattr(demo_module, "load_demo", full)
    dialogs = RecordingDialogs()
    page = WelcomePage(db, dialogs, demo_file=True)
    qtbot.addWidget(page)
    set_up = []
    page.set_up.connect(lambda: set_up.append(True))
    qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert set_up == [] and dialogs.crashes == []
    title, text = dialogs.shown[-1]
    assert title == "Đang tạo xã mẫu…"
    assert text.startswith("Chưa ghi được: ổ đĩa hoặc USB chứa") and str(tmp_path) in text
    assert "No space left" not in text
    assert page.demo_button.isEnabled() and page.demo_province_button.isEnabled()


def test_an_unexpected_error_of_the_demo_is_the_crash_dialog(qtbot, db, monkeypatch):
    def broken(_db, progress):
        raise RuntimeError("internal detail the officer never reads")

    monkeypatch.setattr(demo_module, "load_demo", broken)
    dialogs = RecordingDialogs()
    page = WelcomePage(db, dialogs, demo_file=True)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    assert dialogs.shown == [] and len(dialogs.crashes) == 1
    title, text = dialogs.crashes[0]
    assert title == "Lỗi ngoài dự kiến" and "internal detail" not in text
    assert page.demo_button.isEnabled()


def test_a_server_that_does_not_answer_is_said_in_vietnamese_beside_the_address(qtbot):
    dialogs = RecordingDialogs()
    box = ServerBox(dialogs, "demo.sqlite")
    qtbot.addWidget(box)
    box.url.setText("postgresql+psycopg://can_bo:mat_khau@127.0.0.1:1/da8")
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert box.status.text().startswith("Không kết nối được tới ")
    assert "Hãy kiểm tra tên máy chủ" in box.status.text() and "mat_khau" not in box.status.text()
    assert dialogs.shown == [] and dialogs.crashes == []
    assert box.test_button.isEnabled()


def test_an_unexpected_error_of_the_server_test_is_the_crash_dialog(qtbot, monkeypatch):
    def broken(_url):
        raise RuntimeError("driver detail the officer never reads")

    monkeypatch.setattr(server_box_module, "probe_server", broken)
    dialogs = RecordingDialogs()
    box = ServerBox(dialogs, "demo.sqlite")
    qtbot.addWidget(box)
    box.url.setText("postgresql+psycopg://can_bo@127.0.0.1/da8")
    qtbot.mouseClick(box.test_button, Qt.MouseButton.LeftButton)
    assert box.status.text() == "" and len(dialogs.crashes) == 1
    assert "driver detail" not in dialogs.crashes[0][1]
    assert box.test_button.isEnabled()
