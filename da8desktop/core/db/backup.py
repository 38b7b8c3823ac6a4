"""Backups of a SQLite data file: made with SQLite's online backup API (never a file copy of a
live database), kept beside the file in backups/, rotated (the last 10 plus the newest of each
month), listed with what they contain, and restored with a new site identity (sync.md §2: a
restored file must not pretend to be the installation it was copied from)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from da8desktop.core.disk_errors import disk_error, remove_quietly, sqlite_disk_error
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.paths import backup_dir_for

KEEP_LAST = 10
PARTIAL = ".part"  # a backup being written; never listed, removed when the write fails
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[\w.-]+)\.sqlite$")


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created: dt.datetime
    reason: str
    size_bytes: int


@dataclass(frozen=True)
class BackupContents:
    schema: str | None
    people: int
    groups: int
    activities: int
    organisation: str | None


def backup_sqlite(database_file: Path, reason: str) -> Path:
    """Copy a live SQLite database with the online backup API into backups/ beside it. It is
    written as NAME.part and renamed when complete: a full disk or a pulled stick leaves no
    half backup under a backup's name (the .part is removed; listings never show one)."""
    from da8desktop.core.db.database import on_read_only_media, read_only_media

    if on_read_only_media(database_file):
        raise read_only_media(database_file)
    folder = backup_dir_for(database_file)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    partial = target.with_name(target.name + PARTIAL)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(database_file, partial)
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        remove_quietly(partial)
        remove_quietly(Path(f"{partial}-journal"))
        if isinstance(exc, OSError):
            raise disk_error(exc, partial) from exc
        raise (sqlite_disk_error(exc, partial) or UserFacingError(QT_TRANSLATE_NOOP(
            "Backup", "The backup could not be made: {reason}. Nothing was changed."),
            reason=str(exc))) from exc
    return target


def _copy(source_file: Path, target_file: Path) -> None:
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target_file)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def list_backups(database_file: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = backup_dir_for(database_file)
    found = []
    for path in folder.glob(f"{database_file.stem}-*.sqlite") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if match and match["stem"] == database_file.stem:
            created = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
            found.append(BackupInfo(path.name, path, created, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda b: b.created, reverse=True)


def contents(backup: Path) -> BackupContents:
    """What a backup holds, read without changing it (for the restore preview)."""
    try:  # a half-copied or foreign file is refused before SQLite (or a restore) touches it
        with backup.open("rb") as handle:
            is_sqlite = handle.read(16) == b"SQLite format 3\x00"
    except OSError as exc:
        raise disk_error(exc, backup) from exc
    if not is_sqlite:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Backup", "The backup {name} cannot be read: {reason}"),
            name=backup.name, reason=QT_TRANSLATE_NOOP(
                "Backup", "it is not a da8desktop data file").render())
    connection = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        count = lambda table: connection.execute(  # noqa: E731
            f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
        schema = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        org = connection.execute("SELECT organisation_name FROM installation").fetchone()
        return BackupContents(schema[0] if schema else None, count("person"),
                              count("community_group"), count("activity"), org[0] if org else None)
    except sqlite3.DatabaseError as exc:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Backup", "The backup {name} cannot be read: {reason}"),
            name=backup.name, reason=str(exc)) from exc
    finally:
        connection.close()


def newest_readable_backup(database_file: Path) -> BackupInfo | None:
    for info in list_backups(database_file):
        try:
            contents(info.path)
        except UserFacingError:
            continue
        return info
    return None


def rotate(database_file: Path, keep_last: int = KEEP_LAST) -> list[Path]:
    """Keep the newest `keep_last` backups and the newest one of every month; remove the rest."""
    backups = list_backups(database_file)
    keep = {b.path for b in backups[:keep_last]}
    newest_of_month: dict[tuple[int, int], BackupInfo] = {}
    for backup in backups:
        newest_of_month.setdefault((backup.created.year, backup.created.month), backup)
    keep |= {b.path for b in newest_of_month.values()}
    removed = [b.path for b in backups if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def create_backup(database_file: Path, reason: str = "manual") -> BackupInfo:
    path = backup_sqlite(database_file, reason)
    rotate(database_file)
    return next(b for b in list_backups(database_file) if b.path == path)


def daily_backup_if_due(database_file: Path, today: dt.date | None = None) -> BackupInfo | None:
    """Once a day, at the first start: nothing to do if a backup of today exists."""
    day = today or dt.date.today()
    if any(b.created.date() == day for b in list_backups(database_file)):
        return None
    return create_backup(database_file, "daily")


def _move_aside(database_file: Path, reason: str) -> Path:
    """Move a closed data file (and its WAL) into backups/: works for a damaged file too, which
    the backup API could not read. Nothing is ever deleted."""
    folder = backup_dir_for(database_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    database_file.replace(target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{database_file}{suffix}")
        if side.exists():
            side.replace(Path(f"{target}{suffix}"))
    return target


def restore_backup(database_file: Path, backup: BackupInfo) -> Path:
    """Put a backup in place of the data file (the current file is kept aside as a backup
    first, never deleted), then give the restored file a new site identity. The data file must
    not be open elsewhere."""
    contents(backup.path)  # refuses an unreadable backup before anything changes
    kept = _move_aside(database_file, "before-restore") if database_file.exists() else None
    _copy(backup.path, database_file)
    connection = sqlite3.connect(database_file)
    try:
        with connection:
            # A new install token: the next open sees a file that is not the one this computer
            # knew, and mints a new site id (core/services/site.ensure_own_site_id).
            connection.execute("UPDATE installation SET install_token = ?", (secrets.token_hex(16),))
    finally:
        connection.close()
    return kept or backup.path
