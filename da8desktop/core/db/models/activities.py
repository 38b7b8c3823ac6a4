"""Meetings and activities, their participants, and per-person or aggregate support."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (BigInteger, CheckConstraint, ForeignKey, Index, Numeric, SmallInteger,
                        String, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from da8desktop.core.domain import (ActivityKind, AgeBand, Participation, Phase,
                                    SafeDeliveryType, Sex, sql_in)

from .base import Base, Synced

_COUNTS = ("count_total", "count_women", "count_men", "count_minority", "count_children")


class Activity(Synced, Base):
    """A group meeting, communication event, policy dialogue or training.

    Participants are either attendance rows (`participation = 'attendance'`, counts derived and
    never typed) or typed counts by sex, minority and children (`'counts'`).
    Topics and villages covered are lists of codes/ids (JSON) so they sync as one field; the
    services check them against the catalogue and the village table.
    """

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ActivityKind), name="kind"),
        CheckConstraint(sql_in("participation", Participation), name="participation"),
        CheckConstraint(sql_in("phase", Phase), name="phase"),
        CheckConstraint("kind <> 'group_meeting' OR group_id IS NOT NULL", name="meeting_group"),
        CheckConstraint("date_end IS NULL OR date_end >= date_start", name="dates"),
        CheckConstraint(" AND ".join(f"({c} IS NULL OR {c} >= 0)" for c in _COUNTS),
                        name="counts_positive"),
        CheckConstraint("participation <> 'counts' OR count_total IS NOT NULL", name="counts_total"),
        CheckConstraint("COALESCE(count_women, 0) + COALESCE(count_men, 0) <= COALESCE(count_total, 0)"
                        " OR participation = 'attendance'", name="counts_sex"),
        CheckConstraint("COALESCE(count_minority, 0) <= COALESCE(count_total, 0)"
                        " OR participation = 'attendance'", name="counts_minority"),
        CheckConstraint("COALESCE(count_children, 0) <= COALESCE(count_total, 0)"
                        " OR participation = 'attendance'", name="counts_children"),
        # Typed cross-tabulation (issue 20): women who are also of a minority, never estimated.
        CheckConstraint("count_women_minority IS NULL OR (count_women_minority >= 0 AND "
                        "count_women_minority <= COALESCE(count_women, 0) AND "
                        "count_women_minority <= COALESCE(count_minority, 0))",
                        name="counts_women_minority"),
        CheckConstraint("questions_answered IS NULL OR questions_raised IS NULL OR "
                        "COALESCE(questions_answered, 0) + COALESCE(questions_forwarded, 0)"
                        " <= questions_raised", name="questions"),
        CheckConstraint("cost_vnd IS NULL OR cost_vnd >= 0", name="cost"),
        Index("ix_activity_date", "commune_key", "deleted", "date_start"),
        Index("ix_activity_group", "group_id", "date_start"),
        # Indicators count activities of a kind in a period over every commune: without it a
        # province's progress page read all 4.5 million attendance rows (migration 0007).
        Index("ix_activity_kind_date", "kind", "date_start"),
    )

    # The installation's unit: a 2025 commune, or the province for its own activities (issue 20
    # item 7). `legacy_unit_key` is the pre-2025 commune it happened in, one of those merged
    # into this commune (item 8; checked by the service against admin_succession).
    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    legacy_unit_key: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.key"))
    kind: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(9))
    content_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community_group.id"))
    # The activity group of programme.json (defaulted from the kind, group type, training type
    # or form by the service) and, for ND4 trainings, who was trained (target_category).
    activity_group_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    target_category_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    title: Mapped[str] = mapped_column(String(300))
    date_start: Mapped[dt.date]
    date_end: Mapped[dt.date | None]
    days: Mapped[float | None] = mapped_column(Numeric(5, 1, asdecimal=False))
    place: Mapped[str | None] = mapped_column(String(200))
    village_ids: Mapped[list[Any]] = mapped_column(default=list)
    topic_keys: Mapped[list[Any]] = mapped_column(default=list)
    form_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    training_type_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    facilitator: Mapped[str | None] = mapped_column(String(120))
    organiser: Mapped[str | None] = mapped_column(String(200))
    chair_name: Mapped[str | None] = mapped_column(String(120))
    chair_position: Mapped[str | None] = mapped_column(String(120))
    questions_raised: Mapped[int | None]
    questions_answered: Mapped[int | None]
    questions_forwarded: Mapped[int | None]
    cost_vnd: Mapped[int | None] = mapped_column(BigInteger)
    funding_source: Mapped[str | None] = mapped_column(String(120))
    participation: Mapped[str] = mapped_column(String(10))
    count_total: Mapped[int | None]
    count_women: Mapped[int | None]
    count_men: Mapped[int | None]
    count_minority: Mapped[int | None]
    count_children: Mapped[int | None]
    count_women_minority: Mapped[int | None]
    # ethnic key -> participants, where the officer typed the split; the rest is "not known"
    count_by_ethnic: Mapped[dict[str, Any] | None]
    note: Mapped[str | None] = mapped_column(Text)


class Attendance(Synced, Base):
    """One person at one meeting. Its id is derived from (activity, person), so two laptops that
    tick the same person converge on one row instead of fighting over a unique constraint."""

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("activity_id", "person_id"),
        Index("ix_attendance_person", "person_id"),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("activity.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    present: Mapped[bool] = mapped_column(default=True)
    is_guest: Mapped[bool] = mapped_column(default=False)

    @staticmethod
    def make_id(activity_id: uuid.UUID, person_id: uuid.UUID) -> uuid.UUID:
        return uuid.uuid5(activity_id, str(person_id))


class SafeDeliverySupport(Synced, Base):
    """Hỗ trợ sinh đẻ an toàn: money given to one woman for one delivery."""

    __tablename__ = "safe_delivery_support"
    __table_args__ = (
        CheckConstraint(sql_in("support_type", SafeDeliveryType), name="type"),
        CheckConstraint("amount_vnd >= 0", name="amount"),
        Index("ix_safe_delivery_person", "person_id"),
        Index("ix_safe_delivery_date", "commune_key", "given_on"),
    )

    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    legacy_unit_key: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.key"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("person.id"))
    support_type: Mapped[str] = mapped_column(String(10))
    amount_vnd: Mapped[int] = mapped_column(BigInteger)
    given_on: Mapped[dt.date]
    voucher_no: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)


class TrustedAddressCase(Synced, Base):
    """Cases handled by a trusted address, as aggregates only: never a victim's name or id."""

    __tablename__ = "trusted_address_case"
    __table_args__ = (
        CheckConstraint(sql_in("sex", Sex), name="sex"),
        CheckConstraint(sql_in("age_band", AgeBand), name="age_band"),
        CheckConstraint("case_count >= 1", name="case_count"),
        Index("ix_trusted_case_group", "group_id", "reported_on"),
    )

    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_group.id"))
    reported_on: Mapped[dt.date]
    violence_form_key: Mapped[str] = mapped_column(ForeignKey("catalogue_item.key"))
    support_given: Mapped[str | None] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(1))
    age_band: Mapped[str] = mapped_column(String(10))
    ethnic_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    case_count: Mapped[int] = mapped_column(SmallInteger, default=1)


class Target(Synced, Base):
    """A target for one indicator, commune and period, allocated by the province (or planned by a
    commune that has none). Its id is derived from what it targets, so re-allocation updates it."""

    __tablename__ = "target"
    __table_args__ = (
        UniqueConstraint("indicator_key", "commune_key", "period"),
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("length(period) IN (4, 9)", name="period"),  # '2026' or '2026-2030'
    )

    indicator_key: Mapped[str] = mapped_column(ForeignKey("catalogue_item.key"))
    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    period: Mapped[str] = mapped_column(String(9))
    value: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    set_by_province: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str | None] = mapped_column(Text)

    @staticmethod
    def make_id(indicator_key: str, commune_key: str, period: str) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"da8:target:{indicator_key}:{commune_key}:{period}")
