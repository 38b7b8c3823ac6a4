"""Each group type's own fields (issue 20 item 5, migration 0010): settable subtypes, a club's
grades and facilitators, a livelihood group's owners and the kind of support it received (4.0
technology counted by its indicator), checked at entry and carried commune → province."""

import datetime as dt

import pytest

from da8desktop.core.errors import ValidationFailed
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services.group_types import group_type_form
from da8desktop.core.services.groups import GroupsService, GroupSupportService
from da8desktop.core.services.groups_query import get_group, group_support

TODAY = dt.date(2026, 11, 23)


def _groups(db):
    groups = GroupsService(db)
    coop = groups.create(type_key="group_type:SINHKE", name="HTX dệt thổ cẩm Mường Phăng",
                         subtype="HTX", field_of_activity="Dệt thổ cẩm",
                         registration_no="62/HTX-2024", women_owners=5, women_co_owners=3,
                         launch_date=dt.date(2024, 5, 1)).id
    plain = groups.create(type_key="group_type:SINHKE", name="Tổ trồng chè",
                          subtype="tổ nhóm", launch_date=dt.date(2024, 5, 1)).id
    club = groups.create(type_key="group_type:CLB", name="CLB Thủ lĩnh THCS Mường Phăng",
                         host_location="Trường THCS Mường Phăng", grades="6-9",
                         facilitators="Cô Lò Thị Hoa, thầy Quàng Văn Minh").id
    shelter = groups.create(type_key="group_type:DCTC", name="Nhà tạm lánh xã",
                            subtype="nhà tạm lánh", host_location="Công an xã",
                            hotline="0215 3 811 111").id
    support = GroupSupportService(db)
    support.create(group_id=coop, item="Phần mềm bán hàng trực tuyến",
                   kind_key="support_kind:CONG_NGHE_40", value_vnd=15_000_000,
                   received_on=dt.date(2026, 5, 2))
    support.create(group_id=plain, item="Tem QR", kind_key="support_kind:QR",
                   received_on=dt.date(2026, 4, 2))
    return {"coop": coop, "plain": plain, "club": club, "shelter": shelter}


def test_each_type_shows_its_own_fields(commune_db):
    livelihood = group_type_form(commune_db, "group_type:SINHKE")
    assert livelihood.fields == ("subtype", "field_of_activity", "registration_no",
                                 "women_owners", "women_co_owners")
    assert livelihood.subtypes == ("tổ nhóm", "THT", "HTX") and livelihood.support
    trusted = group_type_form(commune_db, "group_type:DCTC")
    assert (trusted.fields, trusted.subtypes, trusted.support) == (
        ("subtype", "host_location", "hotline"), ("tập thể", "cá nhân", "nhà tạm lánh"), False)
    assert group_type_form(commune_db, "group_type:CLB").fields == (
        "host_location", "grades", "facilitators")
    assert group_type_form(commune_db, "group_type:TTCD").fields == ()


def test_the_fields_are_checked(commune_db):
    ids = _groups(commune_db)
    groups = GroupsService(commune_db)
    for change, field in (({"subtype": "HTX"}, "subtype"),  # a livelihood subtype on a shelter
                          ({"women_owners": -1}, "women_owners"),
                          ({"women_co_owners": 10_000}, "women_co_owners"),
                          ({"grades": "x" * 21}, "grades")):
        with pytest.raises(ValidationFailed) as failed:
            groups.update(ids["shelter"], **change)
        assert field in {e.field for e in failed.value.errors}
    with pytest.raises(ValidationFailed) as failed:
        GroupSupportService(commune_db).create(group_id=ids["coop"], item="Máy",
                                               kind_key="violence_form:THE_CHAT")
    assert {e.field for e in failed.value.errors} == {"kind_key"}
    groups.update(ids["shelter"], subtype="cá nhân")  # subtypes are settable
    assert get_group(commune_db, ids["shelter"]).subtype == "cá nhân"


def test_livelihood_groups_supported_with_4_0_technology(commune_db):
    _groups(commune_db)
    rows = {r.indicator.code: r for r in compute_progress(commune_db, Period.choose(2026),
                                                         TODAY).rows}
    assert rows["II.SINHKE"].cell.achieved == 2  # both supported
    assert rows["II.SINHKE_40"].cell.achieved == 1  # only the cooperative with 4.0 technology
    early = {r.indicator.code: r for r in compute_progress(commune_db, Period.choose(2026, 1),
                                                          TODAY).rows}
    # read on 31/3: the 4.0 support came on 2/5, so no group was supported with it yet
    assert (early["II.SINHKE"].cell.achieved, early["II.SINHKE_40"].cell.achieved) == (0, 0)


def test_the_fields_travel_from_commune_to_province(world):
    a1, province = world.dbs["A1"], world.dbs["P"]
    ids = _groups(a1)
    for path in world.send("A1", "P"):
        assert world.receive("P", path).ok
    coop = get_group(province, ids["coop"])
    assert (coop.subtype, coop.field_of_activity, coop.registration_no, coop.women_owners,
            coop.women_co_owners) == ("HTX", "Dệt thổ cẩm", "62/HTX-2024", 5, 3)
    club = get_group(province, ids["club"])
    assert (club.host_location, club.grades, club.facilitators) == (
        "Trường THCS Mường Phăng", "6-9", "Cô Lò Thị Hoa, thầy Quàng Văn Minh")
    shelter = get_group(province, ids["shelter"])
    assert (shelter.subtype, shelter.host_location, shelter.hotline) == (
        "nhà tạm lánh", "Công an xã", "0215 3 811 111")
    [support] = group_support(province, ids["coop"])
    assert (support.kind_key, support.kind) == ("support_kind:CONG_NGHE_40", "Công nghệ 4.0")
    GroupsService(a1).update(ids["coop"], women_owners=6)  # an edit travels as a field
    for path in world.send("A1", "P"):
        assert world.receive("P", path).ok
    assert get_group(province, ids["coop"]).women_owners == 6
