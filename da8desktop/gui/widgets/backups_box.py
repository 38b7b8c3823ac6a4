"""Sao lưu: the backups beside the data file with what each holds (date, counts), a backup made
now, and restoring a chosen one (the current file is kept aside first, never deleted)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.backup import (BackupInfo, BackupContents, contents, create_backup,
                                       list_backups)
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_number, format_size
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.operations import run_operation
from da8desktop.gui.widgets.tables import fill, read_only_table, selected


class BackupsBox(QGroupBox):
    def __init__(self, file: Path, dialogs: Dialogs, restore: Callable[[BackupInfo], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Backups"), parent)
        self.file, self.dialogs, self.restore = file, dialogs, restore
        self.table = read_only_table([
            self.tr("Made on"), self.tr("Why"), self.tr("People"), self.tr("Groups"),
            self.tr("Activities"), self.tr("Size")], stretch=1, right=(2, 3, 4, 5))
        self.now_button = QPushButton(self.tr("Back up now"))
        self.now_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("Restore the chosen backup…"))
        self.restore_button.clicked.connect(self.restore_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.now_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.reasons = {"daily": self.tr("daily"), "manual": self.tr("made by hand"),
                        "before-sync-import": self.tr("before a sync import"),
                        "before-excel-import": self.tr("before an Excel import"),
                        "before-restore": self.tr("before a restore")}
        self.reload()

    def reload(self) -> None:
        """The list at once (it is a folder listing); what each backup holds is counted in the
        background, since a province's backups are gigabytes each."""
        self.backups = list_backups(self.file)
        self._show([None] * len(self.backups))
        self.restore_button.setEnabled(bool(self.backups))
        shown = list(self.backups)
        self.count_task = run_operation(
            self, self.tr("Reading the backups…"), lambda _p: [_held(b) for b in shown],
            dialogs=self.dialogs, on_success=lambda held: self._counted(shown, held), quiet=True)

    def _show(self, held: list[BackupContents | bool | None]) -> None:
        """`held`: each backup's contents, False where unreadable, None while counting."""
        rows = []
        for backup, contained in zip(self.backups, held):
            if contained is None:
                counts = ["…", "…", "…"]
            elif contained is False:
                counts = [self.tr("unreadable"), "", ""]
            else:
                counts = [format_number(contained.people), format_number(contained.groups),
                          format_number(contained.activities)]
            rows.append((backup, [backup.created.strftime("%d/%m/%Y %H:%M"),
                                  self._reason(backup), *counts, format_size(backup.size_bytes)]))
        fill(self.table, rows)

    def _reason(self, backup: BackupInfo) -> str:
        return self.reasons.get(backup.reason, backup.reason.replace(
            "before-upgrade", self.tr("before an upgrade")))

    def _counted(self, shown: list[BackupInfo], held: list[BackupContents | bool]) -> None:
        if shown == self.backups:  # else listed again meanwhile: that listing counts its own
            self._show(held)

    def back_up_now(self) -> None:
        self.task = run_operation(self, self.tr("Backing up…"),
                                  lambda _p: create_backup(self.file, "manual"),
                                  dialogs=self.dialogs, on_success=lambda _backup: self.reload())

    def restore_chosen(self) -> None:
        backup = selected(self.table)
        if not isinstance(backup, BackupInfo):
            self.dialogs.info(self.tr("Restore"), self.tr("Choose a backup in the list first."))
            return
        self.task = run_operation(self, self.tr("Reading the backups…"),
                                  lambda _p: contents(backup.path), dialogs=self.dialogs,
                                  on_success=lambda held: self._confirm_restore(backup, held))

    def _confirm_restore(self, backup: BackupInfo, held: BackupContents) -> None:
        if self.dialogs.confirm(self.tr("Restore"), self.tr(
                "Go back to the data as it was on {date}: {people} people, {groups} groups, "
                "{activities} activities? Everything entered since then is set aside (the "
                "current file is kept in the backups folder, not deleted).").format(
                date=backup.created.strftime("%d/%m/%Y %H:%M"), people=format_number(held.people),
                groups=format_number(held.groups), activities=format_number(held.activities))):
            self.restore(backup)


def _held(backup: BackupInfo) -> BackupContents | bool:
    try:
        return contents(backup.path)
    except UserFacingError:
        return False
