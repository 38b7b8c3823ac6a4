"""The File menu's data files: a new file, another file, the recent ones. The window swaps its
database (and the one-window lock of the file) and rebuilds its pages on the new one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

RECENT_KEY, RECENT_MAX = "data_files/recent", 6


def _settings() -> QSettings:
    from da8desktop.gui.main_window import SETTINGS_APP, SETTINGS_ORG

    return QSettings(SETTINGS_ORG, SETTINGS_APP)


def recent_files() -> list[Path]:
    """Files opened lately, newest first, those still there."""
    value = _settings().value(RECENT_KEY) or []
    names = [value] if isinstance(value, str) else list(value)
    return [Path(name) for name in names if Path(name).is_file()][:RECENT_MAX]


def remember(file: Path) -> None:
    names = [str(file)] + [str(p) for p in recent_files() if p != file]
    _settings().setValue(RECENT_KEY, names[:RECENT_MAX])


def build_file_menu(window, menu: QMenu) -> None:  # noqa: ANN001 - the MainWindow
    new = QAction(QCoreApplication.translate("MainWindow", "&New data file…"), window)
    new.triggered.connect(window.new_data_file)
    open_ = QAction(QCoreApplication.translate("MainWindow", "&Open data file…"), window,
                    shortcut=QKeySequence.StandardKey.Open)
    open_.triggered.connect(window.choose_data_file)
    window.recent_menu = QMenu(QCoreApplication.translate("MainWindow", "&Recent data files"),
                               window)
    window.recent_menu.aboutToShow.connect(lambda: fill_recent(window))
    set_up = QAction(QCoreApplication.translate(
        "MainWindow", "&Set up from the province's setup file…"), window)
    set_up.triggered.connect(window.set_up_from_setup_file)
    demo = QAction(QCoreApplication.translate("MainWindow", "&Explore the demo commune"), window)
    demo.triggered.connect(window.explore_demo)
    window.leave_demo_action = QAction(QCoreApplication.translate("MainWindow", "&Leave the demo"),
                                       window)
    window.leave_demo_action.triggered.connect(window.leave_demo)
    menu.addAction(new)
    menu.addAction(open_)
    menu.addMenu(window.recent_menu)
    menu.addSeparator()
    menu.addAction(set_up)
    menu.addAction(demo)
    menu.addAction(window.leave_demo_action)
    menu.addSeparator()


def fill_recent(window) -> None:  # noqa: ANN001 - the MainWindow
    window.recent_menu.clear()
    current = window.db.file
    for file in recent_files():
        action = window.recent_menu.addAction(str(file))
        action.setEnabled(file != current)
        action.triggered.connect(lambda _checked=False, f=file: window.open_data_file(f))
    if window.recent_menu.isEmpty():
        none = QCoreApplication.translate("MainWindow", "(none yet)")
        window.recent_menu.addAction(none).setEnabled(False)
