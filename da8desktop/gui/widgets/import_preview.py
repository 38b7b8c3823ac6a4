"""The import summary before anything is written (DHIS2-style): per file, what would be new,
updated, unchanged, in conflict, deleted or rejected, with each record's fields before -> after."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from da8desktop.core.formats import format_number


class ImportPreviewDialog(QDialog):
    def __init__(self, reports: list[Any], applied: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import summary") if applied else self.tr("Check before importing"))
        self.resize(820, 520)
        names = {"new": self.tr("new"), "updated": self.tr("updated"),
                 "unchanged": self.tr("unchanged"), "conflict": self.tr("conflict"),
                 "deleted": self.tr("deleted"), "rejected": self.tr("rejected")}
        status = {"applied": self.tr("imported"), "dry_run": self.tr("ready to import"),
                  "duplicate": self.tr("already imported"), "rejected": self.tr("REFUSED")}
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("File / record"), self.tr("What happens"),
                                   self.tr("Details")])
        self.tree.setColumnWidth(0, 360)
        importable = 0
        for report in reports:
            counts = ", ".join(f"{names[k]} {format_number(v)}" for k, v in report.counts.items() if v)
            details = report.message or counts or self.tr("no change")
            if report.enrolled_fingerprint:
                details += " · " + self.tr(
                    "New computer registered; its fingerprint is {f}. It is sent no personal data "
                    "until you compare the fingerprint with the commune by phone and confirm it."
                ).format(f=report.enrolled_fingerprint)
            waiting = report.reason == "unconfirmed"  # registered by the import, data held
            shown = self.tr("computer not confirmed yet") if waiting else status[report.status]
            top = QTreeWidgetItem([report.file, shown, details])
            top.setToolTip(2, details)
            importable += report.status == "dry_run" or (waiting and not applied)
            self.tree.addTopLevelItem(top)
            for record in report.first_records(2000):
                item = QTreeWidgetItem([record["label"], names[record["action"]],
                                        record.get("reason") or record["table"]])
                top.addChild(item)
                for field, (before, after) in record.get("fields", {}).items():
                    item.addChild(QTreeWidgetItem([field, "", f"{_show(before)} → {_show(after)}"]))
            top.setExpanded(len(reports) == 1)
        layout = QVBoxLayout(self)
        if not applied:
            layout.addWidget(QLabel(self.tr(
                "Nothing has been written yet. A restore point is made before importing."),
                wordWrap=True))
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(self)
        if applied or not importable:
            buttons.addButton(QDialogButtonBox.StandardButton.Close)
        else:
            self.import_button = buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _show(value: Any) -> str:
    return "—" if value in (None, "") else str(value)
