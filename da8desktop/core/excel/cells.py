"""Every value the application writes into a workbook goes through here, so that text typed by
someone (a name, a village, an audit summary) is always a text cell and never a formula: openpyxl
turns any string starting with "=" into a live formula, and "#N/A" into an error. A person named
"=HYPERLINK(...)" shows exactly those characters in Excel and does nothing (issue 18, item 5).

Text starting with a character a spreadsheet program may read as a formula when the cell is
edited ("=", "+", "-", "@", tab, carriage return) is also marked "quote prefix", Excel's own way
of saying "this is text"; the characters shown and read back are unchanged."""

from __future__ import annotations

from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Control characters XML cannot hold are dropped (openpyxl would refuse the whole file)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _needs_guard(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) or value in ERROR_CODES


def _as_text(cell: Cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # after the value: openpyxl's own guess made it a formula
    cell.quotePrefix = True


def row_value(ws: Worksheet, value: Any) -> Any:
    """A value for `ws.append([...])` (write-only or normal sheet): itself when openpyxl writes
    it as is, a text cell when it would become a formula or an error."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if not _needs_guard(value):
        return value
    cell = WriteOnlyCell(ws)
    _as_text(cell, value)
    return cell


def text_row(ws: Worksheet, values: list[Any]) -> list[Any]:
    return [row_value(ws, v) if not isinstance(v, Cell) else v for v in values]


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """`ws.cell(row, column, value)` on a normal sheet, text always written as text."""
    cell = ws.cell(row, column)
    if isinstance(value, str):
        value = clean_text(value)
        if _needs_guard(value):
            _as_text(cell, value)
            return cell
    cell.value = value
    return cell

