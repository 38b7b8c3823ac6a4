"""Backups: online copies, rotation, what a backup holds, restore with a new site identity,
and damaged files caught at open."""

import datetime as dt
import shutil
import sqlite3

import pytest

from da8desktop.core.db.backup import (contents, create_backup, daily_backup_if_due, list_backups,
                                       restore_backup, rotate)
from da8desktop.core.db.database import Database
from da8desktop.core.errors import DatabaseDamaged
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.site import identity


@pytest.mark.sqlite_only  # a SQLite file on disk
def test_backup_holds_the_data_and_restore_mints_a_new_site(commune_db):
    db = commune_db
    PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1985)
    first = create_backup(db.file)
    assert contents(first.path).people == 1 and first.reason == "manual"
    PeopleService(db).create(full_name="Lò Văn Tiến", sex="M", birth_year=1979)
    site_before = identity(db).site_id
    db.close()
    kept = restore_backup(db.file, first)
    assert kept.exists() and contents(kept).people == 2  # the file before restore is kept
    again = Database.open(db.file)
    assert [p.full_name for p in PeopleService(again).list()] == ["Lò Thị Hoa"]
    assert identity(again).site_id != site_before  # a restored file is a new site (sync.md §2)
    PeopleService(again).create(full_name="Giàng A Páo", sex="M", birth_year=1990)  # still writable
    again.close()


def test_rotation_keeps_the_last_ten_and_one_per_month(db_file):
    """The rules alone (the size bound off: these are eleven uncompressed copies)."""
    folder = db_file.parent / "backups"
    folder.mkdir()
    stamps = [dt.datetime(2026, 1, 5, 8), dt.datetime(2026, 1, 20, 8)] + [
        dt.datetime(2026, 3, day, 8) for day in range(1, 16)]
    for stamp in stamps:
        shutil.copyfile(db_file, folder / f"{db_file.stem}-{stamp:%Y%m%d-%H%M%S-%f}-daily.sqlite")
    removed = rotate(db_file, limit=None)
    left = {b.created for b in list_backups(db_file)}
    assert dt.datetime(2026, 1, 20, 8) in left  # newest of January
    assert dt.datetime(2026, 1, 5, 8) not in left
    assert len(left) == 11 and len(removed) == len(stamps) - 11


def test_daily_backup_once_a_day(db_file):
    assert daily_backup_if_due(db_file, dt.date.today()) is not None
    assert daily_backup_if_due(db_file, dt.date.today()) is None
    assert len(list_backups(db_file)) == 1


@pytest.mark.sqlite_only  # a SQLite file on disk
def test_a_damaged_file_is_detected_and_left_alone(commune_db, tmp_path):
    for i in range(50):
        PeopleService(commune_db).create(full_name=f"Lò Thị Hoa {i}", sex="F", birth_year=1985)
    commune_db.close()
    damaged = tmp_path / "damaged.sqlite"
    shutil.copyfile(commune_db.file, damaged)
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(page * 3, len(data), page * 2):  # scribble over page headers
        data[offset:offset + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    before = damaged.read_bytes()
    with pytest.raises(DatabaseDamaged) as caught:
        Database.open(damaged)
    assert "backup restore --latest" in caught.value.message()
    assert damaged.read_bytes() == before


def test_an_unreadable_backup_is_not_restored(db_file):
    info = create_backup(db_file)
    info.path.write_bytes(b"garbage" * 100)
    from da8desktop.core.errors import UserFacingError

    with pytest.raises(UserFacingError):
        restore_backup(db_file, info)
    assert sqlite3.connect(db_file).execute("SELECT count(*) FROM admin_unit").fetchone()[0] > 0
