"""Hostile and large workbooks for the spreadsheet limits (issue 18, item 6): used by
bench/xlsx_limits.py and tests/core/test_safe_read.py."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import openpyxl

SURNAMES = ["Lò", "Quàng", "Giàng", "Sùng", "Nguyễn", "Lường", "Cà", "Vàng"]
MIDDLE = ["Thị", "Văn", "A", "Thị Thu", "Thị Ngọc"]
GIVEN = ["Hoa", "Ơn", "Páo", "Mỷ", "Tiến", "Lan", "Dung", "Chiến", "Xuân", "Nguyệt"]
ETHNIC = ["Thái", "H'Mông", "Kinh", "Khơ Mú", "Dao"]


def member_list(path: Path, rows: int, seed: int = 1) -> Path:
    """A realistic list: title rows, Vietnamese headers, `rows` people."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách")
    ws.append(["HỘI LHPN XÃ MƯỜNG PHĂNG"])
    ws.append(["DANH SÁCH HỘI VIÊN"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Giới tính", "Năm sinh", "Dân tộc", "Thôn/bản", "Số điện thoại",
               "Số CCCD"])
    for n in range(1, rows + 1):
        ws.append([n, f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                   rng.choice(["Nam", "Nữ"]), rng.randint(1950, 2005), rng.choice(ETHNIC),
                   f"Bản {rng.randint(1, 40)}", f"09{rng.randint(10_000_000, 99_999_999)}",
                   f"0{rng.randint(10**10, 10**11 - 1)}"])
    wb.save(path)
    return path


def _small_parts(path: Path) -> dict[str, bytes]:
    openpyxl.Workbook().save(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_bomb(path: Path, unpacked_mb: int = 1500) -> Path:
    """A normal workbook whose sheet XML is `unpacked_mb` MB of rows packed into about a
    thousandth of that (the kind of file that made an import use 15.5 GB)."""
    parts = _small_parts(path)
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * 4000 + b"</t></is></c></row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                        b'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            block = row * 256
            for _ in range(unpacked_mb * 2**20 // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return path


def wide_dimension(path: Path, rows: int = 200_000) -> Path:
    """A small sheet that declares A1:XFD1048576 and puts one cell in the last column of every
    row: openpyxl pads each row to 16,384 cells."""
    parts = _small_parts(path)
    body = b"".join(b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (i, i)
                    for i in range(1, rows + 1))
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>' + body +
        b"</sheetData></worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path
