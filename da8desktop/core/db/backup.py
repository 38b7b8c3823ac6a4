"""Backups of a SQLite data file: made with SQLite's online backup API (never a file copy of a
live database), compressed with zstd (backup_files.py), kept beside the file in backups/, rotated
within a size budget (backup_rotation.py), listed with what they contain, and restored with a new
site identity (sync.md §2: a restored file must not pretend to be the installation it was copied
from)."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from da8desktop.core import atomic_write
from da8desktop.core.db import backup_files, backup_rotation
from da8desktop.core.db.backup_files import ZST, is_compressed
from da8desktop.core.disk_errors import disk_error, remove_quietly, sqlite_disk_error
from da8desktop.core.errors import UserFacingError
from da8desktop.core.faults import fault as _fault
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.paths import backup_dir_for
from da8desktop.core.private_files import make_private

if TYPE_CHECKING:
    from da8desktop.core.db.backup_about import About

KEEP_LAST = backup_rotation.KEEP_LAST
PARTIAL = ".part"  # a backup being written; never listed, removed when the write fails
PEEK = ".peek"  # a compressed backup opened to read what it holds; never listed
# Making, compressing, rotating and scrubbing (backup_scrub.py) backups one at a time in this
# process: the compression of a restore point runs in the background (gui/pages/sync.py) and
# must not race a new backup's rotation (on Windows a file being read cannot be removed) nor an
# erasure rewriting the plain backup it reads.
BACKUPS_LOCK = threading.RLock()
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[\w.-]+)\.sqlite(?P<zst>\.zst)?$")


def _now() -> dt.datetime:
    return dt.datetime.now()  # one place, so a test can live through a year of backups


@dataclass(frozen=True)
class BackupInfo:
    name: str
    path: Path
    created: dt.datetime
    reason: str
    size_bytes: int
    compressed: bool = False


@dataclass(frozen=True)
class BackupContents:
    schema: str | None
    people: int
    groups: int
    activities: int
    organisation: str | None


def backup_sqlite(database_file: Path, reason: str, *, compress: bool = True) -> Path:
    """Copy a live SQLite database with the online backup API into backups/ beside it, then
    compress the copy. Both are written under .part names and the backup is renamed when
    complete: a full disk or a pulled stick leaves no half backup under a backup's name (the
    .part files are removed; listings never show one). The folder is rotated before (room for
    the copy and the compressed backup) and after.

    Without `compress`, the plain copy itself is the backup (`NAME.sqlite`), and it waits for
    `compress_waiting_backups` (issue 23: the restore point before an import, compressed after
    the import, outside the officer's wait). Room was made for both before, so the folder stays
    within its bound while it waits; after, only the rules rotate (the size bound at rest would
    count the waiting copy whole and remove backups that fit once it is compressed). A plain
    restore point of the same reason still waiting (its session was cut short, and neither the
    caller nor the daily backup at start has compressed it yet) is compressed first, so that
    one at most waits: the room made for the next one does not go to old copies."""
    from da8desktop.core.db.database import on_read_only_media, read_only_media

    if on_read_only_media(database_file):
        raise read_only_media(database_file)
    folder = backup_dir_for(database_file)
    stamp = _now().strftime("%Y%m%d-%H%M%S-%f")
    plain = folder / f"{database_file.stem}-{stamp}-{reason}.sqlite"
    target = plain.with_name(plain.name + ZST) if compress else plain
    raw = atomic_write.part_of(plain)
    partial = atomic_write.part_of(target)
    with BACKUPS_LOCK:
        if not compress:
            compress_waiting_backups(database_file, reason)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            rotate(database_file, room_for_a_backup=True)
            if compress:
                _copy(database_file, raw)
                about = _about(raw)
                with atomic_write.atomic_path(target, translate=False) as partial:
                    backup_files.compress(raw, partial)
                    make_private(partial)
                remove_quietly(raw)
                if about is not None:
                    backup_files.write_about(target, about)
                    make_private(backup_files.about_path(target))
            else:
                with atomic_write.atomic_path(target, translate=False) as partial:
                    _copy(database_file, partial)
                    make_private(partial)
        except (OSError, sqlite3.Error, ValueError) as exc:
            for leftover in (raw, *(Path(f"{raw}{side}") for side in ("-journal", "-wal", "-shm")),
                             partial):
                remove_quietly(leftover)
            if isinstance(exc, OSError):
                raise disk_error(exc, partial) from exc
            raise (sqlite_disk_error(exc, partial) if isinstance(exc, sqlite3.Error) else None) \
                or UserFacingError(QT_TRANSLATE_NOOP(
                    "Backup", "The backup could not be made: {reason}. Nothing was changed."),
                    reason=str(exc)) from exc
        rotate(database_file, limit=backup_rotation.AT_REST if compress else None)
    return target


def compress_waiting_backups(database_file: Path, reason: str | None = None) -> list[Path]:
    """Compress every plain backup of this file (a restore point made before a sync import,
    a file set aside by a restore that could not be compressed then, a backup of a version
    before compression) into `NAME.sqlite.zst` with its note, then rotate. Returns the
    compressed backups. Each is written under a .part name, synced and renamed into place
    before the plain one is removed: a crash or a full disk at any moment leaves the plain
    backup listed and restorable (never a half file under a backup's name); a failure is left
    for the next call (after the next import, at the next start) — nothing lost, only space.
    A damaged file kept with its WAL beside it stays as it is. `reason`: only the plain
    backups made for it."""
    with BACKUPS_LOCK:
        _remove_leftovers(database_file)
    done: list[Path] = []
    for backup in reversed(list_backups(database_file)):  # the oldest first, as they were made
        if backup.compressed or reason not in (None, backup.reason):
            continue
        with BACKUPS_LOCK:
            compressed = _compress_waiting(backup.path)
        if compressed is not None:
            done.append(compressed)
    if done:
        with BACKUPS_LOCK:
            rotate(database_file)
    return done


def _remove_leftovers(database_file: Path) -> None:
    """What a compression cut short by the end of the process left (it runs in the background,
    and quitting does not wait for it): its .part, and a note whose backup never came. Called
    with the lock held: no backup of this process is being written meanwhile."""
    folder = backup_dir_for(database_file)
    if not folder.is_dir():
        return
    for path in folder.glob(f"{database_file.stem}-*.sqlite{ZST}*"):
        name = path.name
        if name.endswith(f"{ZST}{PARTIAL}"):
            backup = path.with_name(name[:-len(PARTIAL)])
        elif name.endswith(f"{ZST}{backup_files.ABOUT}"):
            backup = path.with_name(name[:-len(backup_files.ABOUT)])
            if backup.exists():
                continue
        else:
            continue
        match = _NAME.match(backup.name)
        if match and match["stem"] == database_file.stem:
            remove_quietly(path)


def _compress_waiting(plain: Path) -> Path | None:
    if not plain.exists() or any(Path(f"{plain}{side}").exists() for side in ("-wal", "-journal")):
        return None  # rotated meanwhile, or a damaged file kept as it was found
    target = plain.with_name(plain.name + ZST)
    if target.exists():  # renamed into place whole, then interrupted before the plain went
        _remove_plain(plain)
        return target
    partial = atomic_write.part_of(target)
    note = backup_files.about_path(target)
    try:
        about = _about(plain)
        if about is not None:  # before the rename: a listed compressed backup has its note
            backup_files.write_about(target, about)
            make_private(note)
        with atomic_write.atomic_path(target, translate=False) as partial:
            backup_files.compress(plain, partial)
            make_private(partial)
    except (OSError, sqlite3.Error, ValueError):
        remove_quietly(partial)
        remove_quietly(note)
        return None  # the plain backup stays, listed and restorable
    _remove_plain(plain)
    return target


def _remove_plain(plain: Path) -> None:
    try:
        plain.unlink(missing_ok=True)
    except OSError:
        pass  # in use (a restore reading it, on Windows): the next call removes it


def _copy(source_file: Path, target_file: Path) -> None:
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target_file)
        try:
            source.backup(destination)
            # The copy takes the source's WAL mode: back to a lone file, no -wal/-shm left over
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
    finally:
        source.close()


def _about(plain_copy: Path) -> About | None:
    from da8desktop.core.db.backup_about import About

    try:
        held = _read_contents(plain_copy)
    except sqlite3.DatabaseError:
        return None
    return About(schema=held.schema, people=held.people, groups=held.groups,
                 activities=held.activities, organisation=held.organisation,
                 source_bytes=plain_copy.stat().st_size)


def data_bytes(database_file: Path) -> int:
    """The data file as a backup copies it: the file and the changes still in its WAL."""
    return sum(Path(f"{database_file}{side}").stat().st_size
               for side in ("", "-wal") if Path(f"{database_file}{side}").exists())


def folder_bytes(database_file: Path) -> int:
    """Everything in the backup folder (for the Settings page and the size bound)."""
    folder = backup_dir_for(database_file)
    if not folder.is_dir():
        return 0
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


@dataclass(frozen=True)
class BackupSpace:
    folder_bytes: int  # every backup together
    data_bytes: int
    free_bytes: int  # on the disk holding the backups
    needed_bytes: int  # what the next backup needs while it is written

    @property
    def short(self) -> bool:
        return self.free_bytes < self.needed_bytes


def backup_space(database_file: Path) -> BackupSpace:
    """What the backups take and whether the disk has room for the next one: a backup writes a
    plain copy of the file before compressing it, so it needs about the file's size free."""
    import shutil

    data = data_bytes(database_file) if database_file.exists() else 0
    folder = backup_dir_for(database_file)
    try:
        free = shutil.disk_usage(folder if folder.is_dir() else database_file.parent).free
    except OSError:
        free = 0
    return BackupSpace(folder_bytes(database_file), data, free, int(data * 1.3) + (50 << 20))


def list_backups(database_file: Path) -> list[BackupInfo]:
    """Newest first."""
    folder = backup_dir_for(database_file)
    found = []
    for path in folder.glob(f"{database_file.stem}-*.sqlite*") if folder.is_dir() else []:
        match = _NAME.match(path.name)
        if match and match["stem"] == database_file.stem:
            created = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
            found.append(BackupInfo(path.name, path, created, match["reason"], path.stat().st_size,
                                    bool(match["zst"])))
    return sorted(found, key=lambda b: b.created, reverse=True)


def contents(backup: Path) -> BackupContents:
    """What a backup holds, read without changing it (for the restore preview). A compressed
    backup answers from the note beside it, or is decompressed beside itself to be read."""
    if is_compressed(backup):
        about = backup_files.read_about(backup)
        if about is not None and backup.exists():
            return BackupContents(about.schema_version, about.people, about.groups,
                                  about.activities, about.organisation)
        peek = backup.with_name(backup.name + PEEK)
        try:
            backup_files.decompress(backup, peek)
            return contents(peek)
        except OSError as exc:
            raise disk_error(exc, backup) from exc
        except ValueError as exc:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Backup", "The backup {name} cannot be read: {reason}"),
                name=backup.name, reason=str(exc)) from exc
        finally:
            remove_quietly(peek)
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
    try:
        return _read_contents(backup)
    except sqlite3.DatabaseError as exc:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Backup", "The backup {name} cannot be read: {reason}"),
            name=backup.name, reason=str(exc)) from exc


def _read_contents(plain: Path) -> BackupContents:
    connection = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        count = lambda table: connection.execute(  # noqa: E731
            f"SELECT count(*) FROM {table} WHERE deleted = 0").fetchone()[0]
        schema = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        org = connection.execute("SELECT organisation_name FROM installation").fetchone()
        return BackupContents(schema[0] if schema else None, count("person"),
                              count("community_group"), count("activity"), org[0] if org else None)
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


def rotate(database_file: Path, keep_last: int = KEEP_LAST,
           limit: float | None = backup_rotation.AT_REST,
           room_for_a_backup: bool = False) -> list[Path]:
    """Remove the backups the rules of backup_rotation.py do not keep. `limit`: the backups at
    rest, in data files (None: no size bound). `room_for_a_backup`: trimmed further so that the
    plain copy a backup writes and the new compressed backup fit within LIMIT."""
    with BACKUPS_LOCK:
        return _rotate(database_file, keep_last, limit, room_for_a_backup)


def _rotate(database_file: Path, keep_last: int, limit: float | None,
            room_for_a_backup: bool) -> list[Path]:
    backups = list_backups(database_file)
    budget = None
    if limit is not None:
        # The bound follows the biggest file the backups hold, not only the file now in place: a
        # new, nearly empty file at this path must not make the backups of the real data go.
        size = max([data_bytes(database_file) if database_file.exists() else 0,
                    *(_source_bytes(b) for b in backups)])
        budget = int(limit * size)
        if room_for_a_backup:
            budget = int(backup_rotation.LIMIT * size) - size - _expected_backup_bytes(
                backups, size)
    removed = [b.path for b in backup_rotation.to_remove(backups, budget, keep_last)]
    for path in removed:
        backup_files.remove_backup_file(path)
    return removed


def _source_bytes(backup: BackupInfo) -> int:
    if not backup.compressed:
        return backup.size_bytes
    about = backup_files.read_about(backup.path)
    return about.source_bytes if about is not None else 0


def _expected_backup_bytes(backups: list[BackupInfo], size: int) -> int:
    """The size of the next compressed backup: the newest compressed one's ratio (10 % margin),
    or the whole file when none tells."""
    for backup in backups:
        about = backup_files.read_about(backup.path) if backup.compressed else None
        if about is not None and about.source_bytes:
            return int(size * min(1.0, 1.1 * backup.size_bytes / about.source_bytes))
    return size


def create_backup(database_file: Path, reason: str = "manual") -> BackupInfo:
    path = backup_sqlite(database_file, reason)
    rotate(database_file)
    return next(b for b in list_backups(database_file) if b.path == path)


def daily_backup_if_due(database_file: Path, today: dt.date | None = None) -> BackupInfo | None:
    """Once a day, at the first start: nothing to do if a backup of today exists. First, the
    restore point an interrupted session left plain (the application closed, or the disk was
    full, before it was compressed) is compressed."""
    compress_waiting_backups(database_file)
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
    stamp = _now().strftime("%Y%m%d-%H%M%S-%f")
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
    (the next open finishes or undoes the restore), never a new empty file. A plain backup
    compressed since it was listed (compress_waiting_backups) is restored from its compressed
    form."""
    with BACKUPS_LOCK:  # the backup is not compressed or rotated away while it is read
        packed = backup.path.with_name(backup.name + ZST)
        if not backup.compressed and not backup.path.exists() and packed.exists():
            backup = BackupInfo(packed.name, packed, backup.created, backup.reason,
                                packed.stat().st_size, compressed=True)
        return _restore(database_file, backup)


def _restore(database_file: Path, backup: BackupInfo) -> Path:
    contents(backup.path)  # refuses an unreadable backup before anything changes
    part = _part(database_file)
    part.unlink(missing_ok=True)
    if backup.compressed:
        try:
            backup_files.decompress(backup.path, part)
        except (OSError, ValueError) as exc:
            remove_quietly(part)
            raise (disk_error(exc, part) if isinstance(exc, OSError) else UserFacingError(
                QT_TRANSLATE_NOOP("Backup", "The backup {name} cannot be read: {reason}"),
                name=backup.name, reason=str(exc))) from exc
        contents(part)  # the stream held a whole data file, not only a valid zstd frame
    else:
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
        kept = _move_aside(database_file, "before-restore", source=aside)
        return _compress_kept(database_file, kept)
    return backup.path


def _compress_kept(database_file: Path, kept: Path) -> Path:
    """The file set aside by a restore, compressed like any backup once it is safely in
    backups/ (a damaged file keeps its WAL beside it and stays as it is)."""
    if Path(f"{kept}-wal").exists():
        return kept
    target = kept.with_name(kept.name + ZST)
    partial = atomic_write.part_of(target)
    try:
        about = _about(kept)
        with atomic_write.atomic_path(target, translate=False) as partial:
            backup_files.compress(kept, partial)
            make_private(partial)
        if about is not None:
            backup_files.write_about(target, about)
            make_private(backup_files.about_path(target))
    except OSError:
        remove_quietly(partial)
        return kept  # kept uncompressed: nothing lost, only space
    kept.unlink(missing_ok=True)
    rotate(database_file)
    return target


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
