"""Split the province's total of one indicator over its communes (issue 20 item 6): evenly, by
number of villages, or typed by hand with what remains to allocate shown as it is typed. The
split is a preview until Apply saves the total and every commune's share in one transaction."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.catalogue import Indicator
from da8desktop.core.services.target_split import SplitPlan, apply_split, plan_split
from da8desktop.gui.dialogs import Dialogs

NEW = 3  # the column of the new shares


class TargetSplitDialog(QDialog):
    def __init__(self, db: Database, dialogs: Dialogs, indicator: Indicator, period: str,
                 total: float | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.indicator, self.period = db, dialogs, indicator, period
        self.plan: SplitPlan | None = None
        self.saved = 0
        self.setWindowTitle(self.tr("Split {code} over the communes").format(code=indicator.code))
        self.resize(640, 560)
        self.total = QLineEdit(format_figure(total))
        self.way = QComboBox()
        for key, text in (("even", self.tr("Evenly")), ("villages", self.tr("By number of villages")),
                          ("typed", self.tr("Typed by hand"))):
            self.way.addItem(text, key)
        form = QFormLayout()
        form.addRow(self.tr("Province total ({unit})").format(unit=indicator.unit), self.total)
        form.addRow(self.tr("Split"), self.way)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Commune"), self.tr("Villages"),
                                              self.tr("Now"), self.tr("New")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.remainder = QLabel(wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Choose how the total is shared. Nothing is saved until you press Apply; then the "
            "total and every commune's target are saved together."), wordWrap=True))
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remainder)
        layout.addWidget(self.buttons)
        self.total.textChanged.connect(self.refresh)
        self.way.currentIndexChanged.connect(self.refresh)
        self.table.itemChanged.connect(self.typed_changed)
        self.refresh()

    def _total(self) -> float | None:
        from da8desktop.gui.widgets.targets_dialog import parse_value

        try:
            return parse_value(self.total.text())
        except ValueError:
            return None

    def _typed(self) -> dict[str, float]:
        from da8desktop.gui.widgets.targets_dialog import parse_value

        typed = {}
        for row, line in enumerate(self.plan.lines if self.plan else []):
            item = self.table.item(row, NEW)
            try:
                value = parse_value(item.text()) if item else None
            except ValueError:
                value = None
            if value is not None:
                typed[line.commune.key] = value
        return typed

    def refresh(self) -> None:
        """A new preview for the total and the way chosen (a typed split starts from the
        communes' targets as they are)."""
        way = self.way.currentData()
        typed = None
        if way == "typed":
            typed = self._typed() if self.plan and self.plan.way == "typed" else {
                line.commune.key: line.before for line in (self.plan.lines if self.plan else [])
                if line.before is not None}
        if not self._plan(way, typed) or self.plan is None:
            return
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.plan.lines))
        for row, line in enumerate(self.plan.lines):
            cells = [line.commune.name, "" if line.weight is None else str(line.weight),
                     format_figure(line.before), format_figure(line.after)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column != NEW or way != "typed":
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.show_remainder()

    def typed_changed(self, item: QTableWidgetItem) -> None:
        typed = item.column() == NEW and self.way.currentData() == "typed"
        if typed and self._plan("typed", self._typed()):
            self.show_remainder()

    def _plan(self, way: str, typed: dict[str, float] | None) -> bool:
        total = self._total()
        if total is None:
            self.plan = None if way != "typed" else self.plan
            self.remainder.setText(self.tr("Enter the province's total as a number."))
            self.apply_button.setEnabled(False)
            return False
        try:
            self.plan = plan_split(self.db, self.indicator, self.period, way, total, typed)
        except UserFacingError as error:
            self.remainder.setText(error.message())
            self.apply_button.setEnabled(False)
            return False
        return True

    def show_remainder(self) -> None:
        plan = self.plan
        if plan is None:
            return
        left = plan.remainder
        if abs(left) < 1e-9:
            text = self.tr("Allocated {allocated} of {total}: nothing remains.")
        elif left > 0:
            text = self.tr("Allocated {allocated} of {total}: {remainder} remain to allocate.")
        else:
            text = self.tr("Allocated {allocated} of {total}: {remainder} too many.")
        self.remainder.setText(text.format(allocated=format_figure(plan.allocated),
                                           total=format_figure(plan.total),
                                           remainder=format_figure(abs(left))))
        self.apply_button.setEnabled(abs(left) < 1e-9)

    def apply(self) -> None:
        if self.plan is None:
            return
        try:
            self.saved = apply_split(self.db, self.plan)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return
        self.accept()
