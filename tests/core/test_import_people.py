"""Importing an ugly real-world member list: merged title rows, "Năm sinh" split into Nam / Nữ
columns, NFD text, Excel serial dates, totals, blank rows, a duplicate, TCVN3 and VNI rows."""

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
    ws["D8"].number_format = "dd/mm/yyyy"  # a serial number is a date only in a date cell
    ws.append([])
    ws.append([4, "Lò Văn Tiến", "12/03/1980", None, "Mèo", "Bản Mới", None])  # year in Nam col
    ws.append([5, None, 1990, None, "Thái", None, None])  # no name
    ws.append([6, "Quàng Thị Ơn", None, "năm ngoái", "Thái", None, None])  # unreadable date
    ws.append([7, "Lß ThÞ Hoa", None, 1970, "Th¸i", None, None])  # TCVN3 text
    for cell in ws[13]:
        cell.font = Font(name=".VnTime")
    ws.append([8, "Quaøng Thò Dung", None, 1992, "Thaùi", "Baûn Naø Nhaïn", None])  # VNI text
    for cell in ws[14]:
        cell.font = Font(name="VNI-Times")
    ws.append([None, "Tổng cộng: 8 người", None, None, None, None, None])
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
    assert [r.number for r in errors] == [11, 12]
    assert "name" in errors[0].reasons[0]
    tcvn3 = by_name["Lò Thị Hoa"]  # typed in .VnTime: converted, shown, flagged for a check
    assert tcvn3.status == "new" and tcvn3.values["ethnic_key"] == "ethnic:2008:03"
    assert any("TCVN3" in w and "Lß ThÞ Hoa" in w and "Lò Thị Hoa" in w for w in tcvn3.warnings)
    vni = by_name["Quàng Thị Dung"]
    assert vni.status == "new" and vni.values["village_name"] == "Bản Nà Nhạn"
    assert any("VNI" in w for w in vni.warnings)
    assert errors[1].reasons == ['The birth date "năm ngoái" cannot be read (dd/mm/yyyy or a year).']
    assert all("Tổng" not in (r.values.get("full_name") or "") for r in preview.rows)
    assert people_count(commune_db, PeopleFilter()) == 1  # nothing written by a preview


def test_commit_writes_accepted_rows_in_one_go_and_joins_the_group(commune_db, tmp_path):
    PeopleService(commune_db).create(full_name="Giàng A Páo", sex="M", birth_year=1979)
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Nà Nhạn").id
    preview = preview_import(commune_db, ugly_sheet(tmp_path / "ds.xlsx"))
    result = commit_import(commune_db, preview, team)
    assert (result.created, result.matched, result.rejected) == (5, 1, 2)
    names = {m.full_name: m.role_name for m in group_members(commune_db, team)}
    assert names == {"Lò Thị Hoà": "Tổ trưởng", "Giàng A Páo": "Thành viên",
                     "Sùng Thị Mỷ": "Thành viên", "Lò Văn Tiến": "Thành viên",
                     "Lò Thị Hoa": "Thành viên", "Quàng Thị Dung": "Thành viên"}
    villages = {r.full_name: r.village_name for r in people_page(commune_db, PeopleFilter())}
    assert villages["Lò Văn Tiến"] == "Bản Mới"  # a village the commune did not have yet
    with commune_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 6


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


def test_a_whole_sheet_in_tcvn3_with_capitals_and_one_whose_font_was_lost(commune_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "danh s¸ch héi viªn"  # .VnTimeH: small-letter bytes drawn as capitals
    ws["A1"].font = Font(name=".VnTimeH")
    ws.append(["STT", "Hä vµ tªn", "N¨m sinh", "Giíi tÝnh", "D©n téc"])
    ws.append([1, "Lß ThÞ §µo", 1988, "N÷", "Th¸i"])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.font = Font(name=".VnTime")
    ws.append([2, "Loø Vaên Ñöùc", 1979, "Nam", "Thaùi"])  # VNI, but saved with Calibri
    path = tmp_path / "cu.xlsx"
    wb.save(path)
    preview = preview_import(commune_db, path)
    assert preview.header_row == 2  # the header itself was in TCVN3
    names = [r.values["full_name"] for r in preview.rows]
    assert names == ["Lò Thị Đào", "Lò Văn Đức"]
    assert [r.values["sex"] for r in preview.rows] == ["F", "M"]
    assert all(r.status == "new" and r.warnings for r in preview.rows)


def test_legacy_tables_round_the_whole_alphabet():
    from da8desktop.core.legacy_text import detect, tcvn3_to_unicode, vni_to_unicode

    # Words typed by hand in each encoding (as Unikey writes them), not produced by our tables.
    assert tcvn3_to_unicode("Hµ Giang, Nam §Þnh, Qu¶ng Ng·i, B¾c K¹n, Thõa Thiªn HuÕ") == \
        "Hà Giang, Nam Định, Quảng Ngãi, Bắc Kạn, Thừa Thiên Huế"
    assert tcvn3_to_unicode("Lai Ch©u, §iÖn Bi£n, S¬n La, Yªn B¸i, Kh¸nh Hoµ, Cµ Mau") == \
        "Lai Châu, Điện BiÊn, Sơn La, Yên Bái, Khánh Hoà, Cà Mau"
    assert vni_to_unicode("Haø Giang, Nam Ñònh, Quaûng Ngaõi, Baéc Kaïn, Thöøa Thieân Hueá") == \
        "Hà Giang, Nam Định, Quảng Ngãi, Bắc Kạn, Thừa Thiên Huế"
    assert vni_to_unicode("Sôn La, Yeân Baùi, Khaùnh Hoøa, Caø Mau, Ñieän Bieân, Kyø, Myõ, Löïc") == \
        "Sơn La, Yên Bái, Khánh Hòa, Cà Mau, Điện Biên, Kỳ, Mỹ, Lực"
    for unicode_text in ("Hoà Bình", "Lò Thị Đào", "Nguyễn", "Ê Đê", "Mường Phăng", "STT"):
        assert detect(unicode_text) is None


def test_rows_the_province_would_refuse_are_refused_here_by_field(commune_db, tmp_path):
    """Issue #18 item 2: an over-long name, village or phone is an error of its row (named),
    not a record that the commune keeps and the province refuses."""
    from da8desktop.core import fields

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Giới tính", "Thôn/bản", "Số điện thoại"])
    ws.append([1, "Lò Thị " + "Mai" * 93, 1985, "Nữ", "Bản Nà Phá", None])  # 286 characters
    ws.append([2, "Lò Thị Hoa", 1990, "Nữ", "Bản " + "X" * 125, None])  # 129 characters
    ws.append([3, "Lò Thị Ơn", 1990, "Nữ", "Bản Nà Phá", "0912345678 - 0987654321"])
    ws.append([4, "Lò Thị Lan", 1990, "Nữ", "Bản Nà Phá", "0912345678"])
    wb.save(tmp_path / "long.xlsx")
    preview = preview_import(commune_db, tmp_path / "long.xlsx")
    by_name = {row.values["full_name"][:10]: row for row in preview.rows}
    assert [row.status for row in preview.rows] == ["error", "error", "error", "new"]
    name, village, phone = (fields.rule(t, f).label.render()
                            for t, f in (("person", "full_name"), ("village", "name"),
                                         ("person", "phone")))
    assert any(name in reason for reason in by_name["Lò Thị Mai"].reasons)
    assert any(village in reason for reason in by_name["Lò Thị Hoa"].reasons)
    assert any(phone in reason and "20" in reason for reason in by_name["Lò Thị Ơn"].reasons)
    result = commit_import(commune_db, preview)
    assert (result.created, result.rejected) == (1, 3)
