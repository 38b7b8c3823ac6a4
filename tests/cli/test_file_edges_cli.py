"""The real command meets hostile files and mistyped arguments (issue 18, items 6, 7 and 9):
each is a plain refusal with exit code 2, never a traceback or a crash log."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.xlsx_files import zip_bomb
from tests.cli.test_cli import run


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert run("--db", db, "demo", "--people", "60").returncode == 0
    return db


def refused(result, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_people_import_refuses_a_zip_bomb_plainly(demo_file, tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", unpacked_mb=80)
    refused(run("--lang", "en", "--db", demo_file, "people", "import", bomb, "--dry-run"),
            "was not read", "Nothing was imported")


def test_people_export_to_a_folder_is_refused(demo_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    refused(run("--lang", "en", "--db", demo_file, "people", "export", out), "is a folder")
    refused(run("--lang", "en", "--db", demo_file, "people", "export", out / "no" / "x.xlsx"),
            "does not exist")
    refused(run("--lang", "en", "--db", demo_file, "audit", "export", out), "is a folder")
    assert list(out.iterdir()) == []  # nothing half-written left behind


def test_export_never_replaces_a_device_or_a_pipe(demo_file, tmp_path):
    import os

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    refused(run("--lang", "en", "--db", demo_file, "people", "export", pipe),
            "not an ordinary file")
    assert pipe.is_fifo()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300"])
def test_targets_set_refuses_a_number_that_is_not_a_target(demo_file, value):
    refused(run("--lang", "en", "--db", demo_file, "targets", "set", "--indicator", "II.TTCD",
                "--period", "2026", "--", value), "Enter a target")
    listed = run("--db", demo_file, "targets", "list", "--period", "2026", "--json")
    assert listed.returncode == 0 and "NaN" not in listed.stdout and "Infinity" not in listed.stdout


def test_people_import_of_a_folder_and_audit_limit_are_refused(demo_file, tmp_path):
    refused(run("--lang", "en", "--db", demo_file, "people", "import", tmp_path), "is a folder")
    refused(run("--lang", "en", "--db", demo_file, "audit", "list", "--limit", "-1"), "--limit")
    refused(run("--lang", "en", "--db", demo_file, "audit", "list", "--limit",
                "99999999999999999999"), "--limit")
