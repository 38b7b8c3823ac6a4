"""How a page runs work (Anki's `CollectionOp` / `QueryOp`): off the UI thread, with a progress
window only if it is slow, then

- what the work's writes changed goes out in the one change notification (`DataEvents.changed`,
  a `core.db.changes.Changes`), so the pages showing those tables reload and no others;
- a failure is shown by one policy (`gui/crash.show_failure`): a `UserFacingError` in its own
  translated words, anything else as the crash dialog with the details in the log, never the raw
  exception text; Cancel shows nothing.

The work is a plain callable taking `progress(done, total)`; it must not touch widgets. Where it
runs is `gui/tasks.py`'s executor: tests install `ImmediateExecutor` (the `immediate_operations`
fixture) and see the outcome as soon as the call returns, with nothing to wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from da8desktop.core.db.changes import Changes, recording
from da8desktop.core.progress import Cancelled
from da8desktop.gui.crash import show_failure
from da8desktop.gui.tasks import BackgroundTask, run_in_background

Progress = Callable[[int, int], None]


def run_operation(parent: QWidget, title: str, work: Callable[[Progress], Any], *,
                  dialogs: Any, events: Any = None,
                  on_success: Callable[[Any], None] | None = None,
                  on_failure: Callable[[BaseException], None] | None = None,
                  on_cancel: Callable[[], None] | None = None,
                  on_end: Callable[[], None] | None = None,
                  quiet: bool = False) -> BackgroundTask:
    """Run `work` in the background. `events`: where its changes are announced (None for pure
    reads). `on_failure` replaces the default message; Cancel calls `on_cancel` instead.
    `on_end` runs first however it ended (a button the page disabled is enabled again)."""
    changed: list[Changes] = []

    def recorded(progress: Progress) -> Any:  # worker thread
        with recording() as log:
            try:
                return work(progress)
            finally:
                changed.append(log.changes)

    def announce() -> None:
        if events is not None and changed and changed[0]:
            events.changed.emit(changed[0])

    def succeeded(result: Any) -> None:
        announce()
        if on_end is not None:
            on_end()
        if on_success is not None:
            on_success(result)

    def failed(error: BaseException) -> None:
        announce()  # an operation of several writes may have committed some
        if on_end is not None:
            on_end()
        if isinstance(error, Cancelled):
            if on_cancel is not None:
                on_cancel()
            return
        if on_failure is not None:
            on_failure(error)
        else:
            show_failure(dialogs, title, error)

    return run_in_background(parent, title, recorded, succeeded, failed, quiet=quiet)


class CoalescedLoad:
    """A page's background load: asked again while one runs, it runs once more when that one
    ends (not once per request), and only the newest result is shown."""

    def __init__(self, parent: QWidget, title: str, work: Callable[[], Any],
                 done: Callable[[Any], None], *, dialogs: Any,
                 on_failure: Callable[[BaseException], None] | None = None) -> None:
        self.parent, self.title, self.work, self.done = parent, title, work, done
        self.dialogs, self.on_failure = dialogs, on_failure
        self.loading = False
        self.again = False
        self.task: BackgroundTask | None = None

    def start(self) -> None:
        if self.loading:
            self.again = True
            return
        self.loading = True
        self.task = run_operation(self.parent, self.title, lambda _progress: self.work(),
                                  dialogs=self.dialogs, on_success=self._loaded,
                                  on_failure=self._failed, on_cancel=self._ended)

    def _ended(self) -> bool:
        """True when another load was asked for meanwhile (and is now started)."""
        self.loading = False
        if self.again:
            self.again = False
            self.start()
            return True
        return False

    def _loaded(self, result: Any) -> None:
        if not self._ended():
            self.done(result)

    def _failed(self, error: BaseException) -> None:
        if self._ended():
            return
        if self.on_failure is not None:
            self.on_failure(error)
        else:
            show_failure(self.dialogs, self.title, error)


def compress_restore_point(parent: QWidget, title: str, database_file: Any,
                           dialogs: Any) -> BackgroundTask | None:
    """After an import's commit (however it ended): the restore point made before it was left
    plain so that the merge began at once; it is compressed now, quietly, while the officer
    reads the report (core/db/backup.compress_waiting_backups). The Sync pages of the commune,
    the province and the centre call this with their own title."""
    if database_file is None:
        return None
    from da8desktop.core.db.backup import compress_waiting_backups

    return run_operation(parent, title, lambda _progress: compress_waiting_backups(database_file),
                         dialogs=dialogs, quiet=True)
