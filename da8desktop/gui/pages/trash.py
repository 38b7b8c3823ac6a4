"""Đã xóa gần đây: every delete is recoverable; restore from here (Ctrl+Z undoes the last)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.services.trash import recently_deleted, restore
from da8desktop.gui.events import DataEvents
from da8desktop.gui.widgets.tables import fill, read_only_table


class TrashPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = None  # deleted records of every kind

    def __init__(self, db: Database, events: DataEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events = db, events
        self.kinds = {"person": self.tr("Person"), "community_group": self.tr("Group"),
                      "activity": self.tr("Meeting or activity"), "village": self.tr("Village"),
                      "trusted_address_case": self.tr("Trusted-address cases")}
        self.table = read_only_table([self.tr("Deleted at"), self.tr("Kind"), self.tr("Record")], 2)
        self.restore_button = QPushButton(self.tr("Restore the selected record"))
        self.restore_button.clicked.connect(self.restore_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Recently deleted"), objectName="pageTitle"))
        layout.addWidget(QLabel(self.tr("Nothing is erased: deleted records wait here and can be "
                                        "restored with everything that belonged to them."),
                                wordWrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.restore_button)
        self.reload()

    def reload(self, _changed: object = None) -> None:
        self.rows = recently_deleted(self.db)
        fill(self.table, [(i, [r.deleted_at.strftime("%d/%m/%Y %H:%M"), self.kinds[r.table],
                               r.label]) for i, r in enumerate(self.rows)])

    def restore_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            row = self.rows[rows[0].row()]
            restore(self.db, row.table, row.id)
            self.events.changed.emit({row.table})
