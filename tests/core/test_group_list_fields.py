"""The per-type group fields shown where groups are listed (issue 20 item 5): the groups
workbook has a sheet per kind of group with that kind's own fields, and only those, read back
with openpyxl; the printed member list of one group names them under its title."""

from __future__ import annotations

import openpyxl

from da8desktop.core.excel.export import export_groups_and_activities
from da8desktop.core.reports.member_list import member_list
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.people import PeopleService
from tests.core.test_group_type_fields import _groups

COMMON = ["STT", "Tên tổ/nhóm", "Thôn/bản", "Tình trạng", "Số thành viên"]


def _sheet(wb, name):
    ws = wb[name]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    return rows[0], {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}


def test_each_kind_of_group_is_listed_with_its_own_fields(commune_db, tmp_path):
    ids = _groups(commune_db)
    GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TTCĐ bản Phăng")
    path = tmp_path / "groups.xlsx"
    export_groups_and_activities(commune_db, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổ nhóm", "Sinh hoạt, hoạt động", "TTCĐ", "ĐCTC", "CLB",
                             "Sinh kế-THT-HTX"]

    header, rows = _sheet(wb, "Sinh kế-THT-HTX")
    assert header == COMMON + ["Loại hình", "Lĩnh vực", "Số đăng ký", "Số phụ nữ làm chủ",
                               "Số phụ nữ đồng làm chủ"]
    coop = rows["HTX dệt thổ cẩm Mường Phăng"]
    assert (coop["Loại hình"], coop["Lĩnh vực"], coop["Số đăng ký"], coop["Số phụ nữ làm chủ"],
            coop["Số phụ nữ đồng làm chủ"]) == ("HTX", "Dệt thổ cẩm", "62/HTX-2024", 5, 3)
    assert rows["Tổ trồng chè"]["Loại hình"] == "tổ nhóm"

    header, rows = _sheet(wb, "CLB")
    assert header == COMMON + ["Trường học", "Khối lớp", "Giáo viên phụ trách"]
    assert list(rows["CLB Thủ lĩnh THCS Mường Phăng"].values())[5:] == [
        "Trường THCS Mường Phăng", "6-9", "Cô Lò Thị Hoa, thầy Quàng Văn Minh"]

    header, rows = _sheet(wb, "ĐCTC")
    assert header == COMMON + ["Loại hình", "Cơ quan chủ trì, nơi đặt", "Đường dây nóng"]
    assert list(rows["Nhà tạm lánh xã"].values())[5:] == ["nhà tạm lánh", "Công an xã",
                                                          "0215 3 811 111"]
    header, rows = _sheet(wb, "TTCĐ")
    assert header == COMMON and list(rows) == ["Tổ TTCĐ bản Phăng"]  # a team has none
    assert ids["coop"] and len(wb["Tổ nhóm"]["A"]) == 1 + 5  # every group on the first sheet


def test_the_member_list_of_one_group_names_its_own_fields(commune_db):
    ids = _groups(commune_db)
    woman = PeopleService(commune_db).create(full_name="Lò Thị Mai", sex="F", birth_year=1990).id
    MembershipsService(commune_db).create(group_id=ids["coop"], person_id=woman,
                                          role_key="role:THANH_VIEN")
    doc = member_list(commune_db, [ids["coop"]])
    assert doc.subtitle == ("(Loại hình: HTX; Lĩnh vực: Dệt thổ cẩm; Số đăng ký: 62/HTX-2024; "
                            "Số phụ nữ làm chủ: 5; Số phụ nữ đồng làm chủ: 3. Tổng số: 1 người)")
    club = member_list(commune_db, [ids["club"]])
    assert club.subtitle.startswith("(Trường học: Trường THCS Mường Phăng; Khối lớp: 6-9; ")
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT").id
    MembershipsService(commune_db).create(group_id=team, person_id=woman,
                                          role_key="role:THANH_VIEN")
    assert member_list(commune_db, [team]).subtitle == "(Tổng số: 1 người)"
