"""A printable document as plain data: the NĐ 30/2020 header, a title, tables, signature blocks.
Drawing it (PDF, printer) is the renderer's job (da8desktop/render); the CLI and the GUI draw the
same document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # relative width; the renderer scales the widths of a table to 100 %
    align: str = "left"  # left | center | right
    nowrap: bool = False  # numbers and dates must never break inside


@dataclass(frozen=True)
class Section:
    heading: str | None
    columns: list[Column]
    rows: list[list[str]]
    min_row_mm: float = 0.0  # a row to sign in is at least this high (0: as high as its text)


@dataclass(frozen=True)
class SignatureBlock:
    heading: list[str]  # e.g. ["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"]
    name: str = ""


@dataclass(frozen=True)
class PrintDocument:
    superior_body: str  # top-left first line, e.g. "ỦY BAN MTTQ VIỆT NAM XÃ MƯỜNG PHĂNG"
    issuing_body: str  # top-left second line, bold, e.g. "HỘI LHPN XÃ MƯỜNG PHĂNG"
    date_line: str  # "Mường Phăng, ngày 05 tháng 01 năm 2026"
    title: str
    subtitle: str | None
    sections: list[Section]
    signatures: list[SignatureBlock] = field(default_factory=list)
    landscape: bool = False  # wide tables (CCCD, phone) go on landscape A4

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def long_date(place: str, day: dt.date) -> str:
    """NĐ 30/2020: leading zero for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
