"""Column types of the lean storage format (migration 0013, issue #23): ids as 16 bytes on
SQLite (native UUID on PostgreSQL) and stamps as compact bytes (core/db/stamp_codec.py).
The Python side is unchanged: `row.id` is a uuid.UUID and `row.stamps` a dict."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import LargeBinary, Uuid
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from da8desktop.core.db import stamp_codec


class BinaryUuid(TypeDecorator[uuid.UUID]):
    """BLOB(16) on SQLite (half the CHAR(32) hex, in every index too), UUID on PostgreSQL.
    Bytes sort as the hex did, so UUIDv7 ids keep their time order."""

    impl = Uuid
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(LargeBinary(16))
        return dialect.type_descriptor(Uuid())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, uuid.UUID):
            value = uuid.UUID(str(value))
        return value.bytes if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> uuid.UUID | None:
        if value is None or isinstance(value, uuid.UUID):
            return value
        if isinstance(value, (bytes, bytearray, memoryview)):
            return uuid.UUID(bytes=bytes(value))
        return uuid.UUID(str(value))

    @property
    def python_type(self) -> type:
        return uuid.UUID


class Stamps(TypeDecorator[dict[str, Any]]):
    """A row's stamps as bytes. `fields` gives the table's data fields (asked lazily: the
    table is not built yet when the column is declared)."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, fields: Callable[[], Sequence[str]] | None = None) -> None:
        super().__init__()
        self.fields = fields

    def _fields(self) -> Sequence[str] | None:
        return self.fields() if self.fields is not None else None

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return stamp_codec.encode(value, self._fields())

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, list[int]] | None:
        if value is None:
            return None
        return stamp_codec.decode_any(value, self._fields())

    def compare_values(self, x: Any, y: Any) -> bool:
        return bool(x == y)
