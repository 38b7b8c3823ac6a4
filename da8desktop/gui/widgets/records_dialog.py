"""The records behind one dashboard figure; double-click opens a record on its page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.figure_records import LIMIT, RecordRef
from da8desktop.gui.widgets.tables import fill, read_only_table


class RecordsDialog(QDialog):
    def __init__(self, title: str, refs: list[RecordRef],
                 open_record: Callable[[RecordRef], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(760, 480)
        self.refs = {i: ref for i, ref in enumerate(refs)}
        self.open_record = open_record
        total = sum(ref.value for ref in refs)
        summary = self.tr("{count} records, adding up to {total}").format(
            count=format_figure(len(refs)), total=format_figure(total))
        if len(refs) >= LIMIT:
            summary += " " + self.tr("(only the first {limit} are listed; export the report for "
                                     "all)").format(limit=format_figure(LIMIT))
        if open_record is not None:
            summary += " " + self.tr("Double-click a record to open it.")
        self.table = read_only_table([self.tr("Record"), self.tr("Details"), self.tr("Commune"),
                                      self.tr("Counts")], 0)
        fill(self.table, [(i, [ref.label, ref.detail, ref.commune, format_figure(ref.value)])
                          for i, ref in self.refs.items()])
        self.table.doubleClicked.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(summary, wordWrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _open(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and self.open_record is not None:
            self.open_record(self.refs[rows[0].row()])
            self.accept()
