"""Issue 19: the kind of list a Women's Union branch really keeps, built with openpyxl (or xlwt
for .xls) and read by the real import: no sex column, a title, total and signature rows,
family names that start like a total word, a duplicate, impossible years, numbers that lost
their leading 0, untidy names, unknown villages, old VNI/TCVN3 fonts, .xls and .csv."""

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

from da8desktop.core.db.models import Membership, Person, Village
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel.import_people import (ImportOptions, commit_import, preview_import,
                                                 remembered_options)
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService

THIS_YEAR = dt.date.today().year


def women_list(path, rows=None, title=True):
    """STT / Họ và tên / Năm sinh / Dân tộc / Thôn / CCCD / SĐT: no "Giới tính" column."""
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append(["DANH SÁCH HỘI VIÊN CHI HỘI BẢN NÀ PHÁ"])
        ws.merge_cells("A1:G1")
        ws.append([])
    ws.append(["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Thôn", "CCCD", "SĐT"])
    for row in rows if rows is not None else [
        [1, "  lò   thị  PẢNH ", 1985, "Thái", "Bản Nà Phá", None, 912345678],
        [2, "Tòng Thị Ánh", 1990, "Thái", "Bản Nà Phá", 11190012345, None],
        [3, "Công Thị Minh", "1979", "Kinh", "Bản Không Có", None, None],
        [4, "Lò Thị Pảnh", 1985, "Thái", "Bản Nà Phá", None, None],  # same as row 4
        [5, "Lường Thị Xuân", "2090", "Thái", "Bản Nà Phá", None, None],
        [6, "Cà Thị Lan", 1890, "Thái", "Bản Nà Phá", None, None],
        [7, "Quàng Thị Bé", THIS_YEAR - 8, "Thái", "Bản Nà Phá", "011201000123", None],
        [8, "Vì Thị Hương", 32874, "Thái", "Bản Nà Phá", None, None],  # a bare serial number
        [None, "Tổng cộng", None, None, None, None, None],
        [None, None, None, None, "Người lập biểu", None, None],
        [None, None, None, None, "Lò Thị Hoa", None, None],
    ]:
        ws.append(row)
    wb.save(path)
    return path


def by_name(preview):
    """The first row of each name (a later one may be its duplicate)."""
    return {r.values.get("full_name"): r for r in reversed(preview.rows)}


def cp1258(text):
    """Windows-1258 as Vietnamese Windows writes it: a letter (â, ơ, đ…) then its tone mark."""
    import unicodedata

    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def test_a_list_without_sex_column_with_totals_duplicates_and_bad_years(commune_db, tmp_path):
    VillagesService(commune_db).create(name="Bản Nà Phá")
    sheet = women_list(tmp_path / "ds.xlsx")
    plain = preview_import(commune_db, sheet)
    assert plain.missing[:1] == ["sex"]
    assert all("sex" in " ".join(r.reasons) for r in plain.rows if r.status == "error"
               and r.values.get("birth_year") == 1985)
    preview = preview_import(commune_db, sheet, options=ImportOptions(defaults={"sex": "Nữ"}))
    rows = by_name(preview)
    panh = rows["Lò Thị Pảnh"]  # tidied, title case per syllable
    assert panh.number == 4 and panh.status == "new" and panh.values["sex"] == "F"
    assert panh.values["phone"] == "0912345678" and any("0912345678" in w for w in panh.warnings)
    anh = rows["Tòng Thị Ánh"]  # a person, never a total row
    assert anh.status == "new" and anh.values["cccd"] == "011190012345"
    assert any("011190012345" in w for w in anh.warnings)
    assert rows["Công Thị Minh"].status == "new" and rows["Công Thị Minh"].values["birth_year"] == 1979
    duplicate = [r for r in preview.rows if r.number == 7][0]
    assert duplicate.status == "duplicate" and duplicate.reasons == ["Same person as row 4."]
    assert rows["Lường Thị Xuân"].status == "error"
    assert rows["Lường Thị Xuân"].reasons == ["The birth year 2090 is in the future."]
    assert rows["Cà Thị Lan"].reasons == ["The birth year 1890 is more than 110 years ago; check it."]
    assert rows["Quàng Thị Bé"].status == "error"
    assert any("Children" in r for r in rows["Quàng Thị Bé"].reasons)
    assert rows["Vì Thị Hương"].status == "error"  # 32874 in a plain number cell is no date
    skipped = {s.number: s.reason for s in preview.skipped}
    assert skipped == {12: "A total row, not a person.",
                       13: "Part of the signature block, not a person.",
                       14: "Part of the signature block, not a person."}
    assert preview.new_villages == ["Bản Không Có"]
    before = {"people": _count(commune_db, Person), "villages": _count(commune_db, Village)}
    result = commit_import(commune_db, preview)
    assert result.created == 3 and result.duplicates == 1 and result.villages == 1
    assert _count(commune_db, Person) == before["people"] + 3
    assert _count(commune_db, Village) == before["villages"] + 1
    with commune_db.read() as session:
        stored = session.scalar(select(Person).where(Person.given_name == "Pảnh"))
        assert stored.full_name == "Lò Thị Pảnh" and stored.sex == "F"
    from da8desktop.core.excel.import_people import save_report

    report = openpyxl.load_workbook(save_report(preview, tmp_path / "r.xlsx")).active
    assert [r[0].value for r in report.iter_rows(min_row=2)] == [4, 5, 7, 8, 9, 10, 11]
    # The officer's choice is remembered for the file (by its content).
    assert remembered_options(commune_db, sheet).defaults == {"sex": "Nữ"}


def _count(db, model):
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.deleted.is_(False)))


def test_keep_duplicates_and_map_a_new_village_to_an_existing_one(commune_db, tmp_path):
    VillagesService(commune_db).create(name="Bản Nà Phá")
    sheet = women_list(tmp_path / "ds.xlsx")
    options = ImportOptions(defaults={"sex": "Nữ"}, keep_duplicates=True,
                            village_map={"Bản Không Có": "Bản Nà Phá"})
    preview = preview_import(commune_db, sheet, options=options)
    assert preview.new_villages == ["Bản Không Có"] and preview.villages_to_create == []
    assert preview.count("duplicate") == 0
    assert by_name(preview)["Công Thị Minh"].values["village_name"] == "Bản Nà Phá"
    villages = _count(commune_db, Village)
    result = commit_import(commune_db, preview)
    assert result.created == 4 and _count(commune_db, Village) == villages
    with pytest.raises(UserFacingError, match="no village"):
        preview_import(commune_db, sheet, options=ImportOptions(village_map={"X": "Bản Nowhere"}))


def test_commit_after_a_clean_preview_never_refuses(commune_db, tmp_path):
    """Every accepted row is written, however the refused ones were refused; the CCCD of a
    child, a year in text, a phone in a bad form are refused in the preview, by row."""
    rows = [[i, f"Lò Thị Số {i}", 1960 + i, "Thái", "Bản Nà Phá", None, None] for i in range(1, 9)]
    rows += [[9, "Lò Thị Nhỏ", THIS_YEAR - 10, "Thái", "Bản Nà Phá", 11214000123, None],
             [10, "Lò Thị Sai", 1980, "Thái", "Bản Nà Phá", None, "12ab"],
             [11, "Lò Thị Xa", "2090", "Thái", "Bản Nà Phá", None, None]]
    sheet = women_list(tmp_path / "ds.xlsx", rows)
    preview = preview_import(commune_db, sheet, options=ImportOptions(defaults={"sex": "F"}))
    refused = {r.number: r.reasons for r in preview.rows if r.status == "error"}
    assert sorted(refused) == [12, 13, 14] and all(refused.values())
    before = _count(commune_db, Person)
    result = commit_import(commune_db, preview)
    assert result.created == 8 and _count(commune_db, Person) == before + 8


def test_a_total_row_with_counts_under_the_year_columns_is_not_a_person(commune_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", None, "Dân tộc"])
    ws.append([None, None, "Nam", "Nữ", None])
    ws.append([1, "Công Văn Minh", 1980, None, "Thái"])
    ws.append([2, "Tòng Thị Ánh", None, 1985, "Thái"])
    ws.append([3, "Lò Văn Cống", None, None, "Cống"])  # the Cống people; no birth year known
    ws.append([None, "Cộng", 1, 1, None])
    ws.append([None, 3, None, None, None])
    ws.append([None, "Xác nhận của UBND xã", None, None, "Người lập biểu"])
    wb.save(tmp_path / "t.xlsx")
    preview = preview_import(commune_db, tmp_path / "t.xlsx")
    assert [(r.number, r.status) for r in preview.rows] == [(3, "new"), (4, "new"), (5, "error")]
    assert preview.rows[2].reasons == ["The sex is missing (Nam or Nữ): choose a default or the "
                                       "sex of this row."]
    assert [s.number for s in preview.skipped] == [2, 6, 7, 8]
    assert by_name(preview)["Công Văn Minh"].values["sex"] == "M"


def test_group_and_role_columns_and_defaults_make_memberships(commune_db, tmp_path):
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Nà Phá").id
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Năm sinh", "Giới tính", "Tổ/nhóm", "Vai trò"])
    ws.append(["Lò Thị Một", 1980, "Nữ", "Tổ TT Nà Phá", "Tổ trưởng"])
    ws.append(["Lò Văn Hai", 1981, "Nam", None, None])
    ws.append(["Lò Thị Ba", 1982, "Nữ", "Tổ Không Có", None])
    wb.save(tmp_path / "g.xlsx")
    preview = preview_import(commune_db, tmp_path / "g.xlsx",
                             options=ImportOptions(defaults={"group": "Tổ TT Nà Phá"}))
    assert any("no group" in w for w in by_name(preview)["Lò Thị Ba"].warnings)
    result = commit_import(commune_db, preview)
    assert result.memberships == 2
    with commune_db.read() as session:
        roles = dict(session.execute(select(Person.full_name, Membership.role_key).join(
            Membership, Membership.person_id == Person.id).where(Membership.group_id == team)).all())
    assert roles == {"Lò Thị Một": "role:TO_TRUONG", "Lò Văn Hai": "role:THANH_VIEN"}


def test_a_matched_person_is_found_in_batch_like_possible_duplicates(commune_db, tmp_path):
    PeopleService(commune_db).create(full_name="Lò Thị Pảnh", sex="F", birth_year=1985)
    PeopleService(commune_db).create(full_name="Tòng Thị Ánh", sex="F")  # year unknown
    sheet = women_list(tmp_path / "ds.xlsx")
    rows = by_name(preview_import(commune_db, sheet, options=ImportOptions(defaults={"sex": "Nữ"})))
    assert rows["Lò Thị Pảnh"].status == "match" and rows["Tòng Thị Ánh"].status == "match"
    assert rows["Công Thị Minh"].status == "new"


VNI_ROWS = [["Hoï vaø teân", "Naêm sinh", "Daân toäc", "Thoân"],
            ["Loø Thò Paûnh", 1985, "Thaùi", "Baûn Naø Phaù"],
            ["Nguyeãn Thò Hoa", 1979, "Kinh", "Baûn Naø Phaù"],
            ["Giaøng Thò Mæ", 1990, "Moâng", "Baûn Naø Phaù"]]
TCVN3_ROWS = [["Hä vµ tªn", "N¨m sinh", "D©n téc", "Th«n"],
              ["Lß ThÞ P¶nh", 1985, "Th¸i", "B¶n Nµ Ph¸"],
              ["NguyÔn ThÞ Hoa", 1979, "Kinh", "B¶n Nµ Ph¸"],
              ["Giµng ThÞ Mû", 1990, "M«ng", "B¶n Nµ Ph¸"]]


@pytest.mark.parametrize("rows", [VNI_ROWS, TCVN3_ROWS], ids=["VNI", "TCVN3"])
def test_whole_sheets_in_old_fonts_without_the_font_name(commune_db, tmp_path, rows):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "old.xlsx")
    preview = preview_import(commune_db, tmp_path / "old.xlsx",
                             options=ImportOptions(defaults={"sex": "Nữ"}))
    people = by_name(preview)
    assert set(people) == {"Lò Thị Pảnh", "Nguyễn Thị Hoa", "Giàng Thị Mỉ" if rows is VNI_ROWS
                           else "Giàng Thị Mỷ"}
    assert people["Lò Thị Pảnh"].values["ethnic_key"] == "ethnic:2008:03"  # Thái, not blank
    assert all(p.values["village_name"] == "Bản Nà Phá" for p in people.values())
    assert all(p.status == "new" for p in people.values())


def test_csv_in_utf8_bom_and_windows_1258_and_xls(commune_db, tmp_path):
    text = "Họ và tên;Năm sinh;Giới tính;Dân tộc\nLò Thị Pảnh;1985;Nữ;Thái\nVì Văn Đức;1970;Nam;Thái\n"
    (tmp_path / "bom.csv").write_bytes(text.encode("utf-8-sig"))
    (tmp_path / "old.csv").write_bytes(cp1258(text.replace(";", ",")))
    for name in ("bom.csv", "old.csv"):
        rows = by_name(preview_import(commune_db, tmp_path / name))
        assert set(rows) == {"Lò Thị Pảnh", "Vì Văn Đức"}, name
        assert rows["Vì Văn Đức"].values["sex"] == "M"
        assert rows["Lò Thị Pảnh"].values["ethnic_key"] == "ethnic:2008:03"
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("DS")
    dated = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for r, row in enumerate([["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "CCCD"],
                             ["Lò Thị Pảnh", dt.date(1985, 3, 2), "Nữ", "Thaùi", 11185000123],
                             ["Vì Văn Đức", 1970, "Nam", "Thái", None]]):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value, dated) if isinstance(value, dt.date) else ws.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    preview = preview_import(commune_db, tmp_path / "old.xls")
    rows = by_name(preview)
    assert rows["Lò Thị Pảnh"].values["birth_date"] == dt.date(1985, 3, 2)
    assert rows["Lò Thị Pảnh"].values["ethnic_key"] == "ethnic:2008:03"
    assert rows["Lò Thị Pảnh"].values["cccd"] == "011185000123"
    assert rows["Vì Văn Đức"].values["birth_year"] == 1970
    assert commit_import(commune_db, preview).created == 2


def test_a_damaged_or_oversized_xls_or_csv_is_refused_plainly(commune_db, tmp_path, monkeypatch):
    (tmp_path / "bad.xls").write_bytes(b"not a workbook at all")
    with pytest.raises(UserFacingError, match="bad.xls"):
        preview_import(commune_db, tmp_path / "bad.xls")
    from da8desktop.core.excel import safe_read

    monkeypatch.setattr(safe_read, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.csv").write_text("Họ và tên,Năm sinh\n" + "Lò Thị A,1980\n" * 20)
    with pytest.raises(UserFacingError, match="larger than"):
        preview_import(commune_db, tmp_path / "big.csv")
    monkeypatch.setattr(safe_read, "MAX_FILE_BYTES", 20 * 2**20)
    monkeypatch.setattr(safe_read, "MAX_ROWS", 5)
    with pytest.raises(UserFacingError, match="more than 5 rows"):
        preview_import(commune_db, tmp_path / "big.csv")
    (tmp_path / "long.csv").write_text("Họ và tên,Năm sinh\n" + "A" * 6000 + ",1980\n")
    with pytest.raises(UserFacingError, match="more than 5000 characters"):
        preview_import(commune_db, tmp_path / "long.csv")
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    ws = book.add_sheet("DS")
    ws.write(0, 0, "Họ và tên")
    ws.write(0, 230, "x")
    book.save(str(tmp_path / "wide.xls"))
    with pytest.raises(UserFacingError, match="beyond column 200"):
        preview_import(commune_db, tmp_path / "wide.xls")
    with pytest.raises(UserFacingError, match="no sheet \"Khác\""):
        preview_import(commune_db, tmp_path / "wide.xls", "Khác")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_commit_writes_every_row_the_preview_accepted_on_messy_lists(commune_db, tmp_path, seed):
    """Messy cells of every kind: whatever the preview accepts, the commit writes, row for row."""
    import random

    rng = random.Random(seed)
    names = ["  lò   thị  PẢNH ", "Tòng Thị Ánh", "Công Văn Minh", "", "x" * 70 + " Thị A",
             "=HYPERLINK(\"x\")", "Quàng Thị Ơn", "Loø Thò Hoa", "Lß ThÞ Hoa", "Cộng"]
    births = [1985, "1985", 2090, "2090", 1890, 32874, 19.5, "12/03/1980", "31/02/1990",
              THIS_YEAR - 5, None, "", dt.date(1975, 1, 2), 1000, 9999]
    cccds = [None, 11190012345, "011190012345", "12345", 123456789, "0111 9001 2345", 1e11]
    phones = [None, 912345678, "0912 345 678", "12ab", "+84912345678", 84912345678, "0"]
    ethnic = [None, "Thái", "Thaùi", "Mèo", "Không biết", 5]
    villages = [None, "Bản Nà Phá", "Bản Không Có", "b" * 130, "  bản   nà  phá "]
    sexes = [None, "Nữ", "Nam", "nu", "X", 1]
    rows = [[i, rng.choice(names), rng.choice(births), rng.choice(ethnic), rng.choice(villages),
             rng.choice(cccds), rng.choice(phones), rng.choice(sexes)] for i in range(1, 120)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Thôn", "CCCD", "SĐT", "Giới tính"])
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "messy.xlsx")
    options = ImportOptions(defaults={"sex": "Nữ"}, keep_duplicates=seed == 2)
    preview = preview_import(commune_db, tmp_path / "messy.xlsx", options=options)
    assert preview.count("new") > 0 and preview.count("error") > 0
    assert all(r.reasons for r in preview.rows if r.status in ("error", "duplicate"))
    before = _count(commune_db, Person)
    result = commit_import(commune_db, preview)  # never refuses
    assert result.created == preview.count("new")
    assert _count(commune_db, Person) == before + preview.count("new")
