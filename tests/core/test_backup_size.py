"""Issue 23 item 2: backups sized to the file. Compressed with zstd, restore points before imports
counted in the rotation, monthly copies capped, and the backup folder within 3× the data file at
any time, also while a backup is being written."""

import datetime as dt
import shutil
import sqlite3

import pytest

from da8desktop.core.db import backup, backup_files, backup_rotation
from da8desktop.core.db.backup import (backup_sqlite, compress_waiting_backups, contents,
                                       create_backup, daily_backup_if_due, data_bytes,
                                       folder_bytes, list_backups, restore_backup)
from da8desktop.core.db.database import Database
from da8desktop.core.paths import backup_dir_for
from da8desktop.core.services.people import PeopleService


def test_a_backup_is_compressed_and_restored_directly(demo_db_file):
    made = create_backup(demo_db_file)
    assert made.compressed and made.path.name.endswith(".sqlite.zst")
    assert made.size_bytes * 3 < data_bytes(demo_db_file)
    assert made.path.read_bytes()[:4] == backup_files.ZSTD_MAGIC
    people = contents(made.path).people
    assert people > 0
    db = Database.open(demo_db_file)
    PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1985)
    db.close()
    kept = restore_backup(demo_db_file, made)
    assert kept.name.endswith(".zst") and contents(kept).people == people + 1
    with sqlite3.connect(demo_db_file) as restored:
        assert restored.execute("SELECT count(*) FROM person WHERE deleted = 0").fetchone()[0] \
            == people
    assert not [p for p in backup_dir_for(demo_db_file).iterdir()
                if p.name.endswith((".part", ".peek"))]


def test_contents_without_the_note_reads_the_backup_itself(demo_db_file):
    made = create_backup(demo_db_file)
    expected = contents(made.path)
    backup_files.about_path(made.path).write_text('{"people": -1}')  # not a valid note
    assert contents(made.path) == expected


def test_an_old_uncompressed_backup_is_listed_and_restored(db_file):
    folder = backup_dir_for(db_file)
    folder.mkdir()
    old = folder / f"{db_file.stem}-20250105-080000-000000-daily.sqlite"
    shutil.copyfile(db_file, old)
    [listed] = list_backups(db_file)
    assert listed.path == old and not listed.compressed
    kept = restore_backup(db_file, listed)
    assert kept.exists() and old.exists()


def test_a_damaged_compressed_backup_is_refused_before_anything_changes(db_file):
    made = create_backup(db_file)
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])
    backup_files.about_path(made.path).unlink()
    from da8desktop.core.errors import UserFacingError

    before = db_file.read_bytes()
    with pytest.raises(UserFacingError):
        restore_backup(db_file, made)
    assert db_file.read_bytes() == before


def test_ten_import_sessions_and_a_year_of_months_stay_within_three_times_the_file(
        demo_db_file, monkeypatch):
    clock = [dt.datetime(2026, 1, 1, 8)]
    monkeypatch.setattr(backup, "_now", lambda: clock[0])
    peaks: list[float] = []
    compress = backup_files.compress

    def measured(source, target):
        compress(source, target)
        peaks.append(folder_bytes(demo_db_file) / data_bytes(demo_db_file))

    monkeypatch.setattr(backup_files, "compress", measured)

    def check() -> None:
        assert folder_bytes(demo_db_file) <= 3 * data_bytes(demo_db_file)
        kinds = [b.reason for b in list_backups(demo_db_file)]
        assert kinds.count("before-sync-import") <= backup_rotation.KEEP_RESTORE_POINTS

    db = Database.open(demo_db_file)
    for session in range(10):  # ten import sessions in the first days, each growing the file
        clock[0] += dt.timedelta(hours=5)
        backup_sqlite(demo_db_file, "before-sync-import")
        for i in range(20):
            PeopleService(db).create(full_name=f"Lò Thị Hoa {session} {i}", sex="F",
                                     birth_year=1985)
        check()
    db.close()
    for month in range(12):  # a year of daily backups, one start a week
        for week in range(4):
            clock[0] = dt.datetime(2026, 1 + month, 2 + 7 * week, 8)
            daily_backup_if_due(demo_db_file, clock[0].date())
            check()
    backups = list_backups(demo_db_file)
    assert max(peaks) <= 3, peaks
    assert all(b.compressed for b in backups)
    assert backups[0].created == dt.datetime(2026, 12, 23, 8)  # the newest is always kept
    months = {(b.created.year, b.created.month) for b in backups}
    assert len(months) <= backup_rotation.KEEP_MONTHS
    assert len(backups) <= backup_rotation.KEEP_LAST + backup_rotation.KEEP_MONTHS + 2
    files = sorted(p.name for p in backup_dir_for(demo_db_file).iterdir())
    assert len(files) == 2 * len(backups)  # each backup and its note, nothing left over


def test_plain_restore_points_waiting_to_be_compressed_stay_within_three_times_the_file(
        demo_db_file, monkeypatch):
    """The restore point before a sync import is written plain and compressed after the
    import; one session in three is interrupted before that (compressed only after the next
    session). The room made before each backup (the plain copy and the compressed backup)
    keeps the folder within the bound while a plain restore point waits; one left waiting is
    compressed before the next is made."""
    clock = [dt.datetime(2026, 1, 1, 8)]
    monkeypatch.setattr(backup, "_now", lambda: clock[0])
    peaks: list[float] = []
    compress = backup_files.compress

    def measure() -> None:
        peaks.append(folder_bytes(demo_db_file) / data_bytes(demo_db_file))

    def measured(source, target):
        compress(source, target)
        measure()  # the fullest: the plain copy and the whole compressed one side by side

    monkeypatch.setattr(backup_files, "compress", measured)
    for month in range(24):  # two years of backups before: the folder full at rest (2×)
        clock[0] = dt.datetime(2024 + month // 12, 1 + month % 12, 3, 8)
        create_backup(demo_db_file, "daily")
    assert folder_bytes(demo_db_file) > 1.8 * data_bytes(demo_db_file)
    db = Database.open(demo_db_file)
    for session in range(10):
        clock[0] = dt.datetime(2026, 1, 1, 8) + dt.timedelta(hours=5 * session)
        backup_sqlite(demo_db_file, "before-sync-import", compress=False)
        measure()  # the plain restore point waits while the import runs
        for i in range(20):
            PeopleService(db).create(full_name=f"Lò Thị Hoa {session} {i}", sex="F",
                                     birth_year=1985)
        if session % 3 != 2:  # else interrupted: compressed after the next session
            compress_waiting_backups(demo_db_file)
        measure()
        assert sum(not b.compressed for b in list_backups(demo_db_file)) <= 1
    db.close()
    compress_waiting_backups(demo_db_file)
    backups = list_backups(demo_db_file)
    assert max(peaks) <= 3, peaks
    assert all(b.compressed for b in backups)
    assert [b.reason for b in backups].count("before-sync-import") == 2
    files = sorted(p.name for p in backup_dir_for(demo_db_file).iterdir())
    assert len(files) == 2 * len(backups)  # each backup and its note, nothing left over


def test_restore_points_count_in_the_rotation(db_file):
    for _ in range(5):
        backup_sqlite(db_file, "before-sync-import")
    backup_sqlite(db_file, "before-excel-import")
    points = [b for b in list_backups(db_file) if b.reason.startswith("before-")]
    assert [b.reason for b in points] == ["before-excel-import", "before-sync-import"]


def test_the_size_bound_removes_the_oldest_monthly_copies_first():
    class B:
        def __init__(self, created: dt.datetime, reason: str = "daily") -> None:
            self.created, self.reason, self.size_bytes = created, reason, 100

    backups = sorted([B(dt.datetime(2026, m, 1)) for m in range(1, 13)]
                     + [B(dt.datetime(2026, 12, 2), "before-sync-import")],
                     key=lambda b: b.created, reverse=True)
    assert backup_rotation.to_remove(backups, None) == []
    removed = backup_rotation.to_remove(backups, 500)
    assert {b.created.month for b in removed} == set(range(1, 9))


def test_a_new_small_file_in_place_of_the_data_does_not_rotate_its_backups_away(demo_db_file,
                                                                                 db_file):
    """An officer's file replaced by a smaller one (moved away by mistake, a new file made in
    its place): its first daily backup must not remove the real data's backups for their size."""
    folder = backup_dir_for(db_file)
    folder.mkdir()
    made = create_backup(demo_db_file)
    for month in range(1, 10):  # nine monthly copies of the real (bigger) data
        name = f"{db_file.stem}-2026{month:02d}01-080000-000000-daily.sqlite.zst"
        shutil.copyfile(made.path, folder / name)
        shutil.copyfile(backup_files.about_path(made.path), backup_files.about_path(folder / name))
    held = sum(b.size_bytes for b in list_backups(db_file))
    assert held > 2 * data_bytes(db_file) - made.size_bytes  # too much for the small file alone
    create_backup(db_file, "daily")
    assert len(list_backups(db_file)) == 10  # the real data's backups are all still there
