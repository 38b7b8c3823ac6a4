"""How a backup is stored: a SQLite file compressed with zstd (issue 23: about 5.7× smaller at
the province), streamed in 1 MB pieces so memory stays bounded whatever the file's size, with a
small note beside it (`<backup>.about`) of what it holds and how big the file was, so that a
listing does not decompress every backup. Backups made before compression are plain SQLite files
and are still read as they are."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import BinaryIO

import zstandard
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ZST = ".zst"
ABOUT = ".about"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FRAME_HEADER_MAX = 18  # the zstd format's largest frame header
CHUNK = 1 << 20
LEVEL = 3  # zstd's default: ~2 s/GB on one core here; higher levels cost far more time than bytes
MAX_ABOUT = 4096


class About(BaseModel):
    """The note beside a compressed backup. Local, but read as hostile as anything: typed and
    bounded, and ignored (the backup is read instead) when it is not what is expected."""
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    schema_version: str | None = Field(default=None, max_length=64, alias="schema")
    people: int = Field(ge=0, le=10**9)
    groups: int = Field(ge=0, le=10**9)
    activities: int = Field(ge=0, le=10**9)
    organisation: str | None = Field(default=None, max_length=500)
    source_bytes: int = Field(ge=0, le=1 << 50)


def is_compressed(path: Path) -> bool:
    return path.name.endswith(ZST)


def about_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ABOUT)


def compress(source: Path, target: Path) -> None:
    """Stream `source` into `target` (zstd), synced to disk before it is used."""
    compressor = zstandard.ZstdCompressor(level=LEVEL)
    with source.open("rb") as reader, target.open("wb") as writer:
        compressor.copy_stream(reader, writer, size=source.stat().st_size, read_size=CHUNK,
                               write_size=CHUNK)
        writer.flush()
        os.fsync(writer.fileno())


class _Bounded:
    """A writer that refuses more bytes than the frame declared (a crafted small file must not
    fill the disk)."""

    def __init__(self, writer: BinaryIO, limit: int) -> None:
        self.writer, self.limit, self.written = writer, limit, 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        if self.written > self.limit:
            raise ValueError("the compressed backup holds more than it declares")
        return self.writer.write(data)


def decompress(source: Path, target: Path) -> None:
    """Stream a compressed backup into a plain file. ValueError when it is not a whole zstd
    stream (a cut copy, another file renamed). zstd's stream copy stops quietly where a cut file
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
