"""Cài đặt: interface language, the organisation lines and signers printed on documents
(editable per commune: titles are changing in 2025-2026), and backups with restore."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QFrame, QGroupBox, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.backup import BackupInfo, backup_space
from da8desktop.core.db.database import Database
from da8desktop.core.db.server_setting import shown_address
from da8desktop.core.formats import format_size
from da8desktop.core.i18n import save_language
from da8desktop.core.reports.print_settings import load_print_settings, save_print_settings
from da8desktop.core.services.site import identity
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.widgets.backups_box import BackupsBox
from da8desktop.gui.widgets.server_box import ServerBox


class SettingsPage(QWidget):
    def __init__(self, language: str, db: Database | None = None,
                 parent: QWidget | None = None, dialogs: Dialogs | None = None,
                 restore: Callable[[BackupInfo], None] | None = None) -> None:
        super().__init__(parent)
        self.current, self.db = language, db
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.notice = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        # The boxes scroll: with the server box a province's page is taller than a 768-pixel
        # laptop screen.
        inner = QWidget()
        scroll = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(inner)
        layout.addWidget(QLabel(self.tr("Settings"), objectName="pageTitle"))
        layout.addLayout(form)
        layout.addWidget(self.notice)
        if db is not None and identity(db) is not None:
            layout.addWidget(self._print_box())
        if db is not None and db.file is not None and dialogs is not None and restore is not None:
            self.backups = BackupsBox(db.file, dialogs, restore)
            layout.addWidget(self.backups)
            self.space = QLabel(wordWrap=True)  # issue 23: what the backups take, a short disk
            layout.addWidget(self.space)
            self.show_backup_space()
            self.backups.now_button.clicked.connect(self.show_backup_space)
        site = identity(db) if db is not None else None
        if dialogs is not None and db is not None and (site is None or site.role == "province"):
            self.server = ServerBox(dialogs, shown_address(db.url))
            layout.addWidget(self.server)
        layout.addStretch(1)

    def show_backup_space(self) -> None:
        space = backup_space(self.db.file)  # type: ignore[union-attr,arg-type]
        text = self.tr("The backups take {total} (the data file: {data}); older ones are removed "
                       "to keep them within three times the data file.").format(
            total=format_size(space.folder_bytes), data=format_size(space.data_bytes))
        if space.short:
            text += "\n" + self.tr(
                "Warning: the disk has only {free} free, too little for the next backup "
                "({needed}). Free some space on this disk, or copy the backups folder to a USB "
                "stick and delete old backups from it.").format(
                free=format_size(space.free_bytes), needed=format_size(space.needed_bytes))
        self.space.setText(text)
        self.space.setProperty("warning", space.short)

    def _language_chosen(self) -> None:
        chosen = self.language.currentData()
        save_language(chosen)
        self.notice.setText("" if chosen == self.current else
                            self.tr("The new language is used the next time you open the application."))

    def _print_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Printed documents"))
        settings = load_print_settings(self.db)  # type: ignore[arg-type]
        self.superior = QLineEdit(settings.superior_body)
        self.issuing = QLineEdit(settings.issuing_body)
        self.place = QLineEdit(settings.place)
        self.preparer_title = QLineEdit(settings.preparer_title)
        self.preparer_name = QLineEdit(settings.preparer_name)
        self.signer_heading = QPlainTextEdit(settings.signer_heading)
        self.signer_heading.setMaximumHeight(56)
        self.signer_name = QLineEdit(settings.signer_name)
        self.confirm_heading = QLineEdit(settings.confirm_heading)
        self.show_confirmation = QCheckBox(self.tr(
            "Add the commune People's Committee's confirmation to member lists"))
        self.show_confirmation.setChecked(settings.show_confirmation)
        self.confirm_sign_in = QCheckBox(self.tr("Add it to sign-in sheets too"))
        self.confirm_sign_in.setChecked(settings.confirm_sign_in)
        self.given_first = QCheckBox(self.tr("Sort lists by given name (official order)"))
        self.given_first.setChecked(settings.given_name_first)
        self.save_button = QPushButton(self.tr("Save"))
        self.saved = QLabel()
        form = QFormLayout(box)
        form.addRow(self.tr("Superior body (top left)"), self.superior)
        form.addRow(self.tr("Issuing body (top left, bold)"), self.issuing)
        form.addRow(self.tr("Place in the date line"), self.place)
        form.addRow(self.tr("Preparer's title"), self.preparer_title)
        form.addRow(self.tr("Preparer's name"), self.preparer_name)
        form.addRow(self.tr("Signer's title (one line each)"), self.signer_heading)
        form.addRow(self.tr("Signer's name"), self.signer_name)
        form.addRow(self.tr("Confirmation heading"), self.confirm_heading)
        form.addRow(self.show_confirmation)
        form.addRow(self.confirm_sign_in)
        form.addRow(self.given_first)
        form.addRow(self.save_button, self.saved)
        self.save_button.clicked.connect(self.save_print_settings)
        return box

    def save_print_settings(self) -> None:
        current = load_print_settings(self.db)  # type: ignore[arg-type]
        save_print_settings(self.db, replace(  # type: ignore[arg-type]
            current, superior_body=self.superior.text().strip(),
            issuing_body=self.issuing.text().strip(), place=self.place.text().strip(),
            preparer_title=self.preparer_title.text().strip(),
            preparer_name=self.preparer_name.text().strip(),
            signer_heading=self.signer_heading.toPlainText().strip(),
            signer_name=self.signer_name.text().strip(),
            confirm_heading=self.confirm_heading.text().strip(),
            show_confirmation=self.show_confirmation.isChecked(),
            confirm_sign_in=self.confirm_sign_in.isChecked(),
            given_name_first=self.given_first.isChecked()))
        self.saved.setText(self.tr("Saved."))
