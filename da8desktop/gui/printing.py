"""Print preview, printer and PDF for core PrintDocuments, with the personal-data columns off
unless the officer ticks them. Every print and PDF goes to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import (QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import UserFacingError
from da8desktop.core.reports.document import PrintDocument
from da8desktop.core.reports.member_list import ListOptions
from da8desktop.core.reports.outputs import record_output
from da8desktop.core.disk_errors import disk_error
from da8desktop.gui.dialogs import Dialogs
from da8desktop.render.pdf import a4_layout, paint, write_pdf


def _preview_words() -> dict[str, str]:
    """Qt's preview toolbar, in the officer's language (Qt ships no Vietnamese for it)."""
    # Written out in full each time: lupdate finds QCoreApplication.translate, not an alias.
    return {"Next page": QCoreApplication.translate("PrintPreview", "Next page"),
            "Previous page": QCoreApplication.translate("PrintPreview", "Previous page"),
            "First page": QCoreApplication.translate("PrintPreview", "First page"),
            "Last page": QCoreApplication.translate("PrintPreview", "Last page"),
            "Fit width": QCoreApplication.translate("PrintPreview", "Fit width"),
            "Fit page": QCoreApplication.translate("PrintPreview", "Fit page"),
            "Zoom in": QCoreApplication.translate("PrintPreview", "Zoom in"), "Zoom out": QCoreApplication.translate("PrintPreview", "Zoom out"),
            "Portrait": QCoreApplication.translate("PrintPreview", "Portrait"), "Landscape": QCoreApplication.translate("PrintPreview", "Landscape"),
            "Show single page": QCoreApplication.translate("PrintPreview", "Show single page"),
            "Show facing pages": QCoreApplication.translate("PrintPreview", "Show facing pages"),
            "Show overview of all pages": QCoreApplication.translate("PrintPreview", "Show overview of all pages"),
            "Print": QCoreApplication.translate("PrintPreview", "Print"), "Page setup": QCoreApplication.translate("PrintPreview", "Page setup")}


def preview_dialog(printer: QPrinter, title: str, parent: QWidget | None) -> QPrintPreviewDialog:
    """Qt's print preview titled and labelled in the officer's language, at the page's width
    (Qt opens it at a size where the text cannot be read)."""
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("PrintPreview", "Print preview — {title}")
                          .format(title=title))
    words = _preview_words()
    fit_width = None
    for action in dialog.findChildren(QAction):
        if action.text() == "Fit width":
            fit_width = action
        if action.text() in words:
            translated = words[action.text()]
            action.setText(translated)
            action.setToolTip(translated)
    if fit_width is not None:  # the toolbar's own button, so its checked state agrees
        fit_width.trigger()
    for preview in dialog.findChildren(QPrintPreviewWidget):
        preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitToWidth)
    return dialog


class PrintDialog(QDialog):
    """Choose the columns, then preview and print, or save as PDF."""

    def __init__(self, db: Database, title: str, build: Callable[[ListOptions], PrintDocument],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.build = db, build
        self.setWindowTitle(title)
        self.cccd = QCheckBox(self.tr("Include the CCCD column"))
        self.phone = QCheckBox(self.tr("Include the phone column"))
        self.preview_button = QPushButton(self.tr("Preview and print…"))
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.message = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Personal data is left out unless you need it.")))
        layout.addWidget(self.cccd)
        layout.addWidget(self.phone)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.preview_button.clicked.connect(self.preview)
        self.pdf_button.clicked.connect(self.choose_pdf)

    def document(self) -> PrintDocument | None:
        try:
            return self.build(ListOptions(self.cccd.isChecked(), self.phone.isChecked()))
        except UserFacingError as error:
            self.message.setText(error.message())
            return None

    def preview(self) -> None:
        doc = self.document()
        if doc is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(a4_layout(doc.landscape))
        dialog = preview_dialog(printer, doc.title, self)
        dialog.paintRequested.connect(lambda device: paint(doc, device))
        if dialog.exec():
            record_output(self.db, AuditAction.PRINT, doc.title, {"rows": doc.row_count})

    def choose_pdf(self) -> None:
        path = Dialogs(self).save_file(self.tr("Save as PDF"), self.tr("PDF files (*.pdf)"),
                                       suffix=".pdf")
        if path:
            self.save_pdf(Path(path))

    def save_pdf(self, path: Path) -> int:
        doc = self.document()
        if doc is None:
            return 0
        try:
            pages = write_pdf(doc, path)
        except OSError as exc:  # a full stick, a read-only folder: said plainly
            self.message.setText(disk_error(exc, path, ".pdf").message())
            return 0
        record_output(self.db, AuditAction.PRINT, f"{doc.title} -> {path.name}",
                      {"rows": doc.row_count, "pages": pages})
        self.message.setText(self.tr("{pages} page(s) saved to {file}").format(pages=pages, file=path))
        return pages
