"""Translatable text for a Qt-free core.

Core code marks user-facing English source strings with QT_TRANSLATE_NOOP(context, text):
pyside6-lupdate finds them by that name, so GUI, CLI and core share one Qt `.ts` catalogue.
The GUI and the CLI install a translator (QCoreApplication.translate); the core never imports Qt.
Placeholders are named (`{name}`) and filled after translation, never f-strings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

_translator: Callable[[str, str], str] = lambda _context, source: source  # noqa: E731


@dataclass(frozen=True)
class Text:
    context: str
    source: str

    def render(self, **params: object) -> str:
        translated = _translator(self.context, self.source)
        return translated.format(**params) if params else translated

    def __str__(self) -> str:  # pragma: no cover - convenience for logs
        return self.render()


def QT_TRANSLATE_NOOP(context: str, source: str) -> Text:  # noqa: N802 - the name lupdate knows
    return Text(context, source)


def install_translator(translate: Callable[[str, str], str]) -> None:
    global _translator
    _translator = translate


def tr(context: str, source: str, **params: object) -> str:
    """Translate now. The call must name QT_TRANSLATE_NOOP for lupdate to see the string."""
    return Text(context, source).render(**params)


# -- Qt-free clients (the CLI): read the same catalogue from the .ts file -----------------------

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


def load_ts(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation from a Qt Linguist .ts file; unfinished ones are skipped."""
    import xml.etree.ElementTree as ET

    table: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            table[(name, message.findtext("source") or "")] = translation.text or ""
    return table


def install_ts_language(language: str) -> None:
    """Translate core and CLI text from resources/translations/da8desktop_<lang>.ts."""
    from da8desktop.core.paths import resource_path

    if language == "en":
        install_translator(lambda _context, source: source)
        return
    table = load_ts(resource_path("translations", f"da8desktop_{language}.ts"))
    install_translator(lambda context, source: table.get((context, source)) or source)


def preferred_language() -> str:
    """DA8_LANG, else the choice saved from the settings page, else Vietnamese."""
    import os

    from da8desktop.core.paths import read_user_config

    chosen = os.environ.get("DA8_LANG") or read_user_config().get("language")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def save_language(language: str) -> None:
    from da8desktop.core.paths import update_user_config

    update_user_config(language=language)
