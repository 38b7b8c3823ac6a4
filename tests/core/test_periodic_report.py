"""The periodic report (issue 20 items 1-3): sessions and participant-times per content and
activity group, every cell checked against a commune counted by hand; named attendance and typed
counts feed the same cells; activity groups are defaulted from the kind, group, training type and
form; typed counts are never estimated."""

import datetime as dt

import pytest

from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.indicators.periodic import UNKNOWN, ReportSpan, compute_periodic
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService

KINH, THAI, MONG = "ethnic:2008:01", "ethnic:2008:03", "ethnic:2008:08"
V1, V2 = "Bản Phăng", "Bản Co Cượm"


@pytest.fixture
def counted(commune_db):
    return commune_db, build_counted(commune_db)


def build_counted(db):
    """A commune whose 2026 activities are counted by hand in EXPECTED_Q3 and EXPECTED_YEAR."""
    v1 = VillagesService(db).create(name=V1).id
    v2 = VillagesService(db).create(name=V2).id
    people = PeopleService(db)

    def person(name, sex, year, ethnic, where):
        family, given = name.split(" ", 1)
        return people.create(family_name=family, given_name=given, sex=sex, birth_year=year,
                             ethnic_key=ethnic, village_id=where).id

    w1, w2, w3, w4 = (person(f"Lò Thị {n}", "F", 1980 + i, THAI, v1) for i, n in enumerate("ABCD"))
    kinh_man = person("Nguyễn Văn Hùng", "M", 1975, KINH, v2)
    guest = person("Giàng A Páo", "M", 1990, MONG, None)  # a guest from outside the commune
    girl = person("Lò Thị Em", "F", 2013, THAI, v1)  # 13 in 2026: a child
    team = GroupsService(db).create(type_key="group_type:TTCD", name="Tổ TTCĐ bản Phăng",
                                    launch_date=dt.date(2025, 3, 1), village_id=v1).id
    for p in (w1, w2, w3, w4):
        MembershipsService(db).create(group_id=team, person_id=p, role_key="role:THANH_VIEN",
                                      joined_on=dt.date(2025, 3, 1))
    acts = ActivitiesService(db)
    ids = {}
    # A: gender-mainstreaming training (4.1), named attendance with a guest, in Q3
    ids["A"] = acts.record_with_attendance(
        "training", dt.date(2026, 7, 10), "Tập huấn lồng ghép giới", present=[w1, w2, kinh_man],
        guests=[guest], absent=[w3], training_type_key="training_type:LONG_GHEP",
        target_category_key="target_category:CAN_BO").id
    # B: M&E training (3.4) by counts, cross-tabulated and split by ethnic group, one village
    ids["B"] = acts.create(kind="training", title="Tập huấn giám sát", date_start=dt.date(2026, 8, 1),
                           training_type_key="training_type:GIAM_SAT", participation="counts",
                           count_total=20, count_women=12, count_men=8, count_minority=15,
                           count_women_minority=9, count_children=0,
                           count_by_ethnic={THAI: 10, MONG: 3}, village_ids=[v1]).id
    # C: dialogue (3.1) by counts over two villages, no cross-tabulation typed
    ids["C"] = acts.create(kind="policy_dialogue", title="Đối thoại chính sách",
                           date_start=dt.date(2026, 9, 15), participation="counts", count_total=40,
                           count_women=25, count_men=15, count_minority=30,
                           village_ids=[v1, v2]).id
    # D: dialogue (3.1) with named attendance, a child among them
    ids["D"] = acts.record_with_attendance("policy_dialogue", dt.date(2026, 7, 20),
                                           "Đối thoại với trẻ em", present=[w3, w4, girl]).id
    # F: the team's meeting (1.1): three of four present
    ids["F"] = acts.record_meeting(team, dt.date(2026, 8, 5), "Sinh hoạt tổ", present=[w1, w2, w3],
                                   absent=[w4]).id
    # E: an event (1.3 from its form) in Q1; I: a staged play (1.4) in Q4
    ids["E"] = acts.create(kind="communication", title="Ngày hội", date_start=dt.date(2026, 2, 10),
                           form_key="form:SU_KIEN", count_total=100, count_women=60, count_men=40,
                           count_minority=80, count_children=20, village_ids=[v2]).id
    ids["I"] = acts.create(kind="communication", title="Sân khấu hóa", date_start=dt.date(2026, 11, 1),
                           form_key="form:SAN_KHAU", count_total=30, count_women=20, count_men=10).id
    # Not counted: a deleted dialogue in Q3, a dialogue of 2025
    gone = acts.create(kind="policy_dialogue", title="Nhập nhầm", date_start=dt.date(2026, 8, 8),
                       count_total=50).id
    acts.delete(gone)
    acts.create(kind="policy_dialogue", title="Năm trước", date_start=dt.date(2025, 12, 30),
                count_total=70)
    return ids


def _cells(sessions, participants, women, men, minority, women_minority, children, ethnic, village):
    return {"sessions": sessions, "participants": participants, "women": women, "men": men,
            "minority": minority, "women_minority": women_minority, "children": children,
            "by_ethnic": ethnic, "by_village": village}


EXPECTED_Q3 = {
    "1.1": _cells(1, 3, 3, 0, 3, 3, 0, {"Thái": 3}, {V1: 3}),
    "3.1": _cells(2, 43, 28, 15, 33, 3, 1, {"Thái": 3, UNKNOWN: 40}, {V1: 3, UNKNOWN: 40}),
    "3.4": _cells(1, 20, 12, 8, 15, 9, 0, {"Thái": 10, "Mông": 3, UNKNOWN: 7}, {V1: 20}),
    "4.1": _cells(1, 4, 2, 2, 3, 2, 0, {"Thái": 2, "Kinh": 1, "Mông": 1}, {V1: 2, V2: 1, UNKNOWN: 1}),
}
EXPECTED_YEAR = {
    **EXPECTED_Q3,
    "1.3": _cells(1, 100, 60, 40, 80, 0, 20, {UNKNOWN: 100}, {V2: 100}),
    "1.4": _cells(1, 30, 20, 10, 0, 0, 0, {UNKNOWN: 30}, {UNKNOWN: 30}),
}
ZERO = _cells(0, 0, 0, 0, 0, 0, 0, {}, {})


def check_every_cell(report, expected):
    rows = report["rows"]
    assert [r["activity_group"] for r in rows] == [
        "1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5",
        "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3"]  # every group, none unassigned
    for row in rows:
        got = {k: row[k] for k in ZERO}
        assert got == expected.get(row["activity_group"], ZERO), row["activity_group"]
        assert row["content"] == "ND" + row["activity_group"].split(".")[0]


def test_every_cell_of_the_quarter_and_the_year_equals_the_hand_count(counted):
    db, _ids = counted
    check_every_cell(compute_periodic(db, ReportSpan.choose(2026, quarter=3)).as_json(), EXPECTED_Q3)
    check_every_cell(compute_periodic(db, ReportSpan.choose(2026)).as_json(), EXPECTED_YEAR)
    first_half = compute_periodic(db, ReportSpan.choose(2026, half=1)).as_json()
    check_every_cell(first_half, {"1.3": EXPECTED_YEAR["1.3"]})
    assert first_half["period"]["end"] == "2026-06-30"


def test_each_row_lists_the_records_behind_it(counted):
    db, ids = counted
    rows = {r.activity_group: r for r in compute_periodic(db, ReportSpan.choose(2026, 3)).rows}
    assert sorted(rows["3.1"].activity_ids) == sorted([ids["C"], ids["D"]])
    assert rows["4.1"].activity_ids == [ids["A"]]


def test_activity_groups_and_contents_are_defaulted_and_checked(counted):
    db, ids = counted
    acts = ActivitiesService(db)
    from da8desktop.core.services.activities_query import get_activity

    training = get_activity(db, ids["A"])
    assert (training.content_key, training.activity_group_key, training.target_category_key) == (
        "content:ND4", "activity_group:4.1", "target_category:CAN_BO")
    assert get_activity(db, ids["F"]).activity_group_key == "activity_group:1.1"  # the team's type
    assert get_activity(db, ids["C"]).activity_group_key == "activity_group:3.1"  # a dialogue
    assert get_activity(db, ids["I"]).activity_group_key == "activity_group:1.4"  # its form
    with pytest.raises(ValidationFailed):  # a group of another content
        acts.create(kind="training", title="x", date_start=dt.date(2026, 1, 1), count_total=1,
                    content_key="content:ND1", activity_group_key="activity_group:4.1")
    with pytest.raises(ValidationFailed):  # a target category outside ND4
        acts.create(kind="training", title="x", date_start=dt.date(2026, 1, 1), count_total=1,
                    training_type_key="training_type:GIAM_SAT",
                    target_category_key="target_category:GIA_LANG")
    chosen = acts.create(kind="training", title="Già làng", date_start=dt.date(2026, 1, 1),
                         count_total=12, activity_group_key="activity_group:4.2",
                         target_category_key="target_category:GIA_LANG").id
    assert get_activity(db, chosen).content_key == "content:ND4"


@pytest.mark.parametrize("counts", [
    dict(count_total=10, count_women=5, count_minority=8, count_women_minority=6),  # > women
    dict(count_total=10, count_women=8, count_minority=4, count_women_minority=5),  # > minority
    dict(count_total=10, count_by_ethnic={THAI: 8, KINH: 3}),  # more than the total
    dict(count_total=10, count_minority=2, count_by_ethnic={THAI: 3}),  # more than the minority
    dict(count_total=10, count_by_ethnic={"topic:BDG": 3}),  # not an ethnic group
    dict(count_total=10, count_by_ethnic={THAI: -1}),
])
def test_typed_splits_that_do_not_add_up_are_refused(commune_db, counts):
    with pytest.raises(ValidationFailed):
        ActivitiesService(commune_db).create(kind="policy_dialogue", title="x",
                                             date_start=dt.date(2026, 1, 1), **counts)


def test_a_period_is_a_quarter_or_a_half_of_a_programme_year():
    assert (ReportSpan.choose(2026, half=2).start, ReportSpan.choose(2026, quarter=1).end) == (
        dt.date(2026, 7, 1), dt.date(2026, 3, 31))
    for bad in (dict(year=2040), dict(year=2026, quarter=5), dict(year=2026, quarter=1, half=1),
                dict(year=2026, half=3)):
        with pytest.raises(UserFacingError):
            ReportSpan.choose(**bad)


def test_the_province_report_is_each_commune_and_their_sum_after_sync(world):
    from da8desktop.core.services.groups import GroupsService, status_history

    ids = build_counted(world.dbs["A1"])
    ActivitiesService(world.dbs["B1"]).create(
        kind="policy_dialogue", title="Đối thoại xã B", date_start=dt.date(2026, 8, 20),
        count_total=30, count_women=20, count_men=10, count_minority=5, count_women_minority=4)
    groups = GroupsService(world.dbs["A1"])
    team = groups.create(type_key="group_type:TTCD", name="Tổ giải thể", launch_date=dt.date(2024, 1, 1)).id
    groups.update(team, status="dissolved", status_on=dt.date(2026, 9, 1))
    world.round()
    province = world.dbs["P"]
    report = compute_periodic(province, ReportSpan.choose(2026, 3)).as_json()
    assert report["scope"] == "province"
    communes = {c["code"]: {r["activity_group"]: r for r in c["rows"]} for c in report["communes"]}
    a, b = communes["03325"], communes[[c for c in communes if c != "03325" and
                                        any(r["sessions"] for r in communes[c].values())][0]]
    check_every_cell({"rows": list(a.values())}, EXPECTED_Q3)
    assert b["3.1"]["sessions"] == 1 and b["3.1"]["women_minority"] == 4
    for row in report["rows"]:
        group = row["activity_group"]
        for name in ("sessions", "participants", "women", "men", "minority", "women_minority",
                     "children"):
            assert row[name] == a[group][name] + b[group][name], (group, name)
    assert status_history(province, team) == [(dt.date(2026, 9, 1), "dissolved")]
    assert ids["A"] in compute_periodic(province, ReportSpan.choose(2026, 3)).rows[13].activity_ids
