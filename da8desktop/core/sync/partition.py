"""Who owns which rows (sync.md §2), and which rows belong in a bundle for a given receiver.

The commune owns its villages, people, groups, meetings and activities; the province owns
targets (and catalogues and the registry, which travel outside the synced tables). A commune
bundle that touches another commune's rows or a province-owned table is rejected whole.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (
    SYNCED_MODELS, Activity, Attachment, Attendance, Group, GroupSupport, Membership, Synced,
    Target, TrustedAddressCase)

MODELS_BY_TABLE: dict[str, type[Synced]] = {m.__tablename__: m for m in SYNCED_MODELS}  # type: ignore[attr-defined]
PROVINCE_OWNED = frozenset({Target.__tablename__})
COMMUNE_OWNED = frozenset(MODELS_BY_TABLE) - PROVINCE_OWNED

# Child tables reach their commune through a parent: (column, parent model).
_PARENT: dict[type[Synced], tuple[str, type[Synced]]] = {
    GroupSupport: ("group_id", Group),
    Membership: ("group_id", Group),
    TrustedAddressCase: ("group_id", Group),
    Attendance: ("activity_id", Activity),
}


def in_commune(model: type[Synced], commune_key: str) -> ColumnElement[bool]:
    """SQL condition: the row belongs to `commune_key`."""
    if hasattr(model, "commune_key"):
        return model.commune_key == commune_key  # type: ignore[attr-defined]
    if model is Attachment:
        return or_(
            and_(Attachment.owner_table == Group.__tablename__, Attachment.owner_id.in_(
                select(Group.id).where(Group.commune_key == commune_key))),
            and_(Attachment.owner_table == Activity.__tablename__, Attachment.owner_id.in_(
                select(Activity.id).where(Activity.commune_key == commune_key))))
    column, parent = _PARENT[model]
    return getattr(model, column).in_(
        select(parent.id).where(parent.commune_key == commune_key))  # type: ignore[attr-defined]


class CommuneResolver:
    """The commune of an incoming row, looked up in the bundle first, then in the database."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.incoming: dict[tuple[str, uuid.UUID], str | None] = {}

    def note(self, table: str, row_id: uuid.UUID, commune_key: str | None) -> None:
        self.incoming[(table, row_id)] = commune_key

    def _parent_commune(self, model: type[Synced], row_id: Any) -> str | None:
        if row_id is None:
            return None
        table = model.__tablename__  # type: ignore[attr-defined]
        if (table, row_id) in self.incoming:
            return self.incoming[(table, row_id)]
        row = self.session.get(model, row_id)
        return None if row is None else row.commune_key  # type: ignore[attr-defined]

    def commune_of(self, model: type[Synced], values: dict[str, Any]) -> str | None:
        if "commune_key" in values:
            return values["commune_key"]
        if model is Attachment:
            parent = {Group.__tablename__: Group, Activity.__tablename__: Activity}.get(
                values.get("owner_table"))
            return self._parent_commune(parent, values.get("owner_id")) if parent else None
        column, parent_model = _PARENT[model]
        return self._parent_commune(parent_model, values.get(column))
