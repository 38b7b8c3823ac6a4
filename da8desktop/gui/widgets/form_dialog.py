"""The shared frame of every form: errors in red above Save / Cancel, Ctrl+S to save, and
core errors (ValidationFailed, UserFacingError) shown in the form instead of a traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.gui.shortcuts import save_on_ctrl_s
from da8desktop.gui.widgets.field_errors import FieldErrors


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
        self.field_errors: FieldErrors | None = None  # set by forms that show errors by field

    def finish_layout(self, layout: QVBoxLayout, *extra: QWidget) -> None:
        """Errors, then any extra widgets (attachments), then the buttons, at the bottom."""
        layout.addWidget(self.errors)
        for widget in extra:
            layout.addWidget(widget)
        layout.addWidget(self.buttons)

    def attempt(self, action: Callable[[], Any]) -> Any | None:
        """Run a core call; on a refusal, explain it in the form and return None."""
        self.errors.clear()
        if self.field_errors is not None:
            self.field_errors.clear()
        try:
            return action()
        except ValidationFailed as failed:
            elsewhere = [e.message() for e in failed.errors
                         if self.field_errors is None
                         or not self.field_errors.show(e.field, e.message())]
            self.errors.setText("\n".join(elsewhere))
        except UserFacingError as error:
            self.errors.setText(error.message())
        return None

    def save(self) -> None:  # pragma: no cover - every form defines it
        raise NotImplementedError
