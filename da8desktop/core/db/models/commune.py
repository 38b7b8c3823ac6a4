"""What a commune records and owns: villages, people, groups, memberships, support received."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, ClassVar

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from da8desktop.core.domain import GroupStatus, Phase, Sex, sql_in

from .base import Base, Synced


class Village(Synced, Base):
    """A thôn/bản of the commune. Villages are in no national list, so each commune keeps its own,
    versioned: a merged village points at its successor and keeps its history."""

    __tablename__ = "village"
    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
                        name="validity"),
        CheckConstraint("successor_id IS NULL OR successor_id <> id", name="not_own_successor"),
        Index("ix_village_commune", "commune_key", "name_fold"),
    )

    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    name: Mapped[str] = mapped_column(String(120))
    name_fold: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str | None] = mapped_column(String(20))  # thôn, bản, buôn, ấp, tổ dân phố
    extremely_difficult: Mapped[bool] = mapped_column(default=False)  # thôn đặc biệt khó khăn
    difficulty_decision: Mapped[str | None] = mapped_column(String(120))  # e.g. QĐ 612/QĐ-UBDT
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    successor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"))


class Person(Synced, Base):
    """A person of the commune registry; one person may belong to several groups."""

    __tablename__ = "person"
    PERSONAL = frozenset({"family_name", "middle_name", "given_name", "full_name", "search_key",
                          "birth_date", "cccd", "phone", "guardian_name", "guardian_phone",
                          "note", "sort_key", "sort_key_family"})
    __table_args__ = (
        CheckConstraint(sql_in("sex", Sex), name="sex"),
        CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100", name="birth_year"),
        CheckConstraint("cccd IS NULL OR length(cccd) IN (9, 12)", name="cccd_length"),
        CheckConstraint("grade IS NULL OR grade BETWEEN 1 AND 12", name="grade"),
        CheckConstraint("length(given_name) > 0", name="given_name"),
        Index("ix_person_sort", "commune_key", "deleted", "sort_key"),
        # The province's registry over every commune, in either order (migration 0007); a
        # search walking it tests the name on the index entry, before reading the row.
        Index("ix_person_order", "sort_key", "id", "deleted", "search_key"),
        Index("ix_person_order_family", "sort_key_family", "id", "deleted", "search_key"),
        Index("ix_person_village", "village_id"),
        Index("ix_person_cccd", "cccd"),
    )

    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    village_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"))
    family_name: Mapped[str] = mapped_column(String(60), default="")
    middle_name: Mapped[str | None] = mapped_column(String(80))
    given_name: Mapped[str] = mapped_column(String(60))
    full_name: Mapped[str] = mapped_column(String(200))
    # Derived on write (never typed): folded name for accent-free search, collation keys.
    search_key: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(String(800))  # given, family, middle
    sort_key_family: Mapped[str] = mapped_column(String(800))  # family, middle, given
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[dt.date | None]
    birth_year: Mapped[int | None] = mapped_column(SmallInteger)  # year-only births are common
    ethnic_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    religion: Mapped[str | None] = mapped_column(String(60))
    cccd: Mapped[str | None] = mapped_column(String(12))  # adults only, never for children
    phone: Mapped[str | None] = mapped_column(String(20))
    position_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    school: Mapped[str | None] = mapped_column(String(120))
    grade: Mapped[int | None] = mapped_column(SmallInteger)
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    # Personal data erased for good (core/services/redact.py): once true, on every site, the
    # personal fields hold ERASED values whatever arrives later.
    redacted: Mapped[bool] = mapped_column(default=False, server_default=false())

    ERASED: ClassVar[dict[str, Any]] = {
        "family_name": "", "middle_name": None, "given_name": "—", "full_name": "—",
        "search_key": "", "sort_key": "", "sort_key_family": "", "birth_date": None,
        "cccd": None, "phone": None, "guardian_name": None, "guardian_phone": None, "note": None}


class Group(Synced, Base):
    """A team, trusted address, club, livelihood group/cooperative or savings group."""

    __tablename__ = "community_group"
    __table_args__ = (
        CheckConstraint(sql_in("status", GroupStatus), name="status"),
        CheckConstraint(sql_in("phase", Phase), name="phase"),
        CheckConstraint("(women_owners IS NULL OR women_owners >= 0) AND "
                        "(women_co_owners IS NULL OR women_co_owners >= 0)", name="owners"),
        Index("ix_community_group_type", "commune_key", "type_key", "deleted"),
    )

    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    type_key: Mapped[str] = mapped_column(ForeignKey("catalogue_item.key"))
    subtype: Mapped[str | None] = mapped_column(String(40))  # e.g. THT / HTX, nhà tạm lánh
    name: Mapped[str] = mapped_column(String(200))
    name_fold: Mapped[str] = mapped_column(String(200))
    village_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("village.id"))
    status: Mapped[str] = mapped_column(String(12), default=GroupStatus.ACTIVE.value)
    phase: Mapped[str] = mapped_column(String(9))
    founding_decision_no: Mapped[str | None] = mapped_column(String(60))
    founding_decision_date: Mapped[dt.date | None]
    founding_issuer: Mapped[str | None] = mapped_column(String(120))
    rules_date: Mapped[dt.date | None]
    launch_date: Mapped[dt.date | None]  # ngày ra mắt
    host_location: Mapped[str | None] = mapped_column(String(200))  # school, health station…
    registration_no: Mapped[str | None] = mapped_column(String(60))
    field_of_activity: Mapped[str | None] = mapped_column(String(200))
    hotline: Mapped[str | None] = mapped_column(String(60))
    # Each type's own fields (migration 0010; group_types.json `fields` says which a type shows):
    # a club's grades ("6-9") and facilitator teachers, a livelihood group's women owners and
    # co-owners.
    grades: Mapped[str | None] = mapped_column(String(20))
    facilitators: Mapped[str | None] = mapped_column(String(200))
    women_owners: Mapped[int | None] = mapped_column(SmallInteger)
    women_co_owners: Mapped[int | None] = mapped_column(SmallInteger)
    props: Mapped[dict[str, Any]] = mapped_column(default=dict)  # type-specific extras
    note: Mapped[str | None] = mapped_column(Text)


class GroupSupport(Synced, Base):
    """Equipment or support a group received (branding, QR traceability, OCOP, e-commerce…)."""

    __tablename__ = "group_support"
    __table_args__ = (
        CheckConstraint("value_vnd IS NULL OR value_vnd >= 0", name="value"),
        Index("ix_group_support_group", "group_id"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_group.id"))
    kind_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))  # support_kind
    item: Mapped[str] = mapped_column(String(200))
    value_vnd: Mapped[int | None] = mapped_column(BigInteger)
    received_on: Mapped[dt.date | None]
    note: Mapped[str | None] = mapped_column(Text)


class GroupStatusChange(Synced, Base):
    """A group's status from a day on (reorganised, dissolved, stopped, active again): stock
    figures read the status a group had on the period's end, so dissolving a team today leaves
    a closed quarter or phase as it was (issue 20 item 4). Before its first change a group is
    active; a group with no change rows is read by its current status."""

    __tablename__ = "group_status_change"
    __table_args__ = (
        CheckConstraint(sql_in("status", GroupStatus), name="status"),
        Index("ix_group_status_change_group", "group_id", "changed_on"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_group.id"))
    status: Mapped[str] = mapped_column(String(12))
    changed_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(300))


class Membership(Synced, Base):
    """A person in a group with a role between two dates; leaving and rejoining is a new row."""

    __tablename__ = "membership"
    __table_args__ = (
        CheckConstraint("left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on",
                        name="dates"),
        Index("ix_membership_group", "group_id", "deleted"),
        Index("ix_membership_person", "person_id", "deleted"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_group.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    role_key: Mapped[str] = mapped_column(ForeignKey("catalogue_item.key"))
    joined_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]
