"""GUI test fixtures."""

import pytest


@pytest.fixture
def immediate_operations():
    """Operations run at once on the test's thread and have ended when the call returns
    (Picard's fake thread pool): nothing to wait or poll for."""
    from da8desktop.gui import tasks

    previous = tasks.use_executor(tasks.ImmediateExecutor())
    yield
    tasks.use_executor(previous)


@pytest.fixture
def vietnamese():
    """The window in Vietnamese whatever test ran before (translators are application-wide),
    English again afterwards, as the other tests expect."""
    from PySide6.QtWidgets import QApplication

    from da8desktop.gui.i18n import install_qt_language

    app = QApplication.instance()
    install_qt_language(app, "vi")
    yield
    install_qt_language(app, "en")
