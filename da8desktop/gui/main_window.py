"""The main window: a navigation sidebar, the pages, a status bar. Thin on purpose: pages get only
what they need and all data access goes through core services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QStackedWidget, QVBoxLayout, QWidget)

from da8desktop.core.db.changes import Changes, as_changes
from da8desktop.core.db.database import Database
from da8desktop.core.db.lock import WriterLock
from da8desktop.core.formats import format_number
from da8desktop.core.services.site import identity
from da8desktop.core.services.units import form_scope
from da8desktop.core.paths import (demo_database_path, demo_province_path, real_database_path,
                                   remember_data_file)
from da8desktop.core.sync.keys import UnlockedKeys
from da8desktop.core.db.backup import (BackupInfo, daily_backup_if_due, newest_readable_backup,
                                       restore_backup)
from da8desktop.gui.about import AboutDialog
from da8desktop.gui.dialogs import DATA_FILES, Dialogs
from da8desktop.gui.guide import GuideDialog
from da8desktop.gui.events import DataEvents
from da8desktop.gui.page_refresh import PageRefresh
from da8desktop.gui.data_files import build_file_menu, remember
from da8desktop.gui.screen_fit import install_screen_fit
from da8desktop.gui.crash import show_failure
from da8desktop.gui.operations import run_operation
from da8desktop.gui.legacy_unit_prompt import ask_legacy_unit_once
from da8desktop.gui.widgets.notice_banner import NoticeBanner

if TYPE_CHECKING:
    from da8desktop.gui.pages.welcome import WelcomePage

# Pages are imported when first shown (issue 23: their modules and what they pull in cost about
# a third of the window's start); they are named here. Settings too (its backups list reads
# every backup's note, with pydantic). The Welcome page
# (enrolment, setup files, the demo: pydantic models, nacl) is imported only for a file not set
# up yet.
PAGE_MODULES = {"DashboardPage": "dashboard", "PeriodicReportPage": "periodic",
                "OverviewPage": "overview", "PeoplePage": "people",
                "GroupsPage": "groups", "ActivitiesPage": "activities", "VillagesPage": "villages",
                "TrashPage": "trash", "ProvinceDataPage": "province_data", "SyncPage": "sync",
                "AuditPage": "audit", "SettingsPage": "settings"}


def page_class(name: str) -> type:
    import importlib

    return getattr(importlib.import_module(f"da8desktop.gui.pages.{PAGE_MODULES[name]}"), name)


def _is_welcome(page: QWidget | None) -> bool:
    """The Welcome page, without importing its module (a set-up file never loads it)."""
    return type(page).__name__ == "WelcomePage"


def _kind_name(kind: type | str) -> str:
    return kind if isinstance(kind, str) else kind.__name__

SETTINGS_ORG, SETTINGS_APP = "HoiLHPN", "da8desktop"
# What the status bar's recount reads and only sync work writes (an import, an export, an
# enrolment, a receipt): the bar is counted again when one of these changed, or everything.
STATUS_TABLES = frozenset({"sync_peer", "sync_bundle", "sync_conflict", "sync_site"})


class MainWindow(QMainWindow):
    def __init__(self, db: Database, language: str, dialogs: Dialogs | None = None) -> None:
        super().__init__()
        self.db = db
        # The open file's sync keys once unlocked (asked once per file); a new one per file.
        self.unlocked = UnlockedKeys()
        self.language = language
        self.dialogs = dialogs or Dialogs(self)
        self.events = DataEvents(self)
        self.lock: WriterLock | None = None  # the file's one-window lock (run_gui hands it over)
        self.setWindowTitle(self.tr("da8desktop — Project 8 records"))
        self.nav = QListWidget(objectName="nav")
        self.nav.setFixedWidth(210)
        self.pages = QStackedWidget()
        self.nav.currentRowChanged.connect(self._show_page)
        # Pages not visited yet: index -> (page class, how to build it). A province page lists
        # 150 communes' records; building them all before the window shows took over a minute.
        self._unbuilt: dict[int, tuple[type, Callable[[], QWidget]]] = {}
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # A file on a locked stick or a CD is read, never called damaged (issue 18, item 7).
        self.read_only_banner = QLabel(self.tr(
            "This file is on read-only media: you can look, but nothing can be saved. Copy it to "
            "the computer to edit it."), objectName="readOnlyBanner", wordWrap=True)
        self.read_only_banner.setStyleSheet("background: #FFF4CE; padding: 8px; color: #5C4400;")
        self.read_only_banner.setVisible(db.read_only)
        column.addWidget(self.read_only_banner)
        self.demo_banner = self._demo_banner()
        column.addWidget(self.demo_banner)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        column.addLayout(row, 1)
        # What happened at open (an interrupted restore, a file put back in time, a wrong clock).
        self.notice_banner = NoticeBanner(lambda: self.db)
        column.insertWidget(0, self.notice_banner)
        self.setCentralWidget(central)
        self.status_site = QLabel()
        self.status_folder = QLabel()
        self.status_unsent = QLabel()
        for label in (self.status_site, self.status_folder, self.status_unsent):
            self.statusBar().addPermanentWidget(label)
        self._build_menus()
        self.unconfirmed: int | None = None  # the last count shown
        self.events.changed.connect(self._status_after)
        self.deleted_stack: list[tuple[str, object]] = []
        self.events.deleted.connect(self._deleted)
        self.build_pages()
        install_screen_fit(QApplication.instance())
        if db.file is not None:
            remember(db.file.resolve())
        self._restore_geometry()
        self.notice_banner.check_at_start()

    def _demo_banner(self) -> QLabel:
        """The demo is marked on every page, with the way out in the same line: one line, so
        the window still fits 1366×768 at 125 %."""
        banner = QLabel(objectName="demoBanner")
        banner.setText("<b>{}</b> &nbsp; <a href=\"leave\">{}</a>".format(
            self.tr("Demo data — not real data."), self.tr("Leave the demo")))
        banner.setToolTip(self.tr("Made-up people to learn the application; nothing here is "
                                  "sent to the province."))
        banner.setStyleSheet("#demoBanner { background: #FDE7C8; color: #6B3A00; "
                             "padding: 3px 8px; }")
        banner.linkActivated.connect(lambda _link: self.leave_demo())
        banner.setVisible(False)
        return banner

    def is_demo(self) -> bool:
        site = identity(self.db)
        return bool(site and site.is_demo) or self._on_demo_file()

    def _on_demo_file(self) -> bool:
        return self.db.file is not None and self.db.file.resolve() in (
            demo_database_path().expanduser().resolve(),
            demo_province_path().expanduser().resolve())

    # -- pages ------------------------------------------------------------------------------
    def add_page(self, title: str, kind: type | str, build: Callable[[], QWidget],
                 now: bool = False) -> None:
        """A page is built when first shown (or asked for by page()); until then a blank
        stands in its place."""
        if now:
            self._install(self.pages.addWidget(build()))
        else:
            self._unbuilt[self.pages.addWidget(QWidget())] = (_kind_name(kind), build)
        QListWidgetItem(title, self.nav)

    def _install(self, index: int) -> None:
        page = self.pages.widget(index)
        if hasattr(page, "reload"):
            page.refresh = PageRefresh(page, self.events)
        if type(page).__name__ in ("DashboardPage", "PeriodicReportPage", "SyncPage"):
            page.open_record.connect(self.open_record)
        hint = getattr(page, "empty_hint", None)
        if hint is not None:
            hint.go.connect(self.go_to_step)

    def go_to_step(self, page_key: str) -> None:
        """A first-step hint's button: the page where that step is done."""
        kind = {"villages": "VillagesPage", "groups": "GroupsPage",
                "activities": "ActivitiesPage"}.get(page_key)
        page = self.page(kind) if kind else None
        if page is not None:
            self.nav.setCurrentRow(self.pages.indexOf(page))

    def _build(self, index: int) -> QWidget:
        if index in self._unbuilt:
            _kind, build = self._unbuilt.pop(index)
            blank = self.pages.widget(index)
            page = build()
            self.pages.insertWidget(index, page)
            self.pages.removeWidget(blank)
            blank.deleteLater()
            self._install(index)
        return self.pages.widget(index)

    def _show_page(self, index: int) -> None:
        if index >= 0:
            self._build(index)
        self.pages.setCurrentIndex(index)

    def build_pages(self) -> None:
        """Only pages that work are shown; a data file that is not set up shows the welcome."""
        self._unbuilt.clear()
        while self.pages.count():
            widget = self.pages.widget(0)
            self.pages.removeWidget(widget)
            widget.deleteLater()
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        db, events, dialogs, unlocked = self.db, self.events, self.dialogs, self.unlocked
        site = identity(db)
        if site is None:
            self.add_page(self.tr("Welcome"), "WelcomePage", self._welcome, now=True)
        elif site.role == "central":  # the centre holds figures only (issue 21, item 6)
            from da8desktop.gui.pages.central import CentralPage
            from da8desktop.gui.pages.central_sync import CentralSyncPage

            self.add_page(self.tr("Provinces' figures"), CentralPage, lambda: CentralPage(db))
            self.add_page(self.tr("Send and receive"), CentralSyncPage,
                          lambda: CentralSyncPage(db, events, dialogs, unlocked=unlocked))
        else:
            self.add_page(self.tr("Progress"), "DashboardPage",
                          lambda: page_class("DashboardPage")(db, dialogs))
            self.add_page(self.tr("Periodic report"), "PeriodicReportPage",
                          lambda: page_class("PeriodicReportPage")(db, dialogs))
            self.add_page(self.tr("Overview"), "OverviewPage",
                          lambda: page_class("OverviewPage")(db, dialogs))
            # The province reads commune data but never edits it: no editing pages there.
            if site.role == "commune":
                self.add_page(self.tr("People"), "PeoplePage",
                              lambda: page_class("PeoplePage")(db, events, dialogs))
                self.add_page(self.tr("Groups"), "GroupsPage",
                              lambda: page_class("GroupsPage")(db, events, dialogs))
                self.add_page(self.tr("Meetings and activities"), "ActivitiesPage",
                              lambda: page_class("ActivitiesPage")(db, events, dialogs))
                self.add_page(self.tr("Villages"), "VillagesPage",
                              lambda: page_class("VillagesPage")(db, events, dialogs))
                self.add_page(self.tr("Recently deleted"), "TrashPage",
                              lambda: page_class("TrashPage")(db, events))
            else:
                self.add_page(self.tr("Communes' data"), "ProvinceDataPage",
                              lambda: page_class("ProvinceDataPage")(db))
                self.add_page(self.tr("The province's own activities"), "ActivitiesPage",
                              lambda: page_class("ActivitiesPage")(
                                  db, events, dialogs, province_key=form_scope(db).province_key))
            self.add_page(self.tr("Send and receive"), "SyncPage",
                          lambda: page_class("SyncPage")(db, events, dialogs, unlocked=unlocked))
            self.add_page(self.tr("Audit trail"), "AuditPage",
                          lambda: page_class("AuditPage")(db, dialogs))
        self.add_page(self.tr("Settings"), "SettingsPage",
                      lambda: page_class("SettingsPage")(self.language, db, dialogs=dialogs,
                                                         restore=self.restore_backup))
        self.nav.setCurrentRow(0)
        if site is not None and site.role == "commune":  # issue 20 item 8: asked once
            QTimer.singleShot(0, self, lambda: ask_legacy_unit_once(self.db, self.dialogs,
                                                                    self.events))
        demo = self.is_demo()
        self.demo_banner.setVisible(demo)
        title = self.tr("da8desktop — Project 8 records")
        self.setWindowTitle(title + " — " + self.tr("DEMO DATA") if demo else title)
        if hasattr(self, "leave_demo_action"):
            self.leave_demo_action.setEnabled(demo)
        self.refresh_status()

    def _welcome(self) -> WelcomePage:
        from da8desktop.gui.pages.welcome import WelcomePage

        welcome = WelcomePage(self.db, self.dialogs, demo_file=self._on_demo_file(),
                              unlocked=self.unlocked)
        welcome.set_up.connect(self._after_setup)
        welcome.explore_demo.connect(self.explore_demo)
        welcome.explore_demo_province.connect(self.explore_demo_province)
        return welcome

    # -- the demo and the officer's own file ----------------------------------------------------
    def explore_demo(self) -> bool:
        """The demo lives in its own file (filled once, in the background); the window moves
        there. The file the officer was on is left as it was."""
        return self._move_to_demo(demo_database_path(), lambda welcome: welcome.load_demo())

    def explore_demo_province(self) -> bool:
        """The demo province has a file of its own too, beside the demo commune's."""
        return self._move_to_demo(demo_province_path(),
                                  lambda welcome: welcome.load_demo_province())

    def _move_to_demo(self, file: Path, fill: Callable[[WelcomePage], None]) -> bool:
        current = self.db.file.resolve() if self.db.file is not None else None
        if file.expanduser().resolve() != current:
            if current is not None and not self._on_demo_file():  # "Leave the demo" returns here
                remember_data_file(current)
            if not self.open_data_file(file):
                return False
        welcome = self.pages.widget(0)
        if _is_welcome(welcome):  # a new demo file: fill it here
            fill(welcome)
        return True

    def leave_demo(self) -> bool:
        """Back to the officer's own file (the last other file used, else the default one,
        which shows the first-run window until it is set up)."""
        target = real_database_path()
        if self.db.file is not None and target.resolve() == self.db.file.resolve():
            self.dialogs.info(self.tr("Leave the demo"), self.tr(
                "This data file holds the demo commune. Create your own data file with File › "
                "New data file, then set it up from the province's setup file."))
            return False
        return self.open_data_file(target)

    def set_up_from_setup_file(self) -> bool:
        """File › Set up from the province's setup file, at any time: on a file not set up
        yet, here; from the demo or a set-up file, on the officer's own file."""
        if identity(self.db) is None and not self._on_demo_file():
            welcome = self.pages.widget(0)
            return _is_welcome(welcome) and welcome.set_up_commune()
        target = real_database_path()
        here = self.db.file.resolve() if self.db.file is not None else None
        if target.resolve() != here and target.is_file():
            other = Database.open(target)
            try:
                site = identity(other)
            finally:
                other.close()
            if site is not None:
                if self.dialogs.confirm(self.tr("Set up"), self.tr(
                        "Your data file {file} is already set up for {unit}. Open it?").format(
                            file=str(target), unit=site.commune_name or site.province_name)):
                    return self.open_data_file(target)
                return False
        if target.resolve() == here:
            self.dialogs.info(self.tr("Set up"), self.tr(
                "This data file is already set up. To set up another one, create a new data "
                "file first (File › New data file)."))
            return False
        if not self.open_data_file(target):
            return False
        welcome = self.pages.widget(0)
        return _is_welcome(welcome) and welcome.set_up_commune()

    def check_in_background(self) -> None:
        """The integrity check (and daily backup) of a big file, after the window is shown; a
        damaged file is reported as at start, with the way back to the newest backup."""
        file = self.db.file
        assert file is not None
        self.statusBar().showMessage(self.tr("Checking the data file…"))

        def work(_progress):  # noqa: ANN001, ANN202
            problems = self.db.integrity_problems()
            if not problems and not self.db.read_only:
                daily_backup_if_due(file)
            return problems

        def done(problems: list[str]) -> None:
            self.statusBar().clearMessage()
            good = newest_readable_backup(file) if problems else None
            title = self.tr("The data file is damaged")
            if good is not None and self.dialogs.confirm(title, self.tr(
                    "The check of {file} found damage ({detail}). Restore the newest backup, "
                    "made on {date}? The damaged file is kept in the backups folder.").format(
                    file=str(file), detail="; ".join(problems[:3]),
                    date=good.created.strftime("%d/%m/%Y %H:%M"))):
                self.restore_backup(good)  # as at start when the damage is found at open
            elif problems:
                self.dialogs.error(self.tr("The data file is damaged"), self.tr(
                    "The check of {file} found damage ({detail}). Stop entering data, close "
                    "the application and open it again: it offers the newest backup.").format(
                        file=str(file), detail="; ".join(problems[:3])))

        def failed(error: BaseException) -> None:
            self.statusBar().clearMessage()
            show_failure(self.dialogs, self.tr("Checking the data file…"), error)

        self.check_task = run_operation(self, self.tr("Checking the data file…"), work,
                                        dialogs=self.dialogs, on_success=done,
                                        on_failure=failed, quiet=True)

    def restore_backup(self, backup: BackupInfo) -> None:
        """Close the data file, put the backup in its place (the current file is kept aside),
        open it again and rebuild every page on it. The copy (gigabytes at a province) runs in
        the background; nothing in the window can be used until the file is open again."""
        file = self.db.file
        assert file is not None
        self.db.close()
        self.centralWidget().setEnabled(False)
        self.menuBar().setEnabled(False)

        def reopen() -> None:
            self.db = Database.open(file)
            self.unlocked = UnlockedKeys()
            self.centralWidget().setEnabled(True)
            self.menuBar().setEnabled(True)
            self.read_only_banner.setVisible(self.db.read_only)
            self.notice_banner.check_at_start()
            self.deleted_stack.clear()
            self.build_pages()
            self.events.changed.emit(Changes.all())

        def restored(_result: object) -> None:
            reopen()
            self.dialogs.info(self.tr("Restore"), self.tr(
                "The data is back as it was on {date}. The file you had before is in the "
                "backups folder.").format(date=backup.created.strftime("%d/%m/%Y %H:%M")))

        def failed(error: BaseException) -> None:
            reopen()
            show_failure(self.dialogs, self.tr("Restore"), error)

        self.restore_task = run_operation(
            self, self.tr("Restoring the backup…"), lambda _progress: restore_backup(file, backup),
            dialogs=self.dialogs, on_success=restored, on_failure=failed)

    def page(self, kind: type | str) -> QWidget | None:
        """The page of that class (or class name), built now if it has not been shown yet."""
        name = _kind_name(kind)
        for index in range(self.pages.count()):
            unbuilt = self._unbuilt.get(index)
            if (unbuilt and unbuilt[0] == name) or type(self.pages.widget(index)).__name__ == name:
                page = self._build(index)
                refresh = getattr(page, "refresh", None)
                if refresh is not None:  # asked for: brought up to date even if not on screen
                    refresh.flush()
                return page
        return None

    def open_record(self, kind: str, record_id: object) -> None:
        """A click on a figure's record (or a "needs attention" line): show it on its page."""
        target = {"group": "GroupsPage", "person": "PeoplePage", "activity": "ActivitiesPage",
                  "sync": "SyncPage"}.get(kind)
        page = self.page(target) if target else None
        if page is None:
            return
        self.nav.setCurrentRow(self.pages.indexOf(page))
        if kind == "group":
            page.select_group(record_id)
        elif kind == "person":
            page.select_person(record_id)
        elif kind == "activity":
            page.select_activity(record_id)

    def _deleted(self, table: str, row_id: object) -> None:
        """Delete asks nothing because Ctrl+Z undoes it: the status bar says both."""
        self.deleted_stack.append((table, row_id))
        from da8desktop.core.services.trash import deleted_label

        name = deleted_label(self.db, table, row_id)
        text = (self.tr("Deleted “{name}” (Ctrl+Z to undo).").format(name=name) if name
                else self.tr("Deleted (Ctrl+Z to undo)."))
        self.statusBar().showMessage(text, 15000)

    def undo_delete(self) -> None:
        """Ctrl+Z: bring back the record deleted last (deletes are tombstones)."""
        if not self.deleted_stack:
            self.statusBar().showMessage(self.tr("Nothing to undo."), 4000)
            return
        from da8desktop.core.services.trash import restore

        table, row_id = self.deleted_stack.pop()
        restore(self.db, table, row_id)
        self.events.changed.emit({table})
        self.statusBar().showMessage(self.tr("The deleted record is back."), 4000)

    # -- data files -----------------------------------------------------------------------------
    def new_data_file(self) -> bool:
        name = self.dialogs.save_file(self.tr("New data file"),
                                      self.tr("da8desktop data files (*.sqlite)"),
                                      suffix=".sqlite", purpose=DATA_FILES)
        if not name:
            return False
        file = Path(name)
        if file.exists():  # never written over: the officer opens it instead
            self.dialogs.error(self.tr("New data file"), self.tr(
                "{file} already exists. Choose another name, or open it with File › Open data "
                "file.").format(file=str(file)))
            return False
        return self.open_data_file(file)

    def choose_data_file(self) -> bool:
        files = self.dialogs.open_files(self.tr("Open data file"),
                                        self.tr("da8desktop data files (*.sqlite)"),
                                        purpose=DATA_FILES)
        return bool(files) and self.open_data_file(Path(files[0]))

    def open_data_file(self, file: Path) -> bool:
        """Work on another data file: its lock taken, then this one closed and unlocked."""
        from da8desktop.gui.app import open_or_recover, take_writer_lock

        file = Path(file).expanduser().resolve()
        if self.db.file is not None and file == self.db.file.resolve():
            return True
        lock = take_writer_lock(file, self.dialogs)
        if lock is False:
            return False
        db = open_or_recover(file, self.dialogs)
        if db is None:
            if lock is not None:
                lock.release()
            return False
        old_db, old_lock = self.db, self.lock
        self.db, self.lock = db, lock
        self.unlocked = UnlockedKeys()  # the other file's keys are forgotten with it
        old_db.close()
        if old_lock is not None:
            old_lock.release()
        self.deleted_stack.clear()
        self.build_pages()
        self.events.changed.emit(Changes.all())
        if db.check_pending:  # as at start: a big file is checked once the pages show
            self.check_in_background()
        elif db.file is not None:
            daily_backup_if_due(db.file)
        remember(file)
        remember_data_file(file)
        self.statusBar().showMessage(self.tr("Opened {file}.").format(file=str(file)), 8000)
        return True

    def _after_setup(self) -> None:
        self.build_pages()
        self.events.changed.emit(Changes.all())

    def page_titles(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    # -- status bar ---------------------------------------------------------------------------
    def _status_after(self, payload: object) -> None:
        """Counted again only after sync work. A record saved here (a stamped write: it adds a
        row version) can only add to what the province has not confirmed, so the last count
        is kept as a floor ("N or more") instead of a recount on every save."""
        changes = as_changes(payload)
        if changes.touches(STATUS_TABLES):
            self.refresh_status()
        elif (changes.touches({"row_version"}) and self.status_unsent.isVisibleTo(self)
              and self.unconfirmed is not None):
            self.status_unsent.setText(self.tr(
                "Changes not yet confirmed by the province: {count} or more").format(
                count=format_number(self.unconfirmed)))

    def refresh_status(self, _changed: object = None) -> None:
        site = identity(self.db)
        if site is None:
            self.status_site.setText(self.tr("Not set up"))
        else:
            self.status_site.setText(site.organisation_name if site.role == "central"
                                     else site.commune_name or site.province_name)
        folder = self.db.file.parent if self.db.file else self.db.url
        self.status_folder.setText(self.tr("Data: {folder}").format(folder=folder))
        # Only where sending is possible (a commune connected to its province), in the Sync
        # page's words: a bundle written is not yet a change the province holds. The province
        # sends to many communes, each confirming on its own: see its sync page.
        receipt = None
        if site is not None and site.role == "commune":
            from da8desktop.core.sync.status import commune_receipt

            receipt = commune_receipt(self.db)
        shown = receipt is not None and receipt.set_up and not site.is_demo
        self.status_unsent.setVisible(shown)
        self.unconfirmed = receipt.unconfirmed if shown and receipt is not None else None
        if shown:
            self.status_unsent.setText(self.tr("Changes not yet confirmed by the province: "
                                               "{count}").format(
                count=format_number(receipt.unconfirmed)))

    # -- menus --------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        build_file_menu(self, file_menu)
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        undo = QAction(self.tr("&Undo delete"), self, shortcut=QKeySequence.StandardKey.Undo)
        undo.triggered.connect(self.undo_delete)
        edit_menu.addAction(undo)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        guide = QAction(self.tr("&User guide"), self, shortcut=QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_guide)
        help_menu.addAction(guide)
        about = QAction(self.tr("&About da8desktop"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_about(self) -> AboutDialog:
        dialog = AboutDialog(self.db, self)
        dialog.open()
        return dialog

    def show_guide(self) -> GuideDialog:
        dialog = GuideDialog(self.language, self)
        dialog.show()
        return dialog

    # -- geometry -----------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = QSettings(SETTINGS_ORG, SETTINGS_APP).value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)  # fitted to the screen's free area when shown (screen_fit)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        QSettings(SETTINGS_ORG, SETTINGS_APP).setValue("main_window/geometry", self.saveGeometry())
        super().closeEvent(event)


