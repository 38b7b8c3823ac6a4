"""Báo cáo định kỳ: the quarter, half-year or year report (Thông tư 01/2022/TT-UBDT) on screen,
as core/indicators/periodic.py counts it: content → activity group → sessions and
participant-times with every breakdown. A double-click on a figure lists the activities behind
it (as on the Progress page); the report is saved as .xlsx and as the Decree-30 PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.periodic import (
    UNKNOWN,
    PeriodicReport,
    PeriodicRow,
    ReportSpan,
    compute_periodic,
)
from da8desktop.core.indicators.periodic_records import (
    COUNTS,
    ETHNIC,
    VILLAGE,
    figure_of,
    periodic_records,
)
from da8desktop.core.indicators.periods import QUARTERS
from da8desktop.core.reports.periodic_report import ROMAN, content_blocks
from da8desktop.gui.crash import show_failure
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.operations import CoalescedLoad, run_operation
from da8desktop.gui.widgets.records_dialog import RecordsDialog
from da8desktop.gui.widgets.tables import Column, RecordTable

WHOLE = ""  # the unit chooser's entry for the whole province
ZERO = QColor("#9a9a9a")  # most cells of a quarter are 0: the figures stand out


@dataclass(frozen=True)
class ShownRow:
    """One line of the grid: a content's subtotal (bold) or an activity group."""

    row: PeriodicRow
    label: str
    subtotal: bool


class PeriodicReportPage(QWidget):
    # (kind, id): the main window opens the activity on its page (commune only)
    open_record = Signal(str, object)

    def __init__(self, db: Database, dialogs: Dialogs, parent: QWidget | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(parent)
        self.db, self.dialogs = db, dialogs
        self.report: PeriodicReport | None = None
        # Asked again while counting (the officer changes the span twice): counted once more.
        self.loader = CoalescedLoad(self, self.tr("Counting the activities…"), lambda: None,
                                    self._loaded, dialogs=dialogs)
        # The table's columns: the figures' names (core/indicators/periodic_records.py).
        self.figures: list[str] = []
        self.headers: list[str] = []
        self.title = QLabel(self.tr("Periodic report"))
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel(wordWrap=True)
        self.year = QComboBox()
        for year in range(2021, 2031):
            self.year.addItem(str(year), year)
        now = today()
        self.year.setCurrentIndex(self.year.findData(min(2030, max(2021, now.year))))
        self.span = QComboBox()
        for q, roman in enumerate(QUARTERS, start=1):
            self.span.addItem(self.tr("Quarter {q}").format(q=roman), f"q{q}")
        self.span.addItem(self.tr("First 6 months"), "h1")
        self.span.addItem(self.tr("Last 6 months"), "h2")
        self.span.addItem(self.tr("Whole year"), "year")
        self.span.setCurrentIndex((now.month - 1) // 3)  # the quarter running
        self.unit = QComboBox()  # the province chooses one commune or the whole province
        self.unit.setVisible(False)
        self.excel_button = QPushButton(self.tr("Export to Excel…"))
        self.excel_button.clicked.connect(self.choose_excel)
        self.pdf_button = QPushButton(self.tr("Save as PDF…"))
        self.pdf_button.clicked.connect(self.choose_pdf)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Year")))
        bar.addWidget(self.year)
        bar.addWidget(self.span)
        bar.addWidget(self.unit)
        bar.addStretch(1)
        bar.addWidget(self.excel_button)
        bar.addWidget(self.pdf_button)
        # Columns change with the report (its ethnic groups and villages): set when filled.
        self.table = RecordTable([])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.doubleClicked.connect(
            lambda index: self.show_records(index.row(), index.column()))
        self.hint = QLabel(self.tr("Double-click a figure to see the activities behind it."),
                           wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.span.currentIndexChanged.connect(lambda _i: self.reload())
        self.unit.currentIndexChanged.connect(lambda _i: self._fill())
        self.reload()

    # -- loading -------------------------------------------------------------------------------
    def report_span(self) -> ReportSpan:
        chosen: str = self.span.currentData()  # q1…q4, h1, h2 or year
        number = int(chosen[1]) if chosen != "year" else None
        return ReportSpan.choose(self.year.currentData(), number if chosen[0] == "q" else None,
                                 number if chosen[0] == "h" else None)

    def reload(self, _changed: object = None) -> None:
        """Counted in the background: a province's year holds thousands of activities."""
        span = self.report_span()
        self.loader.work = lambda: compute_periodic(self.db, span)
        self.loader.start()

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def _loaded(self, report: PeriodicReport | None) -> None:
        if report is None:
            return
        self.report = report
        if report.scope == "province":
            chosen = self.unit.currentData()
            self.unit.blockSignals(True)
            self.unit.clear()
            self.unit.addItem(self.tr("Whole province"), WHOLE)
            for part in report.communes:
                self.unit.addItem(part.commune.name, part.commune.key)
            self.unit.setCurrentIndex(max(0, self.unit.findData(chosen)))
            self.unit.blockSignals(False)
            self.unit.setVisible(True)
        self._fill()

    def shown_report(self) -> PeriodicReport | None:
        """The report on screen: the commune's, the province's total, or one of its communes."""
        report = self.report
        if report is None or report.scope != "province" or not self.unit.currentData():
            return report
        return report.of_commune(self.unit.currentData())

    # -- the table -----------------------------------------------------------------------------
    def _fill(self) -> None:
        report = self.shown_report()
        if report is None:
            return
        span = report.span
        sessions = sum(r.sessions for r in report.rows)
        participants = sum(r.participants for r in report.rows)
        self.subtitle.setText(self.tr(
            "{unit}: activities held from {start} to {end}: {sessions} sessions, {people} "
            "participant-times.").format(
            unit=report.unit_name, start=span.start.strftime("%d/%m/%Y"),
            end=span.end.strftime("%d/%m/%Y"), sessions=format_figure(sessions),
            people=format_figure(participants)))
        ethnic, villages = report.ethnic_names(), report.village_names()
        self.figures = list(COUNTS) + [ETHNIC + n for n in ethnic] + [VILLAGE + n for n in villages]
        unknown = self.tr("Not known")
        headers = [self.tr("Content, activity group"), self.tr("Sessions"),
                   self.tr("Participant-times"), self.tr("Women"), self.tr("Men"),
                   self.tr("Ethnic minority"), self.tr("Minority women"),
                   self.tr("Children\n(under 16)")]
        headers += [self.tr("Ethnic group:\n{name}").format(name=unknown if n == UNKNOWN else n)
                    for n in ethnic]
        headers += [self.tr("Village:\n{name}").format(name=unknown if n == UNKNOWN else n)
                    for n in villages]
        blocks = content_blocks(report.rows)
        shown: list[ShownRow] = []
        for i, (subtotal, groups) in enumerate(blocks):
            number = ROMAN[i] if i < len(ROMAN) else str(i + 1)
            shown.append(ShownRow(subtotal, f"{number}. {subtotal.activity_group_name}", True))
            shown += [ShownRow(group, f"{group.activity_group or ''} "
                                      f"{group.activity_group_name}".strip(), False)
                      for group in groups]
        self.headers = headers
        tip = self.tr("Double-click to see the activities behind this figure.")
        font = QFont(self.table.font())
        font.setBold(True)
        bold = {Qt.ItemDataRole.FontRole: lambda line: font if line.subtotal else None}
        columns: list[Column[ShownRow]] = [Column(headers[0], lambda line: line.label, roles=bold)]
        columns += [self._figure_column(title, figure, tip, bold)
                    for title, figure in zip(headers[1:], self.figures)]
        table = self.table
        table.rows_model.set_columns(columns)
        table.set_rows(shown)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 340)
        table.resizeRowsToContents()

    @staticmethod
    def _figure_column(title: str, figure: str, tip: str,
                       bold: dict[int, Callable[[ShownRow], object]]) -> Column[ShownRow]:
        def value(line: ShownRow) -> int | float:
            return figure_of(line.row, figure)

        return Column(title, lambda line: format_figure(value(line)), sort=value, right=True,
                      tooltip=lambda _line: tip,
                      roles={**bold, Qt.ItemDataRole.ForegroundRole:
                             lambda line: ZERO if not value(line) else None})

    # -- click-through -------------------------------------------------------------------------
    def records_for(self, r: int, column: int) -> RecordsDialog | None:
        """The activities behind the figure in row `r`, column `column` as shown (sorted or not)."""
        report = self.shown_report()
        model = self.table.rows_model
        if report is None or not 1 <= column <= len(self.figures) or not 0 <= r < model.rowCount():
            return None
        line, figure = model.row_at(r), self.figures[column - 1]
        refs = periodic_records(self.db, report, line.row, figure)
        title = f"{line.label} — " + self.headers[column].replace("\n", " ")
        opener = None if self.report is not None and self.report.scope == "province" else \
            (lambda ref: self.open_record.emit(ref.kind, ref.id))
        return RecordsDialog(title, refs, opener, self)

    def show_records(self, r: int, column: int) -> RecordsDialog | None:
        dialog = self.records_for(r, column)
        if dialog is not None:
            dialog.open()
        return dialog

    # -- saving --------------------------------------------------------------------------------
    def default_name(self, suffix: str) -> str:
        span = self.report_span()
        part = f"-q{span.quarter}" if span.quarter else f"-6t{span.half}" if span.half else ""
        return f"bao-cao-dinh-ky-{span.year}{part}{suffix}"

    def choose_excel(self) -> None:
        self._choose(self.tr("Export to Excel"), ".xlsx", self.tr("Excel workbooks (*.xlsx)"),
                     self.export_excel)

    def choose_pdf(self) -> None:
        self._choose(self.tr("Save as PDF"), ".pdf", self.tr("PDF files (*.pdf)"), self.export_pdf)

    def _choose(self, title: str, suffix: str, name_filter: str,
                then: Callable[[Path], None]) -> None:
        if self.report is None:
            return
        path = self.dialogs.save_file(title, name_filter, suffix=suffix,
                                      name=self.default_name(suffix))
        if path:
            then(Path(path))

    def export_excel(self, path: Path) -> None:
        from da8desktop.core.excel.periodic import export_periodic_report

        report = self.shown_report()
        if report is None:
            return
        self.export_task = run_operation(
            self, self.tr("Writing the report…"),
            lambda _p: export_periodic_report(self.db, report, path), dialogs=self.dialogs,
            on_success=lambda _result: self._saved(path),
            on_failure=lambda error: self._failed(error, path))

    def export_pdf(self, path: Path) -> None:
        """Drawn with Qt (fonts, QPdfWriter), so on this thread; the figures are already counted."""
        from da8desktop.core.domain import AuditAction
        from da8desktop.core.reports.outputs import record_output
        from da8desktop.core.reports.periodic_report import periodic_report
        from da8desktop.render.pdf import write_pdf

        report = self.shown_report()
        if report is None:
            return
        try:
            document = periodic_report(self.db, report)
            pages = write_pdf(document, path)
            record_output(self.db, AuditAction.PRINT, f"periodic report -> {path.name}",
                          {"rows": document.row_count, "pages": pages})
        except (UserFacingError, OSError) as error:
            self._failed(error, path)
            return
        self._saved(path)

    def _saved(self, path: Path) -> None:
        self.dialogs.info(self.tr("Periodic report"), self.tr(
            "The report was saved to {file}").format(file=str(path)))

    def _failed(self, error: BaseException, path: Path) -> None:
        """A file that cannot be written is named with what to do; anything else goes to the
        one failure policy (a plain message, or the crash dialog; never the exception text)."""
        if isinstance(error, OSError):
            self.dialogs.error(self.tr("Periodic report"), self.tr(
                "The report could not be written to {file}. Choose another folder, or close "
                "the file if it is open in Excel.").format(file=str(path)))
        else:
            show_failure(self.dialogs, self.tr("Periodic report"), error)
