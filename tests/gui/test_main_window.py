"""The main window on real databases, driven through its widgets."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from da8desktop.core.i18n import preferred_language
from da8desktop.core.services.stats import collect
from da8desktop.gui.main_window import MainWindow
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.overview import OverviewPage
from da8desktop.gui.pages.settings import SettingsPage
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import open_window


def test_overview_shows_the_demo_commune_in_vietnamese(qtbot, demo_db, immediate_operations):
    window = open_window(qtbot, demo_db)
    assert window.page_titles() == ["Tiến độ", "Báo cáo định kỳ", "Tổng quan", "Người", "Tổ/nhóm",
                                    "Sinh hoạt và hoạt động", "Thôn/bản", "Đã xóa gần đây",
                                    "Gửi và nhận", "Nhật ký", "Cài đặt"]
    assert isinstance(window.pages.currentWidget(), DashboardPage)  # progress is the home page
    overview = window.page(OverviewPage)
    assert isinstance(overview, OverviewPage)
    assert not overview.loading  # counted by an operation, ended when the page was built
    stats = collect(demo_db)
    assert overview.title.text() == "Hội LHPN xã Mường Phăng"
    assert overview.card_values["people"].text() == f"{stats.people:,}".replace(",", ".")
    assert overview.card_values["attendance"].text() == f"{stats.attendance_rows:,}".replace(",", ".")
    assert overview.types.rowCount() == 5
    assert "Xã Mường Phăng" in window.status_site.text()
    assert not window.status_unsent.isVisible()  # a demo sends nothing (issue 19, item 7)
    assert window.menuBar().actions()[0].text() == "&Tệp"


def test_navigation_switches_pages(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    window.nav.setCurrentRow(window.nav.count() - 1)
    assert isinstance(window.pages.currentWidget(), SettingsPage)


def test_pages_are_built_when_first_shown_and_then_follow_changes(qtbot, demo_db,
                                                                 immediate_operations):
    from da8desktop.core.services.people import PeopleService
    from da8desktop.gui.pages.people import PeoplePage

    window = open_window(qtbot, demo_db)
    built = [type(w) for w in (window.pages.widget(i) for i in range(window.pages.count()))]
    assert PeoplePage not in built and OverviewPage not in built  # not shown yet: not built
    window.nav.setCurrentRow(window.page_titles().index("Tổng quan"))
    overview = window.pages.currentWidget()
    assert isinstance(overview, OverviewPage) and window.pages.count() == len(built)
    assert not overview.loading
    people = int(overview.card_values["people"].text().replace(".", ""))
    PeopleService(demo_db).create(full_name="Lò Thị Mai", sex="F", birth_year=1991)
    window.events.changed.emit({"person"})  # as the pages' own saves do
    assert overview.card_values["people"].text() == f"{people + 1:,}".replace(",", ".")
    assert window.page(PeoplePage) is window.page(PeoplePage)  # built once


def test_new_file_welcomes_and_loads_the_demo_in_the_background(qtbot, db):
    window = open_window(qtbot, db)
    assert window.page_titles() == ["Bắt đầu", "Cài đặt"]
    welcome = window.pages.currentWidget()
    assert isinstance(welcome, WelcomePage)
    qtbot.mouseClick(welcome.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.page_titles()[0] == "Tiến độ", timeout=60_000)
    assert collect(window.db).people >= 300 and window.db.file != db.file  # its own file
    overview = window.page(OverviewPage)
    qtbot.waitUntil(lambda: not overview.loading, timeout=10_000)
    assert overview.card_values["people"].text() not in ("0", "…")


def test_language_choice_is_saved_for_next_start(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    settings = window.page(SettingsPage)
    settings.language.setCurrentIndex(settings.language.findData("en"))
    assert preferred_language() == "en"
    assert "lần mở" in settings.notice.text()


def test_english_interface(qtbot, demo_db):
    window = open_window(qtbot, demo_db, language="en")
    assert window.page_titles()[:4] == ["Progress", "Periodic report", "Overview", "People"]


def test_window_geometry_is_remembered(qtbot, demo_db, monkeypatch):
    from PySide6.QtCore import QSettings

    from da8desktop.gui.main_window import SETTINGS_APP, SETTINGS_ORG

    window = open_window(qtbot, demo_db)
    window.move(37, 23)
    saved = window.saveGeometry()
    window.close()
    assert QSettings(SETTINGS_ORG, SETTINGS_APP).value("main_window/geometry") == saved
    restored = []
    monkeypatch.setattr(MainWindow, "restoreGeometry",
                        lambda self, geometry: restored.append(geometry) or True)
    open_window(qtbot, demo_db)
    assert restored == [saved]  # the offscreen screen is tiny, so compare what was asked


def test_about_names_version_file_and_schema(qtbot, demo_db):
    from da8desktop import __version__

    window = open_window(qtbot, demo_db)
    about = window.show_about()
    assert about.windowTitle() == "Giới thiệu da8desktop"
    assert about.version.text() == __version__
    assert about.data_file.text() == str(demo_db.file)
    assert about.schema.text() == demo_db.migration.to_revision
    assert about.folder == demo_db.file.parent


def test_f1_opens_the_vietnamese_guide(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guides = [w for w in window.findChildren(QDialog) if w.windowTitle() == "Hướng dẫn sử dụng"]
    assert guides and "quý" in guides[0].browser.toPlainText()


def test_a_damaged_file_offers_the_newest_backup(qtbot, demo_db_file):
    from da8desktop.core.db.backup import create_backup
    from da8desktop.core.services.stats import collect
    from da8desktop.gui.app import open_or_recover
    from tests.gui.helpers import RecordingDialogs

    create_backup(demo_db_file)
    data = bytearray(demo_db_file.read_bytes())
    for offset in range(4096 * 2, len(data), 4096 * 3):
        data[offset:offset + 64] = b"\xff" * 64
    demo_db_file.write_bytes(bytes(data))
    refused = RecordingDialogs(answers=[False])
    assert open_or_recover(demo_db_file, refused) is None
    assert "bị hỏng" in refused.shown[0][0]
    dialogs = RecordingDialogs(answers=[True])
    db = open_or_recover(demo_db_file, dialogs)
    assert db is not None and collect(db).people >= 300
    assert any("damaged" in p.name or "before-restore" in p.name
               for p in (demo_db_file.parent / "backups").iterdir())
    db.close()
