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

from da8desktop.core import atomic_write
from da8desktop.core.disk_errors import disk_error, sqlite_disk_error
from da8desktop.core.errors import UserFacingError
from da8desktop.core.faults import fault as _fault
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
    partial = atomic_write.part_of(target)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_write.atomic_path(target, translate=False) as partial:
            _copy(database_file, partial)
    except (OSError, sqlite3.Error) as exc:
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


def _move_aside(database_file: Path, reason: str, source: Path | None = None) -> Path:
    """Move a closed data file (and its WAL) into backups/: works for a damaged file too, which
    the backup API could not read. Nothing is ever deleted. `source`: the file to move when it
    is not (or no longer) at `database_file` (a file put aside by an interrupted restore)."""
    source = source or database_file
    folder = backup_dir_for(database_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    _move_with_sides(source, target)
    return target


# -- restore, safe against a kill at any moment ----------------------------------------------
# The current file is renamed to a known name beside it before the restored copy (written in
# full to a temp file) takes its place with one atomic rename; the next open finds a leftover
# aside-file and finishes or undoes the restore (finish_interrupted_restore).
ASIDE_SUFFIX = ".restore-aside"
PART_SUFFIX = ".restore-part"


def _aside(database_file: Path) -> Path:
    return Path(f"{database_file}{ASIDE_SUFFIX}")


def _part(database_file: Path) -> Path:
    return Path(f"{database_file}{PART_SUFFIX}")


def _move_with_sides(source: Path, target: Path) -> None:
    """The main file first: whoever finds it moved looks for its WAL beside it."""
    atomic_write.replace(source, target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{source}{suffix}")
        if side.exists():
            atomic_write.replace(side, Path(f"{target}{suffix}"))


def _checkpoint(database_file: Path) -> None:
    """Fold the WAL into the file so the file alone holds everything (it is closed here). A
    damaged file cannot be checkpointed: it is moved aside as it is, its WAL beside it."""
    try:
        connection = sqlite3.connect(database_file)
    except sqlite3.Error:
        return
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        pass
    finally:
        connection.close()


def restore_backup(database_file: Path, backup: BackupInfo) -> Path:
    """Put a backup in place of the data file (the current file is kept aside as a backup
    first, never deleted), then give the restored file a new site identity. The data file must
    not be open elsewhere. A kill at any moment leaves either the old file or the restored one
    (the next open finishes or undoes the restore), never a new empty file."""
    contents(backup.path)  # refuses an unreadable backup before anything changes
    part = _part(database_file)
    part.unlink(missing_ok=True)
    _copy(backup.path, part)
    connection = sqlite3.connect(part)
    try:
        with connection:
            # A new install token: the next open sees a file that is not the one this computer
            # knew, and mints a new site id (core/services/site.ensure_own_site_id).
            connection.execute("UPDATE installation SET install_token = ?", (secrets.token_hex(16),))
    finally:
        connection.close()
    _fault("restore-after-copy")
    aside = _aside(database_file)
    if database_file.exists():
        _checkpoint(database_file)
        _move_with_sides(database_file, aside)
        _fault("restore-after-aside")
    atomic_write.replace(part, database_file, flush=True)
    _fault("restore-after-replace")
    if aside.exists():
        return _move_aside(database_file, "before-restore", source=aside)
    return backup.path


RESTORE_FINISHED = QT_TRANSLATE_NOOP(
    "Backup", "A restore of a backup was interrupted after the backup was put in place; it has "
    "now been finished. The file in use before it was kept as {kept}.")
RESTORE_UNDONE = QT_TRANSLATE_NOOP(
    "Backup", "A restore of a backup was interrupted before it was complete; the data file was "
    "put back as it was, nothing is lost. Restore the backup again if you still want it.")


def finish_interrupted_restore(database_file: Path) -> str | None:
    """At open, before anything reads the file: a restore killed half-way is finished (the
    restored file is in place: the old one goes to backups/) or undone (the old file comes
    back). Returns what happened, for the officer, or None."""
    try:
        return _finish_or_undo(database_file)
    except OSError:  # read-only media: nothing can be moved; the file opens as it is
        return None


def _finish_or_undo(database_file: Path) -> str | None:
    aside, part = _aside(database_file), _part(database_file)
    if aside.exists():
        if database_file.exists():
            kept = _move_aside(database_file, "before-restore", source=aside)
            part.unlink(missing_ok=True)
            return RESTORE_FINISHED.render(kept=kept.name)
        _move_with_sides(aside, database_file)
        part.unlink(missing_ok=True)
        return RESTORE_UNDONE.render()
    if part.exists():  # killed while the copy was written: the data file was never touched
        part.unlink()
        Path(f"{part}-journal").unlink(missing_ok=True)
    return None
