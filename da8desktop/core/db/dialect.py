"""Everything that differs between SQLite (a commune laptop, a one-laptop province) and
PostgreSQL (a province server shared by several officers), in one place. Services, sync and
reports call these and never ask which database they are on.

- Ids: `BinaryUuid` columns are native `uuid` on PostgreSQL, 16-byte BLOBs on SQLite
  (core/db/column_types.py; CHAR(32) hex before migration 0013).
- Writers: SQLite takes its one write lock at BEGIN IMMEDIATE (engine.py); PostgreSQL lets
  writers run side by side, so the few rows every writer touches are locked here explicitly
  (the installation row for the site's sequence and clock; one lock per sending commune).
- Foreign keys: checked at commit during an import on both (rows of a bundle come in id order).
- Sorting: the Vietnamese sort keys are compared byte by byte; a PostgreSQL database must use
  the C collation of the libc provider, checked when it is opened (the provider, the locale
  and a probe ordering a few keys: an ICU database also says LC_COLLATE 'C').
- Upserts are not used: rows are matched by id in Python (sync/merge.py), the same on both.
"""

from __future__ import annotations

import hashlib
import operator
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Table, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from da8desktop.core.db.column_types import BinaryUuid
from da8desktop.core.errors import DatabaseUnavailable
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

BYTE_ORDER_COLLATIONS = ("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic")
# PostgreSQL 17's builtin provider: code-point order, which is byte order for UTF-8.
BYTE_ORDER_BUILTIN = ("C", "C.UTF-8")
# Strings a language collation orders differently from bytes: case, tones, the separator of
# name_sort_key (\x01), spaces and punctuation, digits.
PROBE = ("a", "B", "b", "Z", "á", "à", "ă", "â", "Đ", "đ", "ư", "ạ", "a b", "a\x01b", "ab",
         "a-b", "a\x01c", "~", "0", "Ω")


def _name(session_or_connection: Session | Connection) -> str:
    bind = session_or_connection.get_bind() if isinstance(session_or_connection, Session) \
        else session_or_connection
    return bind.dialect.name


def collation_problem(database: Mapping[str, Any], probe_order: Sequence[str] | None) -> str | None:
    """None when the database compares text byte by byte, as the sort keys need; otherwise the
    collation it really uses, named for the message. `database` is its pg_database row: an ICU
    database shows LC_COLLATE 'C' there yet sorts by ICU (datlocprovider 'i', PostgreSQL 15+).
    `probe_order` is PROBE as the database ordered it, the final word whatever the catalogue says."""
    provider = database.get("datlocprovider") or "c"  # before PostgreSQL 15: always libc
    if isinstance(provider, bytes):
        provider = provider.decode("ascii", "replace")
    collate = database.get("datcollate")
    if provider == "i":
        return f"ICU {database.get('datlocale') or database.get('daticulocale') or '?'}"
    if provider == "b":
        if database.get("datlocale") not in BYTE_ORDER_BUILTIN:
            return f"builtin {database.get('datlocale')}"
    elif provider != "c" or collate not in BYTE_ORDER_COLLATIONS:
        return str(collate)
    if probe_order is not None and list(probe_order) != sorted(PROBE, key=lambda s: s.encode()):
        return f"{collate} ({' < '.join(list(probe_order)[:4])} …)"
    return None


def check_server_database(connection: Connection, where: str) -> None:
    """Refuse, in plain words, a PostgreSQL database whose collation would sort names wrongly."""
    if connection.dialect.name != "postgresql":
        return
    database = connection.execute(text(
        "SELECT * FROM pg_database WHERE datname = current_database()")).mappings().one()
    values = ", ".join(f"(:p{i})" for i in range(len(PROBE)))
    probe = connection.execute(text(f"SELECT k FROM (VALUES {values}) AS t(k) ORDER BY k"),
                               {f"p{i}": value for i, value in enumerate(PROBE)}).scalars().all()
    problem = collation_problem(database, probe)
    if problem is not None:
        raise DatabaseUnavailable(QT_TRANSLATE_NOOP(
            "Database", "The database {location} sorts text by the rules of {collation}, which "
            "would put Vietnamese names in the wrong order. Ask the server administrator to "
            "create it with: CREATE DATABASE … TEMPLATE template0 ENCODING 'UTF8' "
            "LC_COLLATE 'C' LC_CTYPE 'C' LOCALE_PROVIDER libc (see the README, “A province "
            "server”)."), location=where, collation=problem)


def cannot_connect(where: str, exc: Exception) -> DatabaseUnavailable:
    """A server that did not answer, or refused us, in plain words."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return DatabaseUnavailable(QT_TRANSLATE_NOOP(
        "Server", "Cannot connect to {location}: {reason}. Check the server name, the user "
        "and the password, and that this computer may connect (ask the administrator)."),
        location=where, reason=reason[0] if reason else "?")


def defer_foreign_keys(session: Session) -> None:
    """Until commit, for the current transaction only."""
    if _name(session) == "sqlite":
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        session.connection().exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


def serialise(session: Session, key: str) -> None:
    """Wait for, then hold until commit, the lock named `key`. Two imports from the same commune
    take turns; imports from different communes do not wait for each other. SQLite needs
    nothing: it has one writer at a time."""
    if _name(session) != "postgresql":
        return
    number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": number})


def installation_for_update(session: Session):  # noqa: ANN201 - Installation | None
    """The installation row, read fresh and locked until commit on PostgreSQL, so two officers
    writing at once never take the same sequence number or move the clock back."""
    from da8desktop.core.db.models import Installation

    if _name(session) != "postgresql":
        return session.get(Installation, 1)
    return session.get(Installation, 1, with_for_update=True, populate_existing=True)


def reset_sequences(connection: Connection, tables: list) -> None:
    """After rows were copied in with their own numbers (a move to the server), the server's
    counters must continue after the highest one, or the next audit entry would collide."""
    if connection.dialect.name != "postgresql":
        return  # SQLite numbers from the highest rowid by itself
    for table in tables:
        column = table.autoincrement_column
        if column is None:
            continue
        connection.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), '
            f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
            f'FROM "{table.name}"'), {"table": table.name, "column": column.name})


_NOTHING = object()


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert plain rows (all with the same keys) in the session's transaction. On SQLite the
    values are converted by the columns' own SQLAlchemy processors and handed to the driver's
    executemany directly: SQLAlchemy's per-row parameter handling was a fifth of an import of
    a commune bundle. PostgreSQL keeps SQLAlchemy's own path (psycopg batches it)."""
    if not rows:
        return
    if _name(session) != "sqlite":
        session.execute(insert(table), rows)
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    # dialect_impl: the types of issue #23 (core/db/column_types.py) store differently per dialect.
    processors = [_bind_processor(table.c[name].type, dialect) for name in names]
    convert = [(i, p) for i, p in enumerate(processors) if p is not None]
    ids = {i for i, name in enumerate(names) if isinstance(table.c[name].type, BinaryUuid)}

    # Converted column by column (a loop over one column's values costs less than a call per
    # row). The rows of an import written in one transaction share their stamps and
    # references (sync/codec.decode_row): the same object as the row before is converted once.
    pick = operator.itemgetter(*names)
    picked = list(map(pick, rows)) if len(names) > 1 else [(row[names[0]],) for row in rows]
    table_columns: list[Any] = list(zip(*picked))
    for i, process in convert:
        if i in ids:
            # An id column: a UUID's 16 bytes (what `_bind_processor` gives: UUID.bytes is
            # int.to_bytes(16)) in one loop with no call of Python code per value; anything
            # else through the column's processor.
            table_columns[i] = [value.int.to_bytes(16, "big") if type(value) is uuid.UUID
                                else process(value) for value in table_columns[i]]
            continue
        converted = []
        seen: Any = _NOTHING
        done: Any = None
        for value in table_columns[i]:
            if value is not seen:
                done = process(value)
                seen = value
            converted.append(done)
        table_columns[i] = converted

    columns = ", ".join(f'"{name}"' for name in names)
    marks = ", ".join("?" * len(names))
    statement = f'INSERT INTO "{table.name}" ({columns}) VALUES ({marks})'
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(statement, zip(*table_columns))
    except sqlite3.IntegrityError as exc:  # as SQLAlchemy would raise it: callers catch that
        raise IntegrityError(statement, None, exc) from exc
    finally:
        cursor.close()


def _bind_processor(kind: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's own bind processor; for an id (BinaryUuid: 16 bytes on SQLite) a
    UUID's bytes are taken directly, which is what that processor stores (as a BLOB), without
    its two layers of calls per value: ids are most of an import's values."""
    process = kind.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(kind, BinaryUuid) or dialect.name != "sqlite":
        return process
    general = process

    def uuid_bytes(value: Any) -> Any:
        if type(value) is uuid.UUID:
            return value.bytes
        return general(value)

    return uuid_bytes


# SQLite knows nothing of how rows spread over index keys until ANALYZE has run; without it, a
# province file chose "activities of kind X" (4 kinds) over "activities of group Y" (9,000
# groups) and read every meeting of every commune to list one commune's groups.
STATISTICS_GROWTH = 4  # analyse again when a table has grown this many times since the last time
STATISTICS_ROWS = 400  # rows sampled per index (SQLite's analysis_limit): seconds on a 4 GB file


def refresh_statistics(engine: Engine) -> bool:
    """Refresh the query planner's statistics on SQLite when they are missing or the activity
    table grew STATISTICS_GROWTH times since; PostgreSQL's autovacuum does this by itself.
    Returns whether it ran."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT count(*) FROM activity").scalar() or 0
        try:
            stat = connection.exec_driver_sql(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'activity' LIMIT 1").scalar()
        except OperationalError:  # no statistics table yet
            stat = None
        known = int(stat.split()[0]) if stat else 0
        if rows < 1000 or (known and rows < known * STATISTICS_GROWTH):
            return False
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {STATISTICS_ROWS}")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    return True
