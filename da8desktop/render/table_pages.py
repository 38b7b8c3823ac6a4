"""A document's tables laid out and drawn page by page with QPainter (issue 23: Qt's rich-text
layout of a 2,000-row table took 85 % of 7.5 s and grew faster than the rows). Each row is
measured once with the font's metrics (wrapped where it must), rows are placed on pages in one
pass with the header row repeated on each page, and only the rows of a page are drawn. The
heading and the signature block stay QTextDocument (small, rich text); they are placed in the same
pass, the signature block kept whole on one page. It draws what Qt's rich text drew before:
borders 1 device pixel wide, 3 pixels of padding, 11 pt, bold centred header cells, cells
vertically centred, a tall strut row for the sign-in sheets."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QPen, QTextDocument

from da8desktop.core.reports.document import Section

PADDING = 3.0  # cellpadding="3" and border="1" in the rich text: CSS pixels (1/96 inch),
BORDER = 1.0  # scaled to the device as Qt's rich text scaled them
TABLE_POINTS = 11
_ALIGN = {"left": Qt.AlignmentFlag.AlignLeft, "center": Qt.AlignmentFlag.AlignHCenter,
          "right": Qt.AlignmentFlag.AlignRight}


@dataclass
class Table:
    section: Section
    widths: list[float]
    header_height: float
    row_heights: list[float]


@dataclass
class Placed:
    """One thing on a page at height `y`: a rich-text block, or rows first..last of a table."""
    y: float
    text: QTextDocument | None = None
    table: Table | None = None
    rows: range = field(default_factory=lambda: range(0))


class TableMetrics:
    def __init__(self, device: QPagedPaintDevice, family: str) -> None:
        self.font = QFont(family, TABLE_POINTS)
        self.bold = QFont(self.font)
        self.bold.setBold(True)
        self.metrics = QFontMetricsF(self.font, device)
        self.bold_metrics = QFontMetricsF(self.bold, device)
        self.resolution = device.logicalDpiY()
        scale = self.resolution / 96
        self.padding, self.border = PADDING * scale, BORDER * scale
        self.margin = 4 * scale  # QTextDocument's document margin, where its tables began
        self.line = float(round(self.metrics.height()))  # Qt's text layout: whole pixels

    def measure(self, section: Section, width: float) -> Table:
        total = sum(c.width for c in section.columns) or 1
        # the rich text rounded each column to a whole percent of the table's width less one
        # border per column (measured on Qt's own layout of such a table)
        base = width - len(section.columns) * self.border
        widths = [base * round(c.width * 100 / total) / 100 for c in section.columns]
        widths[-1] = width - sum(widths[:-1])
        inner = [w - 2 * self.padding - self.border for w in widths]
        header = max(self._height(self.bold_metrics, c.title, w, False)
                     for c, w in zip(section.columns, inner))
        strut = section.min_row_mm / 25.4 * self.resolution
        line = self.line
        heights = []
        for row in section.rows:
            tallest = max(strut, line)
            for cell, w, column in zip(row, inner, section.columns):
                if cell and self.metrics.horizontalAdvance(cell) > w:  # most cells: one line
                    tallest = max(tallest, self._height(self.metrics, cell, w, column.nowrap))
            heights.append(tallest + 2 * self.padding + self.border)
        return Table(section, widths, header + 2 * self.padding + self.border, heights)

    def _height(self, metrics: QFontMetricsF, text: str, width: float, nowrap: bool) -> float:
        if nowrap or not text:
            return self.line
        box = metrics.boundingRect(QRectF(0, 0, width, 1e6),
                                   int(Qt.TextFlag.TextWordWrap), text)
        return max(1, round(box.height() / metrics.height())) * self.line


def paginate(blocks: list[QTextDocument | Table], page_height: float,
             keep_last_whole: bool, gap: float = 0.0) -> list[list[Placed]]:
    """Place the blocks top to bottom on pages of `page_height`. A table breaks between rows
    (its header row repeated on the next page) and starts `gap` below what precedes it, as the
    rich text's document margin put it; a rich-text block moves to the next page when it does
    not fit and is the last one (the signature block), or flows on otherwise."""
    pages: list[list[Placed]] = [[]]
    y = 0.0
    for index, block in enumerate(blocks):
        if isinstance(block, QTextDocument):
            height = block.size().height()
            last = index == len(blocks) - 1
            if y + height > page_height and y > 0 and (keep_last_whole and last
                                                      or height <= page_height):
                pages.append([])
                y = 0.0
            pages[-1].append(Placed(y, text=block))
            y += height
            continue
        table, row = block, 0
        while row < len(table.row_heights):
            if y + gap + table.header_height + table.row_heights[row] > page_height and y > 0:
                pages.append([])
                y = 0.0
            y += gap
            start, room = row, page_height - y - table.header_height
            while row < len(table.row_heights) and (row == start or
                                                    table.row_heights[row] <= room):
                room -= table.row_heights[row]
                row += 1
            pages[-1].append(Placed(y, table=table, rows=range(start, row)))
            y = page_height - room
    return pages


def draw_rows(painter: QPainter, metrics: TableMetrics, placed: Placed) -> None:
    table = placed.table
    if table is None:
        return
    pen = QPen(Qt.GlobalColor.black)
    pen.setWidthF(metrics.border)
    painter.setPen(pen)
    inset = metrics.padding + metrics.border / 2
    columns = table.section.columns
    middle, wrap = Qt.AlignmentFlag.AlignVCenter, int(Qt.TextFlag.TextWordWrap)
    head_flags = [int(Qt.AlignmentFlag.AlignHCenter | middle) | wrap for _ in columns]
    flags = [int(_ALIGN.get(c.align, Qt.AlignmentFlag.AlignLeft) | middle)
             | (0 if c.nowrap else wrap) for c in columns]  # computed once, not per cell
    painter.setFont(metrics.bold)
    y = _draw_row(painter, table, [c.title for c in columns], 0.0, table.header_height, inset,
                  head_flags)
    painter.setFont(metrics.font)
    for index in placed.rows:
        y = _draw_row(painter, table, table.section.rows[index], y, table.row_heights[index],
                      inset, flags)


def _draw_row(painter: QPainter, table: Table, cells: list[str], y: float, height: float,
              inset: float, flags: list[int]) -> float:
    x = 0.0
    for cell, width, flag in zip(cells, table.widths, flags):
        painter.drawRect(QRectF(x, y, width, height))
        if cell:
            painter.drawText(QRectF(x + inset, y + inset, width - 2 * inset, height - 2 * inset),
                             flag, cell)
        x += width
    return y + height
