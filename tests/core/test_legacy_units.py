"""Issue 20 item 8: records keep their unit. Xã Mường Phăng (2025, code 03325) was formed by
merging the former communes Nà Nhạn (03317), Mường Phăng (03325) and Pá Khoang (03326). Its
phase-I records carry the former commune they happened in; the phase-I report by former unit and
by 2025 unit add up to the same figures, and succession summing never counts a record twice."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.domain import Role
from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.site import set_up_installation
from da8desktop.core.services.support import SafeDeliveryService
from da8desktop.core.services.units import assign_legacy_unit, mark_asked, units_to_ask
from tests.cli.test_cli import run

NA_NHAN, MUONG_PHANG, PA_KHOANG = (f"pre2025:commune:{c}" for c in ("03317", "03325", "03326"))
SIN_THAU = "pre2025:commune:03154"  # went into another 2025 commune
GIAM_SAT = "training_type:GIAM_SAT"


def counts(db: Database, kind: str, day: dt.date, total: int, women: int, **extra) -> None:
    ActivitiesService(db).create(kind=kind, title=f"{kind} {day}", date_start=day,
                                 participation="counts", count_total=total, count_women=women,
                                 **extra)


def phase_one(db: Database) -> None:
    """By hand (2024, phase I), participants / women:
    Nà Nhạn:    M&E training 20/12 (carries 03317) + M&E training 7/4 kept under the old
                unit's own key (summed under the 2025 commune by succession) = 27/16, 2 sessions
    Pá Khoang:  dialogue 15/9 (carries 03326)
    no unit:    communication event 30/18 -> assigned to Mường Phăng (03325) by the officer
    Total 72 participants, 43 women, 4 sessions; M&E trainings 27 people in 2 sessions."""
    counts(db, "training", dt.date(2024, 3, 5), 20, 12, training_type_key=GIAM_SAT,
           legacy_unit_key=NA_NHAN)
    counts(db, "training", dt.date(2024, 4, 2), 7, 4, training_type_key=GIAM_SAT,
           commune_key=NA_NHAN)
    counts(db, "policy_dialogue", dt.date(2024, 5, 10), 15, 9, legacy_unit_key=PA_KHOANG)
    counts(db, "communication", dt.date(2024, 6, 1), 30, 18)


def test_a_legacy_unit_must_be_a_former_commune_merged_into_this_one(commune_db):
    with pytest.raises(ValidationFailed) as refused:
        counts(commune_db, "communication", dt.date(2024, 6, 1), 5, 2, legacy_unit_key=SIN_THAU)
    assert [e.field for e in refused.value.errors] == ["legacy_unit_key"]
    with pytest.raises(ValidationFailed):  # a 2025 commune is not a former one
        counts(commune_db, "communication", dt.date(2024, 6, 1), 5, 2,
               legacy_unit_key="2025:commune:03158")
    woman = PeopleService(commune_db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1995).id
    with pytest.raises(ValidationFailed):
        SafeDeliveryService(commune_db).create(person_id=woman, support_type="normal",
                                               amount_vnd=2_200_000, given_on=dt.date(2024, 2, 1),
                                               legacy_unit_key=SIN_THAU)
    SafeDeliveryService(commune_db).create(person_id=woman, support_type="normal",
                                           amount_vnd=2_200_000, given_on=dt.date(2024, 2, 1),
                                           legacy_unit_key=PA_KHOANG)


def test_a_merged_commune_asks_once_and_the_answer_stamps_its_earlier_records(commune_db):
    assert units_to_ask(commune_db) == []  # no phase-I record without a unit: nothing to ask
    phase_one(commune_db)
    counts(commune_db, "communication", dt.date(2025, 9, 1), 11, 5)  # after the merger
    asked = units_to_ask(commune_db)
    assert [u.code for u in asked] == ["03317", "03325", "03326"]
    assert asked[0].label == "Xã Nà Nhạn (Thành phố Điện Biên Phủ)"
    with pytest.raises(UserFacingError):
        assign_legacy_unit(commune_db, "03154")  # Sín Thầu: not merged into this commune
    assert assign_legacy_unit(commune_db, "03325") == 1  # only the unassigned, before 1/7/2025
    assert units_to_ask(commune_db) == []
    assert assign_legacy_unit(commune_db, "03325") == 0  # again: nothing left to stamp


def test_declining_is_asked_once_too(commune_db):
    phase_one(commune_db)
    assert units_to_ask(commune_db)
    mark_asked(commune_db)
    assert units_to_ask(commune_db) == []


def totals(rows) -> tuple[int, int, int]:
    return (sum(r.sessions for r in rows), sum(r.participants for r in rows),
            sum(r.women for r in rows))


def test_phase_one_by_former_unit_and_by_2025_unit_add_up_the_same(commune_db):
    phase_one(commune_db)
    assign_legacy_unit(commune_db, "03325")
    report = compute_periodic(commune_db, ReportSpan.choose(2024), by_legacy_unit=True)
    assert totals(report.rows) == (4, 72, 43)
    by_unit = {u.code: totals(u.rows) for u in report.legacy_units}
    assert by_unit == {"03317": (2, 27, 16), "03325": (1, 30, 18), "03326": (1, 15, 9)}
    assert tuple(map(sum, zip(*by_unit.values()))) == totals(report.rows)
    data = report.as_json()
    assert [u["name"] for u in data["legacy_units"]] == ["Xã Nà Nhạn", "Xã Mường Phăng",
                                                          "Xã Pá Khoang"]
    assert "legacy_units" not in compute_periodic(commune_db, ReportSpan.choose(2024)).as_json()
    # Indicators: the record carrying Nà Nhạn and the one kept under Nà Nhạn's own key count
    # once each under the 2025 commune: 27 people in 2 trainings, not 34 or 54.
    progress = compute_progress(commune_db, Period.choose(2024))
    achieved = {r.indicator.code: r.cell.achieved for r in progress.rows}
    assert (achieved["I.TH_GS"], achieved["I.TH_GS_SO"], achieved["I.DTCS"]) == (27, 2, 1)


def test_an_unassigned_record_is_listed_apart_until_assigned(commune_db):
    phase_one(commune_db)
    report = compute_periodic(commune_db, ReportSpan.choose(2024), by_legacy_unit=True)
    last = report.legacy_units[-1]
    assert (last.code, last.name, totals(last.rows)) == (None, "Chưa ghi xã cũ", (1, 30, 18))
    assert sum(totals(u.rows)[1] for u in report.legacy_units) == 72


def test_the_commands_assign_and_report_by_former_unit(db_file, tmp_path):
    db = Database.open(db_file)
    set_up_installation(db, Role.COMMUNE, "11", "03325")
    phase_one(db)
    db.close()
    listed = run("--db", db_file, "records", "legacy-units", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout)["unassigned_before_reform"] == 1
    wrong = run("--db", db_file, "records", "assign-legacy-unit", "--unit", "03154")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr, wrong.stderr
    bad_day = run("--db", db_file, "records", "assign-legacy-unit", "--unit", "03325",
                  "--before", "31/02/2025")
    assert bad_day.returncode == 2 and "Traceback" not in bad_day.stderr
    done = run("--db", db_file, "records", "assign-legacy-unit", "--unit", "03325",
               "--before", "01/07/2025")
    assert done.returncode == 0, done.stderr
    book = tmp_path / "phase1.xlsx"
    report = run("--db", db_file, "report", "periodic", "--year", "2024", "--json",
                 "--by-legacy-unit", "--xlsx", book)
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    units = {u["code"]: sum(r["participants"] for r in u["rows"]) for u in data["legacy_units"]}
    assert units == {"03317": 27, "03325": 30, "03326": 15}
    assert sum(r["participants"] for r in data["rows"]) == sum(units.values()) == 72
    from openpyxl import load_workbook

    sheets = load_workbook(book, read_only=True).sheetnames
    assert sheets == ["Tổng hợp", "Xã cũ 03317", "Xã cũ 03325", "Xã cũ 03326"]
