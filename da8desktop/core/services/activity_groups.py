"""Which content (ND1-4) and activity group (programme.json) an activity belongs to.

Every rule is data: a group type, training type, form or ND4 target category names its activity
group in the catalogues (`parent` or `props.activity_group`); only the fallback per kind is here.
The service fills an activity's group from these when the officer chose none, and the periodic
report reads older rows (before migration 0009) through the same rules."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import CatalogueItem, Group
from da8desktop.core.domain import ActivityKind

# What an activity of a kind is when nothing else says: a dialogue is 3.1, a communication
# activity without a form is an event (1.3). Meetings take their group's, trainings their type's.
KIND_FALLBACK = {ActivityKind.POLICY_DIALOGUE.value: "3.1", ActivityKind.COMMUNICATION.value: "1.3"}


def _group_key(code: str | None) -> str | None:
    return CatalogueItem.make_key("activity_group", code) if code else None


@dataclass
class GroupRules:
    content_of: dict[str, str] = field(default_factory=dict)  # activity group key -> content key
    by_item: dict[str, str] = field(default_factory=dict)  # type/form/category key -> group key
    group_types: dict[uuid.UUID, str] = field(default_factory=dict)  # community group -> type

    @staticmethod
    def load(session: Session, groups: list[Any] | None = None) -> GroupRules:
        """The rules; the types of the given community groups only, or of every group."""
        rules = GroupRules()
        for item in session.scalars(select(CatalogueItem).where(CatalogueItem.kind.in_(
                ("activity_group", "group_type", "training_type", "form", "target_category")))):
            if item.kind == "activity_group":
                if item.parent_key:
                    rules.content_of[item.key] = item.parent_key
                continue
            named = _group_key((item.props or {}).get("activity_group"))
            if named is None and (item.parent_key or "").startswith("activity_group:"):
                named = item.parent_key
            if named:
                rules.by_item[item.key] = named
        query = select(Group.id, Group.type_key)
        if groups is not None:
            query = query.where(Group.id.in_([g for g in groups if isinstance(g, uuid.UUID)]))
        for group_id, type_key in session.execute(query):
            rules.group_types[group_id] = type_key
        return rules

    def default_group(self, values: dict[str, Any]) -> str | None:
        kind = values.get("kind")
        candidates: list[str | None] = []
        if kind == ActivityKind.TRAINING:
            candidates += [values.get("training_type_key"), values.get("target_category_key")]
        if values.get("group_id") is not None:
            group_id = values["group_id"]
            group_id = group_id if isinstance(group_id, uuid.UUID) else uuid.UUID(str(group_id))
            candidates.append(self.group_types.get(group_id))
        candidates.append(values.get("form_key"))
        for key in candidates:
            if key and key in self.by_item:
                return self.by_item[key]
        return _group_key(KIND_FALLBACK.get(str(kind)))

    def effective(self, values: dict[str, Any]) -> tuple[str | None, str | None]:
        """(content key, activity group key) of a row: what it carries, else the default."""
        group = values.get("activity_group_key")
        if not group:
            group = self.default_group(values)
            if values.get("content_key") and self.content_of.get(group or "") != values["content_key"]:
                group = None  # the content chosen is not the default group's: group unknown
        content = self.content_of.get(group or "") or values.get("content_key")
        return content, group
