"""Send and receive at the centre (issue 21, item 6): the provinces' computers (registered,
waiting for confirmation, confirmed), a setup file per province, the provinces' bundles imported
(previewed first, each read once), and the catalogue bundles written for every province."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_utc_time
from da8desktop.core.sync.central import confirm_province, central_enroll
from da8desktop.core.sync.central_status import province_computers
from da8desktop.core.sync.enrol import own_fingerprint, provinces
from da8desktop.core.sync.keys import UnlockedKeys
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import bundle_files
from da8desktop.core.sync.prepared import PreparedImport, commit_prepared, prepare_paths
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.gui.operations import compress_restore_point, run_operation
from da8desktop.gui.widgets.enrolment import make_setup_file, unlock_keys
from da8desktop.gui.widgets.tables import fill, read_only_table


class CentralSyncPage(QWidget):
    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None, unlocked: UnlockedKeys | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        # The open file's keys once unlocked (the window's, shared by its pages).
        self.unlocked = unlocked if unlocked is not None else UnlockedKeys()
        self.keys: Any = None  # unlocked here, on the UI thread, when first needed
        self.summary = QLabel(wordWrap=True)
        buttons = QHBoxLayout()
        actions = ((self.tr("Import the provinces' bundles…"), self.import_),
                   (self.tr("Write the catalogue bundles for the provinces…"), self.export),
                   (self.tr("Make a setup file for a province…"), self.enrol),
                   (self.tr("Confirm a province's computer…"), self.confirm))
        self.buttons = []
        for text, slot in actions:
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        self.table = read_only_table([self.tr("Province"), self.tr("State"),
                                      self.tr("Fingerprint"), self.tr("Last bundle")], stretch=2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Send and receive"), objectName="pageTitle"))
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.reload()

    def reload(self, _changed: set | None = None) -> None:
        self.summary.setText(self.tr(
            "Fingerprint of the centre: {f}. Each province connects with its setup file and "
            "sends its figures (never a person's record); the centre sends down its catalogue.")
            .format(f=own_fingerprint(self.db) or "—"))
        states = {"pending": self.tr("setup file made"),
                  "awaiting_confirmation": self.tr("waiting for confirmation"),
                  "enrolled": self.tr("confirmed"), "revoked": self.tr("revoked")}
        fill(self.table, [(None, [f"{p.name} ({p.code})", states.get(p.status, p.status),
                                  p.fingerprint or "—", format_utc_time(p.last_bundle_at)])
                          for p in province_computers(self.db)])

    def _counts(self, counts: dict[str, int]) -> str:
        words = {"new": self.tr("new"), "updated": self.tr("updated"),
                 "unchanged": self.tr("unchanged"), "deleted": self.tr("deleted")}
        return ", ".join(f"{words[k]} {v}" for k, v in counts.items() if k in words)

    def _unlocked(self) -> bool:
        unlocked, keys = unlock_keys(self.db, self.dialogs, self.tr("Send and receive"),
                                       self.unlocked)
        if unlocked:
            self.keys = keys
        return unlocked

    def import_(self) -> None:
        paths = self.dialogs.open_files(self.tr("Bundles from the provinces"),
                                        self.tr("All files (*);;da8desktop bundles (*.da8)"))
        if not paths or not self._unlocked():
            return
        files = bundle_files([Path(p) for p in paths])  # the folders' bundles as of now
        keys = self.keys
        # Each bundle is read once (core/sync/prepared.py): the commit stores what the preview
        # read and checked, after hashing the file again (a file changed meanwhile is refused).
        self.task = run_operation(
            self, self.tr("Checking the bundles…"),
            lambda progress: prepare_paths(self.db, files, progress=progress, keys=keys),
            dialogs=self.dialogs, on_success=self._previewed)

    def _previewed(self, prepared: list[PreparedImport]) -> None:
        lines = [f"{p.report.file}: {p.report.message or self._counts(p.report.counts)}"
                 for p in prepared]
        # A province's first bundle registers its computer (its figures wait for the
        # confirmation): it is imported too, so that the officer can then confirm it.
        going = [p for p in prepared
                 if p.report.status == "dry_run" or p.report.reason == "unconfirmed"]
        for item in prepared:
            if item not in going:
                item.release()
        if not going:
            self.dialogs.info(self.tr("Import"), "\n".join(lines) or self.tr("No bundle found."))
            return
        if not self.dialogs.confirm(self.tr("Import"), "\n".join(lines) + "\n\n" + self.tr(
                "Import these bundles?")):
            for item in going:
                item.release()
            return
        self.task = run_operation(
            self, self.tr("Importing…"),
            lambda progress: commit_prepared(self.db, going, progress=progress, keys=self.keys),
            dialogs=self.dialogs, on_success=self._imported, on_end=self._compress_restore_point)

    def _compress_restore_point(self) -> None:
        self.compress_task = compress_restore_point(
            self, self.tr("Compressing the restore point…"), self.db.file, self.dialogs)

    def _imported(self, done: list[Any]) -> None:
        self.events.changed.emit({"sync_bundle", "sync_peer"})
        self.reload()
        self.dialogs.info(self.tr("Import"), "\n".join(
            f"{r.file}: {r.message or self._counts(r.counts)}" for r in done))

    def export(self) -> None:
        folder = self.dialogs.folder(self.tr("Folder on the USB stick"))
        if not folder or not self._unlocked():
            return
        written = export_bundles(self.db, Path(folder), keys=self.keys)
        self.reload()
        self.dialogs.info(self.tr("Send and receive"), self.tr(
            "{n} bundle(s) written:\n{files}").format(
            n=len(written), files="\n".join(b.path.name for b in written)))

    def enrol(self) -> None:
        make_setup_file(
            self.dialogs, provinces(self.db), title=self.tr("Setup file"),
            unit_title=self.tr("Province"), folder_title=self.tr("Folder on the USB stick"),
            unlocked=self._unlocked,
            write=lambda code, folder: central_enroll(self.db, code, folder, keys=self.keys),
            written=lambda setup: self.tr(
                "Setup file for {province} written:\n{path}\n\nGive it to the province officer "
                "and read them the centre's fingerprint by phone. When their first bundle "
                "arrives, confirm their computer with the fingerprint they read to you.").format(
                province=setup.province_name, path=setup.path),
            after=self.reload)

    def confirm(self) -> None:
        waiting = [p for p in province_computers(self.db) if p.status == "awaiting_confirmation"]
        if not waiting:
            self.dialogs.info(self.tr("Confirm"), self.tr(
                "No province's computer is waiting for confirmation: import its first bundle "
                "first."))
            return
        index = self.dialogs.pick(self.tr("Confirm"), self.tr("Province"),
                                  [f"{p.code} — {p.name}" for p in waiting])
        if index is None:
            return
        typed = self.dialogs.text(self.tr("Confirm"), self.tr(
            "The fingerprint the province officer reads to you by phone:"))
        if not typed:
            return
        try:
            confirm_province(self.db, waiting[index].code, typed)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Confirm"), error.message())
            return
        self.reload()
        self.dialogs.info(self.tr("Confirm"), self.tr(
            "Confirmed. Import that province's bundle again to take its figures."))

