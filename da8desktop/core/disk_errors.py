"""What went wrong with a disk, a folder or a USB stick, in plain words (issue 18, item 7).

Every place that writes or reads a file the officer chose turns an OSError (or SQLite's own
"disk is full") into one of these, so a full stick, a locked stick, a stick pulled out or a
folder given where a file was expected is a plain message and exit code 2, never a traceback."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


class DiskFull(UserFacingError):
    pass


class ReadOnlyMedia(UserFacingError):
    pass


class MediaGone(UserFacingError):
    pass


class NotAFile(UserFacingError):
    pass


FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
GONE = {errno.ENOENT, errno.EIO, errno.ENXIO, errno.ENODEV, getattr(errno, "ESTALE", errno.EIO)}


def _folder(path: Path) -> str:
    return str(path.parent if path.suffix or not path.is_dir() else path)


def disk_error(exc: OSError, path: Path | str | None = None, suffix: str = ".xlsx"
               ) -> UserFacingError:
    """The plain message for `exc`, naming `path` (or the file the error names); `suffix` is
    the kind of file an example name suggests when a folder was given."""
    where = Path(path if path is not None else (exc.filename or "?"))
    code = exc.errno
    if code in FULL:
        return DiskFull(QT_TRANSLATE_NOOP(
            "Disk", "Not written: the disk or USB stick holding {folder} is full. Nothing "
            "half-written was left behind. Free some space (delete or move files you do not "
            "need) or use another stick, then try again."), folder=_folder(where))
    if code == errno.EISDIR or (path is not None and where.is_dir()):
        return NotAFile(QT_TRANSLATE_NOOP(
            "Disk", "{path} is a folder. Give a file name inside it, for example {example}."),
            path=str(where), example=str(where / f"danh-sach{suffix}"))
    if code in READ_ONLY:
        return ReadOnlyMedia(QT_TRANSLATE_NOOP(
            "Disk", "Cannot write to {folder}: it is read-only (a locked USB stick, a CD, or a "
            "folder you have no permission for). Choose another place, or copy the file to the "
            "computer's disk, then try again."), folder=_folder(where))
    if code == errno.ENOTDIR or (code == errno.ENOENT and not where.parent.is_dir()):
        return MediaGone(QT_TRANSLATE_NOOP(
            "Disk", "The folder for {path} does not exist (or the USB stick was removed). "
            "Choose an existing folder, or put the stick back, then try again."), path=str(where))
    if code in GONE:
        return MediaGone(QT_TRANSLATE_NOOP(
            "Disk", "{path} cannot be reached: the USB stick may have been removed or the disk "
            "has a fault. Put the stick back (or use another one) and try again."),
            path=str(where))
    if code == errno.ENAMETOOLONG:
        return NotAFile(QT_TRANSLATE_NOOP(
            "Disk", "The name {path} is too long. Choose a shorter file name or folder."),
            path=str(where))
    return UserFacingError(QT_TRANSLATE_NOOP(
        "Disk", "Cannot use {path}: {reason}. Check the disk or USB stick and try again."),
        path=str(where), reason=exc.strerror or str(exc))


def output_file(path: Path | str, suffix: str = ".xlsx") -> Path:
    """A file the officer asked us to write: refused before anything is written when it is a
    folder, a device or a pipe (writing NAME.part and renaming over `/dev/...` would replace the
    device), or when its folder does not exist."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise disk_error(IsADirectoryError(errno.EISDIR, "is a folder"), target, suffix)
    if target.exists() and not target.is_file():
        raise NotAFile(QT_TRANSLATE_NOOP(
            "Disk", "{path} is not an ordinary file. Give the name of a new file in a folder, "
            "for example {example}."), path=str(target),
            example=str(Path.home() / f"danh-sach{suffix}"))
    if not target.parent.is_dir():
        raise disk_error(FileNotFoundError(errno.ENOENT, "no folder"), target)
    return target


def sqlite_disk_error(exc: sqlite3.Error, path: Path) -> UserFacingError | None:
    """SQLite reports a full disk or a read-only place as its own errors, not as an OSError."""
    text = str(exc).lower()
    if "disk is full" in text or "disk full" in text:
        return disk_error(OSError(errno.ENOSPC, "disk full"), path)
    if "readonly" in text or "read-only" in text:
        return disk_error(OSError(errno.EROFS, "read-only"), path)
    if "disk i/o error" in text or "unable to open database file" in text:
        return disk_error(OSError(errno.EIO, "i/o error"), path)
    return None


def write_failed(path: Path) -> UserFacingError:
    """For writers that fail without saying why (Qt's PDF writer): the likely reason, from the
    place itself."""
    import os
    import shutil

    folder = Path(path).parent
    if not folder.is_dir():
        code = errno.ENOENT
    elif not os.access(folder, os.W_OK):
        code = errno.EROFS
    else:
        try:
            code = errno.ENOSPC if shutil.disk_usage(folder).free < 4 * 2**20 else errno.EIO
        except OSError:
            code = errno.EIO
    return disk_error(OSError(code, os.strerror(code)), path)


def remove_quietly(path: Path) -> None:
    """Remove a half-written file; a stick already gone leaves nothing more to do."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
