"""Erasure reaches the backups (issue 18 item 4): every backup beside the data file that still
holds an erased person is rewritten with the same erasure, or removed when it cannot be.

A backup is rewritten on a copy (`<name>.scrub-tmp`, never listed as a backup): the erased
values are overwritten with secure_delete on, the search index is merged (its old segments
dropped), the file is VACUUMed so no free page keeps old bytes, then it atomically replaces the
backup. Both the site that erases (services/redact.py) and a site that receives an erasure by
sync (sync/importer.py) call `scrub_backups`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from da8desktop.core import atomic_write
from da8desktop.core.db import backup_files, search_index
from da8desktop.core.db.backup import BACKUPS_LOCK, list_backups
from da8desktop.core.db.backup_about import About
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Person
from da8desktop.core.private_files import make_private

TMP_SUFFIX = ".scrub-tmp"
ERASED_LABEL = "—"
SEARCH_TABLE = search_index.TABLE
MIN_NEEDLE = 4  # shorter values (a given name "An") would scrub far more than the person


@dataclass(frozen=True)
class ScrubResult:
    cleaned: int = 0  # backups rewritten without the erased people
    dropped: int = 0  # backups removed because they could not be rewritten


def scrub_backups(db: Database, person_ids: Iterable[uuid.UUID],
                  needles: Iterable[str] = ()) -> ScrubResult:
    """Erase these people from every backup of `db`'s file. `needles` are the values the
    caller knew (the erased name, CCCD, phone…); each backup adds the values it holds itself."""
    ids = sorted(set(person_ids))
    if not ids or db.file is None:
        return ScrubResult()
    return scrub_backups_of_file(db.file, ids, needles)


def scrub_backups_of_file(database_file: Path, person_ids: list[uuid.UUID],
                          needles: Iterable[str] = ()) -> ScrubResult:
    with BACKUPS_LOCK:  # not while a restore point is compressed in the background
        return _scrub_backups_of_file(database_file, person_ids, needles)


def _scrub_backups_of_file(database_file: Path, person_ids: list[uuid.UUID],
                           needles: Iterable[str]) -> ScrubResult:
    given = {n for n in needles if n and len(n) >= MIN_NEEDLE}
    folder = database_file.parent / "backups"
    for stale in folder.glob(f"*{TMP_SUFFIX}*") if folder.is_dir() else []:
        stale.unlink(missing_ok=True)  # a rewrite killed half-way: it holds the old values
    cleaned = dropped = 0
    for info in list_backups(database_file):
        try:
            if _scrub_one(info.path, person_ids, given):
                cleaned += 1
        except (sqlite3.Error, OSError, ValueError):
            _remove(info.path)
            _remove(_tmp(info.path))
            dropped += 1
    return ScrubResult(cleaned, dropped)


def _tmp(path: Path) -> Path:
    return path.with_name(path.name + TMP_SUFFIX)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", backup_files.ABOUT):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _scrub_compressed(path: Path, person_ids: list[uuid.UUID], given: set[str]) -> bool:
    """A compressed backup is decompressed beside itself (under the scrub's temporary name,
    removed at the next scrub if this one is killed), scrubbed as a plain one, compressed
    again and put in place with one rename; its note is rewritten from the clean copy."""
    plain = _tmp(path).with_name(_tmp(path).name + ".sqlite")
    _remove(plain)
    try:
        backup_files.decompress(path, plain)
        if not _scrub_plain(plain, person_ids, given, replace=False):
            return False
        clean = _tmp(path)
        backup_files.compress(plain, clean)
        make_private(clean)
        about = backup_files.read_about(path)
        atomic_write.replace(clean, path, flush=True)
        if about is not None:
            backup_files.write_about(path, About.model_validate(
                {**about.model_dump(by_alias=True), **_counts(plain)}))
        return True
    finally:
        _remove(plain)
        _remove(_tmp(path))


def _counts(plain: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        return {name: connection.execute(f"SELECT count(*) FROM {table} WHERE deleted = 0")
                .fetchone()[0] for name, table in (("people", "person"),
                                                    ("groups", "community_group"),
                                                    ("activities", "activity"))}
    finally:
        connection.close()


def _scrub_one(path: Path, person_ids: list[uuid.UUID], given: set[str]) -> bool:
    """Rewrite one backup if it holds any of these people; False when it holds none. Raises
    (sqlite3.Error, OSError, ValueError) when the backup cannot be rewritten safely."""
    if backup_files.is_compressed(path):
        return _scrub_compressed(path, person_ids, given)
    return _scrub_plain(path, person_ids, given, replace=True)


def _scrub_plain(path: Path, person_ids: list[uuid.UUID], given: set[str],
                 replace: bool) -> bool:
    """`replace`: rewrite on a copy that then replaces the file; otherwise (a temporary plain
    copy of a compressed backup) in place."""
    # A backup keeps the format of its day: ids as hex text before migration 0013, 16 bytes
    # after. Both forms are looked for (SQLite compares text and bytes as different values).
    hexes: list[str | bytes] = [*(i.hex for i in person_ids), *(i.bytes for i in person_ids)]
    keys = [str(i) for i in person_ids]
    if not _holds(path, hexes, keys, given):
        return False
    tmp = _tmp(path) if replace else path
    if replace:
        _remove(tmp)
        shutil.copyfile(path, tmp)
        for suffix in ("-wal",):  # a file moved aside after a crash may keep its WAL beside it
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{tmp}{suffix}")
    connection = sqlite3.connect(tmp, isolation_level=None)
    try:
        connection.execute("PRAGMA secure_delete = ON")
        needles = given | _values_held(connection, hexes)
        connection.execute("BEGIN IMMEDIATE")
        _erase(connection, hexes, keys, needles)
        connection.execute("COMMIT")
        if _has_table(connection, SEARCH_TABLE):
            connection.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('optimize')")
        connection.execute("VACUUM")
        if _has_table(connection, SEARCH_TABLE):
            _keep_index_in_step(connection)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    _check_clean(tmp, hexes)
    if not replace:
        return True
    make_private(tmp)
    # the backup is either the old file or the clean one, never half
    atomic_write.replace(tmp, path, flush=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return True


def _keep_index_in_step(connection: sqlite3.Connection) -> None:
    """VACUUM may renumber the person rows the search index points to: rebuild it then, so a
    restored backup searches right (the index holds no text of its own)."""
    try:
        connection.execute(search_index.check_statement())
    except sqlite3.DatabaseError:
        for statement in search_index.repair_statements():
            connection.execute(statement)


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() \
        is not None


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}


def _marks(count: int) -> str:
    return ",".join("?" * count)


def _holds(path: Path, hexes: list[str | bytes], keys: list[str], given: set[str]) -> bool:
    """Whether the backup still holds anything of these people (read only)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        erased = " AND ".join(f"{name} IS ?" for name in Person.ERASED
                              if name in _columns(connection, "person"))
        values = [v for name, v in Person.ERASED.items() if name in _columns(connection, "person")]
        if connection.execute(f"SELECT 1 FROM person WHERE id IN ({_marks(len(hexes))}) "
                              f"AND NOT ({erased})", [*hexes, *values]).fetchone():
            return True
        if _has_table(connection, "audit_log") and connection.execute(
                f"SELECT 1 FROM audit_log WHERE entity = 'person' AND entity_id IN "
                f"({_marks(len(keys))}) AND summary != ?", [*keys, ERASED_LABEL]).fetchone():
            return True
        if _has_table(connection, "sync_conflict") and connection.execute(
                f"SELECT 1 FROM sync_conflict WHERE table_name = 'person' AND row_id IN "
                f"({_marks(len(hexes))})", hexes).fetchone():
            return True
    except sqlite3.DatabaseError:
        # Unreadable as a database: it may still carry the bytes. Rewriting will fail and
        # the backup is removed; a file without the values is left as it is.
        data = path.read_bytes()
        return any(n.encode() in data for n in given)
    finally:
        connection.close()
    return False


def _values_held(connection: sqlite3.Connection, hexes: list[str | bytes]) -> set[str]:
    """The personal values this backup holds for the erased people (they may be older than
    the ones the data file had: a name corrected since)."""
    personal = [c for c in ("full_name", "search_key", "cccd", "phone", "guardian_name",
                            "guardian_phone", "note") if c in _columns(connection, "person")]
    found: set[str] = set()
    for row in connection.execute(f"SELECT {', '.join(personal)} FROM person WHERE id IN "
                                  f"({_marks(len(hexes))})", hexes):
        found |= {str(v) for v in row if v and len(str(v)) >= MIN_NEEDLE}
    return found


def _json_forms(needle: str) -> set[str]:
    """How a value appears inside JSON text (non-ASCII escaped by the default encoder)."""
    return {needle, json.dumps(needle)[1:-1], json.dumps(needle, ensure_ascii=False)[1:-1]}


def _erase(connection: sqlite3.Connection, hexes: list[str | bytes], keys: list[str],
           needles: set[str]) -> None:
    columns = _columns(connection, "person")
    changes = {name: value for name, value in Person.ERASED.items() if name in columns}
    changes["deleted"] = True
    if "redacted" in columns:
        changes["redacted"] = True
    connection.execute(
        f"UPDATE person SET {', '.join(f'{name} = ?' for name in changes)} "
        f"WHERE id IN ({_marks(len(hexes))})", [*changes.values(), *hexes])
    if _has_table(connection, "audit_log"):
        connection.execute(f"UPDATE audit_log SET summary = ?, details = '{{}}' WHERE "
                           f"entity = 'person' AND entity_id IN ({_marks(len(keys))})",
                           [ERASED_LABEL, *keys])
    if _has_table(connection, "sync_conflict"):
        connection.execute(f"DELETE FROM sync_conflict WHERE table_name = 'person' AND "
                           f"row_id IN ({_marks(len(hexes))})", hexes)
    # Local notes that quote the values (a merge's audit line, a refused record's label in a
    # bundle summary): the values are replaced, the rest of each note kept.
    local = {"audit_log": ("summary", "details"), "sync_bundle": ("summary", "receipt"),
             "sync_conflict": ("label", "kept_value", "lost_value")}
    for table, fields in local.items():
        if not _has_table(connection, table):
            continue
        for field in set(fields) & _columns(connection, table):
            for needle in sorted({f for n in needles for f in _json_forms(n)}, key=len,
                                 reverse=True):
                connection.execute(f"UPDATE {table} SET {field} = replace({field}, ?, ?) "
                                   f"WHERE instr({field}, ?) > 0", (needle, ERASED_LABEL, needle))


def _check_clean(path: Path, hexes: list[str | bytes]) -> None:
    """The rewritten copy must open and hold the people erased; otherwise it is not used."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise ValueError("the rewritten backup does not pass SQLite's check")
        left = connection.execute(f"SELECT count(*) FROM person WHERE id IN "
                                  f"({_marks(len(hexes))}) AND full_name != ?",
                                  [*hexes, Person.ERASED["full_name"]]).fetchone()[0]
        if left:
            raise ValueError("the rewritten backup still holds an erased person")
    finally:
        connection.close()
