"""Rules of a received record that need the receiver's own catalogue (after the column types
and field limits of codec.py, before the merge).

A validly signed bundle may still carry values the commune's forms could never have written:
a form of violence that is an ethnic group, a support code that is not in the catalogue, a
trusted-address case hung on a livelihood group, a day in 2099, a subtype of group no list
offers. Each would be counted in the province's figures (and sent on to the centre) as if it
were real. Such a record is refused alone, with the reason in the officer's language; the
rest of the file is taken (docs/threat-model.md, "Hostile values in a signed bundle").

Only what a record *is* is checked here, never what is stored around it (a group deleted at
the province while a commune added a case to it still merges: sync must converge)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (
    Activity, CatalogueItem, Group, GroupSupport, Membership, Person, Synced, Target,
    TrustedAddressCase)
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.trusted_cases import FIRST_DAY, TRUSTED_ADDRESS, support_keys

# The catalogue kind each catalogue column takes (the services check the same on entry).
KINDS: dict[type[Synced], dict[str, str]] = {
    TrustedAddressCase: {"violence_form_key": "violence_form", "ethnic_key": "ethnic"},
    Person: {"ethnic_key": "ethnic"},
    Group: {"type_key": "group_type"},
    Membership: {"role_key": "role"},
    GroupSupport: {"kind_key": "support_kind"},
    Activity: {"activity_group_key": "activity_group", "target_category_key": "target_category"},
    Target: {"indicator_key": "indicator"},
}
# A commune's clock may run a little ahead of the province's; a day is the clock rule's slack.
DAY_SLACK = dt.timedelta(days=1)

WRONG_KIND = QT_TRANSLATE_NOOP(
    "Sync", "{field} is not an entry of the right list ({value}); the form offers only those.")
UNKNOWN_SUPPORT = QT_TRANSLATE_NOOP(
    "Sync", "The support given names codes that are not in the list ({value}).")
NOT_TRUSTED_ADDRESS = QT_TRANSLATE_NOOP(
    "Sync", "Cases are recorded on a trusted address; this record names another kind of group.")
CASE_DAY = QT_TRANSLATE_NOOP(
    "Sync", "The day the cases were received ({value}) is before 2015 or after today.")
BAD_SUBTYPE = QT_TRANSLATE_NOOP(
    "Sync", "The kind of group \"{value}\" is not in the list of this type of group.")


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


class RecordRules:
    """Loaded once per import: the catalogue's keys and kinds (a few thousand rows), the group
    types the bundle's cases name (stored, or arriving in the same file)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._kinds: dict[str, str] | None = None
        self._props: dict[str, dict[str, Any]] = {}
        self._group_types: dict[uuid.UUID, str] = {}

    def prepare(self, decoded: list[tuple[type[Synced], tuple[Any, ...]]]) -> None:
        wanted: set[uuid.UUID] = set()
        for model, (row_id, values, *_rest) in decoded:
            if model is Group:
                self._group_types[row_id] = values["type_key"]
            elif model is TrustedAddressCase:
                wanted.add(values["group_id"])
        wanted -= set(self._group_types)
        ids = list(wanted)
        for start in range(0, len(ids), 500):
            for group_id, type_key in self.session.execute(select(Group.id, Group.type_key).where(
                    Group.id.in_(ids[start:start + 500]))):
                self._group_types[group_id] = type_key

    def _kind(self, key: str) -> str | None:
        if self._kinds is None:
            self._kinds = {}
            for key_, kind, props in self.session.execute(select(
                    CatalogueItem.key, CatalogueItem.kind, CatalogueItem.props)):
                self._kinds[key_] = kind
                if kind == "group_type":
                    self._props[key_] = props or {}
        return self._kinds.get(key)

    def problem(self, model: type[Synced], values: dict[str, Any]) -> str | None:
        """The reason, in the officer's language, or None."""
        for column, kind in KINDS.get(model, {}).items():
            value = values.get(column)
            if value is not None and self._kind(value) != kind:
                return WRONG_KIND.render(field=column, value=_short(value))
        if model is TrustedAddressCase:
            return self._case_problem(values)
        if model is Group:
            subtypes = self._props.get(values["type_key"], {}).get("subtypes") or []
            if subtypes and values.get("subtype") and values["subtype"] not in subtypes:
                return BAD_SUBTYPE.render(value=_short(values["subtype"]))
        return None

    def _case_problem(self, values: dict[str, Any]) -> str | None:
        unknown = [k for k in support_keys(values.get("support_given"))
                   if self._kind(k) != "case_support"]
        if unknown:
            return UNKNOWN_SUPPORT.render(value=_short(", ".join(unknown)))
        day = values["reported_on"]
        if not FIRST_DAY <= day <= dt.date.today() + DAY_SLACK:
            return CASE_DAY.render(value=day.isoformat())
        group_type = self._group_types.get(values["group_id"])
        if group_type is None:
            group_type = self.session.scalar(select(Group.type_key).where(
                Group.id == values["group_id"]))
        if group_type is not None and group_type != TRUSTED_ADDRESS:
            return NOT_TRUSTED_ADDRESS.render()
        return None
