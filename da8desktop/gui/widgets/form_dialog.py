"""The shared frame of every form: errors in red above Save / Cancel, Ctrl+S to save, and
core errors (ValidationFailed, UserFacingError) shown in the form instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.gui.shortcuts import save_on_ctrl_s


class FormDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.errors = QLabel(wordWrap=True)
        self.errors.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        save_on_ctrl_s(self, self.save)

    def finish_layout(self, layout: QVBoxLayout, *extra: QWidget) -> None:
        """Errors, then any extra widgets (attachments), then the buttons, at the bottom."""
        layout.addWidget(self.errors)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(self.buttons)

    def attempt(self, action: Callable[[], Any]) -> Any | None:
        """Run a core call; on a refusal, explain it in the form and return None."""
        try:
            return action()
        except ValidationFailed as failed:
            self.errors.setText("\n".join(e.message() for e in failed.errors))
        except UserFacingError as error:
            self.errors.setText(error.message())
        return None

    def save(self) -> None:  # pragma: no cover - every form defines it
        raise NotImplementedError
