"""Settings › Server database: a province office that shares one PostgreSQL database points
this computer at it (issue #9). Used from the next start; the commune laptop never needs it."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from da8desktop.core.db.server_setting import (probe_server, save_database_url, saved_database_url,
                                                shown_address)
from da8desktop.core.errors import UserFacingError
from da8desktop.gui.crash import show_failure
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.operations import run_operation


class ServerBox(QGroupBox):
    def __init__(self, dialogs: Dialogs, current_location: str, parent=None) -> None:  # noqa: ANN001
        super().__init__(self.tr("Server database (province office)"), parent)
        self.dialogs = dialogs
        self.url = QLineEdit(objectName="serverUrl")
        self.url.setPlaceholderText("postgresql+psycopg://can_bo:mat_khau@may-chu/da8")
        saved = saved_database_url()
        if saved:
            self.url.setText(shown_address(saved))
        self.test_button = QPushButton(self.tr("Test the connection"))
        self.use_button = QPushButton(self.tr("Use this server"))
        self.local_button = QPushButton(self.tr("Use the file on this computer"))
        self.status = QLabel(wordWrap=True, objectName="serverStatus")
        self.status.setText(self.tr("Now open: {location}").format(location=current_location))
        help_text = QLabel(self.tr(
            "Several officers of the province can share one PostgreSQL database. Write its "
            "address as the administrator gave it. The password is kept in Windows Credential "
            "Manager, not in a file. The change is used the next time you open the "
            "application. To move this computer's data to an empty server database, run: "
            "da8desktop migrate-to ADDRESS"), wordWrap=True)
        buttons = QHBoxLayout()
        for button in (self.test_button, self.use_button, self.local_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(help_text)
        layout.addWidget(self.url)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.test_button.clicked.connect(self.test)
        self.use_button.clicked.connect(self.use)
        self.local_button.clicked.connect(self.use_local)
        self.task = None

    def _typed(self) -> str:
        text = self.url.text().strip()
        saved = saved_database_url()
        if saved and "***" in text:  # the shown address hides the saved password: use it
            return saved
        return text

    def test(self) -> None:
        self.status.setText(self.tr("Connecting…"))
        self.test_button.setEnabled(False)
        url = self._typed()

        def failed(error: BaseException) -> None:
            """What is wrong with the address is said beside it, where the officer types;
            anything else goes to the one failure policy (never the exception's text)."""
            if isinstance(error, UserFacingError):
                self.status.setText(error.message())
            else:
                self.status.clear()
                show_failure(self.dialogs, self.tr("Server database"), error)

        self.task = run_operation(self, self.tr("Connecting to the server…"),
                                  lambda _progress: probe_server(url), dialogs=self.dialogs,
                                  on_success=self.status.setText, on_failure=failed,
                                  on_cancel=self.status.clear,
                                  on_end=lambda: self.test_button.setEnabled(True))

    def use(self) -> None:
        try:
            save_database_url(self._typed())
        except UserFacingError as error:
            self.dialogs.error(self.tr("Server database"), error.message())
            return
        self.status.setText(self.tr("Saved: the application opens this server database from "
                                    "the next start."))

    def use_local(self) -> None:
        save_database_url(None)
        self.url.clear()
        self.status.setText(self.tr("Saved: the application opens the file on this computer "
                                    "from the next start."))
