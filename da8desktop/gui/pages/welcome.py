"""Shown when the data file is not set up yet. Setting up from a province setup file or for a
province arrives with sync (issue 4); until then the demo commune is the way in."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.demo import load_demo
from da8desktop.core.errors import UserFacingError
from da8desktop.core.progress import Cancelled
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.tasks import BackgroundTask, run_in_background


class WelcomePage(QWidget):
    set_up = Signal()

    def __init__(self, db: Database, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs = db, dialogs
        self.task: BackgroundTask | None = None
        self.demo_button = QPushButton(self.tr("Explore a demo commune"))
        self.demo_button.setObjectName("primary")
        self.demo_button.clicked.connect(self.load_demo)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(QLabel(self.tr("Welcome to da8desktop"), objectName="pageTitle"))
        layout.addWidget(QLabel(self.tr(
            "This computer is not set up yet. You can explore a demo commune with made-up "
            "people, groups and meetings to learn the application; nothing is sent anywhere."),
            wordWrap=True))
        layout.addWidget(self.demo_button)
        layout.addStretch(2)

    def load_demo(self) -> None:
        self.demo_button.setEnabled(False)
        self.task = run_in_background(
            self, self.tr("Creating the demo commune…"),
            lambda progress: load_demo(self.db, progress=progress),
            lambda _summary: self.set_up.emit(), self._failed)

    def _failed(self, error: BaseException) -> None:
        self.demo_button.setEnabled(True)
        if isinstance(error, Cancelled):
            return
        if isinstance(error, UserFacingError):
            self.dialogs.error(self.tr("Demo commune"), error.message())
            return
        raise error
