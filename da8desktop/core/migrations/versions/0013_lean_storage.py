"""The lean storage format for sync metadata (issue #23): on SQLite every id column becomes
16 bytes (BLOB) instead of 32 hex characters, and every `stamps` column compact bytes
(core/db/stamp_codec.py: one stamp per row, per field only where they differ) instead of JSON
text. On PostgreSQL ids are native UUIDs already; `stamps` becomes bytea.

Written generically so that tables and columns added by other revisions are converted too: at
upgrade time every table is read from the file itself; every CHAR(32) column (SQLAlchemy's Uuid
on SQLite) and every `stamps` column is converted, whatever table holds it. SQLite tables are
rebuilt (create, copy with their rowids, drop, rename, indexes and triggers again), with foreign
keys off as for every upgrade (core/db/migrate.py) and checked after; the people search index
(keyed by person rowids) is dropped first and rebuilt after. migrate.py backs the file up before
and VACUUMs it after. Bundles do not change.

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from typing import Any

from alembic import op
from sqlalchemy.engine import Connection

from da8desktop.core.db import search_index, stamp_codec

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BOOKKEEPING = ("id", "stamps")
BATCH = 5000


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _convert_sqlite(bind, upgrade=True)
    else:
        _stamps_postgresql(bind, upgrade=True)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _convert_sqlite(bind, upgrade=False)
    else:
        _stamps_postgresql(bind, upgrade=False)


# -- values ---------------------------------------------------------------------------------
def _id_to_bytes(value: Any) -> Any:
    return None if value is None else uuid.UUID(str(value)).bytes


def _id_to_hex(value: Any) -> Any:
    return None if value is None else uuid.UUID(bytes=bytes(value)).hex


def _stamps_to_bytes(fields: list[str]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return None if value is None else stamp_codec.encode(json.loads(value), fields)
    return convert


def _stamps_to_json(fields: list[str]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        return None if value is None else json.dumps(stamp_codec.decode(value, fields))
    return convert


# -- SQLite ---------------------------------------------------------------------------------
def _is_id_column(name: str, declared: str, upgrade: bool) -> bool:
    if upgrade:
        return declared.upper() == "CHAR(32)"
    # Back down: every BLOB but stamps is an id (the schema has no other binary column; the
    # search index's own tables, which do, are dropped before and rebuilt after).
    return declared.upper() == "BLOB" and name != "stamps"


def _is_stamps_column(name: str, declared: str, upgrade: bool) -> bool:
    return name == "stamps" and declared.upper() == ("JSON" if upgrade else "BLOB")


def _convert_sqlite(bind: Connection, *, upgrade: bool) -> None:
    had_search = bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = ?", (search_index.TABLE,)).first() is not None
    if had_search:
        for statement in search_index.drop_statements():
            bind.exec_driver_sql(statement)
    tables = [row[0] for row in bind.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    for table in tables:
        _convert_table(bind, table, upgrade)
    if had_search:
        for statement in search_index.create_statements():
            bind.exec_driver_sql(statement)


def _convert_table(bind: Connection, table: str, upgrade: bool) -> None:
    columns = [(row[1], row[2]) for row in bind.exec_driver_sql(f'PRAGMA table_info("{table}")')]
    names = [name for name, _declared in columns]
    fields = [name for name in names if name not in BOOKKEEPING]
    convert: dict[str, Callable[[Any], Any]] = {}
    for name, declared in columns:
        if _is_id_column(name, declared, upgrade):
            convert[name] = _id_to_bytes if upgrade else _id_to_hex
        elif _is_stamps_column(name, declared, upgrade):
            convert[name] = (_stamps_to_bytes if upgrade else _stamps_to_json)(fields)
    if not convert:
        return
    create = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                  (table,)).scalar_one()
    new_type = {name: ("BLOB" if upgrade else ("JSON" if name == "stamps" else "CHAR(32)"))
                for name in convert}
    create = _retyped(create, table, new_type)
    later = [row[0] for row in bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL", (table,))]
    temporary = f"_lean_new_{table}"
    bind.exec_driver_sql(create.replace("CREATE TABLE __TARGET__", f'CREATE TABLE "{temporary}"', 1))
    quoted = ", ".join(f'"{n}"' for n in names)
    insert = (f'INSERT INTO "{temporary}" (rowid, {quoted}) '
              f'VALUES (?, {", ".join("?" * len(names))})')
    converters = [convert.get(name) for name in names]
    cursor = bind.exec_driver_sql(f'SELECT rowid, {quoted} FROM "{table}" ORDER BY rowid')
    while rows := cursor.fetchmany(BATCH):
        bind.exec_driver_sql(insert, [
            (row[0], *[c(v) if c else v for c, v in zip(converters, row[1:], strict=True)])
            for row in rows])
    bind.exec_driver_sql(f'DROP TABLE "{table}"')
    bind.exec_driver_sql(f'ALTER TABLE "{temporary}" RENAME TO "{table}"')
    for statement in later:
        bind.exec_driver_sql(statement)


def _retyped(create: str, table: str, new_type: dict[str, str]) -> str:
    """The table's CREATE statement with these columns' declared types changed (as SQLAlchemy
    wrote them: one column per line, `name TYPE ...`), named __TARGET__ for the copy."""
    head = re.match(rf'CREATE TABLE\s+(?:"{re.escape(table)}"|{re.escape(table)})\s*\(', create)
    if head is None:
        raise RuntimeError(f"unexpected definition of table {table}")
    body = create[head.end():]
    for name, declared in new_type.items():
        pattern = re.compile(rf'(^|\n|\(|,)(\s*"?{re.escape(name)}"?\s+)(CHAR\(32\)|JSON|BLOB)(?=[\s,)]|$)')
        body, count = pattern.subn(lambda m, declared=declared: m.group(1) + m.group(2) + declared,
                                   body)
        if count != 1:
            raise RuntimeError(f"column {table}.{name} not found in its table's definition")
    return "CREATE TABLE __TARGET__ (" + body


# -- PostgreSQL -----------------------------------------------------------------------------
def _stamps_postgresql(bind: Connection, *, upgrade: bool) -> None:
    """Ids are native UUIDs already; `stamps` json <-> bytea, row by row (the codec is Python)."""
    tables = [row[0] for row in bind.exec_driver_sql(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name = 'stamps' AND data_type = %s ORDER BY table_name",
        ("json" if upgrade else "bytea",))]
    for table in tables:
        names = [row[0] for row in bind.exec_driver_sql(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "current_schema() AND table_name = %s ORDER BY ordinal_position", (table,))]
        fields = [name for name in names if name not in BOOKKEEPING]
        convert = (_stamps_to_bytes if upgrade else _stamps_to_json)(fields)
        bind.exec_driver_sql(f'ALTER TABLE "{table}" ADD COLUMN stamps_lean '
                             f'{"bytea" if upgrade else "json"}')
        cursor = bind.exec_driver_sql(f'SELECT id, stamps::text FROM "{table}"' if upgrade
                                      else f'SELECT id, stamps FROM "{table}"')
        while rows := cursor.fetchmany(BATCH):
            bind.exec_driver_sql(f'UPDATE "{table}" SET stamps_lean = %s WHERE id = %s',
                                 [(convert(stamps if upgrade else bytes(stamps)), row_id)
                                  for row_id, stamps in rows])
        bind.exec_driver_sql(f'ALTER TABLE "{table}" DROP COLUMN stamps')
        bind.exec_driver_sql(f'ALTER TABLE "{table}" RENAME COLUMN stamps_lean TO stamps')
        bind.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN stamps SET NOT NULL')
