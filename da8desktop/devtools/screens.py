"""Render every page of the main window from a demo database into PNGs for the README.

    QT_QPA_PLATFORM=offscreen python -m da8desktop.devtools.screens [FOLDER]

Uses a fresh demo commune (seed 1) in a temporary folder and the Vietnamese interface. The
default folder is resources/guide/images: the user guide (F1) and the README show the same PNGs.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from da8desktop.core.db.database import Database  # noqa: E402
from da8desktop.core.demo import load_demo  # noqa: E402
from da8desktop.gui.app import STYLE  # noqa: E402
from da8desktop.gui.i18n import install_qt_language  # noqa: E402
from da8desktop.gui.main_window import MainWindow  # noqa: E402

PAGES = ["overview", "people", "groups", "activities", "villages", "trash", "settings"]


def render(out_dir: Path, language: str = "vi") -> list[Path]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyleSheet(STYLE)
    install_qt_language(app, language)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder) / "demo.sqlite")
        load_demo(db, seed=1)
        window = MainWindow(db, language)
        window.resize(1280, 760)
        window.show()
        for row, name in enumerate(PAGES):
            window.nav.setCurrentRow(row)
            page = window.pages.currentWidget()
            if name == "groups":
                page.detail.tabs.setCurrentIndex(1)
            app.processEvents()
            path = out_dir / f"{name}-{language}.png"
            window.grab().save(str(path))
            written.append(path)
        window.close()
        db.close()
    return written


if __name__ == "__main__":
    from da8desktop.core.paths import resource_path

    for path in render(Path(sys.argv[1]) if len(sys.argv) > 1 else resource_path("guide", "images")):
        print(path)
