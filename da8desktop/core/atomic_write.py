"""The one way the application writes a file (issue 22, item 3): into NAME.part in the same
folder, flushed to the device, then renamed over NAME with os.replace, then the folder flushed
where the OS allows it. A full disk, a locked stick or a stick pulled out mid-write never leaves
a half-written file under the final name, and the .part is removed; the OSError becomes the
plain message of core/disk_errors.py. `tests/core/test_atomic_write.py` checks that no other
module renames files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART = ".part"  # readers skip it (sync inbox, backup listing): it is never a finished file


def part_of(path: Path) -> Path:
    return path.with_name(path.name + PART)


def fsync_file(path: Path) -> None:
    """Flush a file written by someone else (SQLite, openpyxl, Qt) to the device."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    """Make a rename durable. Windows cannot open a folder for fsync (NTFS journals the rename
    itself), and some file systems refuse: nothing more can be done there."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace(source: Path, target: Path, *, flush: bool = False) -> None:
    """Rename `source` over `target` (same folder or same disk) and flush the folder; with
    `flush`, the source's bytes are flushed first. Raises OSError as it comes (callers that move
    the data file itself decide what a failure means)."""
    if flush:
        fsync_file(source)
    os.replace(source, target)
    fsync_folder(Path(target).parent)


@contextmanager
def atomic_path(path: Path | str, *, suffix: str = ".xlsx",
                translate: bool = True) -> Iterator[Path]:
    """Yield NAME.part for a writer that takes a file name (openpyxl, SQLite, Qt); when the block
    ends normally it is flushed and renamed to NAME. When the block raises, the .part (and a
    SQLite -journal beside it) is removed and the error goes on, an OSError as the plain
    disk message (`suffix`: the kind of file an example name suggests) unless `translate` is
    False."""
    from da8desktop.core.disk_errors import disk_error, remove_quietly

    target = Path(path)
    part = part_of(target)
    try:
        yield part
        replace(part, target, flush=True)
    except BaseException as exc:
        remove_quietly(part)
        remove_quietly(Path(f"{part}-journal"))
        if translate and isinstance(exc, OSError):
            raise disk_error(exc, target, suffix) from exc
        raise


def write_bytes(path: Path | str, data: bytes, *, translate: bool = True) -> Path:
    target = Path(path)
    with atomic_path(target, translate=translate) as part, part.open("wb") as handle:
        handle.write(data)
    return target


def write_text(path: Path | str, text: str, *, encoding: str = "utf-8",
               translate: bool = True) -> Path:
    return write_bytes(path, text.encode(encoding), translate=translate)
