"""Targets as the seeds write them (issue 20 item 6): a percentage target (80 % of women
reached) against an achieved share, and a total for the whole province (540 teams) against the
province's achieved total, at the province after two communes synced."""

from __future__ import annotations

import datetime as dt

import pytest

from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.indicators.measures import Span
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress, province_of
from da8desktop.core.indicators.figure_records import records_behind
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.catalogue import apply_edit, current_items, plan_edit
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.target_split import plan_split
from da8desktop.core.services.targets import TargetsService
from tests.core.sync_world import COMMUNE_A, COMMUNE_B

TODAY = dt.date(2026, 11, 23)
SHARE = {"kind": "indicator", "code": "II.DTCS_NU", "name": "Tỷ lệ nữ tham gia đối thoại",
         "props": {"unit": "%", "phase": "2026-2030", "level": "commune",
                   "compute": {"measure": "share", "of": "participants",
                               "kind": "policy_dialogue", "part": "women"}}}
KEY_A, KEY_B = f"2025:commune:{COMMUNE_A}", f"2025:commune:{COMMUNE_B}"


def add_indicator(db, item):
    with db.read() as session:
        held = current_items(session, "indicator")
    change = plan_edit(db, {"indicator": [(str(n), dict(i)) for n, i in
                                          enumerate([*held, item], start=2)]})
    assert not change.refused, change.refused
    apply_edit(db, change)


def dialogue(db, women, total, day=dt.date(2026, 4, 2)):
    ActivitiesService(db).create(kind="policy_dialogue", title=f"Đối thoại {women}/{total}",
                                 date_start=day, participation="counts", count_total=total,
                                 count_women=women, count_men=total - women)


def rows(progress):
    return {row.indicator.code: row for row in progress.rows}


def test_a_percentage_target_is_compared_with_the_share_reached(world):
    province = world.dbs["P"]
    add_indicator(province, SHARE)
    dialogue(world.dbs["A1"], 25, 40)
    dialogue(world.dbs["A1"], 15, 20, dt.date(2025, 6, 1))  # another year: not counted
    dialogue(world.dbs["B1"], 2, 10)
    targets = TargetsService(province)
    with pytest.raises(ValidationFailed):
        targets.set("indicator:II.DTCS_NU", "2026", 101, KEY_A)  # a percentage is 0-100
    targets.set_many([("indicator:II.DTCS_NU", KEY_A, "2026", 60),
                      ("indicator:II.DTCS_NU", KEY_B, "2026", 80)])
    world.round()

    share = rows(compute_progress(province, Period.choose(2026), TODAY))["II.DTCS_NU"]
    a, b = share.by_commune[KEY_A], share.by_commune[KEY_B]
    assert (a.achieved, a.target, a.status) == (62.5, 60, "done")
    assert (b.achieved, b.target, b.status) == (20.0, 80, "behind")
    # the province: summed numerators over summed denominators (27 of 50), never an average
    # of percentages, and no target until the province sets its own (percentages do not add)
    assert share.cell.achieved == 54.0 and share.cell.figure.base == 50
    assert share.cell.target is None and share.allocated == 140
    targets.set("indicator:II.DTCS_NU", "2026", 80, province_of(province).key)
    share = rows(compute_progress(province, Period.choose(2026), TODAY))["II.DTCS_NU"]
    assert (share.cell.target, share.cell.status) == (80, "behind")
    assert share.as_json([])["is_percent"] is True
    with pytest.raises(UserFacingError, match="percentage"):
        plan_split(province, share.indicator, "2026", "even")
    behind = records_behind(province, share.indicator, Span(dt.date(2026, 1, 1), TODAY, TODAY))
    assert sorted(r.value for r in behind) == [10, 40]  # the denominator's records

    # the commune received the catalogue and its target, and reads its own share
    at_a = rows(compute_progress(world.dbs["A1"], Period.choose(2026), TODAY))["II.DTCS_NU"]
    assert (at_a.cell.achieved, at_a.cell.target) == (62.5, 60)


def test_a_province_total_is_compared_with_the_province_achieved_total(world):
    province = world.dbs["P"]
    whole = province_of(province)
    for site, names in (("A1", ["Tổ 1", "Tổ 2"]), ("B1", ["Tổ 3"])):
        for name in names:
            GroupsService(world.dbs[site]).create(type_key="group_type:TTCD", name=name,
                                                  launch_date=dt.date(2026, 2, 1))
    targets = TargetsService(province)
    targets.set_many([("indicator:II.TTCD", KEY_A, "2026", 6),
                      ("indicator:II.TTCD", KEY_B, "2026", 5)])
    world.round()
    teams = rows(compute_progress(province, Period.choose(2026), TODAY))["II.TTCD"]
    assert (teams.cell.achieved, teams.cell.target, teams.province_target) == (3, 11, None)

    targets.set("indicator:II.TTCD", "2026", 540, whole.key)
    world.round()  # the province's own total is not sent to any commune
    teams = rows(compute_progress(province, Period.choose(2026), TODAY))["II.TTCD"]
    assert (teams.cell.achieved, teams.cell.target) == (3, 540)
    assert (teams.province_target, teams.allocated) == (540, 11)
    data = teams.as_json(list(compute_progress(province, Period.choose(2026), TODAY).communes))
    assert (data["target"], data["province_target"], data["allocated"]) == (540, 540, 11)
    at_a = rows(compute_progress(world.dbs["A1"], Period.choose(2026), TODAY))["II.TTCD"]
    assert (at_a.cell.achieved, at_a.cell.target) == (2, 6)
    with pytest.raises(ValidationFailed):  # a commune never sets the province's total
        TargetsService(world.dbs["A1"]).set("indicator:II.CLB", "2026", 5, whole.key)
