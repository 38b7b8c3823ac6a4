"""Draw a PrintDocument on A4 pages the way Nghị định 30/2020 lays out a document: the issuing
body top left, the national motto top right, the date line, the title, tables whose header row
repeats on every page, page numbers from page 2, signature blocks at the end. The tables are
drawn row by row (table_pages.py); the heading and the signatures are Qt rich text."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QFont, QFontDatabase, QGuiApplication, QPageLayout, QPageSize,
                           QPagedPaintDevice, QPainter, QPdfWriter, QTextDocument)

from da8desktop.core.paths import resource_path
from da8desktop.core.reports.document import PrintDocument
from da8desktop.render.table_pages import Table, TableMetrics, draw_rows, paginate

FONT_FAMILY = "Tinos"
BASE_POINTS = 12
# NĐ 30/2020 margins (mm): top 20-25, bottom 20-25, left 30-35, right 15-20.
MARGINS_MM = QMarginsF(30, 20, 15, 20)
_fonts_loaded = False


def ensure_application() -> None:
    """Fonts and painting need a Qt application; the CLI has none, so it gets an offscreen one
    (no window ever shows). A widgets QApplication, so a GUI started later in the same process
    (the self-test, the tests) can reuse it: Qt allows one application object per process."""
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        ensure_application.app = QApplication([])  # type: ignore[attr-defined]


def load_fonts() -> None:
    global _fonts_loaded
    if _fonts_loaded:
        return
    for path in sorted(resource_path("fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    _fonts_loaded = True


def heading_html(doc: PrintDocument) -> str:
    """The NĐ 30 heading: issuing body, motto, date line, title (Qt rich text)."""
    e = escape
    header = (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td width="42%" align="center">{e(doc.superior_body)}<br/><b>{e(doc.issuing_body)}</b>'
        '<br/>———</td>'
        '<td width="58%" align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/>'
        '<b><u>Độc lập - Tự do - Hạnh phúc</u></b></td></tr>'
        f'<tr><td></td><td align="center"><br/><i>{e(doc.date_line)}</i></td></tr></table>')
    parts = [header, f'<p align="center" style="font-size:14pt"><br/><b>{e(doc.title)}</b></p>']
    if doc.subtitle:
        parts.append(f'<p align="center"><i>{e(doc.subtitle)}</i></p>')
    return "".join(parts)


def signatures_html(doc: PrintDocument) -> str:
    e = escape
    width = 100 // len(doc.signatures)
    # Headings padded to the same number of lines, so the signers' names share one line.
    lines = max(len(s.heading) for s in doc.signatures)
    cells = "".join(
        f'<td width="{width}%" align="center" valign="top"><b>'
        f'{"<br/>".join([e(h) for h in s.heading] + ["&nbsp;"] * (lines - len(s.heading)))}'
        f'</b><br/><i>(Ký, ghi rõ họ tên)</i><br/><br/><br/><br/><b>{e(s.name)}</b></td>'
        for s in doc.signatures)
    return f'<br/><table width="100%" cellspacing="0"><tr>{cells}</tr></table>'


def paint(doc: PrintDocument, device: QPagedPaintDevice) -> int:
    """Paint onto a PDF writer or a printer; returns the number of pages. Everything is
    measured and placed first (one pass, table_pages.py), then each page is drawn once."""
    load_fonts()
    resolution = device.resolution() if hasattr(device, "resolution") else 300
    page_rect = device.pageLayout().paintRectPixels(resolution)
    font = QFont(FONT_FAMILY, BASE_POINTS)
    number_band = resolution * 0.35  # room above the text for "2", "3"… (inches)
    body = QSizeF(page_rect.width(), page_rect.height() - number_band)

    def rich(html: str) -> QTextDocument:
        text = QTextDocument()
        text.documentLayout().setPaintDevice(device)
        text.setDefaultFont(font)
        text.setHtml(html)
        text.setTextWidth(body.width())
        return text

    metrics = TableMetrics(device, FONT_FAMILY)
    margin = metrics.margin
    blocks: list[QTextDocument | Table] = [rich(heading_html(doc))]
    for section in doc.sections:
        if section.heading:
            blocks.append(rich(f'<p><b>{escape(section.heading)}</b></p>'))
        blocks.append(metrics.measure(section, body.width() - 2 * margin))
    if doc.signatures:
        blocks.append(rich(signatures_html(doc)))
    pages = paginate(blocks, body.height(), keep_last_whole=bool(doc.signatures), gap=margin)
    painter = QPainter(device)
    try:
        painter.setFont(font)
        for index, placed in enumerate(pages):
            if index:
                device.newPage()
                # NĐ 30: page numbers from page 2, top centre.
                painter.setFont(font)
                painter.drawText(QRectF(0, 0, body.width(), number_band),
                                 Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                                 str(index + 1))
            for item in placed:
                painter.save()
                if item.text is not None:
                    painter.translate(0, number_band + item.y)
                    item.text.drawContents(painter)
                else:
                    painter.translate(margin, number_band + item.y)
                    draw_rows(painter, metrics, item)
                painter.restore()
    finally:
        painter.end()
    return len(pages)


def a4_layout(landscape: bool = False) -> QPageLayout:
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, MARGINS_MM,
                       QPageLayout.Unit.Millimeter)


def write_pdf(doc: PrintDocument, path: Path) -> int:
    """Write to PATH.part and rename, so a half-written file never has the final name."""
    ensure_application()
    path = Path(path)
    from da8desktop.core.atomic_write import part_of

    partial = part_of(path)
    writer = QPdfWriter(str(partial))
    writer.setResolution(300)
    writer.setPageLayout(a4_layout(doc.landscape))
    writer.setTitle(doc.title)
    writer.setCreator("da8desktop")
    pages = paint(doc, writer)
    del writer  # flushes and closes the file
    # QPdfWriter says nothing when the disk is full or the stick is gone: a PDF that does not
    # end with its trailer is removed and said plainly, never renamed into place.
    from da8desktop.core.atomic_write import atomic_path
    from da8desktop.core.disk_errors import write_failed

    with atomic_path(path, suffix=".pdf") as written:
        with written.open("rb") as handle:
            handle.seek(max(written.stat().st_size - 1024, 0))
            complete = b"%%EOF" in handle.read()
        if not complete:
            raise write_failed(path)
    return pages
