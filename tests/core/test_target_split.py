"""A province total split over its communes (issue 20 item 6): whole numbers that always add up
to the total, the same split every time, previewed, then saved in one transaction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from da8desktop.core.errors import UserFacingError
from da8desktop.core.indicators.catalogue import indicators_of
from da8desktop.core.indicators.progress import province_of, scope_of
from da8desktop.core.services.target_split import (
    apply_split,
    plan_split,
    split_even,
    split_weighted,
)
from da8desktop.core.services.targets import TargetsService, targets_of
from da8desktop.core.services.villages import VillagesService
from da8desktop.core.sync.enrol import province_init

keys = st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=150, unique=True)


@given(total=st.integers(0, 10**9), communes=keys)
def test_an_even_split_adds_up_and_differs_by_at_most_one(total, communes):
    shares = split_even(total, communes)
    assert sum(shares.values()) == total and set(shares) == set(communes)
    assert max(shares.values()) - min(shares.values()) <= 1
    # the remainder goes to the first communes in the order given
    assert list(shares.values()) == sorted(shares.values(), reverse=True)


@given(total=st.integers(0, 10**9),
       weights=st.lists(st.integers(0, 400), min_size=1, max_size=150).filter(any))
def test_a_split_by_villages_adds_up_and_follows_the_villages(total, weights):
    named = [(f"c{i}", w) for i, w in enumerate(weights)]
    shares = split_weighted(total, named)
    assert sum(shares.values()) == total
    whole = sum(weights)
    for key, weight in named:
        exact = total * weight / whole
        assert exact - 1 < shares[key] < exact + 1  # never more than one off its exact share
        if weight == 0:
            assert shares[key] == 0
    assert split_weighted(total, named) == shares  # deterministic


def test_540_teams_over_45_communes_and_the_remainder():
    assert set(split_even(540, [str(i) for i in range(45)]).values()) == {12}
    assert split_even(10, ["a", "b", "c"]) == {"a": 4, "b": 3, "c": 3}
    assert split_weighted(10, [("a", 1), ("b", 2), ("c", 0)]) == {"a": 3, "b": 7, "c": 0}


@pytest.fixture
def province(db):
    province_init(db, "11")
    return db


def _teams(db):
    return next(i for i in indicators_of(db, "2026-2030") if i.code == "II.TTCD")


def test_a_province_total_split_evenly_is_previewed_then_saved_whole(province):
    db = province
    communes = scope_of(db)[2]
    whole = province_of(db)
    assert len(communes) == 45 and whole is not None and whole.code == "11"
    teams = _teams(db)
    with pytest.raises(UserFacingError, match="no total"):
        plan_split(db, teams, "2026", "even")
    TargetsService(db).set(teams.key, "2026", 540, whole.key)
    plan = plan_split(db, teams, "2026", "even")
    assert plan.total == 540 and plan.remainder == 0 and {line.after for line in plan.lines} == {12}
    assert list(targets_of(db, "2026")) == [(teams.key, whole.key)]  # a preview saves nothing
    assert apply_split(db, plan) == 45
    held = targets_of(db, "2026")
    assert sum(held[(teams.key, c.key)].value for c in communes) == 540
    assert held[(teams.key, whole.key)].value == 540


def test_a_split_by_villages_and_a_typed_split_that_does_not_add_up(province):
    db = province
    communes = scope_of(db)[2]
    teams = _teams(db)
    with pytest.raises(UserFacingError, match="villages"):
        plan_split(db, teams, "2026", "villages", total=100)
    villages = VillagesService(db)
    for name in ("Bản Một", "Bản Hai", "Bản Ba"):
        villages.create(name=name, commune_key=communes[0].key)
    villages.create(name="Bản Bốn", commune_key=communes[1].key)
    plan = plan_split(db, teams, "2026", "villages", total=100)
    shares = {line.commune.key: line.after for line in plan.lines}
    assert shares[communes[0].key] == 75 and shares[communes[1].key] == 25
    assert sum(shares.values()) == 100 and plan.lines[0].weight == 3
    apply_split(db, plan)
    assert targets_of(db, "2026")[(teams.key, province_of(db).key)].value == 100

    typed = plan_split(db, teams, "2026", "typed", total=100,
                       typed={communes[0].key: 60, communes[1].key: 30})
    assert typed.remainder == 10
    before = targets_of(db, "2026")
    with pytest.raises(UserFacingError, match="difference of 10"):
        apply_split(db, typed)
    assert targets_of(db, "2026") == before  # nothing half-saved
    typed = plan_split(db, teams, "2026", "typed", total=100,
                       typed={communes[0].key: 60, communes[1].key: 40})
    apply_split(db, typed)
    assert {k[1]: v.value for k, v in targets_of(db, "2026").items()} == {
        province_of(db).key: 100, communes[0].key: 60, communes[1].key: 40}


def test_a_sheet_writes_percentages_as_officers_do(province, tmp_path):
    from openpyxl import Workbook

    from da8desktop.core.excel.targets_sheet import preview_targets
    from tests.core.test_percent_and_province_targets import SHARE, add_indicator

    add_indicator(province, SHARE)
    book = Workbook()
    sheet = book.active
    for row in (["Năm", 2026], ["Mã xã", "Xã", "II.DTCS_NU"], ["03325", "", 0.8],
                ["03158", "", "75 %"], ["", "Toàn tỉnh", 0.85], ["03127", "", 1.5]):
        sheet.append(row)
    for cell in ("C3", "C5", "C6"):
        sheet[cell].number_format = "0%"  # 80 % typed in Excel is stored as 0.8
    book.save(tmp_path / "pct.xlsx")
    preview = preview_targets(province, tmp_path / "pct.xlsx")
    assert {(c.commune.code, c.after) for c in preview.new} == {
        ("03325", 80.0), ("03158", 75.0), ("11", 85.0)}
    assert [(r.kind, r.cell) for r in preview.refused] == [("not_a_percentage", "C6")]
