"""Start the window: Qt application, translations, crash handler, open the data file.

Issue 23 item 7: a window is on screen before SQLAlchemy, the models and the pages are imported
(gui/starting.py says the file is being opened); the main window takes its place once the file
is open, and checks and backs it up after that, whatever its size. This module imports nothing
of the database at its top: only run_gui's second half does."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from collections.abc import Callable
from types import TracebackType

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from da8desktop.core.db.lock import AlreadyOpen, WriterLock
from da8desktop.core.errors import DatabaseDamaged, UserFacingError
from da8desktop.gui.crash import show_failure
from da8desktop.core.private_files import restrict_umask
from da8desktop.core.paths import resource_path, start_database_path
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.i18n import install_qt_language
from da8desktop.gui.starting import StartingWindow

if TYPE_CHECKING:
    from da8desktop.core.db.database import Database
    from da8desktop.gui.main_window import MainWindow

STYLE = """
QLabel#pageTitle { font-size: 20px; font-weight: 600; margin: 4px 0 8px 0; }
QLabel#sectionTitle { font-size: 15px; font-weight: 600; margin-top: 12px; }
QLabel#cardValue { font-size: 26px; font-weight: 600; color: #8a1c4a; }
QFrame#card { background: #fbf5f8; border: 1px solid #e6cdd9; border-radius: 6px; }
QListWidget#nav { background: #f4eef1; border: none; font-size: 14px; padding-top: 8px; }
QListWidget#nav::item { padding: 10px 14px; }
QListWidget#nav::item:selected { background: #8a1c4a; color: white; }
QPushButton#primary { padding: 8px 18px; font-size: 14px; }
QTableView { gridline-color: #e4e4e4; }
"""


def install_crash_handler(app: QApplication) -> None:
    """Unhandled exceptions: written to the log folder and shown in a dialog, never lost."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        show_failure(Dialogs(None), app.translate("Crash", "Not saved"), value, tb)

    sys.excepthook = hook


def open_quietly(location: str | Path) -> Database:
    """The data file opened, asking nobody: what run_gui does off the UI thread (issue 23 item
    6: the first window keeps answering while SQLAlchemy, the models and the file are loaded).
    The quick check reads the whole file: it runs after the window shows, for every size
    (MainWindow.check_in_background); a file damaged at its start is still refused here."""
    from da8desktop.core.db.database import Database

    return Database.open(location, check_later=True)


def open_or_recover(location: str | Path, dialogs: Dialogs,
                    failed: BaseException | None = None) -> Database | None:
    """Open the data file; if it is damaged, say so plainly and offer the newest good backup
    (the damaged file is kept aside, never deleted). `failed`: what opening it in the
    background (open_quietly) raised, answered here without opening it again."""
    from da8desktop.core.db.backup import newest_readable_backup, restore_backup
    from da8desktop.core.db.database import Database

    try:
        if failed is not None:
            raise failed
        return open_quietly(location)
    except DatabaseDamaged as damaged:
        file = Path(str(location)).expanduser().resolve()
        good = newest_readable_backup(file)
        if good is None:
            dialogs.error(QCoreApplication.translate("Crash", "The data file is damaged"),
                          damaged.message())
            return None
        question = QCoreApplication.translate(
            "Crash", "The data file is damaged and cannot be used. Restore the newest backup, "
            "made on {date}? The damaged file is kept in the backups folder.").format(
                date=good.created.strftime("%d/%m/%Y %H:%M"))
        if not dialogs.confirm(QCoreApplication.translate("Crash", "The data file is damaged"),
                               question):
            return None
        restore_backup(file, good)
        return Database.open(file)
    except UserFacingError as error:
        dialogs.error(QCoreApplication.translate("Crash", "Cannot open the data file"),
                      error.message())
        return None


def take_writer_lock(location: str | Path, dialogs: Dialogs) -> WriterLock | None | bool:
    """The lock of a data file (None for a server database); False when another window of the
    application has it, after saying so."""
    if "://" in str(location):
        return None
    file = Path(str(location)).expanduser().resolve()
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        return WriterLock(file).acquire()
    except AlreadyOpen as error:
        dialogs.error(QCoreApplication.translate("Crash", "The data file is already open"),
                      error.message())
        return False
    except OSError:
        return None  # a folder we cannot write to: opening will say so in plain words


SERVER_KEY = "database_url"  # core/db/server_setting.py KEY: read here without SQLAlchemy


def start_location(database: str | Path | None) -> str | Path:
    """What the window opens: the file or address named, else the saved server, else the last
    file used. The saved server's address is only parsed (with SQLAlchemy) when there is one."""
    if database:
        return database
    from da8desktop.core.paths import read_user_config

    if read_user_config().get(SERVER_KEY):
        from da8desktop.core.db.server_setting import saved_database_url

        saved = saved_database_url()
        if saved:
            return saved
    return start_database_path()


class Start:
    """Start-up in two halves: `show_first()` puts a window on screen (Qt only); `finish()`,
    run by the event loop once that window is painted, opens the data file and puts the main
    window in its place. `code` is the exit code when the start stopped (None while it goes on)."""

    def __init__(self, location: str | Path, language: str, lock: WriterLock | None,
                 dialogs: Dialogs | None = None) -> None:
        self.location, self.language, self.lock = location, language, lock
        self.dialogs = dialogs or Dialogs()
        self.starting = StartingWindow()
        self.window: MainWindow | None = None
        self.code: int | None = None

    def show_first(self) -> None:
        self.starting.show()

    def open_in_background(self, done: Callable[[MainWindow | None], None]) -> None:
        """Open the file off the UI thread, then `finish` on it there: the first window stays
        responsive meanwhile. A file that cannot be opened (damaged: the newest backup is
        offered) is answered on the UI thread as `finish` does; any other failure is raised
        there, to the crash handler. The lock was taken before; if the officer closes the first
        window meanwhile, the process ends as if killed (SQLite rolls an unfinished migration
        back, a backup is only renamed into place once whole: tests/cli/test_kill.py)."""
        from da8desktop.gui.operations import run_operation

        def opened(db: Database) -> None:
            done(self.finish(db))

        def failed(error: BaseException) -> None:
            if not isinstance(error, UserFacingError):
                raise error
            done(self.finish(failed=error))

        self.opening = run_operation(
            self.starting, self.starting.message.text(), lambda _progress: open_quietly(
                self.location), dialogs=self.dialogs, on_success=opened, on_failure=failed,
            quiet=True)

    def finish(self, db: Database | None = None,
               failed: BaseException | None = None) -> MainWindow | None:
        """The main window on the open file (`db`), or on the file opened now; `failed`: why
        opening it in the background failed (open_or_recover answers it)."""
        if db is None:
            db = open_or_recover(self.location, self.dialogs, failed)
        if db is None:
            if self.lock is not None:
                self.lock.release()
            self.starting.close()
            self.code = 2
            return None
        if db.file is not None and not db.check_pending and not db.read_only:
            from da8desktop.core.db.backup import daily_backup_if_due

            daily_backup_if_due(db.file)  # a file made just now: nothing to read, backed up now
        if db.file is not None:  # the next start opens it again (not the self-test's, a window's)
            from da8desktop.core.paths import remember_data_file

            remember_data_file(db.file)
        from da8desktop.gui.main_window import MainWindow

        window = MainWindow(db, self.language)
        window.lock = self.lock
        window.show()
        self.starting.close()
        self.window = window
        if db.check_pending:  # checked and backed up once the window shows (issue 23)
            window.check_in_background()
        return window


def run_gui(database: str | Path | None, language: str) -> int:
    restrict_umask()  # also when started without the command line (the frozen app)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("da8desktop")
    app.setOrganizationName("HoiLHPN")
    app.setWindowIcon(QIcon(str(resource_path("icons", "da8desktop.png"))))
    app.setStyleSheet(STYLE)
    install_qt_language(app, language)  # translators are children of app: they stay alive
    install_crash_handler(app)
    from da8desktop.gui.screen_fit import install_screen_fit

    install_screen_fit(app)
    location = start_location(database)
    lock = take_writer_lock(location, Dialogs())
    if lock is False:
        return 2
    start = Start(location, language, lock)
    start.show_first()
    measuring = bool(os.environ.get("DA8_QUIT_AFTER_SHOW"))  # start-up measurement (CI, bench)
    from da8desktop.gui.tasks import quitting

    app.aboutToQuit.connect(quitting)  # work still running then reports to nobody

    def since_start() -> str:
        from da8desktop.cli.main import PROCESS_STARTED

        return f"{(time.perf_counter() - PROCESS_STARTED) * 1000:.0f} ms"

    def first_shown() -> None:  # runs once the event loop has painted the first window
        if measuring:
            print(f"window shown {since_start()} after the program started", flush=True)

    def second_half(window: MainWindow | None) -> None:
        if window is None:
            app.exit(start.code or 2)
            return
        if measuring:
            print(f"main window ready {since_start()} after the program started", flush=True)
            QTimer.singleShot(0, app.quit)

    QTimer.singleShot(0, first_shown)
    # The file is opened beside the first window's painting (2 cores: SQLAlchemy's import
    # overlaps Qt's first paint), and the main window takes its place once both are done.
    QTimer.singleShot(0, lambda: start.open_in_background(second_half))
    return app.exec()
