"""`people import` on the list of issue 19, run as the officer runs it: defaults for the
columns it lacks, every row of the dry run listed, and a commit after a clean dry run."""

import json
import sqlite3
from pathlib import Path

from tests.cli.test_cli import run
from tests.core.test_import_real_lists import women_list


def test_dry_run_lists_every_row_and_the_commit_does_exactly_that(tmp_path: Path):
    db = tmp_path / "x.sqlite"
    assert run("--db", db, "demo", "--people", "50").returncode == 0
    with sqlite3.connect(db) as con:
        village = con.execute("SELECT name FROM village WHERE deleted = 0").fetchone()[0]
    sheet = women_list(tmp_path / "ds.xlsx")
    people = json.loads(run("--db", db, "stats", "--json").stdout)["people"]
    lacking = json.loads(run("--db", db, "people", "import", sheet, "--dry-run", "--json").stdout)
    assert "sex" in lacking["missing_columns"] and len(lacking["accepted"]) == 0
    args = ["--lang", "en", "--db", db, "people", "import", sheet, "--default", "sex=Nữ",
            "--map-village", f"Bản Nà Phá={village}", "--map-village",
            "Bản Không Có=Bản Nà Phá Mới", "--json"]
    refused = run(*args, "--dry-run")
    assert refused.returncode == 2 and "Bản Nà Phá Mới" in refused.stderr
    assert "Traceback" not in refused.stderr
    args[-2] = f"Bản Không Có={village}"
    dry = run(*args, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    plan = json.loads(dry.stdout)
    assert [r["row"] for r in plan["accepted"]] == [4, 5, 6]
    assert plan["accepted"][0]["full_name"] == "Lò Thị Pảnh"
    assert plan["accepted"][0]["values"]["phone"] == "0912345678"
    assert {r["row"]: r["reasons"] for r in plan["rejected"]}[8] == [
        "The birth year 2090 is in the future."]
    assert sorted(r["row"] for r in plan["rejected"]) == [8, 9, 10, 11]
    assert plan["duplicates"] == [{"row": 7, "full_name": "Lò Thị Pảnh", "same_as_row": 4,
                                   "reasons": ["Same person as row 4."]}]
    assert [s["row"] for s in plan["skipped"]] == [12, 13, 14]
    assert plan["new_villages"] == []
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == people
    done = run(*args)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["created"] == 3 and [r["row"] for r in result["accepted"]] == [4, 5, 6]
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == people + 3
    # The same list again: everyone already registered, nothing new.
    again = json.loads(run(*args, "--dry-run").stdout)
    assert [r["row"] for r in again["matched"]] == [4, 5, 6]


def test_defaults_for_village_and_keep_duplicates(tmp_path: Path):
    db = tmp_path / "x.sqlite"
    assert run("--db", db, "demo", "--people", "50").returncode == 0
    rows = [[1, "Lò Thị Một", 1980, "Thái", None, None, None],
            [2, "Lò Thị Một", 1980, "Thái", None, None, None]]
    sheet = women_list(tmp_path / "d.xlsx", rows)
    out = run("--lang", "en", "--db", db, "people", "import", sheet, "--default", "sex=Nữ", "--default",
              "village=Bản Nà Phá", "--keep-duplicates", "--dry-run", "--json")
    plan = json.loads(out.stdout)
    assert [r["row"] for r in plan["accepted"]] == [4, 5]
    assert plan["accepted"][1]["warnings"] == ["Same person as row 4."]
    assert all(r["values"]["village_name"] == "Bản Nà Phá" for r in plan["accepted"])
    bad = run("--db", db, "people", "import", sheet, "--default", "sex=Không", "--dry-run")
    assert bad.returncode == 2 and "Không" in bad.stderr and "Traceback" not in bad.stderr
    odd = run("--db", db, "people", "import", sheet, "--default", "sex", "--dry-run")
    assert odd.returncode == 2 and "sex=" in odd.stderr
