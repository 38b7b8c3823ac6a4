"""Tiến độ (the home page): how far the commune, or the province, is from this period's targets,
and where. Figures come from core/indicators; every figure clicks through to its records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from da8desktop.core.indicators.periods import QUARTERS
from da8desktop.core.text import sentence_start
from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.attention import Attention, needs_attention, not_reported_codes
from da8desktop.core.indicators.measures import Span
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import (Cell, IndicatorProgress, ProgressReport,
                                                 compute_progress, timeline)
from da8desktop.core.indicators.figure_records import RecordRef, records_behind
from da8desktop.core.progress import Cancelled
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.crash import show_failure
from da8desktop.gui.widgets.bar_chart import BarChart
from da8desktop.gui.widgets.progress_cell import PERCENT_ROLE, STATUS_ROLE, ProgressDelegate
from da8desktop.gui.widgets.records_dialog import RecordsDialog
from da8desktop.gui.models.table_model import text_order
from da8desktop.gui.widgets.tables import ID_ROLE, Column, RecordTable
from da8desktop.gui.widgets.targets_dialog import TargetsDialog
from da8desktop.gui.operations import CoalescedLoad, run_operation
from da8desktop.gui.page_refresh import COMMUNE_RECORDS

BEHIND = QColor("#fbe3df")
QUIET = QColor("#eeeeee")


@dataclass
class Loaded:
    progress: ProgressReport
    attention: list[Attention]


@dataclass(frozen=True)
class CommuneLine:
    """A row of the province's table: a commune (silent: nothing received this quarter), or
    the province's total (commune None), which stays last whatever the order."""

    name: str
    commune: Any = None
    silent: bool = False


class DashboardPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = COMMUNE_RECORDS

    # (kind, id): the main window opens the record on its page (group, person, activity, sync)
    open_record = Signal(str, object)

    def __init__(self, db: Database, dialogs: Dialogs, parent: QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.today = db, dialogs, today
        self.progress: ProgressReport | None = None
        self.attention: list[Attention] = []
        # Asked again while computing (the officer changes the period twice): computed once more.
        self.loader = CoalescedLoad(self, self.tr("Computing the indicators…"), lambda: None,
                                    self._loaded, dialogs=dialogs)
        self.commune_rows: list = []  # the province table's rows, in the order shown
        self.title = QLabel(objectName="pageTitle")
        self.subtitle = QLabel(wordWrap=True)
        self.year = QComboBox()
        for year in range(2021, 2031):
            self.year.addItem(str(year), year)
        self.year.setCurrentIndex(self.year.findData(min(2030, max(2021, today().year))))
        self.span = QComboBox()
        self.span.addItem(self.tr("Whole year"), "year")
        for q, roman in enumerate(QUARTERS, start=1):  # Quý I–IV, as reports write them
            self.span.addItem(self.tr("Quarter {q} (from 1 January)").format(q=roman), q)
        self.span.addItem(self.tr("Whole phase"), "phase")
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.span.currentIndexChanged.connect(lambda _i: self.reload())
        self.targets_button = QPushButton(self.tr("Targets…"))
        self.targets_button.clicked.connect(self.edit_targets)
        self.excel_button = QPushButton(self.tr("Export to Excel…"))
        self.excel_button.clicked.connect(self.choose_excel)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.clicked.connect(self.choose_pdf)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Year")))
        bar.addWidget(self.year)
        bar.addWidget(self.span)
        bar.addStretch(1)
        for button in (self.targets_button, self.excel_button, self.pdf_button):
            bar.addWidget(button)

        # Columns are set when filled: the last one is the quarter's figure or the status.
        self.table = RecordTable([], row_id=lambda row: row.indicator.key,
                                 background=lambda row: BEHIND if row.cell.status == "behind"
                                 else None)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(4, ProgressDelegate(self.table))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())
        self.table.doubleClicked.connect(lambda _i: self.show_records())
        self.chart = BarChart()
        self.breakdown = QLabel(wordWrap=True)
        self.breakdown.setTextFormat(Qt.TextFormat.PlainText)
        self.villages = RecordTable([  # (village, value) of the selected figure
            Column(self.tr("Village"), lambda item: item[0]),
            Column(self.tr("Value"), lambda item: format_figure(item[1]), sort=lambda item: item[1],
                   right=True)], stretch=0)
        self.table.setWordWrap(True)
        details = QWidget()
        figures = QVBoxLayout()
        figures.addWidget(self.breakdown)
        figures.addWidget(self.villages, 1)
        below = QHBoxLayout(details)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.chart, 3)
        below.addLayout(figures, 2)
        # The indicators' table above the selected one's chart: the table keeps room for its
        # rows (7 at 1366×768 with 125 % scaling: tests/gui/fit_probe.PROGRESS_ROWS), the chart
        # its own readable height (BarChart's minimum); neither can be dragged away.
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)

        # Communes down, indicators across (columns set when filled); the total stays last.
        self.by_commune = RecordTable([], last=lambda line: line.commune is None)
        self.by_commune.doubleClicked.connect(
            lambda index: self.show_commune_records(index.row(), index.column()))
        # What needs attention is a tab of its own, its count in the title: below the table it
        # left a short laptop screen two rows of indicators (docs/indicators.md).
        self.attention_list = QListWidget()
        self.attention_list.setWordWrap(True)
        self.attention_list.itemActivated.connect(self.act_on_attention)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, self.tr("Indicators"))
        self.tabs.addTab(self.attention_list, self.tr("Needs attention"))
        self.villages.setMinimumHeight(44)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def period(self) -> Period:
        span = self.span.currentData()
        year = self.year.currentData()
        if span == "phase":
            return Period.choose(phase="2021-2025" if year <= 2025 else "2026-2030")
        return Period.choose(year, None if span == "year" else span)

    def reload(self, _changed: object = None) -> None:
        """Figures are computed in the background: a province's can take seconds."""
        period, today = self.period(), self.today()

        def work() -> Loaded:
            progress = compute_progress(self.db, period, today)
            return Loaded(progress, needs_attention(self.db, progress, today))

        self.loader.work = work
        self.loader.start()

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def _loaded(self, loaded: Loaded | None) -> None:
        if loaded is None:
            return
        self.progress, self.attention = loaded.progress, loaded.attention
        self._fill()

    def _fill(self) -> None:
        progress = self.progress
        assert progress is not None
        province = progress.scope == "province"
        self.title.setText(self.tr("Progress — {unit}").format(unit=progress.unit_name))
        with_target = [r for r in progress.rows if r.cell.target]
        done = sum(1 for r in with_target if r.cell.status == "done")
        behind = sum(1 for r in with_target if r.cell.status == "behind")
        self.subtitle.setText(self.tr(
            "{period}: figures up to {date}. {done} of {targets} targets reached, {behind} behind "
            "schedule ({expected}% of the period has passed).").format(
            period=sentence_start(progress.period.label()), date=progress.as_at.strftime("%d/%m/%Y"), done=done,
            targets=len(with_target), behind=behind, expected=round(100 * progress.expected)))
        quarter = progress.period.kind == "quarter"
        chosen = self.table.selected_row()
        self.table.rows_model.set_columns(self._indicator_columns(quarter))
        self.table.set_rows(progress.rows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Fixed)
        self.table.setColumnWidth(4, 140)
        self.table.resizeRowsToContents()
        again = self.table.rows_model.row_of(chosen.indicator.key) if chosen is not None else -1
        if province:
            if self.tabs.indexOf(self.by_commune) < 0:  # between the indicators and attention
                self.tabs.insertTab(1, self.by_commune, self.tr("By commune"))
            self._fill_by_commune()
        self.attention_list.clear()
        for index, item in enumerate(self.attention):
            QListWidgetItem(item.text, self.attention_list).setData(ID_ROLE, index)
        if not self.attention:
            QListWidgetItem(self.tr("Nothing needs attention."), self.attention_list)
        self.tabs.setTabText(self.tabs.indexOf(self.attention_list),
                             self.tr("Needs attention ({count})").format(count=len(self.attention)))
        if self.table.rowCount():  # the indicator chosen before stays chosen
            self.table.selectRow(max(0, again))
            self.show_selected()

    def _indicator_columns(self, quarter: bool) -> list[Column[IndicatorProgress]]:
        def target_tip(row: IndicatorProgress) -> str:
            if row.province_target is None:  # the province's own total, and the split
                return format_figure(row.cell.target)
            return self.tr("Target for the whole province: {total}; given to the communes: "
                           "{given}.").format(total=format_figure(row.province_target),
                                              given=format_figure(row.allocated) or "0")

        def percent(row: IndicatorProgress) -> int:
            return -1 if row.cell.percent is None else round(row.cell.percent)

        def number(value: float | None) -> float:
            return -1 if value is None else value

        last = (Column(self.tr("In the quarter"), lambda row: format_figure(row.in_quarter),
                       sort=lambda row: number(row.in_quarter), right=True) if quarter else
                Column(self.tr("Status"), lambda row: self.status_text(row.cell.status)))
        return [
            Column(self.tr("Indicator"), lambda row: row.indicator.name,
                   tooltip=lambda row: self.tr("{code}. Double-click for the records behind the "
                                               "figure.").format(code=row.indicator.code)),
            Column(self.tr("Unit"), lambda row: row.indicator.unit),
            Column(self.tr("Target"), lambda row: format_figure(row.cell.target),
                   sort=lambda row: number(row.cell.target), right=True, tooltip=target_tip),
            Column(self.tr("Achieved"), lambda row: format_figure(row.cell.achieved),
                   sort=lambda row: number(row.cell.achieved), right=True),
            Column(self.tr("Progress"), lambda _row: "", sort=percent, tooltip=lambda _row: "",
                   roles={PERCENT_ROLE: percent, STATUS_ROLE: lambda row: row.cell.status}),
            last]

    def status_text(self, status: str) -> str:
        return {"done": self.tr("Reached"), "on_track": self.tr("On track"),
                "behind": self.tr("Behind schedule"), "no_target": self.tr("No target")}[status]

    def _fill_by_commune(self) -> None:
        """Communes down, indicators across: achieved / target. Communes with a target or a
        figure come first (a province has up to 150; most may not have reported yet); behind
        in red, communes that have not reported this quarter marked."""
        progress = self.progress
        assert progress is not None
        silent = not_reported_codes(self.attention)

        def active(commune) -> bool:  # noqa: ANN001
            return commune.code in silent or any(
                (cell := row.by_commune.get(commune.key)) is not None
                and (cell.target is not None or cell.achieved) for row in progress.rows)

        self.commune_rows = ([c for c in progress.communes if active(c)]
                             + [c for c in progress.communes if not active(c)])
        bold = QFont(self.by_commune.font())
        bold.setBold(True)
        lines = [CommuneLine(c.name + (" ⚠" if c.code in silent else ""), c, c.code in silent)
                 for c in self.commune_rows] + [CommuneLine(self.tr("Province total"))]
        quiet = self.tr("No data received this quarter")
        columns: list[Column[CommuneLine]] = [Column(
            self.tr("Commune"), lambda line: line.name,
            sort=lambda line: text_order(line.name.removesuffix(" ⚠")),
            tooltip=lambda line: quiet if line.silent else line.name,
            roles={Qt.ItemDataRole.FontRole: lambda line: bold if line.commune is None else None})]
        columns += [self._commune_column(row, bold) for row in progress.rows]
        self.by_commune.rows_model.set_columns(columns)
        self.by_commune.set_rows(lines)

    def _commune_column(self, row: IndicatorProgress, bold: QFont) -> Column[CommuneLine]:
        """One indicator: achieved / target of each commune (blank where it has neither)."""
        def cell(line: CommuneLine) -> Cell | None:
            if line.commune is None:
                return row.cell
            found = row.by_commune.get(line.commune.key)
            return found if found is not None and (found.target is not None or found.achieved) \
                else None

        def colour(line: CommuneLine) -> QColor | None:
            shown = cell(line) if line.commune is not None else None
            if shown is not None and shown.status == "behind":
                return BEHIND
            return QUIET if line.silent else None

        def value(line: CommuneLine) -> float:
            shown = cell(line)
            return -1 if shown is None else shown.achieved or 0

        return Column(row.indicator.code, lambda line: self._cell_or_blank(cell(line)), sort=value,
                      right=True, title_tip=row.indicator.name,
                      roles={Qt.ItemDataRole.BackgroundRole: colour,
                             Qt.ItemDataRole.FontRole:
                                 lambda line: bold if line.commune is None else None})

    def _cell_or_blank(self, cell: Cell | None) -> str:
        return "" if cell is None else self.cell_text(cell)

    @staticmethod
    def cell_text(cell: Cell) -> str:
        if cell.target:
            return f"{format_figure(cell.achieved)} / {format_figure(cell.target)}"
        return format_figure(cell.achieved)

    # -- the selected indicator -----------------------------------------------------------------
    def selected_row(self) -> IndicatorProgress | None:
        return self.table.selected_row() if self.progress is not None else None

    def show_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        self._show_chart(row)
        figure = row.cell.figure
        if figure.has_people:
            self.breakdown.setText(self.tr(
                "Women {women} · men {men} · ethnic minority {minority} · children (under 16) "
                "{children}").format(women=format_figure(figure.women), men=format_figure(figure.men),
                                     minority=format_figure(figure.minority),
                                     children=format_figure(figure.children)))
        else:
            self.breakdown.setText(self.tr("Not counted by sex or ethnicity (a count of groups "
                                           "or activities)."))
        villages = sorted(figure.villages.items(), key=lambda kv: -kv[1])
        self.villages.setVisible(bool(villages))
        self.villages.set_rows(villages)

    def _show_chart(self, row: IndicatorProgress) -> None:
        """The bars are four more counts over the whole file (a province's is large): computed
        in the background, drawn if the indicator is still the one selected."""
        period, today = self.progress.period, self.today()  # type: ignore[union-attr]
        # The indicator's name, never its catalogue code (issue 19, item 6).
        caption = (self.tr("{name}, by quarter").format(name=row.indicator.name)
                   if period.kind != "phase" else
                   self.tr("{name}, by year").format(name=row.indicator.name))

        def drawn(bars: list) -> None:
            if self.selected_row() is row:
                self.chart.set_data(caption, bars, row.cell.target)

        self.chart_task = run_operation(
            self, self.tr("Computing the indicators…"),
            lambda _p: timeline(self.db, row.indicator, period, today), dialogs=self.dialogs,
            on_success=drawn)

    def records_for(self, row: IndicatorProgress, communes: list[str] | None) -> RecordsDialog:
        progress = self.progress
        assert progress is not None
        period = progress.period
        refs = records_behind(self.db, row.indicator, Span(period.start, period.end, progress.as_at),
                              communes)
        opener = None if progress.scope == "province" else self._open_ref
        return RecordsDialog(f"{row.indicator.name} — {period.label()}", refs, opener, self)

    def show_records(self) -> RecordsDialog | None:
        row = self.selected_row()
        if row is None or self.progress is None:
            return None
        dialog = self.records_for(row, [c.key for c in self.progress.communes])
        dialog.open()
        return dialog

    def show_commune_records(self, r: int, column: int) -> RecordsDialog | None:
        """The records behind the figure in row `r`, column `column` as shown (column 0 is the
        commune's name; the total's row lists every commune's)."""
        progress = self.progress
        model = self.by_commune.rows_model
        if progress is None or not 1 <= column <= len(progress.rows) or not 0 <= r < model.rowCount():
            return None
        line = model.row_at(r)
        keys = [line.commune.key] if line.commune is not None else [c.key for c in progress.communes]
        dialog = self.records_for(progress.rows[column - 1], keys)
        dialog.open()
        return dialog

    def _open_ref(self, ref: RecordRef) -> None:
        self.open_record.emit(ref.kind, ref.id)

    def act_on_attention(self, entry: QListWidgetItem) -> None:
        index = entry.data(ID_ROLE)
        if index is None:
            return
        item = self.attention[index]
        if item.record_kind == "indicator" and self.progress is not None:
            self.tabs.setCurrentIndex(0)
            self.table.selectRow(self.table.rows_model.row_of(item.record_id))
        elif item.record_kind == "commune" and self.tabs.indexOf(self.by_commune) >= 0:
            self.tabs.setCurrentWidget(self.by_commune)
        elif item.record_kind in ("group", "sync"):
            self.open_record.emit(item.record_kind, item.record_id)

    # -- targets and reports -------------------------------------------------------------------
    def edit_targets(self) -> TargetsDialog | None:
        if self.progress is None:
            return None
        from da8desktop.core.indicators.catalogue import indicators_of

        progress = self.progress
        indicators = indicators_of(self.db, progress.period.phase_code)
        dialog = TargetsDialog(self.db, self.dialogs, progress.scope, progress.period.target_period,
                               indicators, progress.communes, self)
        dialog.accepted.connect(self.reload)
        dialog.open()
        return dialog

    def choose_excel(self) -> None:
        self._choose(self.tr("Export to Excel"), ".xlsx", self.tr("Excel workbooks (*.xlsx)"),
                     self.export_excel)

    def choose_pdf(self) -> None:
        self._choose(self.tr("Save as PDF"), ".pdf", self.tr("PDF files (*.pdf)"), self.export_pdf)

    def _choose(self, title: str, suffix: str, name_filter: str,
                then: Callable[[Path], None]) -> None:
        path = self.dialogs.save_file(title, name_filter, suffix=suffix,
                                      name=self.default_name(suffix))
        if path:
            then(Path(path))

    def default_name(self, suffix: str) -> str:
        period = self.period()
        return f"bao-cao-chi-tieu-{period.target_period}" + (
            f"-q{period.quarter}" if period.quarter else "") + suffix

    def export_excel(self, path: Path) -> None:
        """Pure core work (a province's workbook has a sheet per commune): in the background."""
        from da8desktop.core.excel.indicators import export_indicator_report

        progress = self.progress
        if progress is None:
            return
        self.export_task = run_operation(
            self, self.tr("Writing the report…"),
            lambda _p: export_indicator_report(self.db, progress, path), dialogs=self.dialogs,
            on_success=lambda _result: self._saved(path),
            on_failure=lambda error: self._report_failed(error, path))

    def export_pdf(self, path: Path) -> None:
        """Drawn with Qt (fonts, QPdfWriter), so on this thread; the content is already computed."""
        from da8desktop.core.domain import AuditAction
        from da8desktop.core.reports.indicator_report import indicator_report
        from da8desktop.core.reports.outputs import record_output
        from da8desktop.render.pdf import write_pdf

        if self.progress is None:
            return
        try:
            document = indicator_report(self.db, self.progress)
            pages = write_pdf(document, path)
            record_output(self.db, AuditAction.PRINT, f"indicator report -> {path.name}",
                          {"rows": document.row_count, "pages": pages})
        except (UserFacingError, OSError) as error:
            self._report_failed(error, path)
            return
        self._saved(path)

    def _saved(self, path: Path) -> None:
        self.dialogs.info(self.tr("Report"), self.tr("The report was saved to {file}").format(
            file=str(path)))

    def _report_failed(self, error: BaseException, path: Path | None = None) -> None:
        if isinstance(error, Cancelled):
            return
        if isinstance(error, OSError) and path is not None:
            text = self.tr("The report could not be written to {file}. Choose another folder, or "
                           "close the file if it is open in Excel.").format(file=str(path))
        else:
            show_failure(self.dialogs, self.tr("Report"), error)
            return
        self.dialogs.error(self.tr("Report"), text)
