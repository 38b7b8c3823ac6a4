"""The province officer confirms a new commune computer: they call the commune officer, who
reads the fingerprint their computer shows, and type it here. Until then the province sends
that computer nothing personal (a setup file in the wrong hands must not be enough)."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLayout, QLineEdit, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.enrol import confirm_commune_computer


class ConfirmComputerDialog(QDialog):
    def __init__(self, db: Database, commune_code: str, commune_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.commune_code = db, commune_code
        self.setWindowTitle(self.tr("Confirm a commune computer"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        # Wrapped paragraphs get their full height, also when the error line appears.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(QLabel(self.tr(
            "A new computer of {commune} sent its first bundle and is waiting for confirmation. "
            "Until you confirm it, the province sends it no personal data.\n\nCall the commune "
            "officer and ask them to read the fingerprint their computer shows (on its Send and "
            "receive page). Type the digits they read; spaces do not matter.")
            .format(commune=commune_name), wordWrap=True))
        self.digits = QLineEdit(placeholderText="00000 00000 00000 00000 00000 00000")
        layout.addWidget(self.digits)
        self.problem = QLabel(wordWrap=True, objectName="error")
        self.problem.setStyleSheet("color: #b00020")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirm"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def confirm(self) -> None:
        """Wrong digits keep the dialog open with the reason: the officer reads them again."""
        try:
            confirm_commune_computer(self.db, self.commune_code, self.digits.text())
        except UserFacingError as error:
            self.problem.setText(error.message())
            self.problem.show()
            self.adjustSize()  # room for the reason, the explanation above it kept whole
            return
        self.accept()
