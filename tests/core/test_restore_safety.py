"""A data file that goes back in time (issue #18, item 3): an older copy put over it by hand, or a
`backup restore` killed half-way. Nothing is lost, the officer is told, and the next start never
finds a new empty file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from da8desktop.core.db import backup_files
from da8desktop.core.db.backup import backup_sqlite, contents, create_backup, list_backups
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Person
from da8desktop.core.domain import Role
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.site import _token_file, identity, set_up_installation
from tests.core.sync_world import COMMUNE_A, dump

pytestmark = pytest.mark.sqlite_only  # files copied by hand and processes killed: SQLite only


def add_person(db, name):
    return PeopleService(db).create(full_name=name, sex="F", birth_year=1990).id


def get(db, model, row_id):
    with db.read() as session:
        return session.get(model, row_id)


def copy_back(world, name: str, older: Path) -> Database:
    """What an officer does in File Explorer: the application closed, an older file copied over
    the data file."""
    db = world.dbs[name]
    db.close()
    if backup_files.is_compressed(older):  # a backup: decompressed first (7-Zip, zstd)
        backup_files.decompress(older, db.file)
    else:
        shutil.copyfile(older, db.file)
    for suffix in ("-wal", "-shm"):
        Path(f"{db.file}{suffix}").unlink(missing_ok=True)
    world.dbs[name] = Database.open(db.file)
    return world.dbs[name]


def lost_timeline(world):
    """A1 sends Hoa, is backed up, then sends a phone number and Tiến: the province has both."""
    a1 = world.dbs["A1"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    older = backup_sqlite(a1.file, "manual")
    PeopleService(a1).update(hoa, phone="0911111111")
    tien = add_person(a1, "Quàng Văn Tiến")
    world.round()
    return hoa, tien, older


def converged(world, hoa, tien, lan):
    a1, p = world.dbs["A1"], world.dbs["P"]
    assert get(p, Person, hoa).note == "after the copy" and get(p, Person, lan) is not None
    assert get(a1, Person, hoa).phone == "0911111111" and get(a1, Person, tien) is not None
    assert dump(a1, COMMUNE_A) == dump(p, COMMUNE_A)


def test_a_copy_put_back_by_hand_is_recognised_at_open_and_nothing_is_lost(world):
    hoa, tien, older = lost_timeline(world)
    before = identity(world.dbs["A1"]).site_id
    a1 = copy_back(world, "A1", older)
    assert identity(a1).site_id != before  # it writes as a new computer
    assert any("older copy was put in its place" in n for n in a1.notices)
    PeopleService(a1).update(hoa, note="after the copy")
    lan = add_person(a1, "Lò Thị Lan")
    world.round()
    world.round()
    converged(world, hoa, tien, lan)


def test_a_copy_put_back_unseen_at_open_is_recognised_by_the_provinces_receipt(world):
    import json

    from da8desktop.core.db.models import Installation

    hoa, tien, older = lost_timeline(world)
    a1 = world.dbs["A1"]
    before = identity(a1).site_id
    with a1.read() as session:  # the record an earlier version wrote: the path only
        record = _token_file(session.get(Installation, 1).install_token)
    record.write_text(json.dumps({"path": str(a1.file.resolve())}), "utf-8")
    a1 = copy_back(world, "A1", older)
    assert identity(a1).site_id == before and a1.notices == []  # cannot be seen at open
    PeopleService(a1).update(hoa, note="after the copy")  # re-uses a number the province saw
    lan = add_person(a1, "Lò Thị Lan")
    for path in world.send("A1"):
        world.receive("P", path)
    [back] = world.send("P", "A1")
    from da8desktop.core.sync.importer import import_file

    preview = import_file(a1, back, dry_run=True)  # the preview says it and changes nothing
    assert "went back in time" in preview.message and identity(a1).site_id == before
    report = world.receive("A1", back)
    assert report.status == "applied" and "went back in time" in report.message
    assert identity(a1).site_id != before
    world.round()
    world.round()
    converged(world, hoa, tien, lan)


# -- a kill during `backup restore` ---------------------------------------------------------------
def _people(path: Path) -> int:
    db = Database.open(path)
    try:
        with db.read() as session:
            return session.query(Person).count()
    finally:
        db.close()


@pytest.fixture
def restorable(db_file):
    """A commune file with two people in a backup and three now."""
    db = Database.open(db_file)
    set_up_installation(db, Role.COMMUNE, "11", "03325")
    add_person(db, "Lò Thị Hoa")
    add_person(db, "Quàng Văn Tiến")
    db.close()
    create_backup(db_file, "manual")
    db = Database.open(db_file)
    add_person(db, "Lò Thị Lan")
    db.close()
    return db_file


@pytest.mark.parametrize("point, people, word", [
    ("restore-after-copy", 3, None),
    ("restore-after-aside", 3, "put back as it was"),
    ("restore-after-replace", 2, "has now been finished"),
])
def test_a_kill_during_backup_restore_never_leaves_an_empty_file(restorable, point, people,
                                                                 word):
    [backup] = list_backups(restorable)
    env = {**os.environ, "DA8_FAULT": point}  # the test hook in core/db/backup.py
    killed = subprocess.run([sys.executable, "-m", "da8desktop", "--db", str(restorable),
                             "backup", "restore", backup.name], env=env,
                            capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr  # it really died at that point
    after = subprocess.run([sys.executable, "-m", "da8desktop", "--lang", "en", "--db",
                            str(restorable), "people", "list"],
                           capture_output=True, text=True, timeout=300)
    assert after.returncode == 0 and "Lò Thị Hoa" in after.stdout  # never a new empty file
    assert (word is None and after.stderr == "") or word in after.stderr  # and it is told
    db = Database.open(restorable)
    try:
        assert db.notices == []  # finished or undone once, not again at every start
    finally:
        db.close()
    assert _people(restorable) == people
    leftovers = [p.name for p in restorable.parent.iterdir() if ".restore-" in p.name]
    assert leftovers == []
    kept = [b for b in list_backups(restorable) if b.reason == "before-restore"]
    assert len(kept) == (1 if point == "restore-after-replace" else 0)
    if kept:
        assert _people(kept[0].path) == 3  # the file in use before the restore is kept


def test_a_restore_that_is_not_interrupted_keeps_the_previous_file(restorable):
    from da8desktop.cli.main import main

    [backup] = list_backups(restorable)
    assert main(["--db", str(restorable), "backup", "restore", backup.name]) == 0
    assert _people(restorable) == 2
    [kept] = [b for b in list_backups(restorable) if b.reason == "before-restore"]
    assert contents(kept.path).people == 3  # kept compressed, like any backup
