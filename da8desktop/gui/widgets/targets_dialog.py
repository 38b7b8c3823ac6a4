"""Enter targets for a year or a phase: a commune plans its own (where the province has not
allocated one); a province allocates to every commune. Saved whole, or not at all."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.catalogue import Indicator
from da8desktop.core.indicators.progress import Commune, province_of
from da8desktop.core.services.targets import TargetsService, targets_of
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.crash import show_failure

LOCKED = QColor("#eeeeee")


def parse_value(text: str) -> float | None:
    """'12', '12,5', '1.200' (Vietnamese thousands) or empty (no target)."""
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3:
        text = text.replace(".", "")
    value = float(text)  # ValueError: reported with the cell
    if value < 0:
        raise ValueError(text)
    return value


class TargetsDialog(QDialog):
    def __init__(self, db: Database, dialogs: Dialogs, scope: str, period: str,
                 indicators: list[Indicator], communes: list[Commune],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.period = db, dialogs, period
        self.indicators, self.communes = indicators, communes
        self.province = scope == "province"
        self.whole: Commune | None = None
        self.setWindowTitle(self.tr("Targets for {period}").format(period=period))
        self.resize(980 if self.province else 720, 560)
        existing = targets_of(db, period)
        if self.province:
            # The last row is the province's own total (540 teams), compared with the sum of
            # the communes and split over them with "Split the total…".
            self.whole = province_of(db)
            rows = [*communes, *([self.whole] if self.whole else [])]
            self.table = QTableWidget(len(rows), len(indicators))
            self.table.setHorizontalHeaderLabels(
                [f"{i.code} (%)" if i.is_percent else i.code for i in indicators])
            self.table.setVerticalHeaderLabels(
                [c.name for c in communes] + ([self.tr("Whole province")] if self.whole else []))
            if self.whole:  # the province's own row stands out from the communes
                header = self.table.verticalHeaderItem(len(communes))
                font = header.font()
                font.setBold(True)
                header.setFont(font)
            for column, indicator in enumerate(indicators):
                self.table.horizontalHeaderItem(column).setToolTip(
                    f"{indicator.name} ({indicator.unit})")
            cells = [(r, c, indicator, commune) for r, commune in enumerate(rows)
                     for c, indicator in enumerate(indicators)]
            hint = self.tr("Allocate each commune's target; the communes receive them with the "
                           "next bundle you send. An empty cell means no target. The last row "
                           "is the whole province's total: \"Split the total…\" shares it over "
                           "the communes. Percentages (%) are from 0 to 100.")
        else:
            self.table = QTableWidget(len(indicators), 2)
            self.table.setHorizontalHeaderLabels([self.tr("Indicator"), self.tr("Target")])
            self.table.verticalHeader().setVisible(False)
            commune = communes[0]
            cells = [(r, 1, indicator, commune) for r, indicator in enumerate(indicators)]
            for r, indicator in enumerate(indicators):
                label = QTableWidgetItem(f"{indicator.name} ({indicator.unit})")
                label.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(r, 0, label)
            hint = self.tr("Your commune's own plan. Targets allocated by the province are grey "
                           "and can only be changed by the province.")
        self.cells: dict[tuple[int, int], tuple[str, str]] = {}
        self.before: dict[tuple[int, int], float | None] = {}
        for r, c, indicator, commune in cells:
            target = existing.get((indicator.key, commune.key))
            item = QTableWidgetItem(format_figure(target.value) if target else "")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if target and target.set_by_province and not self.province:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setBackground(LOCKED)
                item.setToolTip(self.tr("Allocated by the province"))
            else:
                self.cells[(r, c)] = (indicator.key, commune.key)
                self.before[(r, c)] = target.value if target else None
            self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if not self.province:
            self.table.horizontalHeader().setStretchLastSection(False)
            self.table.setColumnWidth(0, 520)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # The whole allocation from (or to) one sheet, as a province keeps it (issue 21, item 2)
        self.import_button = buttons.addButton(self.tr("Import from Excel…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self.choose_sheet)
        self.export_button = buttons.addButton(self.tr("Export to Excel…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.choose_export)
        self.split_button = buttons.addButton(self.tr("Split the total…"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.split_button.setVisible(self.province and self.whole is not None)
        self.split_button.clicked.connect(self.split_total)
        self.split_dialog: QDialog | None = None
        self.sheet_preview: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(hint, wordWrap=True))
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def save(self) -> None:
        changes = []
        for (r, c), (indicator, commune) in self.cells.items():
            text = self.table.item(r, c).text()
            try:
                value = parse_value(text)
            except ValueError:
                self.table.setCurrentCell(r, c)
                self.dialogs.error(self.windowTitle(), self.tr(
                    "\"{text}\" is not a number. Enter a number of 0 or more, or leave the cell "
                    "empty; nothing was saved.").format(text=text))
                return
            if value != self.before[(r, c)]:
                changes.append((indicator, commune, self.period, value))
        try:
            TargetsService(self.db).set_many(changes)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return
        self.accept()

    # -- the province's total over its communes -------------------------------------------------
    def split_total(self) -> QDialog | None:
        """Split the total of the current cell's indicator; the total typed in the last row is
        the one offered."""
        from da8desktop.gui.widgets.target_split_dialog import TargetSplitDialog

        column = max(self.table.currentColumn(), 0)
        indicator = self.indicators[column]
        if indicator.is_percent:
            self.dialogs.error(self.windowTitle(), self.tr(
                "{code} is a percentage: a percentage is not split over communes. Give each "
                "commune its own percentage instead.").format(code=indicator.code))
            return None
        try:
            total = parse_value(self.table.item(len(self.communes), column).text())
        except ValueError:
            total = None
        self.split_dialog = TargetSplitDialog(self.db, self.dialogs, indicator, self.period,
                                              total, self)
        self.split_dialog.accepted.connect(lambda: self.reload_column(column))
        self.split_dialog.open()
        return self.split_dialog

    def reload_column(self, column: int) -> None:
        """The saved split shown in its column (other columns keep what was typed)."""
        saved = targets_of(self.db, self.period)
        for (r, c), (indicator, commune) in self.cells.items():
            if c != column:
                continue
            target = saved.get((indicator, commune))
            self.before[(r, c)] = target.value if target else None
            self.table.item(r, c).setText(format_figure(target.value) if target else "")

    # -- a sheet ------------------------------------------------------------------------------
    def choose_sheet(self) -> None:
        files = self.dialogs.open_files(self.tr("Import targets from Excel"),
                                        self.tr("Excel workbooks (*.xlsx)"))
        if files:
            self.import_sheet(Path(files[0]))

    def import_sheet(self, path: Path) -> QDialog | None:
        """Preview the sheet (the same preview as `targets import --dry-run`); saved on accept."""
        from da8desktop.core.excel.targets_sheet import preview_targets
        from da8desktop.gui.widgets.targets_sheet_preview import TargetsSheetPreview

        try:
            preview = preview_targets(self.db, path, self.period)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return None
        self.sheet_preview = TargetsSheetPreview(preview, path.name, self)
        self.sheet_preview.accepted.connect(lambda: self.apply_sheet(preview))
        self.sheet_preview.open()
        return self.sheet_preview

    def apply_sheet(self, preview) -> None:  # noqa: ANN001
        from da8desktop.core.excel.targets_sheet import apply_targets

        try:
            count = apply_targets(self.db, preview)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return
        saved = targets_of(self.db, self.period)
        written = {(c.indicator.key, c.commune.key) for c in preview.writes}
        for (r, c), (indicator, commune) in self.cells.items():
            if (indicator, commune) not in written:
                continue  # a cell typed in the grid and not yet saved keeps its text
            target = saved.get((indicator, commune))
            self.before[(r, c)] = target.value if target else None
            self.table.item(r, c).setText(format_figure(target.value) if target else "")
        self.dialogs.info(self.windowTitle(), self.tr("{count} targets saved.").format(count=count))

    def choose_export(self) -> None:
        name = self.dialogs.save_file(self.tr("Export targets to Excel"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx")
        if name:
            self.export_sheet(Path(name))

    def export_sheet(self, path: Path) -> None:
        from da8desktop.core.excel.targets_sheet import export_targets

        try:
            export_targets(self.db, path, self.period)
        except (UserFacingError, OSError) as error:
            show_failure(self.dialogs, self.windowTitle(), error)
