"""The progress report as .xlsx: a commune gets one sheet; a province a summary sheet, a sheet of
every commune against every indicator, and one sheet per commune that has a target or a value.
Numbers are real numbers (the province sums them again), percentages real percentages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction
from da8desktop.core.excel.cells import put
from da8desktop.core.excel.export import ExportResult, _save
from da8desktop.core.indicators.progress import Cell, Commune, ProgressReport
from da8desktop.core.reports.indicator_report import (STATUS_WORDS, report_subtitle,
                                                      report_title)
from da8desktop.core.reports.outputs import record_output
from da8desktop.core.reports.print_settings import load_print_settings

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3E3EA")
BEHIND_FILL = PatternFill("solid", fgColor="FCE4D6")
PERCENT = "0.0%"


def _title(ws: Worksheet, db_settings: Any, progress: ProgressReport, width: int) -> int:
    """Organisation, title and period lines; returns the next free row."""
    put(ws, 1, 1, db_settings.issuing_body).font = BOLD
    put(ws, 2, 1, report_title(progress)).font = Font(bold=True, size=13)
    put(ws, 3, 1, report_subtitle(progress))
    for row in (2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).alignment = Alignment(horizontal="center")
    return 5


def _header(ws: Worksheet, row: int, titles: list[str], widths: list[int]) -> None:
    for column, (title, width) in enumerate(zip(titles, widths), start=1):
        cell = put(ws, row, column, title)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(column)].width = width


def _cell_values(cell: Cell) -> list[Any]:
    share = None if not cell.target else cell.achieved / cell.target
    return [cell.target, cell.achieved, share, STATUS_WORDS[cell.status]]


def _indicator_sheet(ws: Worksheet, settings: Any, progress: ProgressReport,
                     cells: list[tuple[Any, Cell, float | None]]) -> None:
    quarter = progress.period.kind == "quarter"
    titles = ["STT", "Mã", "Chỉ tiêu", "Đơn vị", "Chỉ tiêu giao", "Thực hiện", "Tỷ lệ"]
    widths = [6, 11, 52, 10, 12, 12, 9]
    if quarter:
        titles.append("Trong quý")
        widths.append(11)
    titles += ["Đánh giá", "Nữ", "Nam", "Dân tộc thiểu số", "Trẻ em"]
    widths += [17, 9, 9, 11, 9]
    start = _title(ws, settings, progress, len(titles))
    _header(ws, start, titles, widths)
    for i, (indicator, cell, in_quarter) in enumerate(cells, start=1):
        target, achieved, share, status = _cell_values(cell)
        values = [i, indicator.code, indicator.name, indicator.unit, target, achieved, share]
        if quarter:
            values.append(in_quarter)
        figure = cell.figure
        people = [figure.women, figure.men, figure.minority, figure.children] \
            if figure.has_people else [None] * 4
        values += [status, *people]
        row = start + i
        for column, value in enumerate(values, start=1):
            put(ws, row, column, value)
        ws.cell(row, 7).number_format = PERCENT
        ws.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
        if cell.status == "behind":
            ws.cell(row, titles.index("Đánh giá") + 1).fill = BEHIND_FILL
    ws.freeze_panes = ws.cell(start + 1, 1)


def _sheet_name(commune: Commune, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", f"{commune.code} {commune.name}")[:31]
    while name in used:
        name = name[:28] + f"~{len(used) % 100:02d}"
    used.add(name)
    return name


def _matrix_sheet(ws: Worksheet, settings: Any, progress: ProgressReport) -> None:
    """Communes down, indicators across (target, achieved); totals at the bottom."""
    start = _title(ws, settings, progress, 2 + 2 * len(progress.rows))
    put(ws, start, 1, "Mã xã").font = BOLD
    put(ws, start, 2, "Xã").font = BOLD
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 8, 28
    for j, row in enumerate(progress.rows):
        column = 3 + 2 * j
        put(ws, start, column, f"{row.indicator.code} ({row.indicator.unit})").font = BOLD
        ws.merge_cells(start_row=start, start_column=column, end_row=start, end_column=column + 1)
        put(ws, start + 1, column, "Giao").font = BOLD
        put(ws, start + 1, column + 1, "Thực hiện").font = BOLD
        for k in (column, column + 1):
            ws.column_dimensions[get_column_letter(k)].width = 10
    first = start + 2
    for i, commune in enumerate(progress.communes):
        r = first + i
        put(ws, r, 1, commune.code)
        put(ws, r, 2, commune.name)
        for j, row in enumerate(progress.rows):
            cell = row.by_commune.get(commune.key)
            if cell is None:
                continue
            put(ws, r, 3 + 2 * j, cell.target)
            achieved = put(ws, r, 4 + 2 * j, cell.achieved)
            if cell.status == "behind":
                achieved.fill = BEHIND_FILL
    total_row = first + len(progress.communes)
    if any(row.province_own is not None and row.province_own.total for row in progress.rows):
        put(ws, total_row, 2, "Hoạt động do tỉnh tổ chức")  # in the total, in no commune's
        for j, row in enumerate(progress.rows):
            if row.province_own is not None and row.province_own.total:
                put(ws, total_row, 4 + 2 * j, row.province_own.total)
        total_row += 1
    put(ws, total_row, 2, "Tổng cộng").font = BOLD
    for j, row in enumerate(progress.rows):
        # Values, not formulas: scripts reading the file with openpyxl see no formula results.
        put(ws, total_row, 3 + 2 * j, row.cell.target).font = BOLD
        put(ws, total_row, 4 + 2 * j, row.cell.achieved).font = BOLD
    if any(row.province_target is not None for row in progress.rows):
        # The total compared is the province's own ("540 teams"); beside it what the communes
        # were given, so a total not yet (or not wholly) split shows.
        put(ws, total_row + 1, 2, "Trong đó đã giao cho các xã")
        for j, row in enumerate(progress.rows):
            put(ws, total_row + 1, 3 + 2 * j, row.allocated)
    ws.freeze_panes = ws.cell(first, 3)


def export_indicator_report(db: Database, progress: ProgressReport, path: Path) -> ExportResult:
    settings = load_print_settings(db)
    wb = Workbook()
    summary = wb.active
    summary.title = "Tổng hợp"
    _indicator_sheet(summary, settings, progress,
                     [(r.indicator, r.cell, r.in_quarter) for r in progress.rows])
    sheets = 1
    if progress.scope == "province":
        _matrix_sheet(wb.create_sheet("Theo xã"), settings, progress)
        used: set[str] = {"Tổng hợp", "Theo xã"}
        for commune in progress.communes:
            cells = [(r.indicator, r.by_commune[commune.key], None) for r in progress.rows
                     if commune.key in r.by_commune]
            if not any(c.target is not None or c.achieved for _i, c, _q in cells):
                continue
            ws = wb.create_sheet(_sheet_name(commune, used))
            _indicator_sheet(ws, settings, _for_commune(progress, commune), cells)
            sheets += 1
    _save(wb, Path(path))
    record_output(db, AuditAction.EXPORT, f"indicator report -> {Path(path).name}",
                  {"rows": len(progress.rows), "sheets": sheets})
    return ExportResult(Path(path), len(progress.rows))


def _for_commune(progress: ProgressReport, commune: Commune) -> ProgressReport:
    return ProgressReport("commune", commune.name, progress.period, progress.as_at,
                          progress.expected, [commune], progress.rows)
