"""Render every page of the main window from a demo database into PNGs for the README.

    QT_QPA_PLATFORM=offscreen python -m da8desktop.devtools.screens [FOLDER]

Uses a fresh demo commune (seed 1) in a temporary folder and the Vietnamese interface. The
default folder is resources/guide/images: the user guide (F1) and the README show the same PNGs.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path



def _laptop_screen() -> None:
    """The pictures show a 1366×768 laptop: the offscreen screen is its free area above a 40 px
    taskbar (windows are fitted to the screen they open on, gui/screen_fit.py)."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    config = Path(tempfile.gettempdir()) / "da8desktop-screens-1366x768.json"
    config.write_text(json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
                                               "height": 728, "logicalDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


_laptop_screen()
# The audit trail names the computer's user: the officer's, as in the status bar's folder
# (devtools/screens_extra.py), not whoever makes the pictures.
for _name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
    os.environ[_name] = "HoiPhuNu"

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from da8desktop.core.db.database import Database  # noqa: E402
from da8desktop.core.demo import load_demo  # noqa: E402
from da8desktop.gui.app import STYLE  # noqa: E402
from da8desktop.devtools.pending_translations import install_pending  # noqa: E402
from da8desktop.gui.i18n import install_qt_language  # noqa: E402
from da8desktop.gui.data_files import remember  # noqa: E402
from da8desktop.gui.main_window import MainWindow  # noqa: E402
from da8desktop.devtools.screens_extra import (file_menu_picture, import_preview_picture,  # noqa: E402
                                               plausible_status)
from da8desktop.devtools.screens_tiers import (central_pictures, connect_centre,  # noqa: E402
                                               group_pictures, own_activities, split_picture)

PAGES = ["progress", "periodic", "overview", "people", "groups", "activities", "villages", "trash", "sync", "audit",
         "settings"]
# By page class (gui/pages), not by place in the list: pages are added over time.
PROVINCE_PAGES = {"province-progress": "DashboardPage", "province-periodic": "PeriodicReportPage",
                  "communes-data": "ProvinceDataPage", "province-activities": "ActivitiesPage",
                  "province-sync": "SyncPage", "province-settings": "SettingsPage"}


def settle(app: QApplication, page: object) -> None:
    """Let a page's background work (the Progress page's figures) finish before the picture."""
    app.processEvents()
    while getattr(page, "loading", False):
        time.sleep(0.02)
        app.processEvents()
    chart, deadline = getattr(page, "chart", None), time.monotonic() + 30
    while chart is not None and chart.isVisible() and not chart.bars and time.monotonic() < deadline:
        time.sleep(0.02)  # the chart's bars are counted in the background too
        app.processEvents()
    app.processEvents()


def render(out_dir: Path, language: str = "vi") -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    install_qt_language(app, language)
    pending = install_pending(app) if language != "en" else None  # noqa: F841 - kept alive
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        # The window remembers its geometry and recent files: in the temporary folder, not in
        # the settings of whoever makes the pictures.
        for format_ in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(format_, QSettings.Scope.UserScope, folder)
        for earlier in ("Năm 2025/xa-03325.sqlite", "Tập huấn/xa-mau.sqlite"):
            file = Path(folder) / earlier  # other data files opened lately, for the File menu
            file.parent.mkdir()
            file.touch()
            remember(file)
        db = Database.open(Path(folder) / "demo.sqlite")
        load_demo(db, seed=1)
        window = MainWindow(db, language)
        window.resize(1366, 768)  # fitted to the free area when shown
        window.show()
        for row, name in enumerate(PAGES):
            window.nav.setCurrentRow(row)
            page = window.pages.currentWidget()
            if name == "groups":
                page.detail.tabs.setCurrentIndex(1)
            settle(app, page)
            plausible_status(window, Path(folder))
            path = out_dir / f"{name}-{language}.png"
            window.grab().save(str(path))
            written.append(path)
        window.nav.setCurrentRow(0)
        settle(app, window.pages.currentWidget())
        written += group_pictures(app, window, Path(folder), out_dir, language)
        for name, picture in (("file-menu", file_menu_picture),
                              ("import-preview", import_preview_picture)):
            path = out_dir / f"{name}-{language}.png"
            picture(app, window, Path(folder), path)
            written.append(path)
        window.close()
        db.close()
        written += render_province(app, Path(folder), out_dir, language)
    return written


def render_province(app: QApplication, folder: Path, out_dir: Path, language: str) -> list[Path]:
    """A province with two communes enrolled, one of which has sent its demo data."""
    from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                            own_fingerprint, province_init)
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.core.sync.importer import import_paths
    from da8desktop.core.services.targets import TargetsService

    os.environ.setdefault("DA8_KEY_PASSPHRASE", "screens only")
    os.environ["DA8_KEYRING"] = "off"
    province = Database.open(folder / "tinh.sqlite")
    province_init(province, "11")
    for code, seed in (("03325", 1), ("03158", None)):
        commune = Database.open(folder / f"xa{code}.sqlite")
        commune_init(commune, enroll(province, code, folder / "usb").path,
                     own_fingerprint(province) or "")
        if seed:
            load_demo(commune, seed=seed, people=120)
        for indicator, value in (("II.TTCD", 10), ("II.TTCD_TV", 90), ("II.DTCS", 2)):
            TargetsService(province).set(f"indicator:{indicator}", "2026", value,
                                         f"2025:commune:{code}")
        sent = [b.path for b in export_bundles(commune, folder / "usb")]
        import_paths(province, sent)  # registers the laptop; its data waits for confirmation
        if seed:  # one confirmed by phone, the other still waiting: both states on screen
            confirm_commune_computer(province, code, own_fingerprint(commune) or "")
            import_paths(province, sent)
        commune.close()
    own_activities(province)
    centre = connect_centre(province, folder)
    window = MainWindow(province, language)
    window.resize(1366, 768)
    window.show()
    written = []
    for name, kind in PROVINCE_PAGES.items():
        page = window.page(kind)  # by class name: the window imports a page when first shown
        window.nav.setCurrentRow(window.pages.indexOf(page))
        page = window.pages.currentWidget()
        settle(app, page)
        if name == "province-progress":
            page.tabs.setCurrentIndex(1)
            app.processEvents()
        plausible_status(window, folder)
        path = out_dir / f"{name}-{language}.png"
        window.grab().save(str(path))
        written.append(path)
    path = out_dir / f"target-split-{language}.png"
    split_picture(app, window, folder, path)
    written.append(path)
    window.close()
    province.close()
    return written + central_pictures(app, centre, folder, out_dir, language)


if __name__ == "__main__":
    from da8desktop.core.paths import resource_path

    for path in render(Path(sys.argv[1]) if len(sys.argv) > 1 else resource_path("guide", "images")):
        print(path)
