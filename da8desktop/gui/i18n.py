"""Qt translators: ours (.qm built from resources/translations/*.ts) plus our `qtbase_vi` for
Qt's stock dialogs and buttons (Qt ships no Vietnamese one; see docs/translations.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from da8desktop.core import i18n
from da8desktop.core.paths import resource_path

TRANSLATOR_NAME = "da8desktop-translator"


def install_qt_language(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install translators on `app` (replacing ours from before) and route core text through Qt.
    Returns them; they stay alive as children of `app`."""
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    installed: list[QTranslator] = []
    if language != "en":
        for name in (f"qtbase_{language}.qm", f"da8desktop_{language}.qm"):
            translator = QTranslator(app)
            translator.setObjectName(TRANSLATOR_NAME)
            if translator.load(str(resource_path("translations", name))):
                app.installTranslator(translator)
                installed.append(translator)
        QLocale.setDefault(QLocale("vi_VN"))
    else:
        QLocale.setDefault(QLocale("en_GB"))
    i18n.install_translator(QCoreApplication.translate)
    return installed
