"""Issue 18 item 8: what the application writes is readable by the user only, and a crash log
holds no record data."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run

ENV = {"DA8_KEY_PASSPHRASE": "a province passphrase", "DA8_KEYRING": "off"}
posix_only = pytest.mark.skipif(os.name != "posix", reason="Windows: the profile folder's ACL")


def ok(*args) -> str:
    result = run(*args, env_extra=ENV)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_files_written_through_the_cli_are_the_users_only(tmp_path: Path):
    old = os.umask(0o022)  # a shared machine's usual setting: files readable by everyone
    try:
        province, commune = tmp_path / "tinh" / "tinh.sqlite", tmp_path / "xa" / "xa.sqlite"
        made = ok("--db", province, "province", "init", "--province-code", "11")
        province_fingerprint = " ".join(re.findall(r"\b\d{5}\b", made)[-6:])
        setup = Path(ok("--db", province, "province", "enroll", "--commune-code", "03325",
                        "--out", tmp_path / "usb").strip())
        ok("--db", commune, "commune", "init", "--setup", setup, "--province-fingerprint",
           province_fingerprint)
        ok("--db", commune, "demo", "--people", "50")
        ok("--db", commune, "backup", "create")
        (tmp_path / "out").mkdir()
        ok("--db", commune, "people", "export", tmp_path / "out" / "people.xlsx")
        ok("--db", commune, "print", "members", "--all", "--pdf", tmp_path / "out" / "list.pdf")
        bundle = Path(ok("--db", commune, "sync", "export", "--out",
                         tmp_path / "usb" / "xa").strip())
    finally:
        os.umask(old)
    backups = list((commune.parent / "backups").glob("*.sqlite*"))  # each backup and its note
    assert backups
    files = [province, commune, setup, bundle, tmp_path / "out" / "people.xlsx",
             tmp_path / "out" / "list.pdf", *backups]
    assert {str(f): oct(mode(f)) for f in files} == {str(f): oct(0o600) for f in files}
    assert oct(mode(commune.parent / "backups")) == oct(0o700)  # a folder the app made


@posix_only
def test_an_existing_data_file_becomes_private_when_opened(tmp_path: Path):
    data = tmp_path / "xa.sqlite"
    ok("--db", data, "stats")
    os.chmod(data, 0o644)  # made by an older version
    ok("--db", data, "stats")
    assert mode(data) == 0o600


CCCD = "001190012345"
CRASH = f"""
import sys
from sqlalchemy import create_engine, text
from da8desktop.core.logs import write_crash_log

engine = create_engine("sqlite://")  # no hide_parameters: the log must not rely on it
with engine.begin() as connection:
    connection.execute(text("CREATE TABLE person (cccd TEXT UNIQUE, full_name TEXT)"))
    connection.execute(text("INSERT INTO person VALUES ('{CCCD}', 'Lò Thị Hoa')"))
try:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO person VALUES (:cccd, :name)"),
                           {{"cccd": "{CCCD}", "name": "Lò Thị Hoa"}})
except Exception:
    print(write_crash_log("cli"))
"""


def test_a_crash_log_holds_the_place_and_the_error_not_the_values(tmp_path: Path):
    home = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"), "LOCALAPPDATA": str(tmp_path)}
    result = run_python(CRASH, home)
    log = Path(result.stdout.strip())
    text = log.read_text("utf-8")
    assert "IntegrityError" in text and "UNIQUE constraint failed" in text
    assert 'File "<string>", line 12, in <module>' in text  # where it happened
    for value in (CCCD, "Lò Thị Hoa", "Hoa", "parameters"):
        assert value not in text
    if os.name == "posix":
        assert mode(log) == 0o600


def run_python(code: str, env: dict[str, str]):
    import subprocess

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, **env}, timeout=120)
    assert result.returncode == 0, result.stderr
    return result


def test_a_servers_error_message_loses_the_values_it_quotes():
    from da8desktop.core.logs import safe_message

    class Orig(Exception):
        pass

    class Wrapped(Exception):
        orig = Orig('duplicate key value violates unique constraint "uq_person_cccd"\n'
                    f'DETAIL:  Key (cccd)=({CCCD}) already exists.')

    text = safe_message(Wrapped(f"[SQL: INSERT …] [parameters: ('{CCCD}', 'Lò Thị Hoa')]"))
    assert text.startswith("duplicate key value violates unique constraint")
    assert CCCD not in text and "DETAIL" not in text
    assert CCCD not in safe_message(ValueError(f"bad CCCD {CCCD} for Lò Thị Hoa"))
