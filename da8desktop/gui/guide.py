"""Hướng dẫn sử dụng: the Vietnamese user guide shipped in resources/guide, opened with F1."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from da8desktop.core.paths import resource_path


def guide_file(language: str) -> QUrl:
    path = resource_path("guide", f"huong-dan-{language}.html")
    if not path.exists():
        path = resource_path("guide", "huong-dan-vi.html")
    return QUrl.fromLocalFile(str(path))


class GuideDialog(QDialog):
    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("User guide"))
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setSource(guide_file(language))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        self.resize(900, 700)
