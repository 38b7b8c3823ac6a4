"""Cài đặt: interface language (more settings arrive with the issues that need them)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from da8desktop.core.i18n import save_language


class SettingsPage(QWidget):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current = language
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.notice = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Settings"), objectName="pageTitle"))
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addStretch(1)

    def _language_chosen(self) -> None:
        chosen = self.language.currentData()
        save_language(chosen)
        self.notice.setText("" if chosen == self.current else
                            self.tr("The new language is used the next time you open the application."))
