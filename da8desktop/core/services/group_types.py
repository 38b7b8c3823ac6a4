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
# Column titles of those fields in workbooks and printed lists, which are official Vietnamese
# documents whatever the interface language. A club's host is its school.
TYPE_FIELD_TITLES = {"subtype": "Loại hình", "host_location": "Cơ quan chủ trì, nơi đặt",
                     "hotline": "Đường dây nóng", "grades": "Khối lớp",
                     "facilitators": "Giáo viên phụ trách", "field_of_activity": "Lĩnh vực",
                     "registration_no": "Số đăng ký", "women_owners": "Số phụ nữ làm chủ",
                     "women_co_owners": "Số phụ nữ đồng làm chủ"}
SCHOOL_TITLE = "Trường học"


def type_field_title(field: str, type_key: str | None) -> str:
    if field == "host_location" and type_key == "group_type:CLB":
        return SCHOOL_TITLE
    return TYPE_FIELD_TITLES[field]


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
