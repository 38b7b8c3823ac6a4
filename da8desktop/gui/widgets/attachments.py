"""Thumbnails of the photos and scans attached to a group or activity; double-click opens the
file with the system viewer."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QStyle, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.gui.dialogs import Dialogs
from da8desktop.core.services.attachments import (add_attachment, list_attachments,
                                                  remove_attachment)

THUMB = 96


class AttachmentsWidget(QWidget):
    def __init__(self, db: Database, owner_table: str, parent: QWidget | None = None,
                 dialogs: Dialogs | None = None) -> None:
        super().__init__(parent)
        self.db, self.owner_table = db, owner_table
        self.dialogs = dialogs or Dialogs(self)
        self.owner_id: uuid.UUID | None = None
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setGridSize(QSize(THUMB + 40, THUMB + 40))
        self.add_button = QPushButton(self.tr("Attach a photo or scan…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.message = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self.choose_file)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(self.open_item)

    def show_owner(self, owner_id: uuid.UUID | None) -> None:
        self.owner_id = owner_id
        self.list.clear()
        self.message.clear()
        if owner_id is None:
            return
        generic = self.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        for row in list_attachments(self.db, self.owner_table, owner_id):
            icon = generic
            if row.is_image and row.path.exists():
                reader = QImageReader(str(row.path))
                reader.setAutoTransform(True)
                size = reader.size()
                if size.isValid():
                    reader.setScaledSize(size.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio))
                image = reader.read()
                if not image.isNull():
                    icon = QIcon(QPixmap.fromImage(image))
            item = QListWidgetItem(icon, row.caption or row.file_name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, row)
            item.setToolTip(row.file_name)

    def choose_file(self) -> None:
        if self.owner_id is None:
            return
        path = self.dialogs.open_file(
            self.tr("Attach a photo or scan"),
            self.tr("Photos and documents (*.jpg *.jpeg *.png *.pdf *.doc *.docx);;All files (*)"))
        if path:
            self.attach(str(path))

    def attach(self, path: str) -> None:
        try:
            add_attachment(self.db, self.owner_table, self.owner_id, path)  # type: ignore[arg-type]
        except UserFacingError as error:
            self.message.setText(error.message())
            return
        self.show_owner(self.owner_id)

    def remove_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            remove_attachment(self.db, item.data(Qt.ItemDataRole.UserRole).id)
            self.show_owner(self.owner_id)

    def open_item(self, item: QListWidgetItem) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.data(Qt.ItemDataRole.UserRole).path)))
