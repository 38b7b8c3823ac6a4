"""Start now, connect later (issue 21, item 3), through the real command: a copy of the demo
holding a year of records is connected with the province's setup file; its records keep their
ids and reach the province in the first bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.cli.test_enrolment_cli import cli, fingerprint_in, no_crash, ok


def _stats(tmp_path: Path, db: Path) -> dict:
    return json.loads(ok(tmp_path, "--db", db, "stats", "--json"))


def _ids(db: Path) -> set[str]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT id FROM person WHERE deleted = 0")}


def test_a_file_with_a_year_of_records_is_connected_and_its_records_arrive(tmp_path: Path,
                                                                           new_file):
    demo, commune, p = new_file("demo.sqlite"), tmp_path / "xa.sqlite", new_file("tinh.sqlite")
    ok(tmp_path, "--db", demo, "demo", "--people", "60")
    shutil.copyfile(demo, commune)  # "started on the demo, then entered real data in a copy"
    held = _stats(tmp_path, commune)
    assert held["people"] == 60 and held["activities"] > 0
    ids_before = _ids(commune)

    province_fp = fingerprint_in(ok(tmp_path, "--db", p, "province", "init", "--province-code", "11"))
    stick = tmp_path / "stick"
    wrong_setup = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03158",
                     "--out", stick).strip()
    other = cli(tmp_path, "--db", commune, "--lang", "en", "commune", "init", "--setup",
                wrong_setup, "--province-fingerprint", province_fp)
    assert other.returncode == 2 and "holds the records of Xã Mường Phăng" in other.stderr
    setup = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03325",
               "--out", stick).strip()
    made = cli(tmp_path, "--db", commune, "--lang", "en", "commune", "init", "--setup", setup,
               "--province-fingerprint", province_fp)
    assert made.returncode == 0, made.stderr
    assert _ids(commune) == ids_before and _stats(tmp_path, commune)["people"] == 60

    again = cli(tmp_path, "--db", commune, "--lang", "en", "commune", "init", "--setup", setup,
                "--province-fingerprint", province_fp)
    assert again.returncode == 2 and "already connected" in again.stderr

    out = tmp_path / "to-province"
    ok(tmp_path, "--db", commune, "sync", "export", "--out", out)
    waiting = cli(tmp_path, "--db", p, "sync", "import", out, "--json")
    assert waiting.returncode == 3 and json.loads(waiting.stdout)[0]["reason"] == "unconfirmed"
    ok(tmp_path, "--db", p, "province", "confirm", "--commune-code", "03325",
       "--fingerprint", fingerprint_in(made.stdout))  # read out by phone
    [report] = json.loads(ok(tmp_path, "--db", p, "sync", "import", out, "--json"))
    assert report["status"] == "applied" and report["counts"]["rejected"] == 0
    assert _ids(p) == ids_before  # every person, with the id it had
    at_province = _stats(tmp_path, p)
    assert at_province["activities"] == held["activities"]
    assert no_crash(tmp_path)


def test_a_province_file_is_not_connected_as_a_commune(tmp_path: Path, new_file):
    p, p2 = new_file("tinh.sqlite"), new_file("tinh2.sqlite")
    province_fp = fingerprint_in(ok(tmp_path, "--db", p, "province", "init", "--province-code", "11"))
    ok(tmp_path, "--db", p2, "province", "init", "--province-code", "11")
    setup = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03325",
               "--out", tmp_path / "stick").strip()
    refused = cli(tmp_path, "--db", p2, "--lang", "en", "commune", "init", "--setup", setup,
                  "--province-fingerprint", province_fp)
    assert refused.returncode == 2 and "is a province's" in refused.stderr
    assert no_crash(tmp_path)
