"""The periodic report as .xlsx: one sheet per unit (the commune; at the province the total and
each commune with activities), content subtotal rows, then activity groups; a column per figure,
per ethnic group present and per village present. Numbers are real numbers, text goes through
core/excel/cells (never a formula), totals are values, not formulas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction
from da8desktop.core.excel.cells import put
from da8desktop.core.excel.export import ExportResult, save_workbook
from da8desktop.core.excel.indicators import BOLD, HEADER_FILL, _sheet_name
from da8desktop.core.indicators.periodic import UNKNOWN, PeriodicReport, PeriodicRow
from da8desktop.core.reports.outputs import record_output
from da8desktop.core.reports.periodic_report import (FIGURE_TITLES, ROMAN, content_blocks,
                                                     figures, report_subtitle, report_title)
from da8desktop.core.reports.print_settings import load_print_settings


def _names(rows: list[PeriodicRow], attribute: str) -> list[str]:
    return sorted({k for r in rows for k in getattr(r, attribute)}, key=lambda n: (n == UNKNOWN, n))


def _sheet(ws: Worksheet, settings: Any, report: PeriodicReport, unit: str,
           rows: list[PeriodicRow]) -> None:
    ethnic, villages = _names(rows, "by_ethnic"), _names(rows, "by_village")
    titles = (["STT", "Nội dung, nhóm hoạt động", *FIGURE_TITLES]
              + [f"Dân tộc: {n}" for n in ethnic] + [f"Thôn/bản: {n}" for n in villages])
    put(ws, 1, 1, settings.issuing_body).font = BOLD
    put(ws, 2, 1, report_title(report)).font = Font(bold=True, size=13)
    put(ws, 3, 1, report_subtitle(report).replace(report.unit_name, unit, 1))
    header = 5
    for column, title in enumerate(titles, start=1):
        cell = put(ws, header, column, title)
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(column)].width = 11
    ws.column_dimensions["B"].width = 60
    r = header
    for i, (subtotal, groups) in enumerate(content_blocks(rows)):
        for row, label, bold in [(subtotal, ROMAN[i] if i < len(ROMAN) else str(i + 1), True)] + [
                (g, g.activity_group or "", False) for g in groups]:
            r += 1
            values = [label, row.activity_group_name, *figures(row),
                      *(row.by_ethnic.get(n, 0) for n in ethnic),
                      *(row.by_village.get(n, 0) for n in villages)]
            for column, value in enumerate(values, start=1):
                cell = put(ws, r, column, value)
                if bold:
                    cell.font = BOLD
            ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(header + 1, 3)


PROVINCE_OWN = "Hoạt động do tỉnh tổ chức"  # printed, so Vietnamese (official document)


def export_periodic_report(db: Database, report: PeriodicReport, path: Path) -> ExportResult:
    settings = load_print_settings(db)
    wb = Workbook()
    first = wb.active
    first.title = "Tổng hợp"
    _sheet(first, settings, report, report.unit_name, report.rows)
    used = {"Tổng hợp"}
    for commune in report.communes:
        if any(r.sessions for r in commune.rows):
            _sheet(wb.create_sheet(_sheet_name(commune.commune, used)), settings, report,
                   commune.commune.name, commune.rows)
    if report.province_own and any(r.sessions for r in report.province_own):
        # in the total, in no commune's sheet (issue 20 item 7)
        _sheet(wb.create_sheet("Tỉnh tổ chức"), settings, report, PROVINCE_OWN,
               report.province_own)
    for unit in report.legacy_units or []:  # `--by-legacy-unit` (issue 20 item 8)
        if any(r.sessions for r in unit.rows):
            _sheet(wb.create_sheet(f"Xã cũ {unit.code or 'chưa ghi'}"[:31]), settings, report,
                   f"{unit.name} (trước 01/7/2025)", unit.rows)
    save_workbook(wb, Path(path))
    record_output(db, AuditAction.EXPORT, f"periodic report -> {Path(path).name}",
                  {"rows": len(report.rows), "sheets": len(wb.sheetnames)})
    return ExportResult(Path(path), len(report.rows))
