"""The window shown at once at start (issue 23 item 7): where the main window will be, saying
the data file is being opened, while SQLAlchemy, the models and the file are loaded. Qt only:
importing this module loads nothing of the database."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QLabel, QMainWindow

# main_window.py keeps its size and place under the same keys: both windows sit in one place.
SETTINGS_ORG, SETTINGS_APP, GEOMETRY_KEY = "HoiLHPN", "da8desktop", "main_window/geometry"


class StartingWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(QCoreApplication.translate("MainWindow",
                                                       "da8desktop — Project 8 records"))
        self.message = QLabel(self.tr("Opening the data file…"), objectName="startingMessage",
                              alignment=Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("font-size: 16px; color: #5a4450;")
        self.setCentralWidget(self.message)
        geometry = QSettings(SETTINGS_ORG, SETTINGS_APP).value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
