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


class ThreadExecutor:
    """Where jobs run in the application: the officer's jobs one after another on one worker
    (database writes queue up as in Anki's task manager), quiet read-only work beside them."""

    synchronous = False

    def __init__(self) -> None:
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="da8-task")

    def submit(self, run: Callable[[], None], quiet: bool = False) -> None:
        if quiet:
            # A daemon thread: quitting must not wait for a check of several GB to end.
            threading.Thread(target=run, name="da8-side", daemon=True).start()
        else:
            self._worker.submit(run)


class ImmediateExecutor:
    """Runs each job at once on the calling thread and delivers its outcome before `submit`
    returns (Picard's fake thread pool): tests wait for nothing and see one fixed order."""

    synchronous = True

    def submit(self, run: Callable[[], None], quiet: bool = False) -> None:
        run()


_executor: ThreadExecutor | ImmediateExecutor = ThreadExecutor()
_QUITTING = threading.Event()


def use_executor(executor: ThreadExecutor | ImmediateExecutor) -> ThreadExecutor | ImmediateExecutor:
    """Replace where jobs run (tests: `ImmediateExecutor()`); returns the previous one."""
    global _executor
    previous, _executor = _executor, executor
    return previous


def quitting() -> None:
    """Called when the application quits: work still running reports to nobody (its window
    and the Qt objects it would signal are being destroyed)."""
    _QUITTING.set()


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
        executor = _executor
        self._immediate = executor.synchronous
        # Immediate jobs deliver on this thread as they end; threaded ones through the event loop.
        kind = (Qt.ConnectionType.DirectConnection if self._immediate
                else Qt.ConnectionType.QueuedConnection)
        signals = self._job.signals
        signals.progressed.connect(self._progressed, kind)
        signals.succeeded.connect(self._succeeded, kind)
        signals.failed.connect(self._failed, kind)
        if not quiet and not self._immediate:  # quiet: no progress window, the officer works on
            self._timer.start()
        executor.submit(self._job.run, quiet=quiet)

    @property
    def dialog(self) -> QProgressDialog:
        return self._dialog

    def cancel(self) -> None:
        self._job.cancel_requested = True

    def _progressed(self, done: int, total: int) -> None:
        if self._done or self._immediate:
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
        if self._immediate:
            self._finish(handler, outcome)
        else:
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
