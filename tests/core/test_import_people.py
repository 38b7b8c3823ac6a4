"""Importing an ugly real-world member list: merged title rows, "Năm sinh" split into Nam / Nữ
columns, NFD text, Excel serial dates, totals, blank rows, a duplicate, an old-font row."""

import datetime as dt
import unicodedata

import openpyxl
import pytest
from openpyxl.styles import Font
from sqlalchemy import func, select

from da8desktop.core.db.models import Person
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel.import_people import commit_import, preview_import
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.groups_query import group_members
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_count, people_page


def ugly_sheet(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS tổ TT"
    ws["A1"] = "HỘI LHPN XÃ MƯỜNG PHĂNG"
    ws.merge_cells("A1:G1")
    ws["A2"] = "DANH SÁCH THÀNH VIÊN TỔ TRUYỀN THÔNG CỘNG ĐỒNG BẢN NÀ NHẠN"
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["STT", "Họ và tên", "Năm sinh", None, "Dân tộc", "Thôn/bản", "Chức vụ"])
    ws.merge_cells("C4:D4")
    ws.append([None, None, "Nam", "Nữ", None, None, None])
    ws.append([1, unicodedata.normalize("NFD", "Lò Thị Hoà"), None, 1985, "Thái", "Bản Nà Nhạn", "Tổ trưởng"])
    ws.append([2, "Giàng A Páo", 1979, None, "H'Mông", "Bản Nà Nhạn", "Thành viên"])
    ws.append([3, "Sùng Thị Mỷ", None, 32874, "Hmông", "Bản Nà Nhạn", None])  # serial: 01/01/1990
    ws.append([])
    ws.append([4, "Lò Văn Tiến", "12/03/1980", None, "Mèo", "Bản Mới", None])  # year in Nam col
    ws.append([5, None, 1990, None, "Thái", None, None])  # no name
    ws.append([6, "Quàng Thị Ơn", None, "năm ngoái", "Thái", None, None])  # unreadable date
    ws.append([7, "Lß ThÞ Hoa", None, 1970, "Th¸i", None, None])  # TCVN3 text
    for cell in ws[13]:
        cell.font = Font(name=".VnTime")
    ws.append([None, "Tổng cộng: 7 người", None, None, None, None, None])
    wb.create_sheet("Khác")
    wb.save(path)
    return path


def test_preview_reads_the_ugly_sheet_and_writes_nothing(commune_db, tmp_path):
    PeopleService(commune_db).create(full_name="Giàng A Páo", sex="M", birth_year=1979)
    preview = preview_import(commune_db, ugly_sheet(tmp_path / "ds.xlsx"))
    assert preview.sheet == "DS tổ TT" and preview.sheets == ["DS tổ TT", "Khác"]
    assert preview.header_row == 4
    by_name = {r.values.get("full_name"): r for r in preview.rows if r.values.get("full_name")}
    hoa = by_name["Lò Thị Hoà"]
    assert hoa.status == "new" and hoa.values["sex"] == "F" and hoa.values["birth_year"] == 1985
    assert unicodedata.is_normalized("NFC", hoa.values["full_name"])
    assert hoa.values["ethnic_key"] == "ethnic:2008:03"
    assert by_name["Giàng A Páo"].status == "match"
    my = by_name["Sùng Thị Mỷ"]
    assert my.values["birth_date"] == dt.date(1990, 1, 1) and my.values["ethnic_key"] == "ethnic:2008:08"
    assert by_name["Lò Văn Tiến"].values["birth_date"] == dt.date(1980, 3, 12)
    assert by_name["Lò Văn Tiến"].values["ethnic_key"] == "ethnic:2008:08"  # "Mèo" -> Mông
    errors = [r for r in preview.rows if r.status == "error"]
    assert [r.number for r in errors] == [11, 12, 13]
    assert "name" in errors[0].reasons[0] and "TCVN3" in errors[2].reasons[0]
    assert errors[1].reasons == ['The birth date "năm ngoái" cannot be read (dd/mm/yyyy or a year).']
    assert all("Tổng" not in (r.values.get("full_name") or "") for r in preview.rows)
    assert people_count(commune_db, PeopleFilter()) == 1  # nothing written by a preview


def test_commit_writes_accepted_rows_in_one_go_and_joins_the_group(commune_db, tmp_path):
    PeopleService(commune_db).create(full_name="Giàng A Páo", sex="M", birth_year=1979)
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Nà Nhạn").id
    preview = preview_import(commune_db, ugly_sheet(tmp_path / "ds.xlsx"))
    result = commit_import(commune_db, preview, team)
    assert (result.created, result.matched, result.rejected) == (3, 1, 3)
    names = {m.full_name: m.role_name for m in group_members(commune_db, team)}
    assert names == {"Lò Thị Hoà": "Tổ trưởng", "Giàng A Páo": "Thành viên",
                     "Sùng Thị Mỷ": "Thành viên", "Lò Văn Tiến": "Thành viên"}
    villages = {r.full_name: r.village_name for r in people_page(commune_db, PeopleFilter())}
    assert villages["Lò Văn Tiến"] == "Bản Mới"  # a village the commune did not have yet
    with commune_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 4


def test_unreadable_file_or_sheet_is_refused_clearly(commune_db, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(UserFacingError):
        preview_import(commune_db, junk)
    with pytest.raises(UserFacingError) as missing:
        preview_import(commune_db, ugly_sheet(tmp_path / "ds.xlsx"), sheet="Không có")
    assert "DS tổ TT" in missing.value.message()
    empty = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(empty)
    with pytest.raises(UserFacingError):
        preview_import(commune_db, empty)
