"""Typed errors and warnings of the core. They carry a translatable text and named parameters;
the GUI and CLI render them in the officer's language."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field  # `field` is also an Issue attribute

from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text

class UserFacingError(Exception):
    """An error an officer can act on: shown as its message, never as a traceback."""

    def __init__(self, text: Text, **params: object) -> None:
        self.text = text
        self.params = params
        super().__init__(text.source.format(**params) if params else text.source)

    def message(self) -> str:
        return self.text.render(**self.params)


class SchemaTooNew(UserFacingError):
    pass


class NotSetUp(UserFacingError):
    pass


class DatabaseUnavailable(UserFacingError):
    pass


class DatabaseDamaged(DatabaseUnavailable):
    """The file opens but fails the integrity check: offer the newest backup."""


@dataclass(frozen=True)
class Issue:
    """A validation finding on one field. Errors block a write; warnings are shown, never block."""

    field: str
    text: Text
    params: dict[str, object] = _field(default_factory=dict)

    def message(self) -> str:
        return self.text.render(**self.params)


class ValidationFailed(UserFacingError):
    def __init__(self, errors: list[Issue]) -> None:
        self.errors = errors
        super().__init__(QT_TRANSLATE_NOOP("Validation", "Please correct: {problems}"),
                         problems="; ".join(e.text.source for e in errors))

    def message(self) -> str:
        return "; ".join(e.message() for e in self.errors)
