"""The centre keeps each province's figures apart (issue 21, item 6): a province bundle naming
a commune of another province is refused whole, through the real `sync import` (exit 3), and the
centre is left exactly as it was; the first province's figures stay its own."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.sync import central, central_export
from da8desktop.core.sync.enrol import province_init
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_paths
from tests.cli.test_cli import run


def figure(commune: str, value: float) -> dict:
    return {"commune": commune, "indicator": "II.TTCD", "period": "2026", "value": value}


def connected(tmp_path: Path, new_file) -> tuple[Database, dict[str, Database]]:
    """A centre with provinces 01 and 11 enrolled, connected and confirmed."""
    centre = Database.open(new_file("tw.sqlite"))
    _identity, centre_fp = central.central_init(centre)
    provinces = {}
    for code in ("01", "11"):
        db = Database.open(new_file(f"tinh{code}.sqlite"))
        province_init(db, code)
        setup = central.central_enroll(centre, code, tmp_path / "usb")
        done = central.connect_central(db, setup.path, centre_fp)
        [first] = export_bundles(db, tmp_path / f"first{code}")
        [report] = import_paths(centre, [first.path])
        assert report.reason == "unconfirmed"
        central.confirm_province(centre, code, done.province_fingerprint)
        provinces[code] = db
    return centre, provinces


def stored(path: Path) -> list:
    with sqlite3.connect(path) as con:
        return con.execute("SELECT * FROM central_figure ORDER BY 1, 2, 3, 4").fetchall() + \
            con.execute("SELECT * FROM sync_bundle ORDER BY 1").fetchall()


def test_a_province_sending_another_provinces_commune_is_refused_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_file):
    centre, provinces = connected(tmp_path, new_file)
    monkeypatch.setattr(central_export, "figures", lambda db, today=None: [figure("00004", 7)])
    [hanoi] = export_bundles(provinces["01"], tmp_path / "ok")  # Ba Đình is Hà Nội's
    [report] = import_paths(centre, [hanoi.path])
    assert report.status == "applied" and report.counts["new"] == 1
    before = stored(tmp_path / "tw.sqlite")

    # Điện Biên's real key, real export code, but a Hà Nội commune among its own.
    monkeypatch.setattr(central_export, "figures", lambda db, today=None: [
        figure("03325", 3), figure("00004", 999)])
    [forged] = export_bundles(provinces["11"], tmp_path / "forged")
    refused = run("--db", tmp_path / "tw.sqlite", "--lang", "en", "sync", "import", forged.path,
                  "--json")
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    [answer] = json.loads(refused.stdout)
    assert answer["reason"] == "partition" and "00004" in answer["message"]
    assert stored(tmp_path / "tw.sqlite") == before  # nothing of it, not even its own commune

    # Its own commune alone, in a newer bundle, is taken: under its own province.
    monkeypatch.setattr(central_export, "figures", lambda db, today=None: [figure("03325", 3)])
    [fine] = export_bundles(provinces["11"], tmp_path / "fine")
    [taken] = import_paths(centre, [fine.path])
    assert taken.status == "applied"
    status = json.loads(run("--db", tmp_path / "tw.sqlite", "sync", "status", "--json").stdout)
    assert {(p["code"], p["status"]) for p in status["provinces"]} == {
        ("01", "enrolled"), ("11", "enrolled")}
    with sqlite3.connect(tmp_path / "tw.sqlite") as con:
        by_province = dict(con.execute(
            "SELECT commune_key, province_key FROM central_figure").fetchall())
    assert by_province == {"2025:commune:00004": "2025:province:01",
                           "2025:commune:03325": "2025:province:11"}
    # A stick carried late: an older bundle of a province changes nothing.
    after = stored(tmp_path / "tw.sqlite")
    [late] = import_paths(centre, [forged.path])
    assert late.status == "duplicate" and stored(tmp_path / "tw.sqlite") == after
    [old] = import_paths(centre, [hanoi.path])
    assert old.status == "duplicate"
