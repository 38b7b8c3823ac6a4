"""A full disk, a locked stick and a stick pulled out, in plain words and with nothing
half-written left behind (issue 18, item 7)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from da8desktop.core.db import backup
from da8desktop.core.db.backup import backup_sqlite, create_backup, list_backups
from da8desktop.core.db.database import Database, StorageReadOnly
from da8desktop.core.disk_errors import DiskFull, MediaGone, ReadOnlyMedia, disk_error
from da8desktop.core.errors import DatabaseDamaged
from da8desktop.core.paths import backup_dir_for
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_count
from da8desktop.core.sync.container import write_atomically
from tests.disk_helpers import fill, make_read_only, small_disk


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("code, kind, words", [
    (errno.ENOSPC, DiskFull, "is full"), (errno.EROFS, ReadOnlyMedia, "read-only"),
    (errno.EACCES, ReadOnlyMedia, "read-only"), (errno.EIO, MediaGone, "removed")])
def test_each_disk_error_has_its_plain_message(tmp_path, code, kind, words):
    error = disk_error(OSError(code, os.strerror(code)), tmp_path / "x.xlsx")
    assert isinstance(error, kind) and words in error.message()


def test_a_full_disk_during_a_backup_leaves_no_half_backup(demo_db_file, monkeypatch):
    Database.open(demo_db_file).close()
    before = list_backups(demo_db_file)

    def half_then_full(source, target):  # SQLite's answer on a full disk
        Path(target).write_bytes(b"SQLite format 3\0" + b"\0" * 5000)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backup, "_copy", half_then_full)
    with pytest.raises(DiskFull) as full:
        backup_sqlite(demo_db_file, "before-excel-import")
    assert "full" in full.value.message()
    assert list_backups(demo_db_file) == before
    assert not [p for p in backup_dir_for(demo_db_file).iterdir() if p.name.endswith(".part")]


def test_a_backup_on_a_really_full_disk(tmp_path, demo_template_file):
    with small_disk(tmp_path / "stick", demo_template_file.stat().st_size // 1024 + 400) as stick:
        data = stick / "demo.sqlite"
        shutil.copyfile(demo_template_file, data)
        fill(stick, leave_bytes=64 * 1024)
        with pytest.raises(DiskFull):
            create_backup(data)
        assert list_backups(data) == []  # no unreadable half backup listed
        assert not list((stick / "backups").glob("*")) if (stick / "backups").exists() else True


def test_a_bundle_write_that_fails_removes_its_part(tmp_path, monkeypatch):
    def no_room(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_room)
    with pytest.raises(DiskFull):
        write_atomically(tmp_path / "bundle.da8", b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_a_bundle_write_on_a_really_full_stick(tmp_path):
    with small_disk(tmp_path / "stick", 64) as stick:
        with pytest.raises(DiskFull):
            write_atomically(stick / "bundle.da8", os.urandom(200 * 1024))
        assert list(stick.iterdir()) == []  # no 0-byte .part


def test_a_file_that_cannot_be_written_opens_read_only(demo_db_file, monkeypatch):
    """os.access says "not writable" (what a locked stick, a CD or a read-only share answer;
    root passes chmod, so this is how the test gets there): the file opens for reading, is not
    called damaged, and a write is refused with the read-only message; the file is unchanged."""
    Database.open(demo_db_file).close()
    before = digest(demo_db_file)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode & os.W_OK
                        else real_access(p, mode, **k))
    db = Database.open(demo_db_file)
    assert db.read_only and people_count(db, PeopleFilter()) > 0
    with pytest.raises(StorageReadOnly) as refused:
        PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    assert "read-only media" in refused.value.message()
    with pytest.raises(UserFacingErrorTypes):
        backup_sqlite(demo_db_file, "manual")
    db.close()
    assert digest(demo_db_file) == before


UserFacingErrorTypes = (StorageReadOnly, ReadOnlyMedia)


def test_a_file_on_a_really_read_only_file_system(tmp_path, demo_template_file):
    with small_disk(tmp_path / "cd", demo_template_file.stat().st_size // 1024 + 2048) as cd:
        shutil.copyfile(demo_template_file, cd / "demo.sqlite")
        Database.open(cd / "demo.sqlite").close()  # as it was left, with its WAL checkpointed
        make_read_only(cd)
        try:
            db = Database.open(cd / "demo.sqlite")
        except DatabaseDamaged:  # what it said before: "damaged", and offered a restore
            pytest.fail("a healthy read-only file was called damaged")
        assert db.read_only and people_count(db, PeopleFilter()) > 0
        with pytest.raises(StorageReadOnly):
            PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
        db.close()


def test_an_attachment_that_is_not_a_file_or_too_big_is_refused(db, tmp_path, monkeypatch):
    from da8desktop.core.errors import UserFacingError
    from da8desktop.core.services import attachments
    from da8desktop.core.services.attachments import add_attachment

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(UserFacingError) as refused:
        add_attachment(db, "activity", uuid.uuid4(), pipe)  # would wait forever
    assert "not an ordinary file" in refused.value.message()
    big = tmp_path / "scan.jpg"
    big.write_bytes(b"x" * 5000)
    monkeypatch.setattr(attachments, "MAX_BYTES", 4000)
    with pytest.raises(UserFacingError) as refused:
        add_attachment(db, "activity", uuid.uuid4(), big)
    assert "50 MB" in refused.value.message()


def test_an_attachment_copy_that_fails_leaves_nothing_in_the_store(db, tmp_path, monkeypatch):
    from da8desktop.core.services.attachments import add_attachment, attachments_dir

    photo = tmp_path / "photo.jpg"
    photo.write_bytes(os.urandom(3 << 20))
    real_open = Path.open

    def full_after_a_block(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if "w" in mode:
            def write(_data):
                raise OSError(errno.ENOSPC, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(Path, "open", full_after_a_block)
    with pytest.raises(DiskFull):
        add_attachment(db, "activity", uuid.uuid4(), photo)
    store = attachments_dir(db)
    assert not store.exists() or not [p for p in store.rglob("*") if p.is_file()]


def test_a_new_data_file_in_a_read_only_folder_is_refused_plainly(tmp_path, monkeypatch):
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if mode & os.W_OK
                        else real_access(p, mode, **k))
    with pytest.raises(ReadOnlyMedia):
        Database.open(tmp_path / "new.sqlite")
    assert not (tmp_path / "new.sqlite").exists()
