"""Every window on the screen it opens on: the commonest office laptop is 1366×768 at 125 %
(1093×582 logical pixels above a 40 px taskbar) and some are 1024×768. A window never opens
bigger than the screen's free area or partly outside it; a form that is too long scrolls
instead (`scrolling`). tests/gui/test_fit.py checks every page and dialog at those sizes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QAbstractScrollArea, QApplication, QDialog, QFrame, QMainWindow,
                               QScrollArea, QWidget)

# What a window's frame adds around its contents on Windows at 100 % (title bar 31 px, borders):
# the size Qt knows before the frame exists, so it is reserved here.
FRAME = QSize(16, 40)


def free_area(widget: QWidget | None = None) -> QRect:
    """The screen's area a window may use (without the taskbar)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_on_screen(window: QWidget) -> None:
    """Shrink the window to the free area (less its frame) and move it fully inside."""
    area = free_area(window)
    most = QSize(area.width() - FRAME.width(), area.height() - FRAME.height())
    size = window.size().boundedTo(most).expandedTo(window.minimumSize())
    if size != window.size():
        window.resize(size)
    # pos() is where the frame starts; the frame itself may not exist yet, so FRAME is kept free
    x = min(window.pos().x(), area.right() + 1 - size.width() - FRAME.width())
    y = min(window.pos().y(), area.bottom() + 1 - size.height() - FRAME.height())
    x, y = max(x, area.left()), max(y, area.top())
    if (x, y) != (window.pos().x(), window.pos().y()):
        window.move(x, y)


class _Fitter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and isinstance(watched, (QDialog, QMainWindow)) \
                and watched.isWindow():
            fit_on_screen(watched)
        return False


def install_screen_fit(app: QApplication) -> None:
    """Once per application: every dialog and main window is fitted when it is shown."""
    if app.property("da8_screen_fit"):
        return
    fitter = _Fitter(app)
    app.installEventFilter(fitter)
    app.setProperty("da8_screen_fit", True)


def scrolling(content: QWidget) -> QScrollArea:
    """A long form in a frameless scroll area: it shrinks with the window and scrolls, while
    the buttons placed outside it stay visible."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    scroll.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    # Forms are narrow: they scroll down, never sideways.
    scroll.setMinimumWidth(content.minimumSizeHint().width()
                           + scroll.verticalScrollBar().sizeHint().width())
    return scroll
