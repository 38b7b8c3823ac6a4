"""Page and table shortcuts. Several pages live in one window, so a shortcut must be scoped to
its page or table: two window-wide shortcuts on the same key cancel each other out."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def on_widget(key: QKeySequence | QKeySequence.StandardKey | Qt.Key, widget: QWidget,
              slot: Callable[[], object]) -> QShortcut:
    """Active while the focus is in `widget` or its children (a page, or a table)."""
    sequence = key if isinstance(key, QKeySequence) else QKeySequence(key)
    shortcut = QShortcut(sequence, widget, slot)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return shortcut


def save_on_ctrl_s(dialog: QWidget, save: Callable[[], object]) -> QShortcut:
    """Ctrl+S saves a form, as Enter does, for officers used to Word and Excel."""
    return on_widget(QKeySequence.StandardKey.Save, dialog, save)
