"""What each kind of group records (issue 20 item 5), read from the group_types catalogue: the
type's own fields a form shows, its subtypes, and whether it records support received. A
province's newer catalogue changes the form without a new program."""

from __future__ import annotations

from dataclasses import dataclass

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem

# Every type-specific field a form knows; a catalogue naming another is ignored.
TYPE_FIELDS = ("subtype", "host_location", "hotline", "grades", "facilitators",
               "field_of_activity", "registration_no", "women_owners", "women_co_owners")


@dataclass(frozen=True)
class GroupTypeForm:
    fields: tuple[str, ...]
    subtypes: tuple[str, ...]
    support: bool  # records support received (livelihood groups)


def group_type_form(db: Database, type_key: str | None) -> GroupTypeForm:
    """The fields of one group type; an unknown type, or a catalogue without `fields` (an older
    one), shows every field, so nothing recorded is ever hidden."""
    with db.read() as session:
        item = session.get(CatalogueItem, type_key) if type_key else None
        props = (item.props or {}) if item is not None else {}
    subtypes = tuple(str(s) for s in props.get("subtypes") or [])
    if "fields" not in props:
        return GroupTypeForm(TYPE_FIELDS, subtypes, True)
    fields = tuple(f for f in TYPE_FIELDS if f in props["fields"])
    return GroupTypeForm(fields, subtypes, bool(props.get("support")))
