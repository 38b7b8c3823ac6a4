"""Issue 23: the restore point before a sync import is a plain, whole backup, made without
compressing, so the merge begins at once; it is compressed after the import
(`backup.compress_waiting_backups`: by the Sync page in the background, by `sync import` after
its report, at the next start for one an interrupted session left). A crash or a full disk while
it is compressed leaves the plain backup listed and restorable; never a half file."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
import stat
import sys

import pytest

from da8desktop.core.db import backup_files
from da8desktop.core.db.backup import (compress_waiting_backups, contents, daily_backup_if_due,
                                       list_backups, restore_backup)
from da8desktop.core.paths import backup_dir_for
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.prepared import commit_prepared, prepare_paths

pytestmark = pytest.mark.sqlite_only  # the restore point is a backup of the SQLite file


def _names(path) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {n for (n,) in connection.execute("SELECT full_name FROM person")}
    finally:
        connection.close()


def _import(world) -> object:
    """The officer's import at the province: the preview, then its commit."""
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    [done] = commit_prepared(province, prepare_paths(province, [path]))
    assert done.status == "applied", done.message
    return province.file


def _leftovers(file) -> list[str]:
    return sorted(p.name for p in backup_dir_for(file).iterdir()
                  if p.name.endswith((".part", ".peek", "-journal")))


def _is_private(path) -> bool:
    return sys.platform == "win32" or stat.S_IMODE(os.stat(path).st_mode) & 0o077 == 0


def test_the_restore_point_is_plain_after_the_import_then_compressed_unchanged(world,
                                                                                tmp_path):
    file = _import(world)
    [point] = [b for b in list_backups(file) if b.reason == "before-sync-import"]
    assert not point.compressed and point.name.endswith("-before-sync-import.sqlite")
    assert _is_private(point.path) and _leftovers(file) == []
    # Restorable as it is, right after the import: the file as it was before it.
    assert "Lò Thị Hoa" in _names(file) and "Lò Thị Hoa" not in _names(point.path)
    held = contents(point.path)
    plain_bytes = point.path.read_bytes()
    restored = tmp_path / "restored" / "province.sqlite"
    restored.parent.mkdir()
    restore_backup(restored, point)
    assert "Lò Thị Hoa" not in _names(restored) and _names(restored) == _names(point.path)

    [compressed] = compress_waiting_backups(file)
    assert compressed == point.path.with_name(point.name + ".zst")
    assert not point.path.exists()
    [listed] = [b for b in list_backups(file) if b.reason == "before-sync-import"]
    assert listed.compressed and listed.path == compressed and listed.created == point.created
    assert _is_private(compressed) and _is_private(backup_files.about_path(compressed))
    assert backup_files.read_about(compressed) is not None  # listed without decompressing
    assert contents(compressed) == held
    unpacked = tmp_path / "unpacked.sqlite"
    backup_files.decompress(compressed, unpacked)
    assert unpacked.read_bytes() == plain_bytes  # the very file the restore point was
    assert _leftovers(file) == []
    assert compress_waiting_backups(file) == []  # nothing left to do


def test_a_full_disk_while_compressing_leaves_the_plain_restore_point(world, tmp_path,
                                                                      monkeypatch):
    file = _import(world)
    before = list_backups(file)
    [point] = [b for b in before if b.reason == "before-sync-import"]
    compress = backup_files.compress

    def disk_fills(source, target):
        with target.open("wb") as out:  # half written, then the disk is full
            out.write(source.read_bytes()[:4096])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_files, "compress", disk_fills)
    assert compress_waiting_backups(file) == []  # nothing lost: tried again later
    assert list_backups(file) == before  # still listed, plain, nothing half under its name
    assert _leftovers(file) == []
    assert not point.path.with_name(point.name + ".zst").exists()
    assert not backup_files.about_path(point.path.with_name(point.name + ".zst")).exists()
    restored = tmp_path / "restored" / "province.sqlite"
    restored.parent.mkdir()
    restore_backup(restored, point)
    assert _names(restored) == _names(point.path) and "Lò Thị Hoa" not in _names(restored)

    monkeypatch.setattr(backup_files, "compress", compress)  # space again: the next try
    [compressed] = compress_waiting_backups(file)
    assert not point.path.exists() and contents(compressed).people == contents(restored).people


def test_a_compression_cut_short_is_finished_by_the_next(world, monkeypatch):
    """Killed after the compressed backup was renamed into place but before the plain one
    went, or killed while writing (its .part and note left behind): the next call ends with
    one compressed backup, nothing else."""
    file = _import(world)
    [point] = [b for b in list_backups(file) if b.reason == "before-sync-import"]
    plain_bytes = point.path.read_bytes()
    [compressed] = compress_waiting_backups(file)
    point.path.write_bytes(plain_bytes)  # as if killed before the plain one was removed
    assert len([b for b in list_backups(file) if b.reason == "before-sync-import"]) == 2
    packed = compressed.read_bytes()
    assert compress_waiting_backups(file) == [compressed]
    assert not point.path.exists() and compressed.read_bytes() == packed

    # Killed while writing: a .part and a note, no compressed backup yet.
    compressed.unlink()
    point.path.write_bytes(plain_bytes)
    (compressed.parent / (compressed.name + ".part")).write_bytes(packed[:100])
    assert compress_waiting_backups(file) == [compressed]
    assert _leftovers(file) == [] and not point.path.exists()
    # A .part whose backup is gone (rotated meanwhile) is removed too.
    stray = compressed.parent / f"{file.stem}-20200101-000000-000000-before-sync-import.sqlite.zst"
    (stray.parent / (stray.name + ".part")).write_bytes(b"cut")
    backup_files.about_path(stray).write_text("{}")
    compress_waiting_backups(file)
    assert _leftovers(file) == [] and not backup_files.about_path(stray).exists()


def test_the_daily_backup_at_start_compresses_a_restore_point_left_plain(world):
    """The application was closed before the background compression ended."""
    file = _import(world)
    assert any(not b.compressed for b in list_backups(file))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    daily_backup_if_due(file, tomorrow)
    backups = list_backups(file)
    assert sorted(b.reason for b in backups) == ["before-sync-import", "daily"]
    assert all(b.compressed for b in backups) and _leftovers(file) == []


def test_a_restore_point_compressed_since_it_was_listed_is_restored(world, tmp_path):
    """The officer chose it in the list while it was still plain; the background compression
    ended before the restore began."""
    file = _import(world)
    [point] = [b for b in list_backups(file) if b.reason == "before-sync-import"]
    names = _names(point.path)
    compress_waiting_backups(file)
    restored = tmp_path / "restored" / "province.sqlite"
    restored.parent.mkdir()
    restore_backup(restored, point)
    assert _names(restored) == names and "Lò Thị Hoa" not in names
