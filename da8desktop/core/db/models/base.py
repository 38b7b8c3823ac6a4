"""Declarative base and the columns every synced table shares."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import JSON, Boolean, MetaData, false
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from da8desktop.core.db.column_types import BinaryUuid, Stamps

from da8desktop.core.ids import new_id

# Named constraints so Alembic's batch mode (SQLite table rebuilds) can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, uuid.UUID: BinaryUuid}


class Synced:
    """Mixin for rows that travel between sites (sync.md §2).

    - `id` is a UUIDv7 minted where the row was born, never an autoincrement;
    - `deleted` is the tombstone: rows are never removed, so a delete can be undone and synced;
    - `stamps` holds, per field, the dot and clock of its last write: {field: [site_idx, seq, hlc]}
      where site_idx points into `sync_site` (local numbering, translated to site ids in bundles),
      stored compactly (core/db/stamp_codec.py: one stamp for the row, per field where they differ).
    The row's version vector lives in `row_version`, indexed for incremental export.
    """

    # Fields that are bookkeeping, not user data: never stamped, never compared.
    BOOKKEEPING = frozenset({"id", "stamps"})
    # Fields the domain treats as personal data (redaction, privacy scans).
    PERSONAL: frozenset[str] = frozenset()

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @declared_attr
    def stamps(cls) -> Mapped[dict[str, Any]]:
        return mapped_column(Stamps(cls.data_fields), default=dict)

    if TYPE_CHECKING:  # given by Base, which every synced model also derives from (for mypy)
        __tablename__: Any
        __table__: ClassVar[Any]

        def __init__(self, **kwargs: Any) -> None: ...

    @classmethod
    def data_fields(cls) -> list[str]:
        """Columns carrying user data, in table order (everything but bookkeeping)."""
        return [c.key for c in cls.__table__.columns if c.key not in cls.BOOKKEEPING]
