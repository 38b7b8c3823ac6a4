"""A full disk while a backup is being compressed (the second adversarial review): the copy
succeeded, the compressed file is half written when the disk fills. No file is left looking
like a backup, the backups made before are all still there and readable (rotation did not trade
them for a backup that never came), and the officer reads that the disk is full."""

import errno
from pathlib import Path

import pytest

from da8desktop.core.db import backup_files
from da8desktop.core.db.backup import backup_dir_for, backup_sqlite, contents, list_backups
from da8desktop.core.db.database import Database
from da8desktop.core.disk_errors import DiskFull


@pytest.mark.sqlite_only  # a SQLite file on disk
def test_a_disk_filling_while_the_backup_is_compressed_leaves_the_old_backups_whole(
        demo_db_file, monkeypatch):
    Database.open(demo_db_file).close()
    for reason in ("daily", "manual", "before-sync-import"):
        backup_sqlite(demo_db_file, reason)
    before = list_backups(demo_db_file)
    real_compress = backup_files.compress

    def fills_up(source: Path, target: Path) -> None:
        real_compress(source, target)  # the whole stream, then the disk is full at the end
        with Path(target).open("r+b") as half:
            half.truncate(Path(target).stat().st_size // 2)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_files, "compress", fills_up)
    with pytest.raises(DiskFull) as full:
        backup_sqlite(demo_db_file, "before-excel-import")
    assert "full" in full.value.message()
    assert [b.path for b in list_backups(demo_db_file)] == [b.path for b in before]
    for kept in before:
        assert contents(kept.path).people > 0
    leftovers = sorted(p.name for p in backup_dir_for(demo_db_file).iterdir())
    assert not [n for n in leftovers if n.endswith(".part") or "before-excel-import" in n]
