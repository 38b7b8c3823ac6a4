"""The cells of a member list, whatever it was saved as: .xlsx (safe_read: bounded, streaming),
.xls from Excel 97-2003 (xlrd) and .csv (UTF-8 with or without BOM, or Windows-1258). Each
gives the same grid of values (text, whole numbers, dates) and the same limits on size, rows,
columns and cell length, so the preview and its rules never depend on the format.

Legacy TCVN3 / VNI text is converted here, in every column: by the cell's font when the format
keeps fonts, else by its typical characters; and once a sheet is mostly legacy text, its other
cells are read in the same encoding too (a VNI "Thò" is "Thị")."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel import safe_read
from da8desktop.core.excel.safe_read import _not_a_workbook, _refuse
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.legacy_text import detect, font_encoding, to_unicode
from da8desktop.core.text import nfc

@dataclass
class Grid:
    sheet: str
    sheets: list[str]
    rows: list[list[Any]]
    # (row, column) -> (encoding, original text) of every cell converted from a legacy font
    converted: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)


def read_grid(path: Path, sheet: str | None = None) -> Grid:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_grid(path)
    if suffix == ".xls":
        return _xls_grid(path, sheet)
    return _xlsx_grid(path, sheet)


def _xlsx_grid(path: Path, sheet: str | None) -> Grid:
    ws, names = safe_read.open_sheet(path, sheet)
    title = ws.title
    raw: list[list[Any]] = []
    fonts: dict[tuple[int, int], str | None] = {}
    # Each cell's font is looked up only when the workbook has a legacy font at all: a fifth
    # of the reading time of a 20,000-row list otherwise (issue 19).
    declared = getattr(ws.parent, "_fonts", None)
    legacy = declared is None or any(font_encoding(getattr(f, "name", None))[0]
                                     for f in declared)
    for r, row in enumerate(safe_read.rows(ws, path)):
        values = []
        for c, cell in enumerate(row):
            value = cell.value
            if legacy and isinstance(value, str):
                fonts[(r, c)] = cell.font.name if cell.font else None
            values.append(value)
        raw.append(values)
    return _finish(Grid(title, names, raw), fonts)


def _check_size(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _not_a_workbook(path, exc.strerror or str(exc)) from exc
    if size > safe_read.MAX_FILE_BYTES:
        raise _refuse(path, QT_TRANSLATE_NOOP("Import", "the file is larger than {mb} MB."),
                      mb=safe_read.MAX_FILE_BYTES // safe_read.MB)


def _bounded(path: Path, rows: list[list[Any]]) -> None:
    """The limits safe_read applies to .xlsx, for the formats read whole."""
    filled = [r for r in rows if any(v not in (None, "") for v in r)]
    if len(filled) > safe_read.MAX_ROWS:
        raise _refuse(path, QT_TRANSLATE_NOOP("Import", "it has more than {n} rows."),
                      n=safe_read.MAX_ROWS)
    if len(rows) > safe_read.MAX_EMPTY_ROWS + safe_read.MAX_ROWS:
        raise _refuse(path, QT_TRANSLATE_NOOP("Import", "it has more than {n} empty rows."),
                      n=safe_read.MAX_EMPTY_ROWS)
    for number, row in enumerate(rows, 1):
        if len(row) > safe_read.MAX_COLUMNS:
            raise _refuse(path, QT_TRANSLATE_NOOP(
                "Import", "row {row} has cells beyond column {n}."), row=number,
                n=safe_read.MAX_COLUMNS)
        if any(isinstance(v, str) and len(v) > safe_read.MAX_CELL_CHARS for v in row):
            raise _refuse(path, QT_TRANSLATE_NOOP(
                "Import", "a cell in row {row} holds more than {n} characters."), row=number,
                n=safe_read.MAX_CELL_CHARS)


def _xls_grid(path: Path, sheet: str | None) -> Grid:
    import xlrd

    _check_size(path)  # xlrd reads the whole file into memory: at most MAX_FILE_BYTES
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception as exc:  # any unreadable file gets the same plain message
        raise _not_a_workbook(path, str(exc)) from exc
    try:
        names = book.sheet_names()
        if sheet is not None and sheet not in names:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Import", "The workbook has no sheet \"{sheet}\". Its sheets are: {sheets}."),
                sheet=sheet, sheets=", ".join(names))
        ws = book.sheet_by_name(sheet) if sheet else book.sheet_by_index(0)
        if ws.nrows > safe_read.MAX_ROWS + safe_read.MAX_EMPTY_ROWS:
            raise _refuse(path, QT_TRANSLATE_NOOP(
                "Import", "it has more than {n} rows."), n=safe_read.MAX_ROWS)
        if ws.ncols > safe_read.MAX_COLUMNS:
            raise _refuse(path, QT_TRANSLATE_NOOP(
                "Import", "row {row} has cells beyond column {n}."), row=1,
                n=safe_read.MAX_COLUMNS)
        raw: list[list[Any]] = []
        fonts: dict[tuple[int, int], str | None] = {}
        for r in range(ws.nrows):
            values: list[Any] = []
            for c, cell in enumerate(ws.row(r)):
                value: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                        value = None
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    value = int(value) if float(value).is_integer() else value
                elif cell.ctype == xlrd.XL_CELL_TEXT:
                    font = book.font_list[book.xf_list[cell.xf_index].font_index]
                    fonts[(r, c)] = font.name
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    value = None
                values.append(value)
            while values and values[-1] in (None, ""):
                values.pop()
            raw.append(values)
    except UserFacingError:
        raise
    except Exception as exc:  # a damaged record inside the file
        raise _not_a_workbook(path, str(exc)) from exc
    finally:
        book.release_resources()
    _bounded(path, raw)
    return _finish(Grid(ws.name, names, raw), fonts)


def _csv_grid(path: Path) -> Grid:
    _check_size(path)
    data = path.read_bytes()
    try:  # UTF-8 first, strictly: a Windows-1258 file is almost never valid UTF-8
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
    text = text.replace("\x00", "")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    limit = csv.field_size_limit(safe_read.MAX_CELL_CHARS + 1)  # process-wide: put back below
    raw: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            raw.append([nfc(v.strip()) or None for v in row])
            if len(raw) > safe_read.MAX_ROWS + safe_read.MAX_EMPTY_ROWS:
                break
    except csv.Error as exc:
        raise _refuse(path, QT_TRANSLATE_NOOP(
            "Import", "a cell in row {row} holds more than {n} characters."), row=len(raw) + 1,
            n=safe_read.MAX_CELL_CHARS) from exc
    finally:
        csv.field_size_limit(limit)
    _bounded(path, raw)
    return _finish(Grid(path.stem, [path.stem], raw), {})


def _finish(grid: Grid, fonts: dict[tuple[int, int], str | None]) -> Grid:
    """Legacy text converted, and rows padded to a rectangle (the rules expect one)."""
    found: dict[tuple[int, int], tuple[str, bool]] = {}
    unicode_cells = 0
    for r, values in enumerate(grid.rows):
        for c, value in enumerate(values):
            if not isinstance(value, str):
                continue
            encoding, capitals = font_encoding(fonts.get((r, c)))
            encoding = encoding or detect(value)
            if encoding:
                found[(r, c)] = (encoding, capitals)
            elif any(ord(ch) > 0xFF for ch in value):
                unicode_cells += 1
    if found and len(found) > unicode_cells:
        # Mostly legacy text: the cells whose characters did not give them away are the same.
        usual = Counter(e for e, _c in found.values()).most_common(1)[0][0]
        for r, values in enumerate(grid.rows):
            for c, value in enumerate(values):
                if isinstance(value, str) and (r, c) not in found and \
                        all(ord(ch) <= 0xFF for ch in value):
                    found[(r, c)] = (usual, False)
    for (r, c), (encoding, capitals) in found.items():
        value = grid.rows[r][c]
        text = nfc(to_unicode(value, encoding, capitals))
        if text != value:
            grid.converted[(r, c)] = (encoding, value)
            grid.rows[r][c] = text
    width = max((len(r) for r in grid.rows), default=0)
    for values in grid.rows:
        values.extend([None] * (width - len(values)))
    return grid
