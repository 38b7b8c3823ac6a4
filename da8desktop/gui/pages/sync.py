"""Sync by USB stick. At a commune: what the province confirmed, export and import. At the
province: every commune's status (enrolled, last bundle, missing), enrolment, a whole folder of
bundles imported in one go, bundles for every commune exported in one go. Conflicts on both."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.changes import Changes, recording
from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_number, format_utc_time
from da8desktop.core.services.site import identity
from da8desktop.core.sync.enrol import enroll, own_fingerprint, province_communes, revoke
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import ImportReport, bundle_files
from da8desktop.core.sync.keys import SiteKeys, UnlockedKeys
from da8desktop.core.sync.prepared import PreparedImport, commit_prepared, prepare_paths
from da8desktop.core.sync.refused import form_for
from da8desktop.core.services.villages import VillagesService
from da8desktop.core.sync.conflicts import list_conflicts, resolve_conflict
from da8desktop.core.sync.status import (commune_receipt, mark_conflict_reviewed, province_status)
from da8desktop.gui.crash import show_failure
from da8desktop.gui.dialogs import USB, Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.gui.operations import compress_restore_point, run_operation
from da8desktop.gui.tasks import BackgroundTask
from da8desktop.gui.widgets.confirm_computer import ConfirmComputerDialog
from da8desktop.gui.widgets.enrolment import make_setup_file, unlock_keys
from da8desktop.gui.widgets.import_preview import ImportPreviewDialog
from da8desktop.gui.widgets.person_form import PersonDialog
from da8desktop.gui.widgets.tables import (Column, RecordTable, fill, read_only_table,
                                           selected)
from da8desktop.gui.page_refresh import SYNC_STATE


class SyncPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = SYNC_STATE

    open_record = Signal(str, object)  # a refused group: shown on its page (main_window.py)

    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None, unlocked: UnlockedKeys | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        # The open file's keys once unlocked (the window's, shared by its pages).
        self.unlocked = unlocked if unlocked is not None else UnlockedKeys()
        self.task: BackgroundTask | None = None
        self.keys: SiteKeys | None = None  # unlocked on this thread, handed to background work
        site = identity(db)
        self.province = site is not None and site.role == "province"
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Send and receive"), objectName="pageTitle"))
        self.summary = QLabel(wordWrap=True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(self.tr("Export bundles for every commune…") if self.province
                                         else self.tr("Write the bundle for the province…"))
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self.tr("Import a folder of bundles…") if self.province
                                         else self.tr("Import from the province…"))
        self.import_button.clicked.connect(self.import_)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        if not self.province:  # a standalone commune, or a copy of the demo: connected in place
            self.connect_button = QPushButton(self.tr("Connect this data file to the province…"))
            self.connect_button.clicked.connect(self.connect_province)
            buttons.addWidget(self.connect_button)
        self.catalogue_button = QPushButton(self.tr("Catalogue…"))
        self.catalogue_button.setToolTip(self.tr("The indicators and activity groups, and the "
                                                 "version held"))
        self.catalogue_button.clicked.connect(self.show_catalogue)
        buttons.addWidget(self.catalogue_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        if self.province:  # the computers of the communes: a row of their own, so 1024 px fit
            computers = QHBoxLayout()
            self.enrol_button = QPushButton(self.tr("Make a setup file for a commune…"))
            self.enrol_button.clicked.connect(self.enrol)
            computers.addWidget(self.enrol_button)
            self.confirm_button = QPushButton(self.tr("Confirm the chosen computer…"))
            self.confirm_button.clicked.connect(self.confirm_chosen)
            computers.addWidget(self.confirm_button)
            self.revoke_button = QPushButton(self.tr("Revoke the chosen computer…"))
            self.revoke_button.clicked.connect(self.revoke_chosen)
            computers.addWidget(self.revoke_button)
            computers.addStretch(1)
            layout.addLayout(computers)
            from da8desktop.gui.widgets.central_link_box import CentralLinkBox

            self.central = CentralLinkBox(db, dialogs)  # issue 21, item 6
            self.central.connected.connect(
                lambda: self.events.changed.emit(Changes.of(*SYNC_STATE)))
            layout.addWidget(self.central)
        if self.province:
            titles = [self.tr("Code"), self.tr("Commune"), self.tr("Status"),
                      self.tr("Last bundle"), self.tr("No."), self.tr("Missing"),
                      self.tr("Conflicts"), self.tr("Rejected records")]
            columns = [Column(title, _cell(i), right=i in (4, 6, 7))
                       for i, title in enumerate(titles)]
            # The fingerprint is compared by phone with the commune's screen.
            columns[1] = Column(titles[1], _cell(1), tooltip=lambda row: self.tr(
                "Fingerprint: {f}").format(f=row[0].fingerprint) if row[0].fingerprint else "")
            self.communes = RecordTable(columns, stretch=7, row_id=lambda row: row[0])
            layout.addWidget(self.communes, 3)
        self.refused_title = QLabel(self.tr("Records the province refused"),
                                    objectName="sectionTitle")
        self.refused_help = QLabel(self.tr(
            "Correct each one: double-click it (or choose it and press the button) to open its "
            "form. It is sent again in the next bundle; it leaves this list when the province "
            "has taken it."), wordWrap=True)
        self.refused = read_only_table([self.tr("Record"), self.tr("Why")], stretch=1)
        self.refused.doubleClicked.connect(lambda _index: self.open_refused())
        self.fix_button = QPushButton(self.tr("Open and correct…"))
        self.fix_button.clicked.connect(self.open_refused)
        self.refused_rows: list[dict[str, Any]] = []
        self.refused_widgets = (self.refused_title, self.refused_help, self.refused,
                                self.fix_button)
        layout.addWidget(self.refused_title)
        layout.addWidget(self.refused_help)
        layout.addWidget(self.refused, 1)
        layout.addWidget(self.fix_button, 0, Qt.AlignmentFlag.AlignLeft)
        conflicts_title = QLabel(self.tr("Conflicts to review"), objectName="sectionTitle")
        layout.addWidget(conflicts_title)
        self.conflicts = read_only_table([self.tr("Record"), self.tr("Field"), self.tr("Kept"),
                                          self.tr("Written by"), self.tr("When"),
                                          self.tr("Not kept"), self.tr("Written by"),
                                          self.tr("When")], stretch=0)
        layout.addWidget(self.conflicts, 1)
        review = QPushButton(self.tr("Keep the kept value"))
        review.setToolTip(self.tr("The value kept everywhere stays; the conflict leaves the list."))
        review.clicked.connect(self.mark_reviewed)
        self.restore_button = QPushButton(self.tr("Restore the value not kept"))
        self.restore_button.setToolTip(self.tr(
            "Write the value that was not kept again, as a new change from this computer: it "
            "travels with the next bundle and replaces the kept value everywhere."))
        self.restore_button.clicked.connect(self.restore_loser)
        self.restore_button.setVisible(not self.province)  # the commune restores its records
        self.review_button = review
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(review)
        conflict_buttons.addWidget(self.restore_button)
        conflict_buttons.addStretch(1)
        layout.addLayout(conflict_buttons)
        self.conflict_widgets = (conflicts_title, self.conflicts, review) + (
            () if self.province else (self.restore_button,))
        layout.addStretch(0)
        self.reload(set())

    # -- contents -----------------------------------------------------------------------------
    def reload(self, _changed: set | None = None) -> None:
        fingerprint = own_fingerprint(self.db) or "—"
        self._show_refused([])
        status_names = {"enrolled": self.tr("enrolled"), "pending": self.tr("setup file given"),
                        "awaiting_confirmation": self.tr("waiting for confirmation"),
                        "revoked": self.tr("revoked"), "not_enrolled": self.tr("not enrolled")}
        if self.province:
            rows = province_status(self.db)
            enrolled = sum(r.status == "enrolled" for r in rows)
            self.summary.setText(self.tr(
                "{enrolled} of {total} communes enrolled. Fingerprint of this province: {f}")
                .format(enrolled=enrolled, total=len({r.commune_code for r in rows}), f=fingerprint))
            waiting = sum(r.status == "awaiting_confirmation" for r in rows)
            if waiting:
                self.summary.setText(self.summary.text() + "\n" + self.tr(
                    "{n} new computer(s) waiting for confirmation: they are sent no personal data "
                    "until you compare their fingerprint by phone and confirm them.")
                    .format(n=waiting))
            fill(self.communes, [(r, [
                r.commune_code, r.commune_name, status_names[r.status],
                format_utc_time(r.last_bundle_at), str(r.last_seq or "—"),
                ", ".join(f"#{n}" for n in r.missing) or "—", format_number(r.open_conflicts),
                format_number(r.rejected_records)]) for r in rows])
            self.central.reload()
        else:
            receipt = commune_receipt(self.db)
            connected = receipt.set_up
            self.export_button.setEnabled(connected)
            self.import_button.setEnabled(connected)
            self.connect_button.setVisible(not connected and identity(self.db) is not None)
            for widget in self.conflict_widgets:
                widget.setVisible(connected)
            if not connected:
                self.summary.setText(self.tr(
                    "This data file is not connected to a province (a demo commune, or a file "
                    "set up before sync): nothing is sent from it yet. To send its records to "
                    "the province, connect it with the province's setup file: every record is "
                    "kept and goes with the first bundle."))
                return
            if receipt.confirmed_until:
                first = self.tr("The province has received everything up to {when}.").format(
                    when=format_utc_time(receipt.confirmed_until))
            else:
                first = self.tr("The province has not confirmed any bundle yet.")
            lines = [first, self.tr("Changes not yet confirmed: {n}").format(
                n=format_number(receipt.unconfirmed)),
                self.tr("Fingerprint of this computer: {f}").format(f=fingerprint)]
            if receipt.rejected_by_province:
                lines.append(self.tr("The province could not take {n} records: correct them "
                                     "(listed below).").format(
                    n=format_number(len(receipt.rejected_by_province))))
            self.summary.setText("\n".join(lines))
            self._show_refused(receipt.rejected_by_province)
        conflicts = list_conflicts(self.db)
        fill(self.conflicts, [(c.id, [c.label, c.field, _plain(c.kept), c.kept_by,
                                      _when(c.kept_at), _plain(c.lost), c.lost_by,
                                      _when(c.lost_at)]) for c in conflicts])

    def _show_refused(self, entries: list[dict[str, Any]]) -> None:
        self.refused_rows = entries
        fill(self.refused, [(index, [e["label"], e["reason"]]) for index, e in enumerate(entries)])
        for widget in self.refused_widgets:
            widget.setVisible(bool(entries))

    # -- actions ------------------------------------------------------------------------------
    def open_refused(self) -> None:
        """The chosen refused record's form (or its group on the Groups page)."""
        index = selected(self.refused)
        if index is None:
            self.dialogs.info(self.tr("Sync"), self.tr("Choose a record in the list first."))
            return
        entry = self.refused_rows[int(index)]  # type: ignore[call-overload]
        target = form_for(self.db, entry["table"], uuid.UUID(entry["id"]))
        if target is None:
            self.dialogs.info(self.tr("Sync"), self.tr(
                "This record is no longer on this computer; nothing to correct."))
            return
        kind, row_id = target
        if kind == "group":
            self.open_record.emit("group", row_id)
            return
        if kind == "village":
            self._rename_village(row_id)
            return
        dialog = (PersonDialog(self.db, self.dialogs, row_id, parent=self) if kind == "person"
                  else activity_dialog(self.db, kind, row_id, self))
        if self._exec(dialog):
            self.events.changed.emit(Changes.of("person", "activity", "attendance", "membership",
                                                *SYNC_STATE))

    def _rename_village(self, village_id: uuid.UUID) -> None:
        name = self.dialogs.text(self.tr("Village name"), self.tr("New name of the village"))
        if not name:
            return
        try:
            with recording() as log:
                VillagesService(self.db).update(village_id, name=name)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Village name"), error.message())
            return
        self.events.changed.emit(log.changes)

    def _exec(self, dialog: Any) -> bool:
        """Kept apart so tests can work the form without a modal loop."""
        return bool(dialog.exec())

    def _unlocked(self) -> bool:
        """The keys unlocked here, on the UI thread, where a passphrase can be asked; the
        background export or import is handed them (`self.keys`) and asks nobody."""
        unlocked, keys = unlock_keys(self.db, self.dialogs, self.tr("Sync"),
                                       self.unlocked)
        if unlocked:
            self.keys = keys
        return unlocked

    def export(self) -> None:
        folder = self.dialogs.folder(self.tr("Folder on the USB stick"))
        if not folder or not self._unlocked():
            return
        keys = self.keys
        self.task = run_operation(
            self, self.tr("Writing bundles…"),
            lambda progress: export_bundles(self.db, Path(folder), progress=progress,
                                            keys=keys),
            dialogs=self.dialogs, events=self.events, on_success=self._exported)

    def _exported(self, written: list[Any]) -> None:
        if not written:
            self.dialogs.info(self.tr("Sync"), self.tr("No computer is enrolled to receive a bundle yet."))
            return
        self.dialogs.info(self.tr("Sync"), self.tr("{n} bundle(s) written:\n{files}").format(
            n=len(written), files="\n".join(b.path.name for b in written)))

    def import_(self) -> None:
        if self.province:
            folder = self.dialogs.folder(self.tr("Folder of bundles"))
            paths = [folder] if folder else []
        else:
            # A bundle saved from an e-mail or a chat may be renamed ("goi (1).bin"): every file
            # is shown first, and open_bundle decides by its content.
            paths = self.dialogs.open_files(self.tr("Bundles from the province"),
                                            self.tr("All files (*);;da8desktop bundles (*.da8)"),
                                            purpose=USB)
        if not paths or not self._unlocked():
            return
        files = bundle_files([Path(p) for p in paths])  # the folder's bundles as of now
        keys = self.keys
        # Each bundle is read once (core/sync/prepared.py): the commit applies what the
        # preview decrypted, checked and decoded, without reading the files again.
        self.task = run_operation(
            self, self.tr("Checking the bundles…"),
            lambda progress: prepare_paths(self.db, files, progress=progress, keys=keys),
            dialogs=self.dialogs, on_success=self._previewed)

    def _previewed(self, prepared: list[PreparedImport]) -> None:
        if not prepared:
            self.dialogs.info(self.tr("Sync"), self.tr("No bundle found there."))
            return
        dialog = ImportPreviewDialog([p.report for p in prepared], applied=False, parent=self)
        if not self._accepted(dialog):
            for item in prepared:
                item.release()
            return
        # Exactly the files previewed, each as it was previewed (its SHA-256): a file added to
        # the folder or changed on the stick since is not imported unseen.
        # A laptop not confirmed yet is registered by the import (its data is held): it is
        # imported too, so that the officer can then confirm it.
        going = [p for p in prepared
                 if p.report.status == "dry_run" or p.report.reason == "unconfirmed"]
        kept = [p.report for p in prepared if p not in going]
        for item in going:  # the preview's records are not shown again: the commit's are
            item.report = _summary_only(item.report)
        # An import writes rows of every kind in bulk: it is announced as changing everything.
        self.task = run_operation(
            self, self.tr("Importing…"),
            lambda progress: commit_prepared(self.db, going, progress=progress, keys=self.keys),
            dialogs=self.dialogs, on_success=lambda done: self._imported(done + kept),
            on_failure=self._import_failed, on_end=self._compress_restore_point)

    def _compress_restore_point(self) -> None:
        self.compress_task = compress_restore_point(
            self, self.tr("Compressing the restore point…"), self.db.file, self.dialogs)

    def _accepted(self, dialog: ImportPreviewDialog) -> bool:
        """Kept apart so tests can accept the preview without a modal loop."""
        return dialog.exec() == ImportPreviewDialog.DialogCode.Accepted

    def _import_failed(self, error: BaseException) -> None:
        self.events.changed.emit(Changes.all())  # the files before the failing one were taken
        show_failure(self.dialogs, self.tr("Sync"), error)

    def _imported(self, reports: list[Any]) -> None:
        self.events.changed.emit(Changes.all())
        self.last_reports = reports
        ImportPreviewDialog(reports, applied=True, parent=self).open()

    def enrol(self) -> None:
        make_setup_file(
            self.dialogs, province_communes(self.db), title=self.tr("Setup file"),
            unit_title=self.tr("Commune"), folder_title=self.tr("Folder on the USB stick"),
            unlocked=self._unlocked,
            write=lambda code, folder: enroll(self.db, code, folder, keys=self.keys),
            written=lambda setup: self.tr(
                "Setup file for {commune} written:\n{path}\n\nGive it to the commune officer and "
                "read them this province's fingerprint by phone when they set up. When their "
                "first bundle arrives, the computer waits for confirmation: choose it here and "
                "click \"Confirm the chosen computer…\" with the fingerprint they read to you.")
            .format(commune=setup.commune_name, path=setup.path),
            after=self.reload)

    def confirm_chosen(self) -> None:
        """The officer types the fingerprint read out by phone; only then does the province
        send that computer the commune's data."""
        chosen = selected(self.communes)
        if chosen is None or chosen.status != "awaiting_confirmation":
            self.dialogs.info(self.tr("Confirm"), self.tr(
                "Choose a computer that is waiting for confirmation first."))
            return
        self.confirm_dialog = ConfirmComputerDialog(self.db, chosen.commune_code,
                                                    chosen.commune_name, self)
        self.confirm_dialog.accepted.connect(self.reload)
        self.confirm_dialog.open()

    def revoke_chosen(self) -> None:
        """A lost or stolen laptop: its bundles are refused from now on."""
        chosen = selected(self.communes)
        if chosen is None or chosen.peer_id is None or \
                chosen.status not in ("enrolled", "awaiting_confirmation"):
            self.dialogs.info(self.tr("Revoke"), self.tr("Choose an enrolled commune computer first."))
            return
        if self.dialogs.confirm(self.tr("Revoke"), self.tr(
                "Refuse from now on every bundle of the computer of {commune} with fingerprint "
                "{f}? Do this when it is lost or stolen; a new computer is set up from a new "
                "setup file.").format(commune=chosen.commune_name, f=chosen.fingerprint)):
            revoke(self.db, chosen.peer_id)
            self.reload()

    def show_catalogue(self) -> QWidget:
        from da8desktop.gui.widgets.catalogue_dialog import CatalogueDialog

        self.catalogue_dialog = CatalogueDialog(self.db, self.dialogs, self.province, self)
        self.catalogue_dialog.open()
        return self.catalogue_dialog

    def connect_province(self) -> None:
        from da8desktop.gui.widgets.connect_province import connect_to_province

        if connect_to_province(self.db, self.dialogs, self.unlocked) is not None:
            self.events.changed.emit(Changes.of(*SYNC_STATE))
            self.reload()

    def mark_reviewed(self) -> None:
        conflict_id = selected(self.conflicts)
        if conflict_id is not None:
            mark_conflict_reviewed(self.db, conflict_id)  # type: ignore[arg-type]
            self.reload()

    def restore_loser(self) -> None:
        conflict_id = selected(self.conflicts)
        if conflict_id is None:
            self.dialogs.info(self.tr("Sync"), self.tr("Choose a conflict in the list first."))
            return
        try:
            with recording() as log:
                resolve_conflict(self.db, int(conflict_id), "loser")  # type: ignore[call-overload]
        except UserFacingError as error:
            self.dialogs.error(self.tr("Sync"), error.message())
            return
        self.events.changed.emit(log.changes)
        self.reload()

def _summary_only(report: ImportReport) -> ImportReport:
    """A preview's report without its records: the commit's report replaces it, and the
    preview's 35,000 records of a first import need not stay in memory beside the commit's."""
    report.outcomes = []
    return report


def _cell(column: int) -> Any:
    return lambda row: row[1][column]


def _plain(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _when(moment: str | None) -> str:
    """A UTC ISO moment as the officer's local day and time."""
    import datetime as dt

    if not moment:
        return "—"
    try:
        utc = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return "—"
    return utc.astimezone().strftime("%d/%m/%Y %H:%M")



def activity_dialog(db: Database, kind: str, activity_id: uuid.UUID, parent: QWidget) -> Any:
    """A meeting with its attendance list opens as on the Activities page."""
    from da8desktop.gui.widgets.activity_form import ActivityDialog
    from da8desktop.gui.widgets.meeting_form import MeetingDialog

    return (MeetingDialog(db, activity_id=activity_id, parent=parent) if kind == "meeting"
            else ActivityDialog(db, activity_id, parent=parent))
