"""Issue 20 item 7: the province's own trainings and conferences count in the province's figures
(indicator progress, the periodic report's total) and in no commune's; they never travel to a
commune, and a commune bundle claiming one is refused whole, with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from da8desktop.core.db.models import Activity
from da8desktop.core.errors import ValidationFailed
from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.sync.importer import import_file
from tests.cli.test_cli import run
from tests.core.sync_world import COMMUNE_A, PROVINCE
from tests.core.test_sync_ownership import (a1_bundle, refused_whole, site_of,
                                            snapshot, stored_line, winning)

PROVINCE_KEY = f"2025:province:{PROVINCE}"
GIAM_SAT = "training_type:GIAM_SAT"
DAY = dt.date(2026, 3, 10)


def training(db, total: int, women: int, title: str) -> uuid.UUID:
    return ActivitiesService(db).create(
        kind="training", title=title, date_start=DAY, training_type_key=GIAM_SAT,
        participation="counts", count_total=total, count_women=women,
        count_men=total - women).id


def indicator(progress, code: str):
    [row] = [r for r in progress.rows if r.indicator.code == code]
    return row


def group_row(report, group: str):
    [row] = [r for r in report if r.activity_group == group]
    return row


@pytest.fixture
def province_training(world):
    """By hand: the province's M&E training, 30 people (22 women); commune A's, 10 (6 women);
    commune B none. The province's is stamped with the province's unit key."""
    own = training(world.dbs["P"], 30, 22, "Tập huấn giám sát cấp tỉnh")
    training(world.dbs["A1"], 10, 6, "Tập huấn giám sát xã")
    world.round()
    return own


def test_a_province_training_counts_at_the_province_only(world, province_training):
    p = world.dbs["P"]
    with p.read() as session:
        assert session.get(Activity, province_training).commune_key == PROVINCE_KEY
    year = Period.choose(2026)
    progress = compute_progress(p, year)
    people, sessions = indicator(progress, "II.TH_GS"), indicator(progress, "II.TH_GS_SO")
    assert (people.cell.achieved, sessions.cell.achieved) == (40, 2)
    assert people.province_own.total == 30 and people.province_own.women == 22
    assert {k: c.achieved for k, c in people.by_commune.items() if c.achieved} == {
        f"2025:commune:{COMMUNE_A}": 10}
    assert people.as_json(progress.communes)["province_own"]["total"] == 30
    # One commune at the province, and the commune's own laptop: its 10 only.
    only_a = compute_progress(p, year, commune_key=f"2025:commune:{COMMUNE_A}")
    assert indicator(only_a, "II.TH_GS").cell.achieved == 10
    assert indicator(compute_progress(world.dbs["A1"], year), "II.TH_GS").cell.achieved == 10
    assert indicator(compute_progress(world.dbs["B1"], year), "II.TH_GS").cell.achieved == 0

    report = compute_periodic(p, ReportSpan.choose(2026, quarter=1))
    own_rows = [r for r in report.province_own if r.sessions]
    assert [(r.sessions, r.participants, r.women) for r in own_rows] == [(1, 30, 22)]
    key = own_rows[0].activity_group
    assert (group_row(report.rows, key).sessions, group_row(report.rows, key).participants) == (2, 40)
    by_commune = {c.commune.code: group_row(c.rows, key).participants for c in report.communes}
    assert by_commune[COMMUNE_A] == 10 and sum(by_commune.values()) == 10
    only = compute_periodic(p, ReportSpan.choose(2026, quarter=1), f"2025:commune:{COMMUNE_A}")
    assert group_row(only.rows, key).participants == 10 and only.province_own is None
    assert "province_own" in report.as_json() and "province_own" not in only.as_json()
    from da8desktop.core.reports.periodic_report import periodic_report

    titles = [section.heading for section in periodic_report(p, report).sections]
    assert "III. Hoạt động do tỉnh tổ chức" in titles


def test_a_province_activity_never_travels_to_a_commune(world, province_training):
    for name in ("A1", "A2", "B1"):
        with world.dbs[name].read() as session:
            assert session.get(Activity, province_training) is None
            assert not session.scalars(select(Activity.id).where(
                Activity.commune_key == PROVINCE_KEY)).all()


def test_the_province_records_only_its_own_activities(world, province_training):
    p = world.dbs["P"]
    with p.read() as session:
        commune_activity = session.scalars(select(Activity.id).where(
            Activity.commune_key == f"2025:commune:{COMMUNE_A}")).first()
    with pytest.raises(ValidationFailed):
        ActivitiesService(p).update(commune_activity, title="Sửa ở tỉnh")
    with pytest.raises(ValidationFailed):
        ActivitiesService(p).create(kind="training", title="Cho xã", date_start=DAY,
                                    participation="counts", count_total=5,
                                    commune_key=f"2025:commune:{COMMUNE_A}")


def test_a_commune_bundle_claiming_a_province_activity_is_refused_whole(world, tmp_path):
    p = world.dbs["P"]
    own = training(p, 30, 22, "Hội nghị triển khai")
    a1 = site_of(world.dbs["A1"])
    rewrite = a1_bundle(world, tmp_path, {"activity": [winning(
        stored_line(p, "activity", own), a1, title="Đã sửa", deleted=True)]}, "rewrite.da8")
    assert "activity: 1" in refused_whole(world, rewrite)
    born = winning(stored_line(p, "activity", own), a1, title="Tập huấn mới")
    born["id"] = str(uuid.uuid4())  # a new record of A1 stamped with the province's unit
    claim = a1_bundle(world, tmp_path, {"activity": [born]}, "claim.da8")
    refused_whole(world, claim)
    if p.file is None:  # the command below takes a file
        return
    # The real command refuses the whole file too: exit 3, no traceback, nothing written.
    before = snapshot(p)
    result = run("--db", p.file, "sync", "import", rewrite)
    assert result.returncode == 3, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(p) == before
    with p.read() as session:
        stored = session.get(Activity, own)
        assert (stored.title, stored.deleted) == ("Hội nghị triển khai", False)


def test_the_former_commune_travels_and_is_bounded_at_the_reader(world, tmp_path):
    a1 = world.dbs["A1"]
    kept = ActivitiesService(a1).create(
        kind="communication", title="Truyền thông 2024", date_start=dt.date(2024, 5, 2),
        participation="counts", count_total=12, legacy_unit_key="pre2025:commune:03317").id
    world.round()
    with world.dbs["P"].read() as session:
        assert session.get(Activity, kept).legacy_unit_key == "pre2025:commune:03317"
    line = winning(stored_line(world.dbs["P"], "activity", kept), site_of(a1),
                   legacy_unit_key="2025:province:11")
    report = import_file(world.dbs["P"], a1_bundle(world, tmp_path, {"activity": [line]}))
    assert [o.reason for o in report.outcomes if o.action == "rejected"] == [
        "legacy_unit_key is not a former (pre-2025) commune"]
    with world.dbs["P"].read() as session:
        assert session.get(Activity, kept).legacy_unit_key == "pre2025:commune:03317"


def test_a_province_training_with_a_named_list_counts_its_people(db):
    """By hand: 3 district/commune women officials and 1 man, all registered at the province."""
    from da8desktop.core.domain import Role
    from da8desktop.core.services.people import PeopleService
    from da8desktop.core.services.site import set_up_installation

    set_up_installation(db, Role.PROVINCE, PROVINCE)
    people = PeopleService(db)
    listed = [people.create(full_name=name, sex=sex, birth_year=1985).id
              for name, sex in (("Lò Thị Hoa", "F"), ("Quàng Thị Lan", "F"),
                                ("Vàng Thị Mỷ", "F"), ("Lường Văn Minh", "M"))]
    with db.read() as session:
        from da8desktop.core.db.models import Person

        assert {p.commune_key for p in session.scalars(select(Person))} == {PROVINCE_KEY}
    ActivitiesService(db).record_with_attendance(
        "training", DAY, "Tập huấn lồng ghép giới", present=listed[:3], absent=listed[3:],
        training_type_key="training_type:LONG_GHEP")
    row = indicator(compute_progress(db, Period.choose(2026)), "II.TH_LG")
    assert (row.cell.achieved, row.province_own.women, row.province_own.men) == (3, 3, 0)
    report = compute_periodic(db, ReportSpan.choose(2026, quarter=1))
    assert sum(r.participants for r in report.rows) == 3 == sum(
        r.participants for r in report.province_own)
    assert all(not r.sessions for c in report.communes for r in c.rows)
