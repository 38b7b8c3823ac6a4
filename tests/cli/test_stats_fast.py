"""Issue 23 item 6: `--help`, `--version` and `stats` start without SQLAlchemy, and `stats`
read with sqlite3 alone prints exactly what the full open prints (province scripts parse it)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from da8desktop.cli.main import main
from da8desktop.core.db.database import Database
from da8desktop.core.services import quick_stats as quick
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_page

# Runs the real command in a fresh interpreter, then says which heavy packages it imported.
PROBE = """
import sys
from da8desktop.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in ("sqlalchemy", "alembic", "PySide6", "openpyxl", "nacl")
               if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def probe(*args: object) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, *map(str, args)], capture_output=True,
                          text=True, env=dict(os.environ), timeout=120)
    [line] = [x for x in done.stderr.splitlines() if x.startswith("HEAVY=")]
    return done, [m for m in line.removeprefix("HEAVY=").split(",") if m]


@pytest.fixture
def opened_demo(demo_db_file: Path) -> Path:
    """The demo file as an officer has it: opened once here (a copied file takes its own site
    id at its first open), with a few records in the bin."""
    db = Database.open(demo_db_file)
    people = PeopleService(db)
    for row in people_page(db, PeopleFilter(), limit=3):
        people.delete(row.id)
    db.close()
    return demo_db_file


def full_way(file: Path) -> dict:
    from da8desktop.core.services.stats import collect

    db = Database.open(file)
    try:
        return json.loads(json.dumps(collect(db).as_json(), default=str))
    finally:
        db.close()


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["--lang", "en", "--help"]])
def test_help_and_version_import_no_database_or_window_code(args: list[str]):
    done, heavy = probe(*args)
    assert done.returncode == 0 and "da8desktop" in done.stdout
    assert heavy == []


def test_stats_on_a_data_file_imports_no_sqlalchemy(opened_demo: Path):
    for args in (["stats"], ["stats", "--json"]):
        done, heavy = probe("--db", opened_demo, "--lang", "en", *args)
        assert done.returncode == 0, done.stderr
        assert heavy == []
    assert json.loads(done.stdout)["people"] == full_way(opened_demo)["people"]


def test_quick_counts_are_the_full_counts(opened_demo: Path):
    expected = full_way(opened_demo)
    assert expected["deleted_records"] >= 3 and expected["site"]["role"] == "commune"
    assert quick.quick_stats(opened_demo) == expected


def test_stats_prints_the_same_text_and_json_either_way(opened_demo: Path, capsys,
                                                        monkeypatch: pytest.MonkeyPatch):
    printed = {}
    for way in ("quick", "full"):
        if way == "full":
            monkeypatch.setattr(quick, "quick_stats", lambda _file: None)
        for extra in ([], ["--json"]):
            assert main(["--db", str(opened_demo), "--lang", "en", "stats", *extra]) == 0
            printed[way, bool(extra)] = capsys.readouterr().out
    assert printed["quick", False] == printed["full", False]
    assert printed["quick", True] == printed["full", True]
    assert "People" in printed["quick", False] and '"people"' in printed["quick", True]


def test_a_file_with_work_due_at_open_is_opened_the_full_way(opened_demo: Path, tmp_path: Path):
    """Copied elsewhere (a new site id is due), half restored, an older catalogue, damaged,
    missing: the quick reader steps aside and the command still answers, the full way."""
    copy = shutil.copyfile(opened_demo, tmp_path / "copy.sqlite")
    assert quick.quick_stats(copy) is None
    done, heavy = probe("--db", copy, "stats", "--json")
    assert done.returncode == 0 and "sqlalchemy" in heavy
    assert quick.quick_stats(copy) is not None  # the full open recorded the copy as its own

    aside = Path(f"{opened_demo}.restore-part")
    aside.write_bytes(b"")
    assert quick.quick_stats(opened_demo) is None
    aside.unlink()

    with sqlite3.connect(opened_demo) as connection:
        connection.execute("UPDATE setting SET value = '\"2000.1\"' "
                           "WHERE key = 'catalogue_version:group_types'")
    connection.close()
    assert quick.quick_stats(opened_demo) is None
    assert full_way(opened_demo)["groups"] > 0  # the full open loads the shipped catalogue
    assert quick.quick_stats(opened_demo) is not None

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    assert quick.quick_stats(junk) is None
    assert quick.quick_stats(tmp_path / "missing.sqlite") is None


def test_constants_repeated_for_the_quick_reader_match_their_sources():
    from da8desktop.core.db import backup, database, migrate, unit_of_work
    from da8desktop.core.sync import clock

    assert quick.SCHEMA_HEAD == migrate.SCHEMA_HEAD, "a new migration: update quick_stats.py"
    assert quick.CHECK_AT_OPEN_LIMIT == database.CHECK_AT_OPEN_LIMIT
    assert quick.RESTORE_SUFFIXES == (backup.ASIDE_SUFFIX, backup.PART_SUFFIX)
    assert quick.REDATE_MARGIN_MS == unit_of_work.REDATE_MARGIN_MS
    assert (quick.BEHIND_TOLERANCE_MS, quick.AHEAD_LIMIT_MS, quick.EARLIEST_PLAUSIBLE_MS) == (
        clock.BEHIND_TOLERANCE_MS, clock.AHEAD_LIMIT_MS, clock.EARLIEST_PLAUSIBLE_MS)


def test_a_command_imports_its_own_module_and_a_wrong_one_still_lists_every_choice():
    done, heavy = probe("--lang", "en", "peopl")
    assert done.returncode == 2 and heavy == []
    for name in ("stats", "sync", "audit", "report", "catalogue", "central", "migrate-to",
                 "records"):  # one from each command module
        assert f"'{name}'" in done.stderr
    code = ("import sys; from da8desktop.cli.main import build_parser, command_named; "
            "build_parser(command_named(sys.argv[1:])); "
            "print(sorted(m for m in sys.modules if m.startswith('da8desktop.cli.')))")
    listed = subprocess.run([sys.executable, "-c", code, "--db", "x.sqlite", "stats"],
                            capture_output=True, text=True, timeout=60).stdout
    assert "da8desktop.cli.commands" in listed and "da8desktop.cli.sync_commands" not in listed
