"""Services behind the commune workspace: filters, duplicates, merge, villages, attachments,
trash, attendance edits."""

import datetime as dt

import pytest

from da8desktop.core.errors import UserFacingError
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.activities_query import meeting_attendance
from da8desktop.core.services.attachments import (add_attachment, attachments_dir, list_attachments,
                                                  remove_attachment)
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.groups_query import GroupFilter, group_warnings, list_groups
from da8desktop.core.services.merge_people import merge_people
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import (PeopleFilter, people_count, people_page,
                                                   person_attendance, person_groups,
                                                   possible_duplicates)
from da8desktop.core.services.trash import recently_deleted, restore
from da8desktop.core.services.villages import VillagesService


@pytest.fixture
def commune(commune_db):
    people = PeopleService(commune_db)
    village = VillagesService(commune_db).create(name="Bản Che Căn").id
    other_village = VillagesService(commune_db).create(name="Bản Nà Nhạn").id
    ids = {name: people.create(full_name=name, sex=sex, birth_year=year, village_id=v, cccd=cccd).id
           for name, sex, year, v, cccd in [
               ("Lò Thị Hoa", "F", 1985, village, "011185000001"),
               ("Lò Văn Tiến", "M", 1979, village, None),
               ("Giàng Thị Mỷ", "F", 2014, other_village, None),
               ("Sùng A Páo", "M", 1950, other_village, None)]}
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Che Căn",
                                            village_id=village).id
    for name in ("Lò Thị Hoa", "Lò Văn Tiến"):
        MembershipsService(commune_db).create(group_id=team, person_id=ids[name],
                                              role_key="role:THANH_VIEN")
    return commune_db, ids, team, village, other_village


def test_filters_combine(commune):
    db, ids, team, village, _other = commune
    names = lambda flt: [r.full_name for r in people_page(db, flt)]  # noqa: E731
    assert names(PeopleFilter(village_id=village)) == ["Lò Thị Hoa", "Lò Văn Tiến"]
    assert names(PeopleFilter(sex="M")) == ["Sùng A Páo", "Lò Văn Tiến"]
    assert names(PeopleFilter(age_band="child")) == ["Giàng Thị Mỷ"]
    assert names(PeopleFilter(age_band="60_plus")) == ["Sùng A Páo"]
    assert names(PeopleFilter(group_id=team, search="tien")) == ["Lò Văn Tiến"]
    assert people_count(db, PeopleFilter(search="lo")) == 2
    assert [r.full_name for r in people_page(db, PeopleFilter(), offset=1, limit=2)] == \
        names(PeopleFilter())[1:3]


def test_possible_duplicates_by_name_and_year_or_cccd(commune):
    db, ids, *_ = commune
    assert [r.id for r in possible_duplicates(db, "lo thi hoa", 1985, None)] == [ids["Lò Thị Hoa"]]
    assert possible_duplicates(db, "Lò Thị Hoa", 1990, None) == []
    assert [r.id for r in possible_duplicates(db, "Someone Else", None, "011185000001")] == \
        [ids["Lò Thị Hoa"]]
    assert possible_duplicates(db, "Lò Thị Hoa", 1985, None, exclude=ids["Lò Thị Hoa"]) == []


def test_merge_moves_memberships_attendance_and_fills_blanks(commune):
    db, ids, team, *_ = commune
    copy = PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1985,
                                    phone="0912000111").id
    club = GroupsService(db).create(type_key="group_type:SINHKE", name="Tổ dệt").id
    MembershipsService(db).create(group_id=club, person_id=copy, role_key="role:THANH_VIEN")
    MembershipsService(db).create(group_id=team, person_id=copy, role_key="role:TO_PHO")
    meeting = ActivitiesService(db).record_meeting(team, dt.date(2026, 3, 1), "Họp",
                                                   present=[copy], absent=[ids["Lò Thị Hoa"]]).id
    keep = ids["Lò Thị Hoa"]
    merge_people(db, keep, copy)
    groups = [g.group_name for g in person_groups(db, keep)]
    assert sorted(groups) == sorted(["Tổ dệt", "Tổ TT Che Căn"])  # the duplicate open membership was dropped
    assert [(a.present, a.activity_id) for a in person_attendance(db, keep)] == [(True, meeting)]
    assert [r.full_name for r in meeting_attendance(db, meeting)] == ["Lò Thị Hoa"]
    assert people_page(db, PeopleFilter(search="lo thi hoa"))[0].phone == "0912000111"
    assert people_count(db, PeopleFilter(search="lo thi hoa")) == 1
    with pytest.raises(UserFacingError):
        merge_people(db, keep, keep)


def test_villages_merge_keeps_history(commune):
    db, ids, team, village, other = commune
    VillagesService(db).merge(other, village, on=dt.date(2026, 6, 1))
    assert {r.village_name for r in people_page(db, PeopleFilter())} == {"Bản Che Căn"}
    closed = [v for v in VillagesService(db).list(include_closed=True) if v.id == other][0]
    assert closed.valid_to == dt.date(2026, 6, 1) and closed.successor_id == village
    assert [v.name for v in VillagesService(db).list()] == ["Bản Che Căn"]
    with pytest.raises(UserFacingError):
        VillagesService(db).merge(other, village)


def test_group_list_filters_and_warnings(commune):
    db, ids, team, village, _ = commune
    assert [g.name for g in list_groups(db, GroupFilter(type_key="group_type:TTCD"))] == ["Tổ TT Che Căn"]
    assert list_groups(db, GroupFilter(status="dissolved")) == []
    warnings = {w.field for w in group_warnings(db, team)}
    assert warnings == {"members", "meetings"}
    club = GroupsService(db).create(type_key="group_type:CLB", name="CLB THCS").id
    MembershipsService(db).create(group_id=club, person_id=ids["Sùng A Páo"], role_key="role:THANH_VIEN")
    texts = [w.params.get("names") for w in group_warnings(db, club)]
    assert "Sùng A Páo" in texts  # a 76-year-old in a children's club


def test_attendance_can_be_edited_to_an_exact_list(commune):
    db, ids, team, *_ = commune
    service = ActivitiesService(db)
    meeting = service.record_meeting(team, dt.date(2026, 4, 1), "Họp",
                                     present=[ids["Lò Thị Hoa"], ids["Lò Văn Tiến"]]).id
    service.set_attendance(meeting, present=[ids["Lò Thị Hoa"]], absent=[ids["Lò Văn Tiến"]],
                           guests=[ids["Sùng A Páo"]])
    rows = {r.full_name: (r.present, r.is_guest) for r in meeting_attendance(db, meeting)}
    assert rows == {"Lò Thị Hoa": (True, False), "Lò Văn Tiến": (False, False),
                    "Sùng A Páo": (True, True)}
    service.set_attendance(meeting, present=[ids["Lò Thị Hoa"]])
    assert [r.full_name for r in meeting_attendance(db, meeting)] == ["Lò Thị Hoa"]


def test_attachments_are_stored_once_beside_the_database(commune, tmp_path):
    db, ids, team, *_ = commune
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 fake scan")
    first = add_attachment(db, "community_group", team, scan).id
    add_attachment(db, "community_group", team, scan, caption="bản sao")
    rows = list_attachments(db, "community_group", team)
    assert len(rows) == 2 and rows[0].path == rows[1].path and rows[0].path.exists()
    assert rows[0].path.parent.parent == attachments_dir(db)
    if db.file is not None:
        assert attachments_dir(db) == db.file.parent / f"{db.file.stem}-attachments"
    remove_attachment(db, first)
    assert len(list_attachments(db, "community_group", team)) == 1 and rows[0].path.exists()
    with pytest.raises(UserFacingError):
        add_attachment(db, "community_group", team, tmp_path / "missing.jpg")


def test_recently_deleted_and_restore(commune):
    db, ids, team, *_ = commune
    PeopleService(db).delete(ids["Sùng A Páo"])
    GroupsService(db).delete(team)
    deleted = recently_deleted(db)
    assert {(d.table, d.label) for d in deleted} == {("person", "Sùng A Páo"),
                                                     ("community_group", "Tổ TT Che Căn")}
    restore(db, "person", ids["Sùng A Páo"])
    assert [d.label for d in recently_deleted(db)] == ["Tổ TT Che Căn"]
