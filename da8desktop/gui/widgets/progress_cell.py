"""A table column drawn as progress bars (achieved / target), coloured by status."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

PERCENT_ROLE = Qt.ItemDataRole.UserRole + 1  # int 0…n, or -1 when there is no target
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
# Light fills under dark text: the percentage stays readable wherever the bar ends.
COLOURS = {"done": QColor("#8fd19e"), "on_track": QColor("#a9cdf0"), "behind": QColor("#f2a79e")}


class ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        percent = index.data(PERCENT_ROLE)
        if percent is None or percent < 0:
            super().paint(painter, option, index)
            return
        painter.save()
        rect: QRect = option.rect.adjusted(4, 6, -4, -6)
        painter.fillRect(rect, QColor("#e8e8e8"))
        filled = QRect(rect)
        filled.setWidth(int(rect.width() * min(percent, 100) / 100))
        painter.fillRect(filled, COLOURS.get(index.data(STATUS_ROLE), QColor("#888888")))
        painter.setPen(QColor("#202020"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{percent}%")
        painter.restore()
