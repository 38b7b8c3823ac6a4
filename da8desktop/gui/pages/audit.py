"""Nhật ký: who changed, exported, printed or imported what, and when; filtered by kind of
action and by words, and exported to Excel as shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_number, format_utc_time
from da8desktop.core.services.audit_query import AuditRow, list_audit
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.operations import run_operation
from da8desktop.gui.widgets.tables import fill, read_only_table

SHOWN = 2000  # the newest; the Excel export takes every matching entry


class AuditPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = frozenset({"audit_log"})

    def __init__(self, db: Database, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs = db, dialogs
        self.action_names = {
            "create": self.tr("Added"), "update": self.tr("Changed"), "delete": self.tr("Deleted"),
            "restore": self.tr("Restored"), "merge": self.tr("Merged"),
            "import": self.tr("Imported"), "export": self.tr("Exported"),
            "print": self.tr("Printed"), "setup": self.tr("Set up"), "migrate": self.tr("Upgraded")}
        self.entity_names = {
            "person": self.tr("Person"), "community_group": self.tr("Group"),
            "membership": self.tr("Member"), "activity": self.tr("Activity"),
            "attendance": self.tr("Attendance"), "village": self.tr("Village"),
            "target": self.tr("Target"), "safe_delivery_support": self.tr("Safe-delivery support"),
            "trusted_address_case": self.tr("Trusted-address case"),
            "group_support": self.tr("Support to a group"), "attachment": self.tr("Attachment"),
            "group_status_change": self.tr("Change of a group's status"),
            "sync_bundle": self.tr("Sync bundle"), "sync_peer": self.tr("Registered computer"),
            "installation": self.tr("This computer"), "output": self.tr("Document"),
            "setting": self.tr("Settings"), "-": ""}
        self.action = QComboBox()
        self.action.addItem(self.tr("Every action"), None)
        for value, text in self.action_names.items():
            self.action.addItem(text, value)
        self.search = QLineEdit(placeholderText=self.tr("Search, with or without accents"))
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.export_button.clicked.connect(self.choose_export)
        self.table = read_only_table([self.tr("When"), self.tr("Who"), self.tr("Action"),
                                      self.tr("Record"), self.tr("What")], stretch=4)
        self.count = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.action)
        top.addWidget(self.search, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Audit trail"), objectName="pageTitle"))
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.timer = QTimer(self, singleShot=True, interval=250)
        self.timer.timeout.connect(self.reload)
        self.search.textChanged.connect(self.timer.start)
        self.action.currentIndexChanged.connect(lambda _i: self.reload())
        self.reload()

    def rows(self, limit: int | None = SHOWN) -> list[AuditRow]:
        return list_audit(self.db, self.action.currentData(), self.search.text(), limit)

    def reload(self, _changed: set | None = None) -> None:
        rows = self.rows()
        fill(self.table, [(None, [format_utc_time(r.at), r.actor,
                                  self.action_names.get(r.action, r.action),
                                  self.entity_names.get(r.entity, r.entity), r.description])
                          for r in rows])
        self.count.setText(self.tr("{n} entries shown (the newest first)").format(
            n=format_number(len(rows))))

    def choose_export(self) -> None:
        path = self.dialogs.save_file(self.tr("Export the audit trail"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx",
                                      name="nhat-ky.xlsx")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        # Imported here: openpyxl is a tenth of a second at every start otherwise.
        from da8desktop.core.excel.export import export_audit

        action, search = self.action.currentData(), self.search.text()

        def done(result) -> None:  # noqa: ANN001 - an ExportResult
            self.dialogs.info(self.tr("Audit trail"), self.tr(
                "{n} entries written to {file}.").format(n=format_number(result.rows),
                                                         file=result.path))
            self.reload()  # the export is itself a line of the audit trail

        self.task = run_operation(
            self, self.tr("Exporting the audit trail…"),
            lambda _progress: export_audit(self.db, path,
                                           list_audit(self.db, action, search, None)),
            dialogs=self.dialogs, on_success=done)
