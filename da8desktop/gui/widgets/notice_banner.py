"""A banner above the pages for what the officer must know about this computer or its data file:
a clock that looks wrong ("set them, then continue"), a restore finished or undone after an
interruption, a data file that went back in time. Writing is not blocked (see
docs/bundle-format.md, "Clocks"); Continue checks again once the officer has set the clock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from da8desktop.core.db.database import Database
from da8desktop.core.services.notices import clock_notices, startup_notices


class NoticeBanner(QFrame):
    def __init__(self, database: Callable[[], Database]) -> None:
        super().__init__(objectName="noticeBanner")
        self._database = database
        self.setStyleSheet(
            "#noticeBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }")
        row = QHBoxLayout(self)
        self.label = QLabel(wordWrap=True)
        self.continue_button = QPushButton(self.tr("Continue"))
        self.continue_button.clicked.connect(self.check_again)
        row.addWidget(self.label, 1)
        row.addWidget(self.continue_button)
        self.setVisible(False)

    def show_notices(self, notices: list[str]) -> None:
        self.label.setText("\n".join(notices))
        self.setVisible(bool(notices))

    def check_at_start(self) -> None:
        self.show_notices(startup_notices(self._database()))

    def check_again(self) -> None:
        """After the officer set the clock: what is still wrong (changes are re-dated now)."""
        self.show_notices(clock_notices(self._database()))
