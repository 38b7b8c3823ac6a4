"""Indicators: achieved values on a small dataset counted by hand, targets and progress, the
province's figures after sync, and the report files read back."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from da8desktop.core.demo import load_demo
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel.indicators import export_indicator_report
from da8desktop.core.indicators.attention import needs_attention
from da8desktop.core.indicators.measures import Span
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress, status_of, timeline
from da8desktop.core.indicators.figure_records import records_behind
from da8desktop.core.reports.indicator_report import indicator_report
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, GroupSupportService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.support import SafeDeliveryService
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.services.villages import VillagesService
from da8desktop.render.pdf import write_pdf
from tests.core.sync_world import COMMUNE_A, COMMUNE_B
from tests.core.test_print_and_export import pdf_text

TODAY = dt.date(2026, 11, 23)
KINH, THAI = "ethnic:2008:01", "ethnic:2008:03"


def by_code(progress):
    return {row.indicator.code: row for row in progress.rows}


@pytest.fixture
def known(commune_db):
    """A commune whose figures for 2026 are counted by hand in the test below."""
    db = commune_db
    village = VillagesService(db).create(name="Bản Phăng").id
    other = VillagesService(db).create(name="Bản Co Cượm").id
    people = PeopleService(db)

    def person(name, sex, year, ethnic=THAI, where=village):
        family, given = name.split(" ", 1)
        return people.create(family_name=family, given_name=given, sex=sex, birth_year=year,
                             ethnic_key=ethnic, village_id=where).id

    women = [person(f"Lò Thị {n}", "F", 1980 + i) for i, n in enumerate("ABCDEFG")]  # 7 Thái women
    kinh_man = person("Nguyễn Văn H", "M", 1975, KINH, other)
    girl = person("Lò Thị Em", "F", 2013)  # 13 in 2026: a child
    groups, members = GroupsService(db), MembershipsService(db)

    def group(kind, name, who, launch=dt.date(2025, 3, 1), **fields):
        gid = groups.create(type_key=f"group_type:{kind}", name=name, launch_date=launch,
                            village_id=village, **fields).id
        for p in who:
            members.create(group_id=gid, person_id=p, role_key="role:THANH_VIEN", joined_on=launch)
        return gid

    team = group("TTCD", "Tổ TTCĐ bản Phăng", women + [kinh_man])  # 8 members
    small = group("TTCD", "Tổ TTCĐ bản Co Cượm", women[:3])  # 3 members: needs attention
    group("TTCD", "Tổ đã giải thể", women[:2], status="dissolved")  # not counted
    group("TTCD", "Tổ thành lập 2027", women[:2], launch=dt.date(2027, 2, 1))  # after the year
    group("CLB", "CLB Thủ lĩnh", [girl, women[0]])
    livelihood = group("SINHKE", "Tổ dệt", women[:2])
    group("SINHKE", "Tổ chưa được hỗ trợ", women[2:4])  # no support: not "supported"
    GroupSupportService(db).create(group_id=livelihood, item="Máy dệt", received_on=dt.date(2026, 4, 2))

    activities = ActivitiesService(db)
    for day in (dt.date(2026, 3, 5), dt.date(2026, 8, 9), dt.date(2025, 12, 30)):  # 2 in 2026
        activities.create(kind="policy_dialogue", title=f"Đối thoại {day}", date_start=day,
                          participation="counts", count_total=40, count_women=25, count_men=15,
                          count_minority=30)
    listed = activities.create(kind="training", title="Tập huấn giám sát", date_start=dt.date(2026, 5, 6),
                               training_type_key="training_type:GIAM_SAT",
                               participation="attendance").id
    activities.set_attendance(listed, present=women[:5] + [kinh_man], absent=women[5:])
    activities.create(kind="training", title="Tập huấn giám sát cấp tỉnh", date_start=dt.date(2026, 9, 1),
                      training_type_key="training_type:GIAM_SAT", participation="counts",
                      count_total=20, count_women=12, count_men=8, count_minority=15, count_children=0)
    cadres = activities.create(kind="training", title="Nâng cao năng lực cán bộ nữ",
                               date_start=dt.date(2026, 10, 1),
                               training_type_key="training_type:CAN_BO_NU",
                               participation="attendance").id
    activities.set_attendance(cadres, present=women[:4] + [kinh_man])  # 4 minority women
    activities.create(kind="training", title="Cán bộ nữ (đếm)", date_start=dt.date(2026, 10, 20),
                      training_type_key="training_type:CAN_BO_NU", participation="counts",
                      count_total=10, count_women=9, count_men=1, count_minority=6,
                      count_women_minority=5)
    activities.create(kind="training", title="Cán bộ nữ (không tách)", date_start=dt.date(2026, 10, 21),
                      training_type_key="training_type:CAN_BO_NU", participation="counts",
                      count_total=7, count_women=7, count_minority=7)
    safe = SafeDeliveryService(db)
    for p, day in ((women[0], dt.date(2026, 2, 1)), (women[1], dt.date(2026, 6, 1)),
                   (women[1], dt.date(2026, 7, 1)), (women[2], dt.date(2025, 7, 1))):
        safe.create(person_id=p, support_type="normal", amount_vnd=2_200_000, given_on=day)
    TargetsService(db).set("indicator:II.TTCD", "2026", 4)
    TargetsService(db).set("indicator:II.DTCS", "2026", 2)
    TargetsService(db).set("indicator:II.TH_GS", "2026", 100)
    return db, {"team": team, "small": small}


def test_achieved_values_equal_hand_counts(known):
    db, _ids = known
    figures = by_code(compute_progress(db, Period.choose(2026), TODAY))
    assert figures["II.TTCD"].cell.achieved == 2  # active, formed by the day: not dissolved, not 2027
    members = figures["II.TTCD_TV"].cell.figure
    assert (members.total, members.women, members.men, members.minority) == (11, 10, 1, 10)
    assert members.villages == {"Bản Phăng": 10, "Bản Co Cượm": 1}
    clubs = figures["II.CLB_TV"].cell.figure
    assert (figures["II.CLB"].cell.achieved, clubs.total, clubs.children) == (1, 2, 1)
    assert figures["II.SINHKE"].cell.achieved == 1  # only the supported one
    assert figures["II.DTCS"].cell.achieved == 2  # the one of 30/12/2025 is last year's
    trained = figures["II.TH_GS"].cell.figure
    assert (trained.total, trained.women, trained.men) == (6 + 20, 5 + 12, 1 + 8)
    # 4 listed minority women + the 5 typed as minority women; the training whose counts were
    # not cross-tabulated adds nothing (never estimated from women and minority apart)
    assert figures["II.CB_NU"].cell.achieved == 4 + 5
    assert figures["II.TH_GS_SO"].cell.achieved == 2  # sessions, not people
    assert figures["II.SDAT"].cell.achieved == 2  # two women in 2026 (one supported twice)


def test_targets_status_and_the_quarter_view(known):
    db, _ids = known
    year = by_code(compute_progress(db, Period.choose(2026), TODAY))
    assert (year["II.TTCD"].cell.target, year["II.TTCD"].cell.percent) == (4, 50.0)
    assert year["II.TTCD"].cell.status == "behind"  # 50 % with 90 % of the year gone
    assert year["II.DTCS"].cell.status == "done"
    assert year["II.TTCD_TV"].cell.status == "no_target"
    q2 = by_code(compute_progress(db, Period.choose(2026, 2), TODAY))
    assert q2["II.DTCS"].cell.achieved == 1 and q2["II.DTCS"].in_quarter == 0  # year to date
    assert q2["II.TH_GS"].in_quarter == 6
    bars = timeline(db, year["II.DTCS"].indicator, Period.choose(2026), TODAY)
    assert bars == [("Quarter I", 1), ("Quarter II", 0), ("Quarter III", 1), ("Quarter IV", 0)]
    phase = by_code(compute_progress(db, Period.choose(phase="2026-2030"), TODAY))
    assert phase["II.DTCS"].cell.achieved == 2 and phase["II.DTCS"].cell.target is None
    assert status_of(5, 10, 0.5) == "on_track" and status_of(1, 10, 0.5) == "behind"


def test_every_figure_lists_the_records_behind_it(known):
    db, _ids = known
    period = Period.choose(2026)
    progress = compute_progress(db, period, TODAY)
    span = Span(period.start, period.end, progress.as_at)
    for row in progress.rows:
        refs = records_behind(db, row.indicator, span)
        assert sum(r.value for r in refs) == row.cell.achieved, row.indicator.code


def test_needs_attention_names_the_small_team_and_what_is_behind(known):
    db, ids = known
    progress = compute_progress(db, Period.choose(2026), TODAY)
    items = needs_attention(db, progress, TODAY)
    kinds = {(i.kind, i.record_id) for i in items}
    assert ("small_team", ids["small"]) in kinds and ("small_team", ids["team"]) not in kinds
    assert ("behind", "indicator:II.TTCD") in kinds
    assert any(i.kind == "quiet_group" and i.record_id == ids["team"] for i in items)


def test_a_commune_cannot_overwrite_a_target_the_province_allocated(world):
    commune = f"2025:commune:{COMMUNE_A}"
    TargetsService(world.dbs["P"]).set("indicator:II.TTCD", "2026", 10, commune_key=commune)
    for path in world.send("P", "A1"):
        world.receive("A1", path)
    with pytest.raises(UserFacingError):
        TargetsService(world.dbs["A1"]).set("indicator:II.TTCD", "2026", 3)
    with pytest.raises(UserFacingError):  # nor remove it from the grid
        TargetsService(world.dbs["A1"]).set_many([("indicator:II.TTCD", commune, "2026", None)])
    TargetsService(world.dbs["A1"]).set("indicator:II.CLB", "2026", 2)  # its own plan: allowed
    row = by_code(compute_progress(world.dbs["A1"], Period.choose(2026), TODAY))["II.TTCD"]
    assert row.cell.target == 10


def test_province_figures_are_the_sum_of_its_communes_after_sync(world, tmp_path):
    load_demo(world.dbs["A1"], seed=3, people=90)
    load_demo(world.dbs["B1"], seed=4, people=90)
    province = world.dbs["P"]
    TargetsService(province).set_many([
        ("indicator:II.TTCD", f"2025:commune:{code}", "2026", value)
        for code, value in ((COMMUNE_A, 6), (COMMUNE_B, 5))])
    world.round()
    period = Period.choose(2026)
    at_p = compute_progress(province, period, TODAY)
    a = by_code(compute_progress(world.dbs["A1"], period, TODAY))
    b = by_code(compute_progress(world.dbs["B1"], period, TODAY))
    key_a, key_b = f"2025:commune:{COMMUNE_A}", f"2025:commune:{COMMUNE_B}"
    assert at_p.scope == "province" and len(at_p.communes) > 2
    for row in at_p.rows:
        code = row.indicator.code
        assert row.by_commune[key_a].achieved == a[code].cell.achieved, code
        assert row.by_commune[key_b].achieved == b[code].cell.achieved, code
        assert row.cell.achieved == a[code].cell.achieved + b[code].cell.achieved, code
        assert row.cell.figure.women == a[code].cell.figure.women + b[code].cell.figure.women
    ttcd = by_code(at_p)["II.TTCD"]
    assert ttcd.cell.target == 11 and a["II.TTCD"].cell.target == 6  # the targets went down too
    assert ttcd.cell.achieved > 0

    workbook_path = tmp_path / "tinh.xlsx"
    export_indicator_report(province, at_p, workbook_path)
    wb = load_workbook(workbook_path)
    assert wb.sheetnames[:2] == ["Tổng hợp", "Theo xã"]
    assert any(name.startswith(COMMUNE_A) for name in wb.sheetnames)
    summary = wb["Tổng hợp"]
    values = {summary.cell(r, 2).value: (summary.cell(r, 5).value, summary.cell(r, 6).value)
              for r in range(6, 6 + len(at_p.rows))}
    for row in at_p.rows:
        assert values[row.indicator.code] == (row.cell.target, row.cell.achieved)
    matrix = wb["Theo xã"]
    codes = [matrix.cell(r, 1).value for r in range(7, 7 + len(at_p.communes))]
    first = codes.index(COMMUNE_A) + 7
    assert matrix.cell(first, 4).value == a["II.TTCD"].cell.achieved
    assert matrix.cell(7 + len(at_p.communes), 4).value == ttcd.cell.achieved

    pdf = tmp_path / "tinh.pdf"
    pages = write_pdf(indicator_report(province, at_p), pdf)
    text = "\n".join(pdf_text(pdf)).replace("\t", " ")
    assert pages >= 1 and "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU DỰ ÁN 8 NĂM 2026" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Xã Mường Phăng" in text


def test_commune_report_has_one_sheet_with_the_dashboard_numbers(known, tmp_path):
    db, _ids = known
    progress = compute_progress(db, Period.choose(2026, 4), TODAY)
    export_indicator_report(db, progress, tmp_path / "xa.xlsx")
    wb = load_workbook(tmp_path / "xa.xlsx")
    assert wb.sheetnames == ["Tổng hợp"]
    ws = wb.active
    assert ws.cell(5, 8).value == "Trong quý"
    row = next(r for r in range(6, 20) if ws.cell(r, 2).value == "II.TTCD_TV")
    assert [ws.cell(row, c).value for c in (6, 10, 11, 12)] == [11, 10, 1, 10]
    assert ws.cell(row, 7).number_format == "0.0%"


def test_periods_outside_the_programme_are_refused_plainly():
    with pytest.raises(UserFacingError):
        Period.choose(2019)
    with pytest.raises(UserFacingError):
        Period.choose(phase="2031-2035")
    assert Period.choose(2026, 1).end == dt.date(2026, 3, 31)
    assert Period.choose(phase="2021-2025").target_period == "2021-2025"


def test_records_kept_under_a_former_commune_sum_under_its_2025_commune(known):
    """Phase-I data recorded under Xã Nà Tấu (03317, merged into Mường Phăng in 2025)."""
    from da8desktop.core.db.models import Group

    db, _ids = known
    old = GroupsService(db).create(type_key="group_type:TTCD", name="Tổ TTCĐ xã cũ",
                                   launch_date=dt.date(2022, 5, 1)).id
    with db.write() as uow:
        uow.session.get(Group, old).commune_key = "pre2025:commune:03317"
    period = Period.choose(2026)
    progress = compute_progress(db, period, TODAY)
    row = by_code(progress)["II.TTCD"]
    assert row.cell.achieved == 3  # the two of the known dataset and the former commune's team
    refs = records_behind(db, row.indicator, Span(period.start, period.end, progress.as_at),
                          [c.key for c in progress.communes])
    assert old in {r.id for r in refs}
