"""Issue 20, "Done when", every model: the commune of test_periodic_hand_count.py, built through
the services, also holds a trusted address with its cases (several forms, sexes, age bands, one
deleted), livelihood groups (a cooperative with women owners and co-owners supported with 4.0
technology), a club whose members joined on different days, safe-delivery counselling sessions
(activity group 2.5) with named and counted attendance and cash support to a woman also
counselled, women officials trained at several trainings, and — Mường Phăng was formed by merging
three communes in 2025 — phase-I records of 2024 carrying their former commune. Every cell of the
third quarter's and the year's report, every indicator of the catalogue (I.* for 2024, II.* for
2026) and the phase-I report by former unit and by 2025 unit are checked against hand counts,
before and after today's changes (20/01/2027)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from da8desktop.core.indicators.periodic import UNKNOWN, ReportSpan, compute_periodic
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services import trusted_cases as cases_module
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import (GroupsService, GroupSupportService,
                                             MembershipsService)
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.support import SafeDeliveryService
from da8desktop.core.services.trusted_cases import TrustedCasesService
from da8desktop.core.services.units import assign_legacy_unit
from tests.core.test_periodic_hand_count import (DAO, EXPECTED_INDICATORS_Q3,
                                                 EXPECTED_INDICATORS_YEAR, EXPECTED_Q3,
                                                 EXPECTED_YEAR, KINH, MONG, THAI, TODAY, V1, V2,
                                                 V3, build, cells, check_every_cell,
                                                 indicators)
from tests.core.test_periodic_hand_count import on_today  # noqa: F401 (a fixture used below)

NA_NHAN, MUONG_PHANG, PA_KHOANG = (f"pre2025:commune:{c}" for c in ("03317", "03325", "03326"))
CATALOGUE = json.loads((Path(__file__).resolve().parents[2]
                        / "resources/catalogues/indicators.json").read_text("utf-8"))
CODES = [i["code"] for i in CATALOGUE["items"] if i["kind"] == "indicator"]


def add_every_model(db, p, villages):
    """What test_periodic_hand_count.build() does not hold. The line each adds is beside it."""
    groups, members, support = GroupsService(db), MembershipsService(db), GroupSupportService(db)
    acts, safe, cases = ActivitiesService(db), SafeDeliveryService(db), TrustedCasesService(db)
    g = {}
    # A trusted address since 15/01/2024, in V1 (II.DCTC, I.DCTC)
    g["D1"] = groups.create(type_key="group_type:DCTC", name="Địa chỉ tin cậy bản Phăng",
                            subtype="tập thể", host_location="Hội LHPN xã", hotline="0215 3 811 111",
                            launch_date=dt.date(2024, 1, 15), village_id=villages[V1]).id

    def case(day, form, sex, band, ethnic, n):
        return cases.create(group_id=g["D1"], reported_on=day,
                            violence_form_key=f"violence_form:{form}",
                            support_given=["case_support:TU_VAN"], sex=sex, age_band=band,
                            ethnic_key=ethnic, case_count=n).id

    case(dt.date(2024, 8, 1), "TINH_THAN", "F", "18_59", THAI, 2)  # phase I
    case(dt.date(2026, 2, 3), "THE_CHAT", "F", "18_59", THAI, 3)  # Q1
    case(dt.date(2026, 7, 9), "TINH_THAN", "F", "under_16", MONG, 2)  # Q3
    case(dt.date(2026, 8, 1), "THE_CHAT", "M", "under_16", KINH, 1)  # Q3
    case(dt.date(2026, 9, 15), "XAM_HAI_TE", "F", "under_16", DAO, 1)  # Q3
    case(dt.date(2026, 11, 2), "KINH_TE", "F", "60_plus", None, 4)  # Q4
    cases.delete(case(dt.date(2026, 8, 20), "TINH_DUC", "F", "16_17", THAI, 7))  # counted nowhere

    # Livelihood groups: a cooperative supported with 4.0 technology in Q3, a THT with QR in Q4
    g["L1"] = groups.create(type_key="group_type:SINHKE", name="HTX dệt thổ cẩm", subtype="HTX",
                            field_of_activity="Dệt thổ cẩm", registration_no="62/HTX-2026",
                            women_owners=5, women_co_owners=3, launch_date=dt.date(2026, 2, 1),
                            village_id=villages[V1]).id
    support.create(group_id=g["L1"], item="Phần mềm bán hàng", kind_key="support_kind:CONG_NGHE_40",
                   value_vnd=15_000_000, received_on=dt.date(2026, 8, 10))
    g["L2"] = groups.create(type_key="group_type:SINHKE", name="Tổ hợp tác chè", subtype="THT",
                            launch_date=dt.date(2026, 3, 1), village_id=villages[V2]).id
    support.create(group_id=g["L2"], item="Tem QR", kind_key="support_kind:QR",
                   received_on=dt.date(2026, 11, 5))

    # A club since 1/9/2025: c1 and c2 from the start, c3 from 1/10/2026
    g["C1"] = groups.create(type_key="group_type:CLB", name="CLB Thủ lĩnh THCS",
                            host_location="Trường THCS", grades="6-9", facilitators="Cô Lò Thị Hoa",
                            launch_date=dt.date(2025, 9, 1), village_id=villages[V1]).id
    for key, day in (("c1", dt.date(2025, 9, 1)), ("c2", dt.date(2025, 9, 1)),
                     ("c3", dt.date(2026, 10, 1))):
        members.create(group_id=g["C1"], person_id=p[key], role_key="role:THANH_VIEN",
                       joined_on=day)

    counselling = {"kind": "communication", "activity_group_key": "activity_group:2.5"}
    a = {}
    # Q3 — SD1: counselling, named: m1 (Mông woman, V2), d1 (Dao woman, V3), m2 (Mông man, V2)
    a["SD1"] = acts.record_with_attendance("communication", dt.date(2026, 7, 15),
                                           "Tư vấn sinh đẻ an toàn", present=[p["m1"], p["d1"], p["m2"]],
                                           activity_group_key="activity_group:2.5").id
    # Q3 — SD2: counselling by counts, cross-tabulated, 9 Mông, V2
    a["SD2"] = acts.create(title="Truyền thông sinh đẻ an toàn", date_start=dt.date(2026, 8, 5),
                           participation="counts", count_total=12, count_women=10, count_men=2,
                           count_minority=9, count_women_minority=8, count_children=0,
                           count_by_ethnic={MONG: 9}, village_ids=[villages[V2]], **counselling).id
    # Q4 — SD3: counselling, named: m1 again, k2 (Kinh woman, V1)
    a["SD3"] = acts.record_with_attendance("communication", dt.date(2026, 10, 20),
                                           "Tư vấn sinh đẻ an toàn lần 2", present=[p["m1"], p["k2"]],
                                           activity_group_key="activity_group:2.5").id
    # Cash support: d1 (also counselled at SD1) in Q3, o3 (never counselled) in Q4
    safe.create(person_id=p["d1"], support_type="normal", amount_vnd=2_200_000,
                given_on=dt.date(2026, 9, 1))
    safe.create(person_id=p["o3"], support_type="normal", amount_vnd=2_200_000,
                given_on=dt.date(2026, 11, 10))
    # Women officials again in Q4 (TR3 trained o1, o2, o3 in Q3): TR5 named o1, o2 and k2 (Kinh),
    # TR6 by counts, cross-tabulated 5 women of a minority
    officials = {"training_type_key": "training_type:CAN_BO_NU"}
    a["TR5"] = acts.record_with_attendance("training", dt.date(2026, 11, 12), "Cán bộ nữ lần 2",
                                           present=[p["o1"], p["o2"], p["k2"]], **officials).id
    a["TR6"] = acts.create(kind="training", title="Cán bộ nữ (đếm)", date_start=dt.date(2026, 11, 25),
                           participation="counts", count_total=9, count_women=8, count_men=1,
                           count_minority=7, count_women_minority=5, **officials).id
    return g, a


def add_phase_one(db, p):
    """2024, phase I, each with the former commune it happened in; one with none yet."""
    acts, safe = ActivitiesService(db), SafeDeliveryService(db)
    acts.create(kind="training", title="Tập huấn giám sát 2024", date_start=dt.date(2024, 3, 5),
                training_type_key="training_type:GIAM_SAT", participation="counts",
                count_total=20, count_women=12, count_men=8, count_minority=15,
                count_women_minority=9, count_children=0, legacy_unit_key=NA_NHAN)
    acts.create(kind="policy_dialogue", title="Đối thoại 2024", date_start=dt.date(2024, 5, 10),
                participation="counts", count_total=15, count_women=9, count_men=6,
                count_minority=12, count_women_minority=7, count_children=2,
                legacy_unit_key=PA_KHOANG)
    counselled = acts.create(kind="communication", title="Tư vấn sinh đẻ an toàn 2024",
                             date_start=dt.date(2024, 6, 1), participation="attendance",
                             activity_group_key="activity_group:2.5",
                             legacy_unit_key=PA_KHOANG).id
    acts.set_attendance(counselled, present=[p["m1"]])
    officials = acts.create(kind="training", title="Cán bộ nữ 2024", date_start=dt.date(2024, 9, 10),
                            training_type_key="training_type:CAN_BO_NU", participation="attendance",
                            legacy_unit_key=MUONG_PHANG).id
    acts.set_attendance(officials, present=[p["o1"], p["o2"]])
    safe.create(person_id=p["d1"], support_type="normal", amount_vnd=2_200_000,
                given_on=dt.date(2024, 7, 1), legacy_unit_key=NA_NHAN)
    # no former commune yet: the officer says Mường Phăng when asked
    acts.create(kind="communication", title="Ngày hội 2024", form_key="form:SU_KIEN",
                date_start=dt.date(2024, 10, 1), participation="counts", count_total=30,
                count_women=18, count_men=12, count_minority=20, count_women_minority=12,
                count_children=6)


# ---- the hand counts ----------------------------------------------------------------------

# 2.5, Q3: SD1 (m1 Mông F V2, d1 Dao F V3, m2 Mông M V2) + SD2 as typed (12: 3 of no group)
SD_Q3 = cells(2, 15, 12, 3, 12, 10, 0, {"Mông": 11, "Dao": 1, UNKNOWN: 3}, {V2: 14, V3: 1})
EVERY_Q3 = {**EXPECTED_Q3, "2.5": SD_Q3}
EVERY_YEAR = {
    **EXPECTED_YEAR,
    # + SD3: m1 (Mông F V2), k2 (Kinh F V1)
    "2.5": cells(3, 17, 14, 3, 13, 11, 0, {"Mông": 12, "Dao": 1, "Kinh": 1, UNKNOWN: 3},
                 {V2: 15, V3: 1, V1: 1}),
    # TR3: o1 (Thái V1), o2 (Mông V2), o3 (Dao V3) + TR5: o1, o2, k2 (Kinh V1), all women
    # + TR6 as typed, no split, no village
    "3.3": cells(3, 15, 14, 1, 12, 10, 0, {"Thái": 2, "Mông": 2, "Dao": 1, "Kinh": 1, UNKNOWN: 9},
                 {V1: 3, V2: 2, V3: 1, UNKNOWN: 9}),
}

# Every II indicator: year to date on 30/9 (Q3) and on 31/12 (the year)
II_Q3 = {
    **EXPECTED_INDICATORS_Q3,
    "II.CLB": 1, "II.CLB_TV": 2,  # c3 joins on 1/10
    "II.DCTC": 1,
    "II.DCTC_VU": 3 + 2 + 1 + 1,  # the deleted 7 nowhere
    "II.DCTC_VU_TC": 3 + 1, "II.DCTC_VU_TT": 2, "II.DCTC_VU_KT": 0, "II.DCTC_VU_TD": 0,
    "II.DCTC_VU_XHTE": 1,
    "II.SINHKE": 1, "II.SINHKE_40": 1,  # L1 supported on 10/8; L2 only in Q4
    "II.SDAT": 2 + 10,  # m1, d1 (counselled and supported: once) + SD2's 10 typed women
    "II.SDAT_SO": 2, "II.SDAT_LUOT": 3 + 12,
}
II_YEAR = {
    **II_Q3, **EXPECTED_INDICATORS_YEAR,
    "II.CLB_TV": 3,
    "II.DCTC_VU": 7 + 4, "II.DCTC_VU_KT": 4,
    "II.SINHKE": 2,
    "II.SDAT": 4 + 10,  # + k2 (SD3), o3 (supported)
    "II.SDAT_SO": 3, "II.SDAT_LUOT": 17,
    "II.CB_NU": 3 + 5,  # o1, o2, o3 once each however many trainings; k2 is Kinh; TR6's 5
}
# Every I indicator for 2024, read on 31/12/2024
I_2024 = {
    "I.TTCD": 1, "I.TTCD_TV": 5,  # T1 since 1/3/2024 with t1-t5; T2 from 2025
    "I.CLB": 0, "I.CLB_TV": 0,  # the club from 2025
    "I.DCTC": 1, "I.DCTC_VU": 2, "I.DCTC_VU_TT": 2,
    "I.DCTC_VU_TC": 0, "I.DCTC_VU_KT": 0, "I.DCTC_VU_TD": 0, "I.DCTC_VU_XHTE": 0,
    "I.TKVV": 1,  # S1 since 2023; S2 from 2025
    "I.SINHKE": 0, "I.SINHKE_40": 0,
    "I.DTCS": 1, "I.TH_GS": 20, "I.TH_GS_SO": 1, "I.TH_LG": 0, "I.TH_LG_SO": 0,
    "I.CB_NU": 2,  # o1, o2
    "I.SDAT": 2,  # m1 counselled, d1 supported
    "I.SDAT_SO": 1, "I.SDAT_LUOT": 1,
}
# The phase-I report, 2024, by group: (sessions, participants, women, men, minority,
# women_minority, children)
PHASE_ONE = {
    "1.3": (1, 30, 18, 12, 20, 12, 6),  # the event, no former commune until assigned
    "2.5": (1, 1, 1, 0, 1, 1, 0),  # m1
    "3.1": (1, 15, 9, 6, 12, 7, 2),
    "3.3": (1, 2, 2, 0, 2, 2, 0),  # o1, o2
    "3.4": (1, 20, 12, 8, 15, 9, 0),
}
BY_FORMER = {
    "03317": {"3.4": PHASE_ONE["3.4"]},  # Nà Nhạn
    "03325": {"3.3": PHASE_ONE["3.3"], "1.3": PHASE_ONE["1.3"]},  # Mường Phăng, once assigned
    "03326": {"3.1": PHASE_ONE["3.1"], "2.5": PHASE_ONE["2.5"]},  # Pá Khoang
}
FIGURES = ("sessions", "participants", "women", "men", "minority", "women_minority", "children")


@pytest.fixture
def everything(commune_db, on_today, monkeypatch):  # noqa: F811 (the imported fixture)
    monkeypatch.setattr(cases_module, "today", lambda: TODAY)
    db = commune_db
    p, g, a, villages = build(db)
    more_g, more_a = add_every_model(db, p, villages)
    add_phase_one(db, p)
    return db, p, {**g, **more_g}, {**a, **more_a}, villages


def every_indicator(db, period, prefix):
    got = indicators(db, period)
    assert sorted(got) == sorted(c for c in CODES if c.startswith(prefix))  # the whole catalogue
    return got


def rows_by_group(rows):
    return {r["activity_group"]: tuple(r[f] for f in FIGURES) for r in rows if r["sessions"]}


def test_every_model_every_cell_and_every_indicator_by_hand_and_after_today(everything):
    db, p, g, _a, villages = everything
    q3, year = ReportSpan.choose(2026, quarter=3), ReportSpan.choose(2026)
    check_every_cell(compute_periodic(db, q3).as_json(), EVERY_Q3)
    check_every_cell(compute_periodic(db, year).as_json(), EVERY_YEAR)
    periods = {"q3": Period.choose(2026, 3), "year": Period.choose(2026),
               "2024": Period.choose(2024)}
    assert every_indicator(db, periods["q3"], "II.") == II_Q3
    assert every_indicator(db, periods["year"], "II.") == II_YEAR
    assert every_indicator(db, periods["2024"], "I.") == I_2024
    rows = {r.indicator.code: r for r in compute_progress(db, periods["year"], TODAY).rows}
    cases = rows["II.DCTC_VU"].cell.figure
    assert (cases.women, cases.men, cases.children, cases.minority) == (3 + 2 + 1 + 4, 1,
                                                                        2 + 1 + 1, 3 + 2 + 1)
    in_q3 = {r.indicator.code: r.in_quarter for r in compute_progress(db, periods["q3"], TODAY).rows}
    assert (in_q3["II.DCTC_VU"], in_q3["II.SDAT_SO"], in_q3["II.CB_NU"]) == (4, 2, 3)
    before = {k: compute_periodic(db, s).as_json() for k, s in (("q3", q3), ("year", year))}
    stock = {k: indicators(db, v) for k, v in periods.items()}

    # Today, 20/01/2027: the cooperative is dissolved, the club too after a new member joined,
    # L2 gets 4.0 support, a case is received, a counselling session is held with o3 and the
    # newcomer, m1 gets cash support, and o3 comes to a women officials' training.
    groups, acts = GroupsService(db), ActivitiesService(db)
    newcomer = PeopleService(db).create(family_name="Sùng", given_name="Thị Dợ", sex="F",
                                        birth_year=1999, ethnic_key=MONG,
                                        village_id=villages[V2]).id
    MembershipsService(db).add(g["C1"], "role:THANH_VIEN", newcomer)
    groups.update(g["L1"], status="dissolved")
    groups.update(g["C1"], status="dissolved")
    GroupSupportService(db).create(group_id=g["L2"], item="Sàn thương mại điện tử",
                                   kind_key="support_kind:CONG_NGHE_40", received_on=TODAY)
    TrustedCasesService(db).create(group_id=g["D1"], reported_on=TODAY,
                                   violence_form_key="violence_form:THE_CHAT",
                                   support_given=["case_support:TU_VAN"], sex="F",
                                   age_band="18_59", ethnic_key=THAI, case_count=2)
    acts.record_with_attendance("communication", TODAY, "Tư vấn đầu năm",
                                present=[p["o3"], newcomer], activity_group_key="activity_group:2.5")
    SafeDeliveryService(db).create(person_id=p["m1"], support_type="normal",
                                   amount_vnd=2_200_000, given_on=TODAY)
    acts.record_with_attendance("training", TODAY, "Cán bộ nữ 2027", present=[p["o3"]],
                                training_type_key="training_type:CAN_BO_NU")

    assert compute_periodic(db, q3).as_json() == before["q3"]
    assert compute_periodic(db, year).as_json() == before["year"]
    assert {k: indicators(db, v) for k, v in periods.items()} == stock
    now = indicators(db, Period.choose(2027, 1))  # today's changes are in 2027
    assert (now["II.SINHKE"], now["II.SINHKE_40"], now["II.CLB"], now["II.CLB_TV"]) == (1, 1, 0, 0)
    assert (now["II.DCTC_VU"], now["II.DCTC_VU_TC"], now["II.SDAT"], now["II.SDAT_SO"],
            now["II.CB_NU"]) == (2, 2, 3, 1, 1)
    assert rows_by_group(compute_periodic(db, ReportSpan.choose(2027, quarter=1)).as_json()["rows"]) == {
        "2.5": (1, 2, 2, 0, 2, 2, 0), "3.3": (1, 1, 1, 0, 1, 1, 0)}


def test_phase_one_by_former_commune_and_by_the_2025_commune(everything):
    db = everything[0]
    span = ReportSpan.choose(2024)
    whole = compute_periodic(db, span).as_json()
    assert rows_by_group(whole["rows"]) == PHASE_ONE
    before = compute_periodic(db, span, by_legacy_unit=True).as_json()
    units = {u["code"]: rows_by_group(u["rows"]) for u in before["legacy_units"]}
    assert units == {"03317": BY_FORMER["03317"], "03325": {"3.3": PHASE_ONE["3.3"]},
                     "03326": BY_FORMER["03326"], None: {"1.3": PHASE_ONE["1.3"]}}
    assert assign_legacy_unit(db, "03325") == 1  # only the event had no former commune
    after = compute_periodic(db, span, by_legacy_unit=True).as_json()
    assert {u["code"]: rows_by_group(u["rows"]) for u in after["legacy_units"]} == BY_FORMER
    assert [u["name"] for u in after["legacy_units"]] == ["Xã Nà Nhạn", "Xã Mường Phăng",
                                                          "Xã Pá Khoang"]
    # by former commune and by the 2025 commune: the same figures, each record once
    for group, line in PHASE_ONE.items():
        assert tuple(map(sum, zip(*[u[group] for u in BY_FORMER.values() if group in u]))) == line
    assert after["rows"] == whole["rows"]
    assert every_indicator(db, Period.choose(2024), "I.") == I_2024
    assert rows_by_group(compute_periodic(db, ReportSpan.choose(2025)).as_json()["rows"]) == {
        "3.1": (1, 70, 0, 0, 0, 0, 0)}  # build()'s dialogue of 30/12/2025: after the merger


def test_the_quarters_before_q3_hold_no_case_of_q3(everything):
    """A closed past quarter read alone: Q1 has T2 and S1 still there, the cooperative without
    support yet, the club with two members and the Q1 case only."""
    db = everything[0]
    q1 = every_indicator(db, Period.choose(2026, 1), "II.")
    assert (q1["II.TTCD"], q1["II.TTCD_TV"], q1["II.TKVV"], q1["II.CLB_TV"]) == (2, 9, 2, 2)
    assert (q1["II.DCTC_VU"], q1["II.DCTC_VU_TC"], q1["II.SINHKE"], q1["II.SDAT"]) == (3, 3, 0, 0)
    q1_rows = rows_by_group(compute_periodic(db, ReportSpan.choose(2026, quarter=1)).as_json()["rows"])
    assert "2.5" not in q1_rows and "3.3" not in q1_rows  # counselling and officials from Q3


def test_the_province_totals_with_its_own_activities_and_a_percentage_target(world):
    """By hand, year 2026. Dialogues: commune A 40 people (25 women), commune B 10 (2 women), the
    province's own 30 (21 women): 3 dialogues, 80 participant-times, 48 women, 60.0 % women.
    M&E trainings: the province's own 30 (22 women), commune A's 10 (6 women): 40 people, 2
    trainings. Teams: 2 in A, 1 in B, against the province's own 540."""
    from tests.core.sync_world import COMMUNE_A, COMMUNE_B
    from tests.core.test_percent_and_province_targets import SHARE, add_indicator

    from da8desktop.core.indicators.progress import province_of
    from da8desktop.core.services.targets import TargetsService

    p, a1, b1 = world.dbs["P"], world.dbs["A1"], world.dbs["B1"]
    add_indicator(p, SHARE)

    def counted(db, kind, total, women, **fields):
        ActivitiesService(db).create(kind=kind, title=f"{kind} {total}", participation="counts",
                                     date_start=dt.date(2026, 4, 2), count_total=total,
                                     count_women=women, count_men=total - women, **fields)

    gs = {"training_type_key": "training_type:GIAM_SAT"}
    counted(a1, "policy_dialogue", 40, 25)
    counted(b1, "policy_dialogue", 10, 2)
    counted(p, "policy_dialogue", 30, 21)
    counted(p, "training", 30, 22, **gs)
    counted(a1, "training", 10, 6, **gs)
    for db, names in ((a1, ["Tổ 1", "Tổ 2"]), (b1, ["Tổ 3"])):
        for name in names:
            GroupsService(db).create(type_key="group_type:TTCD", name=name,
                                     launch_date=dt.date(2026, 2, 1))
    whole = province_of(p).key
    TargetsService(p).set_many([("indicator:II.DTCS_NU", whole, "2026", 80),
                                ("indicator:II.TTCD", whole, "2026", 540)])
    world.round()

    progress = {r.indicator.code: r for r in compute_progress(p, Period.choose(2026), TODAY).rows}
    assert {c: progress[c].cell.achieved for c in ("II.DTCS", "II.TH_GS", "II.TH_GS_SO",
                                                   "II.TTCD")} == {
        "II.DTCS": 3, "II.TH_GS": 40, "II.TH_GS_SO": 2, "II.TTCD": 3}
    share = progress["II.DTCS_NU"]
    assert (share.cell.achieved, share.cell.figure.base, share.cell.target, share.cell.status) == (
        60.0, 80, 80, "behind")
    assert (progress["II.TTCD"].cell.target, progress["II.TH_GS"].province_own.total) == (540, 30)
    commune = {key: cell.achieved for key, cell in share.by_commune.items() if cell.achieved}
    assert commune == {f"2025:commune:{COMMUNE_A}": 62.5, f"2025:commune:{COMMUNE_B}": 20.0}

    report = compute_periodic(p, ReportSpan.choose(2026, quarter=2)).as_json()
    assert rows_by_group(report["rows"]) == {"3.1": (3, 80, 48, 32, 0, 0, 0),
                                             "3.4": (2, 40, 28, 12, 0, 0, 0)}
    assert rows_by_group(report["province_own"]) == {"3.1": (1, 30, 21, 9, 0, 0, 0),
                                                     "3.4": (1, 30, 22, 8, 0, 0, 0)}
