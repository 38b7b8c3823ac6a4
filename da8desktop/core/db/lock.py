"""One writer per data file: a second copy of the application on the same file is told that
the file is already open, where and by whom, instead of two windows writing into it.

The lock is an operating-system lock on `<file>.lock` (flock on Linux/macOS, a byte-range lock on
Windows), released by the system when the process ends, even in a crash or a power cut: there is
never a stale lock to clean up by hand. The file also says who holds it, for the message."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import IO

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

_INFO_OFFSET = 64  # Windows locks byte 0; the holder's details are written after it


class AlreadyOpen(UserFacingError):
    pass


class WriterLock:
    def __init__(self, database_file: Path) -> None:
        self.path = Path(f"{database_file}.lock")
        self.database_file = database_file
        self._handle: IO[bytes] | None = None

    def acquire(self) -> "WriterLock":
        handle = open(self.path, "a+b")  # noqa: SIM115 - held for the life of the window
        if not _try_lock(handle):
            holder = _read_holder(self.path)
            handle.close()
            raise AlreadyOpen(QT_TRANSLATE_NOOP(
                "Lock", "The data file {file} is already open in another window of da8desktop "
                "(computer {host}, user {user}, since {since}). Use that window, or close it and "
                "open the file again."), file=str(self.database_file), host=holder.get("host", "?"),
                user=holder.get("user", "?"), since=holder.get("since", "?"))
        info = json.dumps({"host": socket.gethostname(), "user": _user(), "pid": os.getpid(),
                           "since": dt.datetime.now().strftime("%d/%m/%Y %H:%M")}).encode()
        handle.seek(_INFO_OFFSET)
        handle.truncate()
        handle.write(info)
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some Windows setups
        return "?"


def _read_holder(path: Path) -> dict[str, str]:
    try:
        with open(path, "rb") as handle:
            handle.seek(_INFO_OFFSET)
            return json.loads(handle.read(4096) or b"{}")
    except (OSError, ValueError):
        return {}


if sys.platform == "win32":  # pragma: no cover - exercised on Windows
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
