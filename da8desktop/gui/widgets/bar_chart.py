"""A small bar chart: achievement per quarter (or per year of a phase), with the target as a line.

Drawn with QPainter rather than Qt Charts: Qt Charts is only in PySide6-Addons (the frozen app
would carry the whole add-on set for one chart) and is deprecated since Qt 6.10 in favour of
Qt Graphs, which needs Qt Quick. See docs/indicators.md."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from da8desktop.core.formats import format_figure

BAR = QColor("#b0306a")  # the app's accent (style.qss)
TARGET = QColor("#2f6f3e")


class BarChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float | None]] = []
        self.target: float | None = None
        self.caption = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(320, 200)

    def set_data(self, caption: str, bars: list[tuple[str, float | None]],
                 target: float | None) -> None:
        self.caption, self.bars, self.target = caption, bars, target
        self.setAccessibleDescription(caption + ": " + ", ".join(
            f"{label} {format_figure(value) if value is not None else '—'}" for label, value in bars))
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: ANN001, N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(text)
        # A long indicator name is shortened with "…" and read in full on hover.
        caption = metrics.elidedText(self.caption, Qt.TextElideMode.ElideRight, self.width())
        self.setToolTip(self.caption if caption != self.caption else "")
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, caption)
        if not self.bars:
            return
        top, bottom = 2 * line + 4, self.height() - line - 4
        height = max(10, bottom - top)
        values = [v for _l, v in self.bars if v is not None]
        peak = max(values + [self.target or 0, 1])
        step = self.width() / len(self.bars)
        width = step * 0.6
        for i, (label, value) in enumerate(self.bars):
            x = i * step + (step - width) / 2
            painter.setPen(text)
            painter.drawText(QRectF(i * step, bottom + 2, step, line), Qt.AlignmentFlag.AlignCenter, label)
            if value is None:
                continue
            bar_height = height * value / peak
            painter.fillRect(QRectF(x, bottom - bar_height, width, bar_height), BAR)
            painter.drawText(QRectF(i * step, bottom - bar_height - line - 1, step, line),
                             Qt.AlignmentFlag.AlignCenter, format_figure(value))
        if self.target:
            y = bottom - height * self.target / peak
            pen = QPen(TARGET, 2, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(0, int(y), self.width(), int(y))
            painter.drawText(QRectF(0, y - line - 1, self.width() - 4, line),
                             Qt.AlignmentFlag.AlignRight,
                             self.tr("target {value}").format(value=format_figure(self.target)))
