"""Opening a data file: engine, schema upgrade with backup, reference data, sessions."""

from __future__ import annotations

import contextvars
import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from da8desktop.core.db import search_index
from da8desktop.core.db.dialect import cannot_connect, check_server_database
from da8desktop.core.db.engine import make_engine, sqlite_url
from da8desktop.core.private_files import make_private
from da8desktop.core.db.migrate import MigrationResult, upgrade_to_head
from da8desktop.core.db import changes
from da8desktop.core.db.unit_of_work import UnitOfWork
from da8desktop.core.errors import DatabaseDamaged, DatabaseUnavailable
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

_current_uow: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar(
    "da8_current_uow", default=None)


class Database:
    """A migrated database. Services take one of these; widgets only ever hold it, opaque."""

    def __init__(self, url: str, engine: Engine, migration: MigrationResult) -> None:
        self.url = url
        self.engine = engine
        self.migration = migration
        self.check_pending = False  # a big file's integrity check is left to the caller
        # On read-only media (a locked stick, a CD, a folder without write permission): the
        # file is read, never written; the window shows a banner, writes are refused plainly.
        self.read_only = "mode=ro" in url or "immutable=1" in url
        # What happened at open that the officer must be told (an interrupted restore finished
        # or undone, a file put back in time): printed by the CLI, a banner in the window.
        self.notices: list[str] = []
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False)

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(cls, url_or_path: str | Path, *, seed_reference: bool = True,
             check_later: bool = False) -> "Database":
        """`check_later`: leave the integrity check to the caller whatever the file's size (the
        window shows first and checks in the background, issue 23); files above
        CHECK_AT_OPEN_LIMIT are always left to the caller."""
        url = str(url_or_path)
        if "://" not in url:
            url = sqlite_url(Path(url).expanduser().resolve())
        file = database_file(url)
        notices: list[str] = []
        if file is not None and "mode=ro" not in url and not on_read_only_media(file):
            from da8desktop.core.db.backup import finish_interrupted_restore

            # Before anything opens the file: a restore killed half-way is finished or undone.
            note = finish_interrupted_restore(file)
            if note is not None:
                notices.append(note)
        if file is not None and "mode=ro" not in url and on_read_only_media(file):
            url = f"sqlite:///file:{file}?mode=ro&uri=true"
            if not Path(f"{file}-wal").exists():  # nothing waits in a WAL: safe to skip locks
                url += "&immutable=1"
        elif file is not None:
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(QT_TRANSLATE_NOOP(
                    "Database", "Cannot create the folder {folder}: {reason}"),
                    folder=str(file.parent), reason=exc.strerror or str(exc)) from exc
        if file is not None and not file.exists() and not os.access(file.parent, os.W_OK):
            from da8desktop.core.disk_errors import disk_error  # a new file on a locked stick

            raise disk_error(OSError(errno.EROFS, "read-only"), file)
        engine = make_engine(url)
        defer = check_later
        try:
            with engine.connect() as connection:
                check_later = big = False
                if file is not None:
                    connection.execute(text("SELECT count(*) FROM sqlite_master"))
                    make_private(file)  # also a file made before files were private
                    # A quick integrity check at every open: a damaged file is caught here,
                    # before anything writes to it. It reads the whole file, so a province file
                    # of several GB is checked after the window is shown (`check_pending`).
                    big = file.exists() and file.stat().st_size > CHECK_AT_OPEN_LIMIT
                    check_later = big or (defer and file.exists())
                    problems = ["ok"] if check_later else _quick_check(connection)
                    if problems != ["ok"]:
                        engine.dispose()
                        raise DatabaseDamaged(QT_TRANSLATE_NOOP(
                            "Database", "The data file {file} is damaged ({detail}). Nothing was "
                            "changed. Restore the newest backup: the application offers it at "
                            "start, or run: da8desktop --db \"{file}\" backup restore --latest"),
                            file=str(file), detail="; ".join(problems[:3]))
                else:
                    connection.execute(text("SELECT 1"))
                    check_server_database(connection, make_url(url).render_as_string())
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            if file is not None and "mode=ro" in url and on_read_only_media(file):
                # Left open elsewhere (its WAL still beside it) on media SQLite cannot write its
                # lock file to: not damaged, only unreadable in place.
                raise read_only_media(file) from exc
            if file is not None and _is_sqlite_file(file):  # a SQLite file, but broken inside
                raise DatabaseDamaged(QT_TRANSLATE_NOOP(
                    "Database", "The data file {file} is damaged ({detail}). Nothing was "
                    "changed. Restore the newest backup: the application offers it at "
                    "start, or run: da8desktop --db \"{file}\" backup restore --latest"),
                    file=str(file), detail=str(exc.orig)) from exc
            if file is None:  # a server: it did not answer, or refused us
                raise cannot_connect(make_url(url).render_as_string(), exc) from exc
            raise DatabaseUnavailable(QT_TRANSLATE_NOOP(
                "Database", "Cannot open {location}: it is not a da8desktop data file, or it is "
                "damaged. Nothing was changed. Details: {reason}"),
                location=str(file or url), reason=str(exc.orig)) from exc
        read_only = "mode=ro" in url
        if read_only:
            migration = _read_only_schema(engine, file)
        else:
            migration = upgrade_to_head(engine, file)
        if file is not None and not big and not read_only:
            repair_search_index_if_needed(engine)
        db = cls(url, engine, migration)
        db.check_pending = check_later
        if seed_reference and not read_only:
            from da8desktop.core.reference import ensure_reference_data
            from da8desktop.core.services.site import ensure_own_site_id

            ensure_reference_data(db)
            if ensure_own_site_id(db) == "went_back":
                from da8desktop.core.sync.went_back import WENT_BACK_AT_OPEN

                notices.append(WENT_BACK_AT_OPEN.render())
        db.notices = notices
        return db

    def close(self) -> None:
        self.engine.dispose()

    def integrity_problems(self) -> list[str]:
        """What SQLite's quick check finds wrong in the file ([] when sound, or on a server)."""
        if self.file is None:
            return []
        with self.engine.connect() as connection:
            problems = _quick_check(connection)
        if problems == ["ok"]:
            repair_search_index_if_needed(self.engine)
        return [] if problems == ["ok"] else problems

    @property
    def file(self) -> Path | None:
        return database_file(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- units of work ------------------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Inside a write, it is the write's own session, so a service
        reading back what the same transaction just wrote sees it."""
        outer = _current_uow.get()
        if outer is not None:
            yield outer.session
            return
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[UnitOfWork]:
        """One transaction. Nested calls (a service calling a service, the demo loader batching
        thousands of records) join the outer one, which commits or rolls back everything."""
        outer = _current_uow.get()
        if outer is not None:
            yield outer
            return
        if self.read_only:
            raise read_only_media(self.file)
        try:
            with self._write_sessions() as session, session.begin():
                uow = UnitOfWork(session, actor)
                token = _current_uow.set(uow)
                try:
                    yield uow
                finally:
                    _current_uow.reset(token)
        except OperationalError as exc:
            plain = _storage_error(exc, self.file)
            if plain is None:
                raise
            raise plain from exc
        changes.committed(uow.changes())


# Files larger than this are checked in the background after the window shows: the check reads
# the whole file, and a 150-commune province file is 4-5 GB.
CHECK_AT_OPEN_LIMIT = 512 * 2**20


def repair_search_index_if_needed(engine: Engine) -> bool:
    """The people search index is derived from the person table; if it disagrees (another tool
    ran VACUUM, or an older copy of the index came back), it is rebuilt -- no data is involved.
    Returns whether it was rebuilt."""
    with engine.connect() as connection:
        if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?",
                                      (search_index.TABLE,)).first() is None:
            return False
        try:
            connection.exec_driver_sql(search_index.check_statement())
            return False
        except DatabaseError as exc:
            connection.rollback()
            # Only "the index disagrees" is mended here; a file opened read-only cannot run the
            # check (it is written as an INSERT) and is left as it is.
            if not getattr(exc.orig, "sqlite_errorname", "").startswith("SQLITE_CORRUPT"):
                return False
    with engine.connect().execution_options(sqlite_begin="IMMEDIATE") as connection, \
            connection.begin():
        for statement in search_index.repair_statements():
            connection.exec_driver_sql(statement)
    return True


def _quick_check(connection) -> list[str]:  # noqa: ANN001 - a SQLAlchemy connection
    return [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check")]


class StorageFull(DatabaseUnavailable):
    pass


class StorageReadOnly(DatabaseUnavailable):
    pass


def _storage_error(exc: OperationalError, file: Path | None) -> DatabaseUnavailable | None:
    """A full disk or a read-only file in plain words. The transaction was rolled back: what
    was saved before is intact, only this change is not saved."""
    text = str(exc.orig).lower()
    where = str(file.parent if file else "?")
    if "disk is full" in text or "disk full" in text:
        return StorageFull(QT_TRANSLATE_NOOP(
            "Database", "Not saved: the disk holding {folder} is full. What was saved before is "
            "safe. Free some space (delete or move files you do not need), then try again."),
            folder=where)
    if "readonly" in text or "read-only" in text:
        return StorageReadOnly(QT_TRANSLATE_NOOP(
            "Database", "Not saved: the data file in {folder} cannot be written to (a read-only "
            "folder, a locked USB stick or a file without write permission). What was saved "
            "before is safe. Copy the data folder to the computer's disk, or ask for write "
            "permission, then try again."), folder=where)
    return None


def on_read_only_media(file: Path) -> bool:
    """An existing data file this process cannot write, or whose folder it cannot write (SQLite
    needs the folder for its journal): a locked stick, a CD, a read-only share. Root passes
    permission checks but not a read-only file system."""
    if not file.exists():
        return False
    return not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK))


def read_only_media(file: Path | None) -> StorageReadOnly:
    return StorageReadOnly(QT_TRANSLATE_NOOP(
        "Database", "This data file is on read-only media ({folder}): it can be read but not "
        "changed. Copy it to the computer's disk to edit it, then open the copy."),
        folder=str(file.parent if file else "?"))


def _read_only_schema(engine: Engine, file: Path | None) -> MigrationResult:
    """A read-only file cannot be upgraded: read it only when it is already at this version."""
    from da8desktop.core.db.migrate import SCHEMA_HEAD, current_revision

    revision = current_revision(engine)
    if revision != SCHEMA_HEAD:
        engine.dispose()
        raise StorageReadOnly(QT_TRANSLATE_NOOP(
            "Database", "This data file is on read-only media ({folder}) and was made by an "
            "older version of da8desktop: it must be upgraded, which needs writing. Copy it to "
            "the computer's disk, then open the copy."), folder=str(file.parent if file else "?"))
    return MigrationResult(revision, revision, None)


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def database_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.query.get("uri") == "true" and parsed.database.startswith("file:"):
        # sqlite:///file:/path?mode=ro&uri=true: the file is /path, not a folder named "file:"
        return Path(parsed.database.removeprefix("file:"))
    return Path(parsed.database)
