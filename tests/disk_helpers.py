"""Real small or read-only file systems for the disk tests (issue 18, item 7). They need a
`mount` that works (root on Linux, as in this project's CI container); elsewhere the tests that
use them skip, and the monkeypatched tests in tests/core/test_disk_errors.py still run."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise OSError(done.stderr.strip())


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """A tmpfs of `size_kb` at `folder`: writes past it fail with ENOSPC, as on a full stick."""
    if not sys.platform.startswith("linux"):
        pytest.skip("needs a Linux tmpfs")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder))
    except OSError as exc:
        pytest.skip(f"cannot mount a small disk here: {exc}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def make_read_only(folder: Path) -> None:
    """Remount a small_disk read-only: even root cannot write (EROFS), as on a locked stick."""
    _mount("-o", "remount,ro", str(folder))


def fill(folder: Path, leave_bytes: int = 0) -> None:
    """Fill the disk at `folder`, leaving about `leave_bytes` free."""
    import os

    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize - leave_bytes
    with (folder / "filler.bin").open("wb") as handle:
        try:
            while free > 0:
                chunk = min(free, 1 << 20)
                handle.write(b"\0" * chunk)
                free -= chunk
            handle.flush()
        except OSError:
            pass
