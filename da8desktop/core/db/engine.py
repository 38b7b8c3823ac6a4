"""The one engine factory: SQLite pragmas on every connection, the same path for PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


# Every SQLite connection's settings (the benchmark's baseline uses the same):
SQLITE_PRAGMAS = (
    "foreign_keys = ON",
    # WAL survives power loss without corrupting; FULL fsyncs each commit so a saved record is
    # on disk when the officer sees "saved" (data safety beats a few ms).
    "journal_mode = WAL",
    "synchronous = FULL",
    # 32 MB of page cache instead of SQLite's 2 MB: a province file grows to gigabytes, and an
    # import inserts into its indexes at scattered places (docs/performance.md, P1/P2).
    "cache_size = -32768",
)


def sqlite_url(path: Path | str) -> str:
    return f"sqlite:///{Path(path)}"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)

    # hide_parameters: an error's text never quotes a record's values (they reach crash.log).
    engine = create_engine(url, connect_args={"timeout": 10}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001, ANN202 - DBAPI callback
        # Take transaction control from the sqlite3 module so that we can BEGIN IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            if pragma != "journal_mode = WAL" or parsed.database not in (None, "", ":memory:"):
                cursor.execute(f"PRAGMA {pragma}")
        cursor.execute("PRAGMA busy_timeout = 10000")
        # Freed content is overwritten with zeros: erased personal data leaves the file.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001, ANN202 - SQLAlchemy callback
        # Writers take the write lock up front: two writers never deadlock on lock upgrade.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine
