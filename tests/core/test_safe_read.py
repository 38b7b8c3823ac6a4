"""Workbooks that would exhaust the computer are refused before they are read, and a sheet is
read in streaming mode with its rows, columns and cells counted (issue 18, item 6). Memory and
time are measured by bench/xlsx_limits.py, never asserted here."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from bench.xlsx_files import member_list, wide_dimension, zip_bomb
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel import safe_read
from da8desktop.core.excel.import_people import preview_import, sheet_layout
from da8desktop.core.excel.safe_read import SpreadsheetRefused
from da8desktop.core.services.people_query import PeopleFilter, people_count


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(db, tmp_path, monkeypatch):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", unpacked_mb=80)
    assert bomb.stat().st_size < 2**20  # small on disk, 80 MB of XML inside
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    with pytest.raises(SpreadsheetRefused) as refused:
        preview_import(db, bomb)
    assert "sheet1.xml" in refused.value.message() and "Nothing was imported" in refused.value.message()
    assert people_count(db, PeopleFilter()) == 0


def test_a_zip_that_understates_its_sizes_is_refused(db, tmp_path):
    """The sizes in the ZIP's directory are the author's word: a sheet that says 10 bytes and
    inflates to megabytes is refused, not believed."""
    path = zip_bomb(tmp_path / "liar.xlsx", unpacked_mb=20)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = (10).to_bytes(4, "little")
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name.decode()).file_size == 10  # what the directory claims
    with pytest.raises(UserFacingError) as refused:
        preview_import(db, path)
    assert "Nothing was imported" in refused.value.message()


def test_a_declared_huge_sheet_is_read_as_wide_as_its_cells(tmp_path):
    with pytest.raises(SpreadsheetRefused) as refused:
        sheet_layout(wide_dimension(tmp_path / "wide.xlsx", rows=2000))
    assert "column 200" in refused.value.message()


def test_rows_are_counted_as_they_are_read(db, tmp_path, monkeypatch):
    monkeypatch.setattr(safe_read, "MAX_ROWS", 40)
    ok = preview_import(db, member_list(tmp_path / "ok.xlsx", 37))  # + 3 filled title rows
    assert len(ok.rows) == 37
    with pytest.raises(SpreadsheetRefused) as refused:
        preview_import(db, member_list(tmp_path / "long.xlsx", 38))
    assert "more than 40 rows" in refused.value.message()


def test_a_cell_longer_than_the_limit_is_refused(db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Năm sinh", "Giới tính", "Ghi chú"])
    wb.active.append(["Lò Thị Hoa", 1980, "Nữ", "x" * (safe_read.MAX_CELL_CHARS + 1)])
    wb.save(tmp_path / "long-cell.xlsx")
    with pytest.raises(SpreadsheetRefused) as refused:
        preview_import(db, tmp_path / "long-cell.xlsx")
    assert "row 2" in refused.value.message()


def test_shared_strings_over_their_limit_are_refused(tmp_path):
    """openpyxl loads the whole shared-strings table even when streaming: it has its own cap,
    far below the sheet's (a table of millions of one-letter strings is a memory bomb)."""
    path = member_list(tmp_path / "list.xlsx", 10)
    table = b"<sst>" + b"<si><t>a</t></si>" * (safe_read.MAX_SHARED_STRINGS_BYTES // 17 + 1) + b"</sst>"
    assert len(table) < safe_read.MAX_PART_BYTES
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", table)
    with pytest.raises(SpreadsheetRefused) as refused:
        safe_read.check_archive(path)
    assert "sharedStrings.xml" in refused.value.message()


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04" + b"\x00" * 40])
def test_a_file_that_is_not_a_workbook_is_said_plainly(db, tmp_path, content):
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(UserFacingError) as refused:
        preview_import(db, path)
    assert "Cannot read" in refused.value.message()


def test_a_file_larger_than_the_limit_is_not_opened(tmp_path, monkeypatch):
    path = member_list(tmp_path / "list.xlsx", 100)
    monkeypatch.setattr(safe_read, "MAX_FILE_BYTES", path.stat().st_size - 1)
    with pytest.raises(SpreadsheetRefused) as refused:
        safe_read.check_archive(path)
    assert "larger than" in refused.value.message()
