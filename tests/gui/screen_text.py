"""What an officer reads on a window: every visible label, button, tab, header and table cell;
and the patterns of English or internal text that must not be among it (issue 19, item 6)."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QLabel,
                               QLineEdit, QTabWidget, QWidget)

from da8desktop.devtools.pending_translations import install_pending  # noqa: F401 - for tests

# Words an English sentence or an internal name is made of, and no Vietnamese text uses.
ENGLISH = ("the", "and", "of", "with", "is", "are", "not", "new", "site", "output", "normal",
           "caesarean", "indicator", "changes", "page", "pages", "rows", "demo", "file",
           "print", "settings", "group", "groups", "people", "meeting", "village", "yet",
           "sent", "none", "save", "cancel", "add", "delete", "open", "close", "quarter", "year")
ENGLISH_WORD = re.compile(r"\b(" + "|".join(ENGLISH) + r")\b", re.IGNORECASE)
INTERNAL = {"catalogue key": re.compile(r"\b\w+:\w+\.\w+"),
            "uuid": re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-", re.IGNORECASE),
            "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
            "quarter code": re.compile(r"\bQ[1-4]\b")}
ROWS_READ = 25


PATH = re.compile(r"(?:[A-Za-z]:)?[/\\]\S+")  # a file's path is the officer's own naming


def problems(text: str) -> list[str]:
    text = PATH.sub(" ", text)
    found = [f"English “{m.group(0)}”" for m in ENGLISH_WORD.finditer(text)]
    found += [name for name, pattern in INTERNAL.items() if pattern.search(text)]
    return found


def sentences(root: QWidget) -> list[str]:
    """Visible wrapped labels of several words (messages, explanations): each a sentence."""
    return [w.text() for w in root.findChildren(QLabel)
            if w.isVisibleTo(root) and w.wordWrap() and len(w.text().split()) >= 6
            and not w.text().lstrip().startswith("<")]


def not_a_sentence(text: str) -> bool:
    text = text.strip().lstrip("⚠•✓✗ ")
    if not (text[:1].isupper() or text[:1].isdigit()):
        return True
    if text[-1:] in ".:!?…)":
        return False
    head, colon, tail = text.rpartition(": ")
    if colon and ". " not in tail:  # "… Fingerprint: 89195 32432", "… run: da8desktop …"
        return False
    return not (" — " in text and "." not in text)  # a caption: "Xã …, Tỉnh … — dữ liệu mẫu"


def visible_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount(QModelIndex())
            except TypeError:  # a list model: one column
                columns = 1
            for section in range(columns):
                texts.append(str(model.headerData(section, Qt.Orientation.Horizontal) or ""))
            for row in range(min(model.rowCount(QModelIndex()), ROWS_READ)):
                for column in range(columns):
                    texts.append(str(model.index(row, column).data() or ""))
        texts += [widget.toolTip(), widget.accessibleDescription()]
    return [t for t in texts if t]
