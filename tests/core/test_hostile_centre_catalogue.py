"""The centre -> province direction (the second adversarial review): a catalogue bundle signed
by the centre's real key, made by the real export from a centre data file edited by hand (a
stolen or careless centre), that would break the province. Each is refused plainly with
nothing changed, or changes nothing: the province's indicators, targets and figures stay as
they were."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.i18n import install_ts_language
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_paths
from tests.cli.test_central_ownership_cli import connected

TARGETED = "II.TTCD"


def _catalogue_state(path: Path) -> list:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT key, kind, name, props, active FROM catalogue_item "
                           "ORDER BY key").fetchall() + con.execute(
            "SELECT key, value FROM setting WHERE key LIKE 'catalogue_version:%' ORDER BY key"
        ).fetchall() + con.execute("SELECT * FROM target ORDER BY id").fetchall()


def _centre_sql(tmp_path: Path, *statements: str) -> None:
    with sqlite3.connect(tmp_path / "tw.sqlite") as con:
        for sql in statements:
            con.execute(sql)


def _send_down(centre, tmp_path: Path, name: str, code: str = "11") -> Path:
    [bundle] = [b.path for b in export_bundles(centre, tmp_path / name)
                if f"-to-tinh{code}-" in b.path.name]
    return bundle


@pytest.fixture
def linked(tmp_path, new_file):
    install_ts_language("en")
    centre, provinces = connected(tmp_path, new_file)
    province = provinces["11"]
    TargetsService(province).create(indicator_key=f"indicator:{TARGETED}",
                                    commune_key="2025:commune:03325", period="2026", value=12)
    return centre, province


def _progress(db) -> list:
    return [(r.indicator.code, r.cell.target) for r in compute_progress(
        db, Period.choose(2026), None).rows]


def test_a_centre_catalogue_dropping_an_indicator_the_targets_use_is_refused(linked, tmp_path):
    centre, province = linked
    before, figures = _catalogue_state(tmp_path / "tinh11.sqlite"), _progress(province)
    assert (TARGETED, 12) in [(c, t) for c, t in figures]
    _centre_sql(tmp_path, f"UPDATE catalogue_item SET active = 0 WHERE key = 'indicator:{TARGETED}'",
                "UPDATE setting SET value = '2099.1' WHERE key = 'catalogue_version:indicators'")
    [report] = import_paths(province, [_send_down(centre, tmp_path, "drop")])
    assert report.status == "rejected", report
    assert TARGETED in report.message and "target" in report.message, report.message
    assert _catalogue_state(tmp_path / "tinh11.sqlite") == before
    assert _progress(province) == figures


def test_a_centre_catalogue_with_a_rule_this_version_does_not_know_is_refused(linked, tmp_path):
    centre, province = linked
    before, figures = _catalogue_state(tmp_path / "tinh11.sqlite"), _progress(province)
    _centre_sql(tmp_path, "UPDATE catalogue_item SET props = json_set(props, '$.compute.measure', "
                f"'teleport') WHERE key = 'indicator:{TARGETED}'",
                "UPDATE setting SET value = '2099.1' WHERE key = 'catalogue_version:indicators'")
    [report] = import_paths(province, [_send_down(centre, tmp_path, "rule")])
    assert report.status == "rejected", report
    assert "teleport" in report.message, report.message
    assert _catalogue_state(tmp_path / "tinh11.sqlite") == before
    assert _progress(province) == figures


def test_a_centre_catalogue_going_backwards_changes_nothing(linked, tmp_path):
    centre, province = linked
    before = _catalogue_state(tmp_path / "tinh11.sqlite")
    _centre_sql(tmp_path, "UPDATE catalogue_item SET name = 'Cũ' WHERE kind = 'indicator'",
                "UPDATE setting SET value = '2000.1' WHERE key = 'catalogue_version:indicators'")
    [report] = import_paths(province, [_send_down(centre, tmp_path, "old")])
    assert report.status == "applied" and report.counts["updated"] == 0, report
    assert _catalogue_state(tmp_path / "tinh11.sqlite") == before


def test_a_huge_centre_catalogue_is_refused_whole(linked, tmp_path):
    centre, province = linked
    before = _catalogue_state(tmp_path / "tinh11.sqlite")
    _centre_sql(tmp_path, "UPDATE setting SET value = '2099.1' WHERE key = 'catalogue_version:roles'")
    with sqlite3.connect(tmp_path / "tw.sqlite") as con:
        con.executemany(
            "INSERT INTO catalogue_item (key, kind, scheme, code, name, alt_names, props, "
            "sort_order, active, catalogue_version) VALUES (?, 'role', '', ?, ?, '[]', '{}', ?, "
            "1, '2099.1')", [(f"role:X{i}", f"X{i}", f"Vai trò {i}", 100 + i)
                             for i in range(5001)])
    [report] = import_paths(province, [_send_down(centre, tmp_path, "huge")])
    assert report.status == "rejected" and "Traceback" not in report.message, report
    assert _catalogue_state(tmp_path / "tinh11.sqlite") == before


def test_a_catalogue_for_another_province_is_refused(linked, tmp_path):
    centre, province = linked
    before = _catalogue_state(tmp_path / "tinh11.sqlite")
    _centre_sql(tmp_path, "UPDATE catalogue_item SET name = 'Mới' WHERE kind = 'indicator'",
                "UPDATE setting SET value = '2099.1' WHERE key = 'catalogue_version:indicators'")
    [report] = import_paths(province, [_send_down(centre, tmp_path, "other", code="01")])
    assert report.status == "rejected" and report.reason == "not_addressed", report
    assert _catalogue_state(tmp_path / "tinh11.sqlite") == before
