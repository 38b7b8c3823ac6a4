"""Photos and scanned documents (founding decision, minutes, launch ceremony) attached to a
group, a meeting or an activity. The file lives beside the database, named by its hash."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, CheckConstraint, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Synced

OWNER_TABLES = ("community_group", "activity")


class Attachment(Synced, Base):
    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint("owner_table IN ('community_group', 'activity')", name="owner_table"),
        CheckConstraint("size_bytes >= 0", name="size"),
        CheckConstraint("length(sha256) = 64", name="sha256"),
        Index("ix_attachment_owner", "owner_table", "owner_id", "deleted"),
    )

    # Points at a group or an activity; the service checks the row exists (one column cannot
    # carry a foreign key to two tables).
    owner_table: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[uuid.UUID]
    file_name: Mapped[str] = mapped_column(String(260))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    caption: Mapped[str | None] = mapped_column(String(300))
    added_on: Mapped[dt.date]
