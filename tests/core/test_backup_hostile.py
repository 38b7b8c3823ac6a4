"""Hostile or damaged compressed backups (adversarial review): a cut .zst is not restored."""

import sqlite3

import pytest

from da8desktop.core.db.backup import create_backup, restore_backup
from da8desktop.core.db.backup_files import about_path
from da8desktop.core.errors import UserFacingError
from da8desktop.core.services.people import PeopleService


@pytest.mark.sqlite_only  # a SQLite file on disk
@pytest.mark.parametrize("cut", [8, 300, 20_000])
def test_a_cut_compressed_backup_is_not_restored(commune_db, cut):
    """zstd's stream copy stops quietly at the end of a cut file: the restore must notice the
    frame is incomplete, not put a shortened data file in place of the officer's."""
    for i in range(400):
        PeopleService(commune_db).create(full_name=f"Lò Thị Hoa {i}", sex="F", birth_year=1985)
    commune_db.close()
    with sqlite3.connect(commune_db.file) as raw:  # the file's last pages: none the preview counts
        raw.execute("INSERT INTO setting (key, value) VALUES ('bulk', ?)",
                    ('"' + "x" * 2_000_000 + '"',))
    info = create_backup(commune_db.file)
    data = info.path.read_bytes()
    info.path.write_bytes(data[:len(data) - cut])
    about_path(info.path).unlink()  # no note: the preview decompresses too
    before = commune_db.file.read_bytes()
    with pytest.raises(UserFacingError):
        restore_backup(commune_db.file, info)
    assert commune_db.file.read_bytes() == before
    assert sqlite3.connect(commune_db.file).execute("SELECT count(*) FROM person").fetchone()[0] \
        == 400


@pytest.mark.sqlite_only  # a SQLite file on disk
def test_a_compressed_backup_holding_more_than_it_declares_is_refused(db_file, tmp_path):
    """A crafted file: a small declared size, then far more data (two frames)."""
    import zstandard

    from da8desktop.core.db.backup_files import decompress

    info = create_backup(db_file)
    plain = db_file.read_bytes()
    extra = zstandard.ZstdCompressor().compress(b"\0" * (50 << 20))
    info.path.write_bytes(info.path.read_bytes() + extra)
    with pytest.raises(ValueError):
        decompress(info.path, tmp_path / "out")
    assert (tmp_path / "out").stat().st_size <= len(plain) + (1 << 20)
