"""Giới thiệu: version, where the data lives (with a button to open the folder), schema."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QPushButton, QWidget

from da8desktop import __version__
from da8desktop.core.db.database import Database
from da8desktop.core.paths import user_data_dir, user_log_dir


class AboutDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About da8desktop"))
        self.folder = db.file.parent if db.file else user_data_dir()
        self.open_folder = QPushButton(self.tr("Open the data folder"))
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Records of Project 8 for commune and province Women's Unions."),
                           wordWrap=True))
        self.version = QLabel(__version__)
        self.data_file = QLabel(str(db.file or db.url), wordWrap=True)
        self.schema = QLabel(db.migration.to_revision)
        form.addRow(self.tr("Version"), self.version)
        form.addRow(self.tr("Data file"), self.data_file)
        form.addRow(self.tr("Database schema"), self.schema)
        form.addRow(self.tr("Logs"), QLabel(str(user_log_dir()), wordWrap=True))
        form.addRow(self.tr("Licence"), QLabel("GPL-3.0-or-later"))
        form.addRow(self.open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
