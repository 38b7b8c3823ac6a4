"""Opening a workbook someone handed us without letting it exhaust the computer (issue 18,
item 6). A 1.5 MB .xlsx can hold gigabytes of XML (a "zip bomb"), and openpyxl's normal mode
builds every cell in memory. So, before openpyxl sees the file, the ZIP is inspected: the file's
size, the number of parts, each part's declared and real uncompressed size (inflated in blocks
and counted, never trusted) and its compression ratio, and the shared-strings table openpyxl
loads whole. Then the sheet is read in openpyxl's streaming mode with rows, columns and cell
length counted as they arrive, and refused as soon as one is over its limit.

The limits are far above any real member list (a commune has a few thousand people) and far
below what hurts a 4 GB laptop; README "Importing from Excel" lists them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text

MB = 2**20
MAX_FILE_BYTES = 20 * MB
MAX_PARTS = 1000
MAX_PART_BYTES = 64 * MB  # one sheet's XML: about 100,000 rows of a member list
MAX_TOTAL_BYTES = 160 * MB
MAX_SHARED_STRINGS_BYTES = 16 * MB  # loaded whole by openpyxl, even in streaming mode
MAX_STYLES_BYTES = 8 * MB  # likewise
MAX_RATIO = 150  # real sheets compress 5-30 times; a bomb a thousand times
RATIO_FROM_BYTES = 1 * MB  # tiny parts may compress any amount
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 5_000
MAX_EMPTY_ROWS = 200_000  # formatted but empty rows skipped before a file is called absurd
# Cells the reader builds, empty ones included: a row whose last (formatted, empty) cell is in
# column XFD is padded to 16,384 cells, and scanning 200,000 such rows took ten minutes.
MAX_CELLS = 5_000_000


class SpreadsheetRefused(UserFacingError):
    """The file is not read: too big, too many rows or columns, or not a workbook at all."""


def _refuse(path: Path, why: Text, **params: object) -> SpreadsheetRefused:
    reason = why.render(**params)
    return SpreadsheetRefused(QT_TRANSLATE_NOOP(
        "Import", "{file} was not read: {reason} Nothing was imported. Split the list into "
        "smaller files, or copy only the member columns into a new workbook, and try again."),
        file=path.name, reason=reason)


def _not_a_workbook(path: Path, detail: str) -> SpreadsheetRefused:
    return SpreadsheetRefused(QT_TRANSLATE_NOOP(
        "Import", "Cannot read {file} as an Excel workbook (.xlsx). Nothing was imported. "
        "Details: {reason}"), file=str(path), reason=detail)


def check_archive(path: Path) -> None:
    """Refuse a file whose ZIP would take too much memory or time to read, before reading it."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _not_a_workbook(path, exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise _refuse(path, QT_TRANSLATE_NOOP("Import", "the file is larger than {mb} MB."),
                      mb=MAX_FILE_BYTES // MB)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _not_a_workbook(path, str(exc)) from exc
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise _refuse(path, QT_TRANSLATE_NOOP("Import", "it holds more than {n} parts."),
                          n=MAX_PARTS)
        total = 0
        for info in parts:
            cap = _cap_of(info.filename)
            if info.file_size > cap or _ratio_too_high(info.file_size, info.compress_size):
                raise _refuse(path, TOO_BIG, part=info.filename)
            real = _inflated_size(archive, info, cap, path)
            if _ratio_too_high(real, info.compress_size):
                raise _refuse(path, TOO_BIG, part=info.filename)
            total += real
            if total > MAX_TOTAL_BYTES:
                raise _refuse(path, QT_TRANSLATE_NOOP(
                    "Import", "its contents unpack to more than {mb} MB."), mb=MAX_TOTAL_BYTES // MB)


def _cap_of(name: str) -> int:
    lower = name.lower()
    if lower.endswith("sharedstrings.xml"):
        return MAX_SHARED_STRINGS_BYTES
    if lower.endswith("styles.xml"):
        return MAX_STYLES_BYTES
    return MAX_PART_BYTES


def _ratio_too_high(size: int, compressed: int) -> bool:
    return size > RATIO_FROM_BYTES and size > MAX_RATIO * max(compressed, 1)


TOO_BIG = QT_TRANSLATE_NOOP(
    "Import", "its part {part} unpacks to far more than a member list needs (a damaged or "
    "deliberately inflated file).")


def _inflated_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, path: Path) -> int:
    """The size a part really inflates to, counted in blocks and stopped past `cap`: the sizes
    in the ZIP's directory are whatever the file's author wrote there."""
    real = 0
    try:
        with archive.open(info) as stream:
            while block := stream.read(1 * MB):
                real += len(block)
                if real > cap:
                    raise _refuse(path, TOO_BIG, part=info.filename)
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # zlib.error, bad CRC, encrypted: a broken file
        raise _not_a_workbook(path, str(exc)) from exc
    return real


def open_sheet(path: Path, sheet: str | None) -> tuple[Any, list[str]]:
    """The chosen (or active) sheet in streaming mode, and every sheet's name."""
    import openpyxl

    check_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file gets the same plain message
        raise _not_a_workbook(path, str(exc)) from exc
    names = workbook.sheetnames
    if sheet is not None and sheet not in names:
        workbook.close()
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Import", "The workbook has no sheet \"{sheet}\". Its sheets are: {sheets}."),
            sheet=sheet, sheets=", ".join(names))
    ws = workbook[sheet] if sheet else workbook.active
    if ws is None or not hasattr(ws, "iter_rows"):  # a chart sheet, or no sheet at all
        workbook.close()
        raise _not_a_workbook(path, QT_TRANSLATE_NOOP("Import", "it has no sheet of cells.").render())
    # The <dimension> the file declares is not trusted: "A1:XFD1048576" would make openpyxl pad
    # every row to 16,384 cells. Without it, a row is as long as its last cell.
    ws.reset_dimensions()
    return ws, names


def rows(ws: Any, path: Path) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows (cells, trailing empties cut), refused past the limits as they arrive;
    the workbook is closed at the end."""
    filled = empty = built = 0
    try:
        for cells in ws.iter_rows():
            last = len(cells)
            built += last
            if built > MAX_CELLS:
                raise _refuse(path, QT_TRANSLATE_NOOP(
                    "Import", "its rows reach far beyond the member columns (formatted cells "
                    "up to column {column}, row {row})."), column=_letter(last),
                    row=filled + empty + 1)
            while last and cells[last - 1].value in (None, ""):
                last -= 1
            if not last:
                empty += 1
                if empty > MAX_EMPTY_ROWS:
                    raise _refuse(path, QT_TRANSLATE_NOOP(
                        "Import", "it has more than {n} empty rows."), n=MAX_EMPTY_ROWS)
                yield ()
                continue
            filled += 1
            if filled > MAX_ROWS:
                raise _refuse(path, QT_TRANSLATE_NOOP("Import", "it has more than {n} rows."),
                              n=MAX_ROWS)
            if last > MAX_COLUMNS:
                raise _refuse(path, QT_TRANSLATE_NOOP(
                    "Import", "row {row} has cells beyond column {n}."), row=filled + empty,
                    n=MAX_COLUMNS)
            for cell in cells[:last]:
                if isinstance(cell.value, str) and len(cell.value) > MAX_CELL_CHARS:
                    raise _refuse(path, QT_TRANSLATE_NOOP(
                        "Import", "a cell in row {row} holds more than {n} characters."),
                        row=filled + empty, n=MAX_CELL_CHARS)
            yield cells[:last]
    except SpreadsheetRefused:
        raise
    except Exception as exc:  # broken XML inside the ZIP: the same plain message
        raise _not_a_workbook(path, str(exc)) from exc
    finally:
        ws.parent.close()


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(max(1, min(column, 16_384)))
