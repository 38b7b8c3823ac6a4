"""The one way to run long work off the UI thread, with a progress dialog and Cancel.

The job is a plain core callable taking `progress(done, total)`; it must not touch widgets.
The dialog only appears if the job takes longer than 600 ms (Anki's rule), so quick jobs
never flash a window.

Jobs run on Python threads (one worker, so database writes queue up as in Anki's task manager),
not on QThreadPool: a QRunnable's C++ object can be freed by the UI thread (its owner page gets
rebuilt) while the worker is still returning from run(), which crashed the process; a Python
thread only needs the signal object, which the worker itself keeps alive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import threading
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from da8desktop.core.progress import Cancelled

SHOW_AFTER_MS = 600


class _Signals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="da8-task")
# Quiet read-only work (a big file's integrity check, its daily backup) runs beside the tasks
# the officer asked for, so the Progress page is not queued behind a check of several GB.
# It runs in a daemon thread: quitting must not wait for a check of several GB to end.
_QUITTING = threading.Event()


def quitting() -> None:
    """Called when the application quits: work still running reports to nobody (its window
    and the Qt objects it would signal are being destroyed)."""
    _QUITTING.set()


def _side(run: Callable[[], None]) -> None:
    threading.Thread(target=run, name="da8-side", daemon=True).start()


class _Job:
    def __init__(self, work: Callable[[Callable[[int, int], None]], Any]) -> None:
        self.work = work
        self.signals = _Signals()
        self.cancel_requested = False

    def _progress(self, done: int, total: int) -> None:
        if self.cancel_requested:
            raise Cancelled()
        self.signals.progressed.emit(done, total)

    def run(self) -> None:  # worker thread
        try:
            result = self.work(self._progress)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the UI thread
            if not _QUITTING.is_set():
                self.signals.failed.emit(error)
        else:
            if not _QUITTING.is_set():
                self.signals.succeeded.emit(result)


class BackgroundTask(QObject):
    """Handle on a running job; `finished` fires on the UI thread after success or failure."""

    finished = Signal()

    def __init__(self, parent: QWidget, title: str, work: Callable[[Callable[[int, int], None]], Any],
                 on_success: Callable[[Any], None], on_failure: Callable[[BaseException], None],
                 quiet: bool = False) -> None:
        super().__init__(parent)
        self._job = _Job(work)
        self._dialog = QProgressDialog(title, self.tr("Cancel"), 0, 0, parent)
        self._dialog.setWindowTitle(title)
        self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._dialog.setMinimumDuration(0)
        self._dialog.reset()  # stays hidden until the timer says the job is slow
        self._dialog.canceled.connect(self.cancel)
        self._timer = QTimer(self, singleShot=True, interval=SHOW_AFTER_MS)
        self._timer.timeout.connect(self._dialog.show)
        self._on_success, self._on_failure = on_success, on_failure
        self._done = False
        signals = self._job.signals
        signals.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        signals.succeeded.connect(self._succeeded, Qt.ConnectionType.QueuedConnection)
        signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        if quiet:  # no progress window: the officer keeps working
            _side(self._job.run)
        else:
            self._timer.start()
            _WORKER.submit(self._job.run)

    @property
    def dialog(self) -> QProgressDialog:
        return self._dialog

    def cancel(self) -> None:
        self._job.cancel_requested = True

    def _progressed(self, done: int, total: int) -> None:
        if self._done:
            return
        self._dialog.setMaximum(total)
        # A modal QProgressDialog runs a nested event loop inside setValue(); the end of the job
        # may be delivered in there, so finishing is always deferred (see _end).
        self._dialog.setValue(done)

    def _end(self, handler: Callable[[Any], None], outcome: Any) -> None:
        """Leave any nested event loop first: the handler may delete the page that owns us."""
        self._done = True
        self._timer.stop()
        self._dialog.blockSignals(True)  # closing must not count as Cancel
        QTimer.singleShot(0, self, lambda: self._finish(handler, outcome))

    def _finish(self, handler: Callable[[Any], None], outcome: Any) -> None:
        self._dialog.close()
        self.finished.emit()
        handler(outcome)

    def _succeeded(self, result: Any) -> None:
        self._end(self._on_success, result)

    def _failed(self, error: BaseException) -> None:
        self._end(self._on_failure, error)


def run_in_background(parent: QWidget, title: str,
                      work: Callable[[Callable[[int, int], None]], Any],
                      on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException], None],
                      quiet: bool = False) -> BackgroundTask:
    return BackgroundTask(parent, title, work, on_success, on_failure, quiet)
