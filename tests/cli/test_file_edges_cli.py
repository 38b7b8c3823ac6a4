"""The real command meets hostile files and mistyped arguments (issue 18, items 6, 7 and 9):
each is a plain refusal with exit code 2, never a traceback or a crash log."""

from __future__ import annotations

import re
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


# -- disks and media (item 7): real small and read-only file systems, skipped where mount fails

def test_people_import_on_a_full_disk_says_so_and_leaves_no_half_backup(demo_file, tmp_path):
    import json
    import shutil

    from bench.xlsx_files import member_list
    from tests.disk_helpers import fill, small_disk

    sheet = member_list(tmp_path / "list.xlsx", 30)
    with small_disk(tmp_path / "stick", demo_file.stat().st_size // 1024 + 1024) as stick:
        data = stick / "demo.sqlite"
        shutil.copyfile(demo_file, data)
        before = json.loads(run("--db", data, "stats", "--json").stdout)["people"]
        fill(stick, leave_bytes=256 * 1024)  # room for the WAL, not for a restore point
        refused(run("--lang", "en", "--db", data, "people", "import", sheet), "is full")
        listed = run("--lang", "en", "--db", data, "backup", "list")
        assert listed.returncode == 0 and "cannot be read" not in listed.stdout + listed.stderr
        assert not list(stick.glob("backups/*"))
        (stick / "filler.bin").unlink()
        assert json.loads(run("--db", data, "stats", "--json").stdout)["people"] == before


def test_sync_export_to_a_full_stick_leaves_no_part(tmp_path):
    from tests.cli.test_sync_cli import ENV
    from tests.disk_helpers import fill, small_disk

    province, commune = tmp_path / "tinh.sqlite", tmp_path / "xa.sqlite"
    made = run("--db", province, "province", "init", "--province-code", "11", env_extra=ENV)
    assert made.returncode == 0
    province_fingerprint = " ".join(re.findall(r"\b\d{5}\b", made.stdout)[-6:])
    setup = run("--db", province, "province", "enroll", "--commune-code", "03325", "--out",
                tmp_path, env_extra=ENV).stdout.strip()
    assert run("--db", commune, "commune", "init", "--setup", setup, "--province-fingerprint",
               province_fingerprint, env_extra=ENV).returncode == 0
    assert run("--db", commune, "demo", "--people", "200", env_extra=ENV).returncode == 0
    with small_disk(tmp_path / "stick", 256) as stick:
        fill(stick, leave_bytes=8 * 1024)
        result = run("--lang", "en", "--db", commune, "sync", "export", "--out", stick,
                     env_extra=ENV)
        refused(result, "is full")
        assert [p.name for p in stick.iterdir()] == ["filler.bin"]  # no 0-byte .part


def test_a_file_on_read_only_media_is_read_and_not_changed(demo_file, tmp_path):
    import shutil

    from tests.disk_helpers import make_read_only, small_disk

    with small_disk(tmp_path / "cd", demo_file.stat().st_size // 1024 + 2048) as cd:
        shutil.copyfile(demo_file, cd / "demo.sqlite")
        make_read_only(cd)
        stats = run("--lang", "en", "--db", cd / "demo.sqlite", "stats")
        assert stats.returncode == 0 and "damaged" not in stats.stderr
        refused(run("--lang", "en", "--db", cd / "demo.sqlite", "targets", "set", "--indicator",
                    "II.TTCD", "--period", "2026", "5"), "read-only media")
        refused(run("--lang", "en", "--db", cd / "demo.sqlite", "backup", "create"),
                "read-only media")


def test_a_pdf_on_a_full_stick_is_refused_and_not_left_truncated(demo_file, tmp_path):
    from tests.disk_helpers import fill, small_disk

    with small_disk(tmp_path / "stick", 256) as stick:
        fill(stick, leave_bytes=16 * 1024)
        refused(run("--lang", "en", "--db", demo_file, "print", "members", "--all", "--pdf",
                    stick / "ds.pdf"), "is full")
        assert [p.name for p in stick.iterdir()] == ["filler.bin"]
