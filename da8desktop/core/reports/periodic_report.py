"""The periodic report (quarter, half-year, year) as print content: a table of content →
activity group → sessions and participant-times with the sex, minority, children breakdowns,
then participant-times per ethnic group and per village, and the UBND certification block
(Thông tư 01/2022/TT-UBDT: the commune People's Committee certifies the report)."""

from __future__ import annotations

import datetime as dt

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_figure
from da8desktop.core.indicators.periodic import PeriodicReport, PeriodicRow
from da8desktop.core.reports.document import (Column, PrintDocument, Section, SignatureBlock,
                                              long_date)
from da8desktop.core.reports.member_list import signature_blocks
from da8desktop.core.reports.print_settings import load_print_settings

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
FIGURE_TITLES = ["Số cuộc/buổi", "Lượt người", "Nữ", "Nam", "DTTS", "Nữ DTTS", "Trẻ em"]


def report_title(report: PeriodicReport) -> str:
    return f"BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 8 {report.span.words()}"


def report_subtitle(report: PeriodicReport) -> str:
    return (f"({report.unit_name}; hoạt động từ ngày {report.span.start:%d/%m/%Y} "
            f"đến ngày {report.span.end:%d/%m/%Y})")


def figures(row: PeriodicRow) -> list[int]:
    return [row.sessions, row.participants, row.women, row.men, row.minority,
            row.women_minority, row.children]


def content_blocks(rows: list[PeriodicRow]) -> list[tuple[PeriodicRow, list[PeriodicRow]]]:
    """Each content's subtotal row, with its activity groups, in catalogue order."""
    blocks: list[tuple[PeriodicRow, list[PeriodicRow]]] = []
    for row in rows:
        if not blocks or blocks[-1][0].content != row.content:
            blocks.append((PeriodicRow(row.content, row.content_name, None, row.content_name), []))
        blocks[-1][0].add(row)
        blocks[-1][1].append(row)
    return blocks


def table_rows(rows: list[PeriodicRow]) -> list[list[str]]:
    out = []
    for i, (subtotal, groups) in enumerate(content_blocks(rows)):
        out.append([ROMAN[i] if i < len(ROMAN) else str(i + 1), subtotal.activity_group_name,
                    *(format_figure(n) for n in figures(subtotal))])
        out += [[g.activity_group or "", g.activity_group_name, *(format_figure(n) for n in figures(g))]
                for g in groups]
    return out


def _split_rows(rows: list[PeriodicRow], attribute: str) -> list[list[str]]:
    out: list[list[str]] = []
    for row in rows:
        for name, n in sorted(getattr(row, attribute).items()):
            out.append([str(len(out) + 1), f"{row.activity_group or ''} {row.activity_group_name}".strip(),
                        name, format_figure(n)])
    return out


def _sections(rows: list[PeriodicRow], prefix: str = "") -> list[Section]:
    main = [Column("STT", 5, "center"), Column("Nội dung, nhóm hoạt động", 40)] + [
        Column(t, 8, "right", True) for t in FIGURE_TITLES]
    split = [Column("STT", 5, "center"), Column("Nhóm hoạt động", 50), Column("", 20),
             Column("Lượt người", 10, "right", True)]
    by_ethnic = [Column("STT", 5, "center"), split[1], Column("Dân tộc", 20), split[3]]
    by_village = [Column("STT", 5, "center"), split[1], Column("Thôn/bản", 20), split[3]]
    sections = [Section(f"{prefix}1. Số cuộc/buổi và lượt người tham gia", main, table_rows(rows))]
    ethnic_rows, village_rows = _split_rows(rows, "by_ethnic"), _split_rows(rows, "by_village")
    if ethnic_rows:
        sections.append(Section(f"{prefix}2. Lượt người theo dân tộc", by_ethnic, ethnic_rows))
    if village_rows:
        sections.append(Section(f"{prefix}3. Lượt người theo thôn/bản", by_village, village_rows))
    return sections


def periodic_report(db: Database, report: PeriodicReport, on: dt.date | None = None) -> PrintDocument:
    settings = load_print_settings(db)
    if report.scope == "commune":
        sections = _sections(report.rows)
    else:
        sections = _sections(report.rows, "I.")
        for i, commune in enumerate(report.communes, start=1):
            if any(r.sessions for r in commune.rows):
                first = _sections(commune.rows, f"II.{i}.")[0]
                sections.append(Section(f"II.{i}. {commune.commune.name}", first.columns, first.rows))
        if report.province_own and any(r.sessions for r in report.province_own):
            first = _sections(report.province_own, "III.")[0]  # in the total, in no commune's
            sections.append(Section("III. Hoạt động do tỉnh tổ chức", first.columns, first.rows))
    for i, unit in enumerate([u for u in report.legacy_units or []
                              if any(r.sessions for r in u.rows)], start=1):
        first = _sections(unit.rows, f"IV.{i}.")[0]  # `--by-legacy-unit` (issue 20 item 8)
        sections.append(Section(f"IV.{i}. {unit.name} (trước 01/7/2025)", first.columns,
                                first.rows))
    blocks = signature_blocks(settings)
    if not settings.show_confirmation:  # the periodic report is always certified by the UBND
        blocks.append(SignatureBlock([settings.confirm_heading]))
    return PrintDocument(settings.superior_body, settings.issuing_body,
                         long_date(settings.place, on or dt.date.today()), report_title(report),
                         report_subtitle(report), sections, blocks, landscape=True)
