"""Power cuts (issue 10): the process is killed with SIGKILL at random moments of a sync import,
a bulk Excel import and a migration. Every time, the file must open, pass the integrity check,
and hold either nothing of the import or all of it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import SCHEMA_HEAD

ENV = {**os.environ, "DA8_KEY_PASSPHRASE": "kill test passphrase", "DA8_KEYRING": "off"}
KILLS = 20


def start(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "da8desktop", *map(str, args)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(*args) -> float:
    began = time.perf_counter()
    process = start(*args)
    assert process.wait(timeout=300) == 0
    return time.perf_counter() - began


def kill_at(delay: float, *args) -> bool:
    """Run the command, SIGKILL it after `delay` seconds; True if it was still running."""
    process = start(*args)
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True


def killed_inside(point: str, *args) -> None:
    """Run the command with the fault hook at `point` (core/faults.py): it dies there, inside
    the transaction, with the uncommitted rows already written to the file's journal."""
    process = subprocess.Popen([sys.executable, "-m", "da8desktop", *map(str, args)],
                               env={**ENV, "DA8_FAULT": point},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert process.wait(timeout=300) == -signal.SIGKILL, f"{point} was never reached"


def copy_fresh(source: Path, target: Path) -> None:
    """A copy with no WAL of an earlier run beside it (SQLite would replay it onto the copy)."""
    for side in ("-wal", "-shm"):
        Path(f"{target}{side}").unlink(missing_ok=True)
    shutil.copyfile(source, target)


def rows(path: Path, sql: str) -> int:
    """Open the file as the application does (integrity check included), then count."""
    Database.open(path).close()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


@pytest.fixture(scope="module")
def province_and_bundle(tmp_path_factory, template_file):
    os.environ.update(DA8_KEY_PASSPHRASE=ENV["DA8_KEY_PASSPHRASE"], DA8_KEYRING="off")
    from da8desktop.core.demo import load_demo
    from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                            own_fingerprint, province_init)
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.core.sync.importer import import_file

    folder = tmp_path_factory.mktemp("kill")
    shutil.copyfile(template_file, folder / "tinh.sqlite")
    shutil.copyfile(template_file, folder / "xa.sqlite")
    province, commune = Database.open(folder / "tinh.sqlite"), Database.open(folder / "xa.sqlite")
    _identity, province_fingerprint = province_init(province, "11")
    commune_init(commune, enroll(province, "03325", folder / "usb").path, province_fingerprint)
    for first in export_bundles(commune, folder / "first"):  # registers the laptop...
        import_file(province, first.path)
    confirm_commune_computer(province, "03325", own_fingerprint(commune) or "")  # ...confirmed
    load_demo(commune, seed=1, people=200)
    [bundle] = export_bundles(commune, folder / "usb")
    province.close()
    commune.close()
    return folder / "tinh.sqlite", bundle.path


def test_sigkill_during_sync_imports(tmp_path, province_and_bundle):
    province, bundle = province_and_bundle
    trial = tmp_path / "p.sqlite"
    shutil.copyfile(province, trial)
    full_time = timed("--db", trial, "sync", "import", bundle)
    people = rows(trial, "SELECT count(*) FROM person")
    assert people == 200
    # Killed inside the transaction, every row merged: none of it is in the file afterwards.
    copy_fresh(province, trial)
    killed_inside("sync-import-before-commit", "--db", trial, "sync", "import", bundle)
    assert rows(trial, "SELECT count(*) FROM person") == 0
    assert rows(trial, "SELECT count(*) FROM sync_bundle WHERE direction = 'in'") == 0
    rng = random.Random(4)
    killed = 0
    for n in range(KILLS):
        shutil.copyfile(province, trial)
        for side in ("-wal", "-shm"):
            Path(f"{trial}{side}").unlink(missing_ok=True)
        killed += kill_at(rng.uniform(0.2, full_time), "--db", trial, "sync", "import", bundle)
        found = rows(trial, "SELECT count(*) FROM person")
        logged = rows(trial, "SELECT count(*) FROM sync_bundle WHERE direction = 'in'")
        assert (found, logged) in ((0, 0), (people, 1)), (n, found, logged)
    assert killed >= KILLS // 2  # most kills landed while it was working


def test_sigkill_during_excel_import_and_migration(tmp_path, template_file):
    import openpyxl

    db = tmp_path / "xa.sqlite"
    shutil.copyfile(template_file, db)
    assert start("--db", db, "demo", "--people", "50").wait(timeout=300) == 0
    before = rows(db, "SELECT count(*) FROM person")
    sheet = tmp_path / "ds.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["STT", "Họ và tên", "Năm sinh", "Giới tính", "Dân tộc"])
    for n in range(1500):
        wb.active.append([n + 1, f"Lò Thị Kill {n}", 1950 + n % 50, "Nữ", "Thái"])
    wb.save(sheet)
    trial = tmp_path / "trial.sqlite"
    shutil.copyfile(db, trial)
    full_time = timed("--db", trial, "people", "import", sheet)
    assert rows(trial, "SELECT count(*) FROM person") == before + 1500
    copy_fresh(db, trial)
    killed_inside("people-import-before-commit", "--db", trial, "people", "import", sheet)
    assert rows(trial, "SELECT count(*) FROM person") == before
    rng = random.Random(5)
    for n in range(8):
        shutil.copyfile(db, trial)
        kill_at(rng.uniform(0.3, full_time), "--db", trial, "people", "import", sheet)
        assert rows(trial, "SELECT count(*) FROM person") in (before, before + 1500), n

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "schema_0001.sqlite"
    old = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, old)
    counting = sqlite3.connect(old)  # closed: copy_fresh removes its -shm below
    people = counting.execute("SELECT count(*) FROM person").fetchone()[0]
    counting.close()
    migrate_time = timed("--db", old, "stats")
    copy_fresh(fixture, old)
    killed_inside("migrate-before-commit", "--db", old, "stats")
    connection = sqlite3.connect(old)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    connection.close()
    for n in range(8):
        shutil.copyfile(fixture, old)
        kill_at(rng.uniform(0.05, migrate_time), "--db", old, "stats")
        connection = sqlite3.connect(old)
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert revision in ("0001", SCHEMA_HEAD), n  # all steps, or none
        connection.close()
        assert rows(old, "SELECT count(*) FROM person") == people  # and it upgrades next time
