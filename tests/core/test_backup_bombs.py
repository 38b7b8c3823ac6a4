"""A truthful compression bomb given as a backup (the second adversarial review): a .zst whose
frame honestly declares 20 GB (of zeros, or of a SQLite header then zeros) put in the backups
folder. The preview and the restore refuse it by bound — from its declared size and its first
decompressed bytes — before writing it out: bounded time, bounded disk, the data file untouched."""

import shutil
import time
from pathlib import Path

import pytest
import zstandard

from da8desktop.core.db.backup import contents, create_backup, list_backups, restore_backup
from da8desktop.core.db.backup_files import about_path, decompress
from da8desktop.core.errors import UserFacingError

GB = 1 << 30
ZEROS = bytes(16 << 20)


def _honest_bomb(path: Path, size: int, head: bytes = b"") -> None:
    """A single zstd frame that says `size` and holds exactly `size` bytes."""
    compressor = zstandard.ZstdCompressor(level=1)
    with path.open("wb") as out, compressor.stream_writer(out, size=size,
                                                         closefd=False) as writer:
        writer.write(head)
        left = size - len(head)
        while left:
            piece = ZEROS[:min(left, len(ZEROS))]
            writer.write(piece)
            left -= len(piece)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    made = {}
    # A SQLite header (page size 4096) saying 20 GB of pages, then zeros: honest about itself.
    pages = (20 * GB) // 4096
    header = bytearray(b"SQLite format 3\x00" + bytes(84))
    header[16:18] = (4096).to_bytes(2, "big")
    header[18], header[19] = 1, 1
    header[24:28] = (1).to_bytes(4, "big")
    header[28:32] = pages.to_bytes(4, "big")
    header[92:96] = (1).to_bytes(4, "big")  # version-valid-for = change counter: size is valid
    for name, head in (("zeros", b""), ("sqlite", bytes(header))):
        path = folder / f"{name}.zst"
        _honest_bomb(path, 20 * GB, head)
        made[name] = path
    return made


@pytest.mark.sqlite_only  # a SQLite file on disk
@pytest.mark.parametrize("kind", ["zeros", "sqlite"])
def test_an_honest_20_gb_bomb_is_refused_by_bound_before_it_is_written(db_file, bombs, kind,
                                                                       tmp_path):
    create_backup(db_file)
    [real] = list_backups(db_file)
    bomb = real.path.with_name(real.path.name.replace("manual", "daily"))
    shutil.copyfile(bombs[kind], bomb)
    assert bomb.stat().st_size < 20 << 20  # a few megabytes on the stick
    [info] = [b for b in list_backups(db_file) if b.path == bomb]
    before = db_file.read_bytes()
    free = shutil.disk_usage(tmp_path).free
    started = time.monotonic()
    with pytest.raises(UserFacingError) as preview:
        contents(bomb)
    with pytest.raises(UserFacingError):
        restore_backup(db_file, info)
    with pytest.raises(ValueError):
        decompress(bomb, tmp_path / "out")
    elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    assert "Traceback" not in str(preview.value)
    assert db_file.read_bytes() == before
    assert not about_path(bomb).exists()
    # Nothing of it was left on the disk: the free space is what it was (give or take logs).
    assert shutil.disk_usage(tmp_path).free > free - (64 << 20)
    assert sorted(p.name for p in bomb.parent.iterdir()) == sorted(
        p.name for p in (real.path, about_path(real.path), bomb))
