"""Issue 19, item 6: every page of the demo commune and of a province, in Vietnamese, shows no
English and nothing internal (catalogue keys, ids, ISO dates, Q1…)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from da8desktop.core.demo import load_demo
from tests.gui.helpers import open_window
from tests.gui.screen_text import (install_pending, not_a_sentence, problems, sentences,
                                   visible_texts)


def _walk(qtbot, window) -> dict[str, list[str]]:
    assert window.page_titles()[0] == "Tiến độ"  # the walk reads the Vietnamese window
    found: dict[str, list[str]] = {}
    read = 0
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        if hasattr(page, "loading"):
            qtbot.waitUntil(lambda page=page: not page.loading, timeout=30_000)
        chart = getattr(page, "chart", None)
        if chart is not None and chart.isVisibleTo(page):  # drawn in the background
            qtbot.waitUntil(lambda chart=chart: bool(chart.bars), timeout=30_000)
        QApplication.processEvents()
        texts = visible_texts(window)
        read += len(texts)
        for text in texts:
            bad = problems(text)
            if bad:
                found.setdefault(window.page_titles()[row], []).append(f"{text!r}: {bad}")
        for text in sentences(window):
            if not_a_sentence(text):
                found.setdefault(window.page_titles()[row], []).append(
                    f"{text!r}: not a sentence (capital first, full stop last)")
    assert read > 200  # every page was read, not a blank window
    return found


def test_every_page_of_the_demo_commune_reads_in_vietnamese(qtbot, demo_db):
    pending = install_pending(QApplication.instance())
    try:
        window = open_window(qtbot, demo_db)
        found = _walk(qtbot, window)
        assert found == {}, "\n".join(f"{page}: {line}" for page, lines in found.items()
                                       for line in lines)
    finally:
        if pending is not None:
            QApplication.instance().removeTranslator(pending)


def test_every_page_of_a_province_reads_in_vietnamese(qtbot, world):
    load_demo(world.dbs["A1"], seed=5, people=80)
    world.round()
    pending = install_pending(QApplication.instance())
    try:
        window = open_window(qtbot, world.dbs["P"])
        found = _walk(qtbot, window)
        assert found == {}, "\n".join(f"{page}: {line}" for page, lines in found.items()
                                       for line in lines)
    finally:
        if pending is not None:
            QApplication.instance().removeTranslator(pending)


def test_print_preview_is_titled_and_labelled_in_vietnamese_at_page_width(qtbot):
    from PySide6.QtGui import QAction
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget

    from da8desktop.gui.i18n import install_qt_language
    from da8desktop.gui.printing import preview_dialog

    app = QApplication.instance()
    install_qt_language(app, "vi")
    pending = install_pending(app)
    try:
        printer = QPrinter()
        dialog = preview_dialog(printer, "DANH SÁCH THÀNH VIÊN", None)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.windowTitle() == "Xem trước khi in — DANH SÁCH THÀNH VIÊN"
        labels = [a.text() for a in dialog.findChildren(QAction) if a.text()]
        assert "Vừa chiều ngang" in labels and "In" in labels
        assert not [text for text in labels if problems(text)]
        preview = dialog.findChild(QPrintPreviewWidget)
        assert preview.zoomMode() == QPrintPreviewWidget.ZoomMode.FitToWidth
    finally:
        if pending is not None:
            app.removeTranslator(pending)
