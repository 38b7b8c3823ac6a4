"""Issue 20, "Done when": a commune built through the services, every case counted by hand —
trainings with named attendance (a guest among them) and with counts cross-tabulated women ×
minority, dialogues, communication events, a team's meetings, a team dissolved mid-year, a savings
group that stopped, people of four ethnic groups and three villages, children (and a girl of 16,
who is not one) — and every cell of the quarter and the year report, and the indicators they
answer, checked against the hand count. Today (20/01/2027, when the year's figures are updated)
people are added, a team is dissolved and an activity held today gets its attendance: the closed
third quarter and the closed year do not move. The workbook read back with openpyxl holds the
JSON's numbers, the PDF its totals; LibreOffice reads the same numbers (skipped where it is not installed, unless
DA8_REQUIRE_SOFFICE=1)."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from da8desktop.core.excel.periodic import export_periodic_report
from da8desktop.core.indicators.periodic import UNKNOWN, ReportSpan, compute_periodic
from da8desktop.core.indicators.periodic_records import (
    COUNTS,
    figure_of,
    periodic_records,
)
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.reports.periodic_report import content_blocks, periodic_report
from da8desktop.core.services import groups as groups_module
from da8desktop.core.services import records as records_module
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService
from da8desktop.render.pdf import write_pdf
from tests.core.test_print_and_export import pdf_text

KINH, THAI, MONG, DAO = "ethnic:2008:01", "ethnic:2008:03", "ethnic:2008:08", "ethnic:2008:09"
V1, V2, V3 = "Bản Phăng", "Bản Co Cượm", "Bản Na Sang"
TODAY = dt.date(2027, 1, 20)  # the year's figures are updated before 25/1 (TT 01/2022)
GROUPS = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4",
          "4.1", "4.2", "4.3"]


@pytest.fixture
def on_today(monkeypatch):
    """The services' "today" (memberships, status changes) is 20/01/2027."""
    monkeypatch.setattr(records_module, "today", lambda: TODAY)
    monkeypatch.setattr(groups_module, "today", lambda: TODAY)
    return TODAY


def build(db):
    """The commune of 2026. Each activity's line in EXPECTED_* is written beside it."""
    villages = {name: VillagesService(db).create(name=name).id for name in (V1, V2, V3)}
    people = PeopleService(db)

    def person(name, sex, year, ethnic, village):
        family, given = name.split(" ", 1)
        return people.create(family_name=family, given_name=given, sex=sex, birth_year=year,
                             ethnic_key=ethnic,
                             village_id=villages[village] if village else None).id

    p = {}
    for i, n in enumerate(("A", "B", "C", "D", "E"), start=1):  # team members, Thái women, V1
        p[f"t{i}"] = person(f"Lò Thị {n}", "F", 1979 + i, THAI, V1)
    p["m1"] = person("Giàng Thị Mai", "F", 1990, MONG, V2)
    p["m2"] = person("Giàng A Chư", "M", 1988, MONG, V2)
    p["d1"] = person("Triệu Thị Hoa", "F", 1995, DAO, V3)
    p["k1"] = person("Nguyễn Văn Hùng", "M", 1975, KINH, V2)
    p["k2"] = person("Trần Thị Lan", "F", 1985, KINH, V1)
    p["c1"] = person("Lò Thị Em", "F", 2013, THAI, V1)  # a child in 2026
    p["c2"] = person("Giàng A Tủa", "M", 2012, MONG, V2)  # a child in 2026
    p["c3"] = person("Triệu Thị Mẩy", "F", 2010, DAO, V3)  # 16 in 2026: not a child
    p["g1"] = person("Phạm Văn Khách", "M", 1970, KINH, None)  # a guest from the district
    p["o1"] = person("Lò Thị Cán", "F", 1978, THAI, V1)  # women officials of minorities
    p["o2"] = person("Giàng Thị Bộ", "F", 1982, MONG, V2)
    p["o3"] = person("Triệu Thị Nữ", "F", 1987, DAO, V3)

    groups, members = GroupsService(db), MembershipsService(db)
    g = {}
    g["T1"] = groups.create(type_key="group_type:TTCD", name="Tổ TTCĐ bản Phăng",
                            launch_date=dt.date(2024, 3, 1), village_id=villages[V1]).id
    for i in range(1, 6):
        members.create(group_id=g["T1"], person_id=p[f"t{i}"], role_key="role:THANH_VIEN",
                       joined_on=dt.date(2024, 3, 1))
    members.create(group_id=g["T1"], person_id=p["k2"], role_key="role:THANH_VIEN",
                   joined_on=dt.date(2026, 2, 1))
    g["T2"] = groups.create(type_key="group_type:TTCD", name="Tổ TTCĐ bản Na Sang",
                            launch_date=dt.date(2025, 1, 10), village_id=villages[V3]).id
    for key in ("d1", "c3", "m1"):
        members.create(group_id=g["T2"], person_id=p[key], role_key="role:THANH_VIEN",
                       joined_on=dt.date(2025, 1, 10))
    g["S1"] = groups.create(type_key="group_type:TKVV", name="Tổ TKVV bản Co Cượm",
                            launch_date=dt.date(2023, 6, 1), village_id=villages[V2]).id
    for key in ("m1", "m2"):
        members.create(group_id=g["S1"], person_id=p[key], role_key="role:THANH_VIEN",
                       joined_on=dt.date(2023, 6, 1))
    g["S2"] = groups.create(type_key="group_type:TKVV", name="Tổ TKVV bản Phăng",
                            launch_date=dt.date(2025, 3, 1), village_id=villages[V1]).id

    acts = ActivitiesService(db)
    a = {}
    # Q1 — E1: an event (1.3), counts cross-tabulated and split, one village
    a["E1"] = acts.create(kind="communication", title="Ngày hội văn hóa", form_key="form:SU_KIEN",
                          date_start=dt.date(2026, 2, 10), participation="counts", count_total=100,
                          count_women=60, count_men=40, count_minority=80, count_women_minority=50,
                          count_children=20, count_by_ethnic={THAI: 50, MONG: 20},
                          village_ids=[villages[V2]]).id
    # Q1 — M1: T1's meeting (1.1): t1-t4 present, t5 absent
    a["M1"] = acts.record_meeting(g["T1"], dt.date(2026, 3, 5), "Sinh hoạt tổ quý I",
                                  present=[p["t1"], p["t2"], p["t3"], p["t4"]], absent=[p["t5"]]).id
    # Q2 — M2: T2's meeting before it was dissolved (1.1)
    a["M2"] = acts.record_meeting(g["T2"], dt.date(2026, 4, 10), "Sinh hoạt tổ bản Na Sang",
                                  present=[p["d1"], p["c3"], p["m1"]]).id
    groups.update(g["T2"], status="dissolved", status_on=dt.date(2026, 5, 20))
    # Q2 — TR1: M&E training (3.4), named, a guest; m2 absent
    a["TR1"] = acts.record_with_attendance(
        "training", dt.date(2026, 5, 5), "Tập huấn giám sát đánh giá",
        present=[p["o1"], p["o2"], p["k1"]], guests=[p["g1"]], absent=[p["m2"]],
        training_type_key="training_type:GIAM_SAT").id
    # Q3 — TR2: gender-mainstreaming training (4.1) by counts, cross-tabulated, split, V1
    a["TR2"] = acts.create(kind="training", title="Tập huấn lồng ghép giới",
                           date_start=dt.date(2026, 7, 8), training_type_key="training_type:LONG_GHEP",
                           participation="counts", count_total=25, count_women=15, count_men=10,
                           count_minority=18, count_women_minority=11, count_children=0,
                           count_by_ethnic={THAI: 9, MONG: 6, DAO: 2}, village_ids=[villages[V1]]).id
    # Q3 — TR3: training of minority women officials (3.3), named
    a["TR3"] = acts.record_with_attendance(
        "training", dt.date(2026, 7, 22), "Nâng cao năng lực cán bộ nữ",
        present=[p["o1"], p["o2"], p["o3"]], training_type_key="training_type:CAN_BO_NU").id
    # Q3 — DL1: dialogue (3.1) by counts over two villages, no women × minority typed
    a["DL1"] = acts.create(kind="policy_dialogue", title="Đối thoại chính sách",
                           date_start=dt.date(2026, 8, 12), participation="counts", count_total=40,
                           count_women=22, count_men=18, count_minority=30, count_children=5,
                           village_ids=[villages[V1], villages[V2]]).id
    # Q3 — DL2: dialogue (3.1) with children, named
    a["DL2"] = acts.record_with_attendance(
        "policy_dialogue", dt.date(2026, 9, 3), "Đối thoại với trẻ em",
        present=[p["c1"], p["c2"], p["c3"], p["m1"], p["k2"]]).id
    # Q3 — M3: T1's meeting (1.1): t1, t2, t5, k2 present; t3, t4 absent
    a["M3"] = acts.record_meeting(g["T1"], dt.date(2026, 8, 20), "Sinh hoạt tổ quý III",
                                  present=[p["t1"], p["t2"], p["t5"], p["k2"]],
                                  absent=[p["t3"], p["t4"]]).id
    # Q3 — M4: S1's meeting (2.2) before it stopped on 15/08
    a["M4"] = acts.record_meeting(g["S1"], dt.date(2026, 8, 1), "Họp tổ tiết kiệm",
                                  present=[p["m1"], p["m2"]]).id
    groups.update(g["S1"], status="stopped", status_on=dt.date(2026, 8, 15))
    # Q3 — CM1: a staged play (1.4) by counts, one village
    a["CM1"] = acts.create(kind="communication", title="Sân khấu hóa phòng chống tảo hôn",
                           form_key="form:SAN_KHAU", date_start=dt.date(2026, 9, 25),
                           participation="counts", count_total=60, count_women=35, count_men=25,
                           count_minority=45, count_women_minority=28, count_children=12,
                           count_by_ethnic={MONG: 45}, village_ids=[villages[V3]]).id
    # Q4 — DL3: dialogue (3.1) by counts, V3; TR4: M&E training (3.4) by counts, no village
    a["DL3"] = acts.create(kind="policy_dialogue", title="Đối thoại cuối năm",
                           date_start=dt.date(2026, 11, 5), participation="counts", count_total=30,
                           count_women=20, count_men=10, count_minority=25, count_women_minority=18,
                           count_children=0, village_ids=[villages[V3]]).id
    a["TR4"] = acts.create(kind="training", title="Tập huấn giám sát lần 2",
                           date_start=dt.date(2026, 10, 15), training_type_key="training_type:GIAM_SAT",
                           participation="counts", count_total=22, count_women=14, count_men=8,
                           count_minority=16, count_women_minority=10, count_by_ethnic={THAI: 16}).id
    # Counted nowhere: a deleted dialogue in Q3, and a dialogue of 2025
    gone = acts.create(kind="policy_dialogue", title="Nhập nhầm", date_start=dt.date(2026, 8, 8),
                       count_total=50)
    acts.delete(gone.id)
    acts.create(kind="policy_dialogue", title="Năm trước", date_start=dt.date(2025, 12, 30),
                count_total=70)
    return p, g, a, villages


def cells(sessions, participants, women, men, minority, women_minority, children, ethnic, village):
    return {"sessions": sessions, "participants": participants, "women": women, "men": men,
            "minority": minority, "women_minority": women_minority, "children": children,
            "by_ethnic": ethnic, "by_village": village}


ZERO = cells(0, 0, 0, 0, 0, 0, 0, {}, {})
EXPECTED_Q3 = {
    # M3: t1, t2, t5 (Thái women, V1) and k2 (Kinh woman, V1)
    "1.1": cells(1, 4, 4, 0, 3, 3, 0, {"Thái": 3, "Kinh": 1}, {V1: 4}),
    # CM1 as typed; 15 of no typed group
    "1.4": cells(1, 60, 35, 25, 45, 28, 12, {"Mông": 45, UNKNOWN: 15}, {V3: 60}),
    # M4: m1 (Mông woman), m2 (Mông man), both V2
    "2.2": cells(1, 2, 1, 1, 2, 1, 0, {"Mông": 2}, {V2: 2}),
    # DL1 (40 typed, two villages: not known) + DL2: c1 (Thái girl, V1), c2 (Mông boy, V2),
    # c3 (Dao, 16: not a child, V3), m1 (Mông woman, V2), k2 (Kinh woman, V1)
    "3.1": cells(2, 45, 26, 19, 34, 3, 7, {"Thái": 1, "Mông": 2, "Dao": 1, "Kinh": 1, UNKNOWN: 40},
                 {V1: 2, V2: 2, V3: 1, UNKNOWN: 40}),
    # TR3: o1 (Thái, V1), o2 (Mông, V2), o3 (Dao, V3), all women
    "3.3": cells(1, 3, 3, 0, 3, 3, 0, {"Thái": 1, "Mông": 1, "Dao": 1}, {V1: 1, V2: 1, V3: 1}),
    # TR2 as typed; 25 - 17 split = 8 not known
    "4.1": cells(1, 25, 15, 10, 18, 11, 0, {"Thái": 9, "Mông": 6, "Dao": 2, UNKNOWN: 8}, {V1: 25}),
}
EXPECTED_YEAR = {
    **EXPECTED_Q3,
    # + M1: t1-t4 (Thái women, V1); + M2: d1 (Dao woman, V3), c3 (Dao, 16, V3), m1 (Mông, V2)
    "1.1": cells(3, 11, 11, 0, 10, 10, 0, {"Thái": 7, "Kinh": 1, "Dao": 2, "Mông": 1},
                 {V1: 8, V2: 1, V3: 2}),
    # E1 as typed: 100 - 70 split = 30 not known
    "1.3": cells(1, 100, 60, 40, 80, 50, 20, {"Thái": 50, "Mông": 20, UNKNOWN: 30}, {V2: 100}),
    # + DL3 (30 typed, V3)
    "3.1": cells(3, 75, 46, 29, 59, 21, 7, {"Thái": 1, "Mông": 2, "Dao": 1, "Kinh": 1, UNKNOWN: 70},
                 {V1: 2, V2: 2, V3: 31, UNKNOWN: 40}),
    # TR1: o1 (Thái woman, V1), o2 (Mông woman, V2), k1 (Kinh man, V2), guest g1 (Kinh man, no
    # village); + TR4 (22 typed, 16 Thái, no village)
    "3.4": cells(2, 26, 16, 10, 18, 12, 0, {"Thái": 17, "Mông": 1, "Kinh": 2, UNKNOWN: 6},
                 {V1: 1, V2: 2, UNKNOWN: 23}),
}
EXPECTED_H1 = {
    "1.1": cells(2, 7, 7, 0, 7, 7, 0, {"Thái": 4, "Dao": 2, "Mông": 1}, {V1: 4, V2: 1, V3: 2}),
    "1.3": EXPECTED_YEAR["1.3"],
    "3.4": cells(1, 4, 2, 2, 2, 2, 0, {"Thái": 1, "Mông": 1, "Kinh": 2}, {V1: 1, V2: 2, UNKNOWN: 1}),
}

# Indicators (phase II), counted by hand. The quarter is measured from 1 January (year to date),
# stock figures on its last day; (achieved, in the quarter alone).
EXPECTED_INDICATORS_Q3 = {
    "II.TTCD": 1,  # T1; T2 dissolved on 20/05
    "II.TTCD_TV": 6,  # T1: t1-t5 and k2 (joined 01/02/2026)
    "II.TKVV": 1,  # S2; S1 stopped on 15/08
    "II.DTCS": 2,  # DL1, DL2
    "II.TH_GS": 4,  # TR1: 3 present and a guest
    "II.TH_GS_SO": 1,
    "II.TH_LG": 25,  # TR2
    "II.TH_LG_SO": 1,
    "II.CB_NU": 3,  # TR3: three minority women officials
}
EXPECTED_INDICATORS_YEAR = {**EXPECTED_INDICATORS_Q3, "II.DTCS": 3, "II.TH_GS": 26,
                            "II.TH_GS_SO": 2}
EXPECTED_INDICATORS_Q1 = {"II.TTCD": 2, "II.TTCD_TV": 9, "II.TKVV": 2}  # T2 and S1 still there


def check_every_cell(report, expected):
    rows = report["rows"]
    assert [r["activity_group"] for r in rows] == GROUPS
    for row in rows:
        got = {k: row[k] for k in ZERO}
        assert got == expected.get(row["activity_group"], ZERO), row["activity_group"]


def indicators(db, period):
    rows = compute_progress(db, period, TODAY).rows
    return {r.indicator.code: r.cell.achieved for r in rows}


def check_indicators(db, period, expected):
    got = indicators(db, period)
    assert {code: got.get(code) for code in expected} == expected


@pytest.fixture
def commune(commune_db, on_today):
    return commune_db, build(commune_db)


def test_every_cell_and_indicator_equals_the_hand_count_and_stays_put_after_today(commune):
    db, (p, g, _a, villages) = commune
    q3, year = ReportSpan.choose(2026, quarter=3), ReportSpan.choose(2026)
    before = {span: compute_periodic(db, span).as_json() for span in (q3, year)}
    check_every_cell(before[q3], EXPECTED_Q3)
    check_every_cell(before[year], EXPECTED_YEAR)
    check_every_cell(compute_periodic(db, ReportSpan.choose(2026, half=1)).as_json(), EXPECTED_H1)
    check_every_cell(compute_periodic(db, ReportSpan.choose(2026, quarter=4)).as_json(), {
        "3.1": cells(1, 30, 20, 10, 25, 18, 0, {UNKNOWN: 30}, {V3: 30}),
        "3.4": cells(1, 22, 14, 8, 16, 10, 0, {"Thái": 16, UNKNOWN: 6}, {UNKNOWN: 22})})
    periods = {"q1": Period.choose(2026, 1), "q3": Period.choose(2026, 3), "year": Period.choose(2026)}
    check_indicators(db, periods["q3"], EXPECTED_INDICATORS_Q3)
    check_indicators(db, periods["year"], EXPECTED_INDICATORS_YEAR)
    check_indicators(db, periods["q1"], EXPECTED_INDICATORS_Q1)
    in_quarter = {r.indicator.code: r.in_quarter for r in compute_progress(db, periods["q3"], TODAY).rows}
    assert (in_quarter["II.DTCS"], in_quarter["II.TH_GS"], in_quarter["II.TH_LG"]) == (2, 0, 25)
    stock_before = {k: indicators(db, v) for k, v in periods.items()}

    # Today, 20/01/2027: three people join T1, T1 is dissolved, S2 stops, and a dialogue held
    # today gets its attendance list (two of the new women, k1 and c1, 14 in 2027: a child).
    groups, members, people = GroupsService(db), MembershipsService(db), PeopleService(db)
    new = [people.create(family_name="Sùng", given_name=f"Thị {n}", sex="F", birth_year=1999,
                         ethnic_key=MONG, village_id=villages[V1]).id for n in ("Dợ", "Pà", "Súa")]
    for person in new:
        members.add(g["T1"], "role:THANH_VIEN", person)
    groups.update(g["T1"], status="dissolved")
    groups.update(g["S2"], status="stopped")
    acts = ActivitiesService(db)
    held = acts.create(kind="policy_dialogue", title="Đối thoại đầu năm", date_start=TODAY,
                       participation="attendance").id
    acts.set_attendance(held, present=[new[0], new[1], p["k1"], p["c1"]])

    for span in (q3, year):
        assert compute_periodic(db, span).as_json() == before[span]
    assert {k: indicators(db, v) for k, v in periods.items()} == stock_before
    # …and today's changes are where they belong: in 2027
    check_every_cell(compute_periodic(db, ReportSpan.choose(2027, quarter=1)).as_json(), {
        "3.1": cells(1, 4, 3, 1, 3, 3, 1, {"Mông": 2, "Kinh": 1, "Thái": 1}, {V1: 3, V2: 1})})
    now = indicators(db, Period.choose(2027, 1))
    assert (now["II.TTCD"], now["II.TTCD_TV"], now["II.TKVV"], now["II.DTCS"]) == (0, 0, 0, 1)


def test_every_figure_clicks_through_to_activities_adding_up_to_it(commune):
    db, (_p, _g, a, _v) = commune
    report = compute_periodic(db, ReportSpan.choose(2026))
    rows = {r.activity_group: r for r in report.rows}
    assert sorted(rows["3.1"].activity_ids) == sorted([a["DL1"], a["DL2"], a["DL3"]])
    for subtotal, groups in content_blocks(report.rows):
        for row in [subtotal, *groups]:
            figures = list(COUNTS) + [f"ethnic:{n}" for n in row.by_ethnic] + [
                f"village:{n}" for n in row.by_village]
            for figure in figures:
                refs = periodic_records(db, report, row, figure)
                assert sum(r.value for r in refs) == figure_of(row, figure), (row.activity_group, figure)
                if figure == "sessions":
                    assert len(refs) == row.sessions
    women = {r.id: r.value for r in periodic_records(db, report, rows["3.1"], "women_minority")}
    assert women == {a["DL2"]: 3, a["DL3"]: 18}  # DL1 typed no cross-tabulation: not listed


def _workbook_rows(path):
    ws = load_workbook(path).active
    header = [c.value for c in ws[5]]
    return header, {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
                    for r in range(6, ws.max_row + 1)}


def _check_sheet(header, by_code, data):
    """Every number of the JSON in its column; the content subtotals are the sums of their groups."""
    columns = {name: 3 + i for i, name in enumerate(COUNTS)}
    for row in data["rows"]:
        got = by_code[row["activity_group"]]
        for name, column in columns.items():
            assert got[column - 1] == row[name], (row["activity_group"], name)
        for title, n in [(f"Dân tộc: {k}", v) for k, v in row["by_ethnic"].items()] + [
                (f"Thôn/bản: {k}", v) for k, v in row["by_village"].items()]:
            assert got[header.index(title)] == n, (row["activity_group"], title)
        listed = {h: got[i] for i, h in enumerate(header) if h.startswith(("Dân tộc: ", "Thôn/bản: "))}
        assert sum(listed.values()) == 2 * row["participants"]  # no number anywhere else
    for roman, content in zip(("I", "II", "III", "IV"), ("ND1", "ND2", "ND3", "ND4")):
        for name, column in columns.items():
            assert by_code[roman][column - 1] == sum(
                r[name] for r in data["rows"] if r["content"] == content), (roman, name)


def test_the_workbook_and_the_pdf_hold_the_same_numbers(commune, tmp_path):
    db, _built = commune
    for span, expected in ((ReportSpan.choose(2026, quarter=3), EXPECTED_Q3),
                           (ReportSpan.choose(2026), EXPECTED_YEAR)):
        report = compute_periodic(db, span)
        data = report.as_json()
        check_every_cell(data, expected)
        path = tmp_path / f"{span.quarter or 'nam'}.xlsx"
        export_periodic_report(db, report, path)
        _check_sheet(*_workbook_rows(path), data)
        pdf = tmp_path / f"{span.quarter or 'nam'}.pdf"
        write_pdf(periodic_report(db, report, dt.date(2027, 1, 20)), pdf)
        text = " ".join(" ".join(pdf_text(pdf)).split())
        assert f"BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 8 {span.words()}" in text
        assert "XÁC NHẬN CỦA UBND XÃ" in text
        for subtotal, groups in content_blocks(report.rows):
            for row in [subtotal, *groups]:
                if row.sessions:
                    line = " ".join(str(n) for n in (row.sessions, row.participants, row.women,
                                                      row.men, row.minority, row.women_minority,
                                                      row.children))
                    assert f"{row.activity_group_name} {line}" in text, row.activity_group_name
    assert "3.1 Đối thoại chính sách 3 75 46 29 59 21 7" in text  # the year's dialogues


def _soffice() -> str:
    """LibreOffice's command; CI sets DA8_REQUIRE_SOFFICE=1 so that its absence fails the test
    instead of skipping it (LibreOffice cannot be installed with pip; the workbook is also read
    back with openpyxl above)."""
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("DA8_REQUIRE_SOFFICE") == "1":
            pytest.fail("DA8_REQUIRE_SOFFICE=1 but LibreOffice (soffice) is not on PATH")
        pytest.skip("LibreOffice (soffice) is not installed here")
    return found


def test_libreoffice_reads_the_same_numbers_for_the_quarter_and_the_year(commune, tmp_path):
    soffice = _soffice()
    db, _built = commune
    for span in (ReportSpan.choose(2026, quarter=3), ReportSpan.choose(2026)):
        name = f"q{span.quarter}" if span.quarter else "year"
        report = compute_periodic(db, span)
        path = tmp_path / f"{name}.xlsx"
        export_periodic_report(db, report, path)
        done = subprocess.run(
            [soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
             "--outdir", str(tmp_path), str(path)], capture_output=True, text=True, timeout=180,
            check=False, env={**os.environ, "HOME": str(tmp_path)})  # a profile of its own
        assert done.returncode == 0, done.stderr
        lines = list(csv.reader((tmp_path / f"{name}.csv").read_text("utf-8").splitlines()))
        header = lines[4]
        by_code = {line[0]: [int(v) if v.isdigit() else v for v in line]
                   for line in lines[5:] if line}
        data = report.as_json()
        _check_sheet(header, by_code, data)
        # every code of the JSON is a line LibreOffice read, with its number of sessions
        assert {r["activity_group"]: r["sessions"] for r in data["rows"]} == {
            code: by_code[code][2] for code in GROUPS}


def test_a_missing_soffice_fails_when_it_is_required(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    monkeypatch.setenv("DA8_REQUIRE_SOFFICE", "1")
    with pytest.raises(pytest.fail.Exception):
        _soffice()
    monkeypatch.delenv("DA8_REQUIRE_SOFFICE")
    with pytest.raises(pytest.skip.Exception):
        _soffice()


def test_a_corrected_sex_changes_a_closed_quarter_a_new_person_does_not(commune):
    """The report reads a listed person's sex, ethnic group, village and birth year as recorded
    today: these fields are corrections of a mistake, not history (docs/indicators.md). Adding a
    person, or attendance to an activity held today, leaves the closed third quarter as it was;
    correcting the sex of a boy listed at DL2 moves him from men to women in that quarter."""
    db, (p, _g, _a, villages) = commune
    q3 = ReportSpan.choose(2026, quarter=3)
    people, acts = PeopleService(db), ActivitiesService(db)
    newcomer = people.create(family_name="Sùng", given_name="Thị Dợ", sex="F", birth_year=1999,
                             ethnic_key=MONG, village_id=villages[V2]).id
    held = acts.create(kind="policy_dialogue", title="Đối thoại hôm nay", date_start=TODAY,
                       participation="attendance").id
    acts.set_attendance(held, present=[newcomer, p["c2"]])
    check_every_cell(compute_periodic(db, q3).as_json(), EXPECTED_Q3)

    people.update(p["c2"], sex="F")  # Giàng A Tủa was recorded a boy by mistake
    corrected = dict(EXPECTED_Q3)
    corrected["3.1"] = {**EXPECTED_Q3["3.1"], "women": 27, "men": 18, "women_minority": 4}
    check_every_cell(compute_periodic(db, q3).as_json(), corrected)
