"""Primary keys for synced rows: UUIDv7, minted where the row is created (sync.md §2)."""

from __future__ import annotations

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """A time-ordered UUIDv7 as a standard `uuid.UUID` (what SQLAlchemy's Uuid type takes)."""
    return uuid.UUID(bytes=uuid6.uuid7().bytes)
