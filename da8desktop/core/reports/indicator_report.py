"""The quarterly / annual progress report on indicators, as print content. Official documents are
Vietnamese whatever the interface language (like the member lists)."""

from __future__ import annotations

import datetime as dt

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.progress import Cell, IndicatorProgress, ProgressReport
from da8desktop.core.reports.document import Column, PrintDocument, Section, long_date
from da8desktop.core.reports.member_list import signature_blocks
from da8desktop.core.reports.print_settings import load_print_settings

STATUS_WORDS = {"done": "Hoàn thành", "on_track": "Đúng tiến độ", "behind": "Chậm tiến độ",
                "no_target": "Chưa giao chỉ tiêu"}


def period_words(progress: ProgressReport) -> str:
    period = progress.period
    if period.kind == "phase":
        return f"GIAI ĐOẠN {period.phase_code}"
    if period.kind == "quarter":
        return f"QUÝ {period.quarter} NĂM {period.year}"
    return f"NĂM {period.year}"


def report_title(progress: ProgressReport) -> str:
    return f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU DỰ ÁN 8 {period_words(progress)}"


def report_subtitle(progress: ProgressReport) -> str:
    return f"({progress.unit_name}; số liệu tính đến ngày {progress.as_at:%d/%m/%Y})"


def percent_text(cell: Cell) -> str:
    return "" if cell.percent is None else format_figure(round(cell.percent, 1))


def summary_columns(progress: ProgressReport) -> list[Column]:
    columns = [Column("STT", 5, "center"), Column("Chỉ tiêu", 38), Column("Đơn vị", 9, "center"),
               Column("Chỉ tiêu giao", 10, "right", True), Column("Thực hiện", 10, "right", True),
               Column("Tỷ lệ (%)", 8, "right", True)]
    if progress.period.kind == "quarter":
        columns.append(Column("Trong quý", 9, "right", True))
    return columns + [Column("Đánh giá", 12, "center")]


def summary_rows(progress: ProgressReport) -> list[list[str]]:
    rows = []
    for i, row in enumerate(progress.rows, start=1):
        cells = [str(i), row.indicator.name, row.indicator.unit, format_figure(row.cell.target),
                 format_figure(row.cell.achieved), percent_text(row.cell)]
        if progress.period.kind == "quarter":
            cells.append(format_figure(row.in_quarter))
        rows.append(cells + [STATUS_WORDS[row.cell.status]])
    return rows


def commune_rows(row: IndicatorProgress, progress: ProgressReport) -> list[list[str]]:
    """One indicator across the communes that have a target or a value."""
    rows: list[list[str]] = []
    for commune in progress.communes:
        cell = row.by_commune.get(commune.key)
        if cell is None or (cell.target is None and not cell.achieved):
            continue
        rows.append([str(len(rows) + 1), commune.name, format_figure(cell.target),
                     format_figure(cell.achieved), percent_text(cell), STATUS_WORDS[cell.status]])
    if row.province_own is not None and row.province_own.total:  # issue 20 item 7
        rows.append(["", "Hoạt động do tỉnh tổ chức", "", format_figure(row.province_own.total),
                     "", ""])
    return rows


def indicator_report(db: Database, progress: ProgressReport, on: dt.date | None = None
                     ) -> PrintDocument:
    settings = load_print_settings(db)
    sections = [Section(None if progress.scope == "commune" else "I. TỔNG HỢP TOÀN TỈNH",
                        summary_columns(progress), summary_rows(progress))]
    if progress.scope == "province":
        columns = [Column("STT", 5, "center"), Column("Xã", 35), Column("Chỉ tiêu giao", 12, "right", True),
                   Column("Thực hiện", 12, "right", True), Column("Tỷ lệ (%)", 10, "right", True),
                   Column("Đánh giá", 14, "center")]
        for i, row in enumerate(progress.rows, start=1):
            rows = commune_rows(row, progress)
            if rows:
                sections.append(Section(f"II.{i}. {row.indicator.name} ({row.indicator.unit})",
                                        columns, rows))
    return PrintDocument(settings.superior_body, settings.issuing_body,
                         long_date(settings.place, on or dt.date.today()), report_title(progress),
                         report_subtitle(progress), sections, signature_blocks(settings), landscape=True)
