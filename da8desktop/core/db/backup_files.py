"""How a backup is stored: a SQLite file compressed with zstd (issue 23: about 5.7× smaller at
the province), streamed in 1 MB pieces so memory stays bounded whatever the file's size, with a
small note beside it (`<backup>.about`) of what it holds and how big the file was, so that a
listing does not decompress every backup. Backups made before compression are plain SQLite files
and are still read as they are."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import zstandard

from da8desktop.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from da8desktop.core.db.backup_about import About

ZST = ".zst"
ABOUT = ".about"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FRAME_HEADER_MAX = 18  # the zstd format's largest frame header
CHUNK = 1 << 20
LEVEL = 3  # zstd's default: ~2 s/GB on one core here; higher levels cost far more time than bytes
# On every core: a backup made while the officer waits (daily, by hand, before an Excel import
# or an upgrade) is compressed while the officer waits (a 111 MB province file: 3.3-3.6 s on one
# core, 1.8 s on two, under load; the same frame format and declared size, so any reader, the
# previous version's included, decompresses it). The restore point before a sync import is
# compressed after the import (backup.compress_waiting_backups).
THREADS = -1
MAX_ABOUT = 4096
# A truthful bomb (a frame that honestly declares 20 GB of zeros) is refused by bound before it
# is written out: a real data file compresses about 6× (docs/performance.md), nowhere near
# MAX_RATIO; small files are never refused by the ratio; the disk must hold what is declared.
MAX_RATIO = 200
RATIO_FLOOR = 256 << 20
DISK_RESERVE = 64 << 20
SQLITE_HEADER = b"SQLite format 3\x00"

TOO_BIG = QT_TRANSLATE_NOOP(
    "Backup", "it says it holds {size} MB, far more than a data file compressed into {packed} MB "
    "can be (a damaged or crafted file)")
NO_ROOM = QT_TRANSLATE_NOOP(
    "Backup", "it needs {size} MB free on the disk and {free} MB are free; free some space first")
NOT_DATA = QT_TRANSLATE_NOOP("Backup", "it does not hold a da8desktop data file")


def is_compressed(path: Path) -> bool:
    return path.name.endswith(ZST)


def about_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ABOUT)


def compress(source: Path, target: Path) -> None:
    """Stream `source` into `target` (zstd), synced to disk before it is used."""
    compressor = zstandard.ZstdCompressor(level=LEVEL, threads=THREADS)
    with source.open("rb") as reader, target.open("wb") as writer:
        compressor.copy_stream(reader, writer, size=source.stat().st_size, read_size=CHUNK,
                               write_size=CHUNK)
        writer.flush()
        os.fsync(writer.fileno())


class _Bounded:
    """A writer that refuses more bytes than the frame declared (a crafted small file must not
    fill the disk), and a stream that does not begin as a SQLite file whose own header gives
    the declared size (zeros, another file) at its first megabyte."""

    def __init__(self, writer: BinaryIO, limit: int) -> None:
        self.writer, self.limit, self.written = writer, limit, 0
        self.head = b""

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise ValueError("the compressed backup holds more than it declares")
        if len(self.head) < 100:
            self.head += data[:100 - len(self.head)]
            if len(self.head) >= 100 or self.written == self.limit:
                _check_header(self.head, self.limit)
        return self.writer.write(data)


def _check_header(head: bytes, declared: int) -> None:
    if not head.startswith(SQLITE_HEADER) or len(head) < 100:
        raise ValueError(NOT_DATA.render())
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    size_is_valid = head[24:28] == head[92:96] and pages > 0
    if size_is_valid and declared != page_size * pages:
        raise ValueError(NOT_DATA.render())


def _check_bounds(source: Path, target: Path, declared: int) -> None:
    packed = source.stat().st_size
    if declared > max(RATIO_FLOOR, MAX_RATIO * packed):
        raise ValueError(TOO_BIG.render(size=declared >> 20, packed=max(1, packed >> 20)))
    try:
        free = shutil.disk_usage(target.parent).free
    except OSError:
        return  # the write itself will say what is wrong with the disk
    if declared + DISK_RESERVE > free:
        raise ValueError(NO_ROOM.render(size=(declared >> 20) + 1, free=free >> 20))


def decompress(source: Path, target: Path) -> None:
    """Stream a compressed backup into a plain file. ValueError when it is not a whole zstd
    stream (a cut copy, another file renamed), or when what it declares is beyond bound (see
    MAX_RATIO) before anything is written. zstd's stream copy stops quietly where a cut file
    ends, so the size the frame declares (compress() always writes it) must be met exactly."""
    with source.open("rb") as reader:
        head = reader.read(FRAME_HEADER_MAX)
        if head[:4] != ZSTD_MAGIC:
            raise ValueError("not a compressed backup")
        try:
            declared = zstandard.get_frame_parameters(head).content_size
        except zstandard.ZstdError as exc:
            raise ValueError(f"the compressed backup is damaged ({exc})") from exc
        if declared == zstandard.CONTENTSIZE_UNKNOWN:
            raise ValueError("the compressed backup does not say its size")
        _check_bounds(source, target, declared)
        reader.seek(0)
        try:
            with target.open("wb") as writer:
                bounded = _Bounded(writer, declared)
                zstandard.ZstdDecompressor().copy_stream(reader, bounded,  # type: ignore[arg-type]
                                                         read_size=CHUNK,
                                                         write_size=CHUNK)
                if bounded.written != declared:
                    raise ValueError("the compressed backup is cut short")
                writer.flush()
                os.fsync(writer.fileno())
        except zstandard.ZstdError as exc:
            raise ValueError(f"the compressed backup is damaged ({exc})") from exc


def write_about(backup: Path, about: About) -> None:
    about_path(backup).write_text(about.model_dump_json(by_alias=True), encoding="utf-8")


def read_about(backup: Path) -> About | None:
    from pydantic import ValidationError

    from da8desktop.core.db.backup_about import About

    path = about_path(backup)
    try:
        if path.stat().st_size > MAX_ABOUT:
            return None
        return About.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ValidationError):
        return None


def remove_backup_file(backup: Path) -> None:
    for side in (backup, about_path(backup), *(Path(f"{backup}{s}") for s in ("-wal", "-shm"))):
        side.unlink(missing_ok=True)
