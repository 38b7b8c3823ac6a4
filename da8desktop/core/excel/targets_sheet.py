"""Targets from a sheet and to a sheet (issue 21, item 2): one table of indicator x commune for a
year or a phase, as a province keeps it. Indicators across the top (codes or names) and communes
down the side (codes or names), or the other way round; the period in a cell above the table or
given by the officer. A preview says what is new, what changes and what is refused and why; the
targets are then written in one transaction, or not at all.

Workbooks are read only through safe_read (bounded) and written through cells (no formulas)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel import safe_read
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.indicators.catalogue import Indicator, indicators_of
from da8desktop.core.indicators.progress import Commune, province_of, scope_of
from da8desktop.core.services.targets import MAX_TARGET, TargetsService, targets_of
from da8desktop.core.text import fold

PERIOD = re.compile(r"^\s*(\d{4})(?:\s*[-–]\s*(\d{4}))?\s*$")
HEADER_SEARCH_ROWS = 30  # title lines a province puts above its table
UNIT_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ")

PERIOD_LABEL = QT_TRANSLATE_NOOP("Targets", "Period (year or phase)")
UNKNOWN_COMMUNE = QT_TRANSLATE_NOOP(
    "Targets", "no commune of this province is called \"{value}\" (row {row}).")
UNKNOWN_INDICATOR = QT_TRANSLATE_NOOP(
    "Targets", "no indicator has the code or name \"{value}\" (column {column}).")
NOT_A_NUMBER = QT_TRANSLATE_NOOP(
    "Targets", "\"{value}\" in {cell} is not a number from 0 to 1.000.000.000.")
TWICE = QT_TRANSLATE_NOOP(
    "Targets", "{cell}: this commune and indicator already have a target earlier in the sheet.")
ALLOCATED = QT_TRANSLATE_NOOP(
    "Targets", "{cell}: this target was allocated by the province and cannot be changed here.")
NOT_A_PERCENTAGE = QT_TRANSLATE_NOOP(
    "Targets", "\"{value}\" in {cell}: {code} is a percentage, from 0 to 100.")
# The province's own row (its total, such as 540 teams), below the communes
WHOLE_PROVINCE = QT_TRANSLATE_NOOP("Targets", "Whole province")
WHOLE_PROVINCE_NAMES = ("toan tinh", "whole province", "tong toan tinh", "ca tinh")


@dataclass(frozen=True)
class Refusal:
    kind: str  # unknown_commune | unknown_indicator | not_a_number | not_a_percentage |
    # twice | allocated
    cell: str
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "cell": self.cell, "reason": self.reason}


@dataclass(frozen=True)
class TargetChange:
    indicator: Indicator
    commune: Commune
    before: float | None
    after: float

    def as_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator.code, "commune": self.commune.code,
                "commune_name": self.commune.name, "before": self.before, "after": self.after}


@dataclass
class TargetsPreview:
    period: str
    new: list[TargetChange] = field(default_factory=list)
    changed: list[TargetChange] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)

    @property
    def writes(self) -> list[TargetChange]:
        return [*self.new, *self.changed]

    def as_json(self) -> dict[str, Any]:
        return {"period": self.period, "new": [c.as_json() for c in self.new],
                "changed": [c.as_json() for c in self.changed], "unchanged": self.unchanged,
                "refused": [r.as_json() for r in self.refused]}


def parse_target(value: Any) -> float | None:
    """A cell's number: 12, 12.5, '12', '12,5', '1.200' (Vietnamese thousands). None if empty;
    ValueError if it is not a number from 0 to MAX_TARGET."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "").removesuffix("%")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") >= 1 and all(len(p) == 3 for p in text.split(".")[1:]):
            text = text.replace(".", "")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            raise ValueError(value)
        number = float(text)
    if not math.isfinite(number) or number < 0 or number > MAX_TARGET:
        raise ValueError(value)
    return number


def parse_period(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    match = PERIOD.match(str(value)) if value is not None else None
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return f"{match.group(1)}-{match.group(2)}" if match.group(2) else match.group(1)


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Names:
    """Indicators and communes found by code or by name, accents and case aside."""

    def __init__(self, indicators: list[Indicator], communes: list[Commune],
                 province: Commune | None = None) -> None:
        self.indicators: dict[str, Indicator] = {}
        for indicator in indicators:
            for name in (indicator.code, indicator.name, indicator.name_en):
                self.indicators.setdefault(fold(name), indicator)
        self.communes: dict[str, Commune] = {}
        for commune in communes:
            self.communes[commune.code] = commune
            self.communes.setdefault(fold(commune.name), commune)
            self.communes.setdefault(_unprefixed(fold(commune.name)), commune)
        if province is not None:  # by name only: a serial number 11 is not the province
            for name in (*WHOLE_PROVINCE_NAMES, fold(WHOLE_PROVINCE.render()),
                         fold(province.name), fold(province.name).removeprefix("tinh ")):
                self.communes.setdefault(name, province)

    def indicator(self, value: Any) -> Indicator | None:
        return self.indicators.get(fold(str(value))) if isinstance(value, str) else None

    def commune(self, value: Any) -> Commune | None:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        if text.isdigit():
            return self.communes.get(text.zfill(5))
        folded = fold(text)
        return self.communes.get(folded) or self.communes.get(_unprefixed(folded))


def _unprefixed(folded: str) -> str:
    for prefix in UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def preview_targets(db: Database, path: Path, period: str | None = None) -> TargetsPreview:
    """Read the sheet and compare it with the targets held: nothing is written."""
    _scope, _unit, communes = scope_of(db)
    indicators = indicators_of(db)
    names = _Names(indicators, communes, province_of(db))
    ws, _sheets = safe_read.open_sheet(path, None)
    table = [[_cell_value(cell) for cell in cells] for cells in safe_read.rows(ws, path)]
    header_at, across = _find_header(table, names)
    found_period = next((p for row in table[:header_at] for v in row
                         if (p := parse_period(v)) is not None), None)
    chosen = parse_period(period) if period is not None else found_period
    if chosen is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "{file} does not say which year or phase its targets are for. Give it "
            "with --period (2026 or 2026-2030), or write it above the table."), file=path.name)
    result = TargetsPreview(chosen)
    held = targets_of(db, chosen)
    seen: set[tuple[str, str]] = set()
    header = table[header_at]
    first = next(i for i, v in enumerate(header) if _heading(names, v, across) is not None)
    headings: dict[int, Any] = {}
    for index in range(first, len(header)):
        value = header[index]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        found = _heading(names, value, across)
        if found is None:
            kind, text = (("unknown_indicator", UNKNOWN_INDICATOR) if across
                          else ("unknown_commune", UNKNOWN_COMMUNE))
            result.refused.append(Refusal(kind, f"{_column_letter(index)}{header_at + 1}",
                                          text.render(value=value, column=_column_letter(index),
                                                      row=header_at + 1)))
        headings[index] = found
    for row_index in range(header_at + 1, len(table)):
        row = table[row_index]
        if not any(v not in (None, "") for v in row[first:]):
            continue
        label = next((v for v in row[:first] if v not in (None, "")), None)
        side = _side(names, row[:first], across)
        if side is None:
            kind, text = (("unknown_commune", UNKNOWN_COMMUNE) if across
                          else ("unknown_indicator", UNKNOWN_INDICATOR))
            result.refused.append(Refusal(kind, f"A{row_index + 1}", text.render(
                value=label if label is not None else "", row=row_index + 1, column="A")))
            continue
        for index, heading in headings.items():
            if heading is None or index >= len(row):
                continue
            cell = f"{_column_letter(index)}{row_index + 1}"
            try:
                value = parse_target(row[index])
            except ValueError:
                result.refused.append(Refusal("not_a_number", cell, NOT_A_NUMBER.render(
                    value=row[index], cell=cell)))
                continue
            if value is None:
                continue
            indicator, commune = (heading, side) if across else (side, heading)
            if indicator.is_percent and value > 100:
                result.refused.append(Refusal("not_a_percentage", cell, NOT_A_PERCENTAGE.render(
                    value=row[index], cell=cell, code=indicator.code)))
                continue
            key = (indicator.key, commune.key)
            if key in seen:
                result.refused.append(Refusal("twice", cell, TWICE.render(cell=cell)))
                continue
            seen.add(key)
            before = held.get(key)
            if before is not None and before.set_by_province and _scope == "commune":
                result.refused.append(Refusal("allocated", cell, ALLOCATED.render(cell=cell)))
                continue
            if before is None:
                result.new.append(TargetChange(indicator, commune, None, value))
            elif before.value != value:
                result.changed.append(TargetChange(indicator, commune, before.value, value))
            else:
                result.unchanged += 1
    return result


def _cell_value(cell: Any) -> Any:
    """A number shown as a percentage (80 % is stored as 0.8) is read as the percentage shown."""
    value = getattr(cell, "value", None)
    if (isinstance(value, (int, float)) and not isinstance(value, bool)
            and "%" in str(getattr(cell, "number_format", "") or "")):
        return round(value * 100, 6)
    return value


def _heading(names: _Names, value: Any, across: bool) -> Any:
    return names.indicator(value) if across else names.commune(value)


def _side(names: _Names, cells: list[Any], across: bool) -> Any:
    """What a row is about, from its label cells (a code, a name or both). A code naming nothing,
    or a code and a name naming two different things, leave the row unknown."""
    found: dict[str, Any] = {}
    for value in cells:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        one = names.commune(value) if across else names.indicator(value)
        if one is None and _looks_like_code(value):
            return None
        if one is not None:
            found[one.key] = one
    return next(iter(found.values())) if len(found) == 1 else None


def _looks_like_code(value: Any) -> bool:
    """A commune code (4-5 digits); a serial number column (1, 2, 3...) is not one."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.isdigit() and len(text) >= 4


def _find_header(table: list[list[Any]], names: _Names) -> tuple[int, bool]:
    """(row index, True when indicators run across it). The first row naming an indicator, or
    else the first naming at least two communes (the sheet turned round)."""
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        if any(names.indicator(v) is not None for v in row):
            return index, True
        if sum(names.commune(v) is not None for v in row if isinstance(v, str)) >= 2:
            return index, False
    raise UserFacingError(QT_TRANSLATE_NOOP(
        "Targets", "No table of targets was found in the first sheet: write the indicators' "
        "codes (such as II.TTCD) across one row and the communes' codes or names down the first "
        "column. \"targets export\" writes a sheet of the right shape."))


def apply_targets(db: Database, preview: TargetsPreview) -> int:
    """Every new and changed target in one transaction; refused cells block the whole sheet."""
    if preview.refused:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "{count} cells of the sheet were refused, so no target was saved. Correct "
            "them (or delete those rows or columns) and import the sheet again."),
            count=len(preview.refused))
    return TargetsService(db).set_many(
        [(c.indicator.key, c.commune.key, preview.period, c.after) for c in preview.writes])


def export_targets(db: Database, path: Path, period: str) -> int:
    """The same shape `preview_targets` reads: the period above, indicator codes across, commune
    codes and names down; a second sheet names each indicator. Returns the targets written."""
    from openpyxl import Workbook

    from da8desktop.core.excel.cells import text_row

    _scope, unit, communes = scope_of(db)
    phase = period if "-" in period else _phase_of(period)
    indicators = [i for i in indicators_of(db) if phase is None or i.phase == phase]
    held = targets_of(db, period)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(QT_TRANSLATE_NOOP("Targets", "Targets").render()[:31])
    sheet.append(text_row(sheet, [PERIOD_LABEL.render(), period, unit]))
    sheet.append([])
    sheet.append(text_row(sheet, [QT_TRANSLATE_NOOP("Targets", "Commune code").render(),
                                  QT_TRANSLATE_NOOP("Targets", "Commune").render(),
                                  *(i.code for i in indicators)]))
    written = 0
    whole = province_of(db)
    lines = [(c.code, c.name, c.key) for c in communes]
    if whole is not None:
        lines.append((whole.code, WHOLE_PROVINCE.render(), whole.key))
    for code, name, key in lines:
        values = [held[(i.key, key)].value if (i.key, key) in held else None
                  for i in indicators]
        written += sum(v is not None for v in values)
        sheet.append(text_row(sheet, [code, name, *values]))
    legend = book.create_sheet(QT_TRANSLATE_NOOP("Targets", "Indicators").render()[:31])
    legend.append(text_row(legend, [QT_TRANSLATE_NOOP("Targets", "Code").render(),
                                    QT_TRANSLATE_NOOP("Targets", "Indicator").render(),
                                    QT_TRANSLATE_NOOP("Targets", "Unit").render()]))
    for indicator in indicators:
        legend.append(text_row(legend, [indicator.code, indicator.name, indicator.unit]))
    from da8desktop.core.excel.export import save_workbook

    save_workbook(book, path)
    return written


def _phase_of(year: str) -> str | None:
    number = int(year)
    for start in (2021, 2026):
        if start <= number <= start + 4:
            return f"{start}-{start + 4}"
    return None

