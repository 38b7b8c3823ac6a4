"""The two ways a failure reaches the officer: a `UserFacingError` (or a disk error, worded by
core/disk_errors.py) in its own plain words, and anything else as the crash dialog (the details go to the log file, never on the screen)."""

from __future__ import annotations

from types import TracebackType

from PySide6.QtCore import QCoreApplication

from da8desktop.core.disk_errors import disk_error
from da8desktop.core.errors import UserFacingError


def show_failure(dialogs, title: str, error: BaseException,  # noqa: ANN001 - Dialogs or a double
                 tb: TracebackType | None = None) -> None:
    if isinstance(error, OSError):  # a full stick, a read-only folder, a file open in Excel
        error = disk_error(error)
    if isinstance(error, UserFacingError):  # a full disk, a read-only file…: plain words
        dialogs.warning(title or QCoreApplication.translate("Crash", "Not saved"), error.message())
        return
    from da8desktop.core.logs import write_crash_log  # not imported before the first window

    log = write_crash_log("gui", (type(error), error, tb or error.__traceback__))
    dialogs.crash(QCoreApplication.translate("Crash", "Unexpected error"),
                  QCoreApplication.translate(
                      "Crash", "Something went wrong. What you saved before is safe. The details "
                      "were written to {log}; please send that file to the support team.")
                  .format(log=log))
