"""Translations written by a branch but not yet in the catalogue (translations-pending/*.jsonl,
moved into resources/translations/*.ts when merged): installed by the screenshots and the
screen-text tests so a branch's pictures and checks show its new strings in Vietnamese."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

FOLDER = Path(__file__).resolve().parents[2] / "translations-pending"


class PendingTranslator(QTranslator):
    def __init__(self, folder: Path = FOLDER) -> None:
        super().__init__()
        self.table: dict[tuple[str, str], str] = {}
        for file in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            for line in file.read_text("utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    self.table[(entry["context"], entry["source"])] = entry["vi"]

    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ANN001, ANN201
        return self.table.get((context, source))  # None: not ours, the catalogue's

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return not self.table


def install_pending(app: QCoreApplication) -> PendingTranslator | None:
    """Installed last, so it is asked first; keep the returned object alive while in use."""
    translator = PendingTranslator()
    if translator.isEmpty():
        return None
    app.installTranslator(translator)
    return translator
