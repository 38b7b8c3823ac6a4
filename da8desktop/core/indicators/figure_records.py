"""The records behind a figure: what a click on the dashboard lists."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, AdminUnit, Attendance, CatalogueItem, Group,
                                       Membership, Person, SafeDeliverySupport,
                                       TrustedAddressCase)
from da8desktop.core.domain import Participation, Sex
from da8desktop.core.indicators.catalogue import Indicator
from da8desktop.core.indicators.measures import Measurer, Span, counted_person
from da8desktop.core.text import collation_key

LIMIT = 5000  # a list longer than this is an export, not a click-through


@dataclass(frozen=True)
class RecordRef:
    kind: str  # group | person | activity
    id: uuid.UUID
    label: str
    detail: str  # the group of a member, the date of an activity…
    commune: str
    value: float  # what this record adds to the figure


def records_behind(db: Database, indicator: Indicator, span: Span,
                   communes: list[str] | None = None) -> list[RecordRef]:
    with db.read() as session:
        measurer = Measurer(session, communes)
        if communes is not None:  # old units that went whole into these communes count too
            communes = communes + [old for old, new in measurer.successors.items()
                                   if new in communes]
        names = dict(session.execute(select(AdminUnit.key, AdminUnit.name).where(
            AdminUnit.level == "commune")).all())
        spec = indicator.compute
        # a percentage's records are those of its denominator (each adds to the whole)
        measure = str(spec.get("of", "")) if indicator.is_percent else indicator.measure
        refs: list[RecordRef] = []
        if measure == "groups":
            query = select(Group).where(*measurer.group_filter(spec, span.as_at))
            if communes is not None:
                query = query.where(Group.commune_key.in_(communes))
            for g in session.scalars(query.limit(LIMIT)):
                refs.append(RecordRef("group", g.id, g.name, g.subtype or "",
                                      names.get(g.commune_key, ""), 1))
        elif measure == "group_members":
            spec = {**spec, "status": spec.get("status") or ["active"]}
            query = (select(Person, Group.name, Group.commune_key)
                     .join(Membership, Membership.person_id == Person.id)
                     .join(Group, Group.id == Membership.group_id)
                     .where(*measurer.group_filter(spec, span.as_at),
                            Membership.deleted.is_(False), counted_person(),
                            (Membership.joined_on.is_(None)) | (Membership.joined_on <= span.as_at),
                            (Membership.left_on.is_(None)) | (Membership.left_on > span.as_at)))
            if communes is not None:
                query = query.where(Group.commune_key.in_(communes))
            for person, group, commune in session.execute(query.limit(LIMIT)):
                refs.append(RecordRef("person", person.id, person.full_name, group,
                                      names.get(commune, ""), 1))
        elif measure in ("activities", "participants"):
            counted = (select(func.count()).where(
                Attendance.activity_id == Activity.id, Attendance.deleted.is_(False),
                Attendance.present.is_(True)).scalar_subquery())
            if spec.get("count") == "women_minority":
                counted = (select(func.count()).select_from(Attendance)
                           .join(Person, Person.id == Attendance.person_id)
                           .where(Attendance.activity_id == Activity.id,
                                  Attendance.deleted.is_(False), Attendance.present.is_(True),
                                  Person.sex == Sex.FEMALE,
                                  Person.ethnic_key.in_(measurer.minority)).scalar_subquery())
            query = (select(Activity, counted).where(*measurer.activity_filter(spec, span))
                     .order_by(Activity.date_start))
            if communes is not None:
                query = query.where(Activity.commune_key.in_(communes))
            for activity, listed in session.execute(query.limit(LIMIT)):
                value = 1.0
                if measure == "participants":
                    if activity.participation == Participation.ATTENDANCE:
                        value = listed or 0
                    elif spec.get("count") == "women_minority":
                        value = activity.count_women_minority or 0  # typed, never estimated
                    else:
                        value = activity.count_total or 0
                refs.append(RecordRef("activity", activity.id, activity.title,
                                      activity.date_start.strftime("%d/%m/%Y"),
                                      names.get(activity.commune_key, ""), value))
        elif measure == "safe_delivery_women":
            query = (select(Person, func.max(SafeDeliverySupport.given_on),
                            SafeDeliverySupport.commune_key)
                     .join(SafeDeliverySupport, SafeDeliverySupport.person_id == Person.id)
                     .where(SafeDeliverySupport.deleted.is_(False), counted_person(),
                            SafeDeliverySupport.given_on >= span.start,
                            SafeDeliverySupport.given_on <= span.end)
                     .group_by(Person.id, SafeDeliverySupport.commune_key))
            if communes is not None:
                query = query.where(SafeDeliverySupport.commune_key.in_(communes))
            for person, given_on, commune in session.execute(query.limit(LIMIT)):
                day = given_on if isinstance(given_on, dt.date) else None
                refs.append(RecordRef("person", person.id, person.full_name,
                                      day.strftime("%d/%m/%Y") if day else str(given_on or ""),
                                      names.get(commune, ""), 1))
        elif measure == "cases":  # the trusted address, never a person: cases have no names
            query = (select(Group, TrustedAddressCase, CatalogueItem.name)
                     .join(TrustedAddressCase, TrustedAddressCase.group_id == Group.id)
                     .outerjoin(CatalogueItem,
                                CatalogueItem.key == TrustedAddressCase.violence_form_key)
                     .where(*measurer.case_filter(spec, span))
                     .order_by(TrustedAddressCase.reported_on))
            if communes is not None:
                query = query.where(Group.commune_key.in_(communes))
            for group, row, form in session.execute(query.limit(LIMIT)):
                refs.append(RecordRef("group", group.id, group.name,
                                      f"{row.reported_on:%d/%m/%Y} {form or ''}".strip(),
                                      names.get(group.commune_key, ""), row.case_count))
        elif measure == "people_reached":  # each person once, then activities with counts
            reached = measurer.reached_people(spec, span)
            query = (select(Person, reached.c.commune)
                     .join(reached, reached.c.person_id == Person.id)
                     .where(*measurer.person_restriction(spec)))
            if communes is not None:
                query = query.where(reached.c.commune.in_(communes))
            for person, commune in session.execute(query.limit(LIMIT)):
                refs.append(RecordRef("person", person.id, person.full_name, "",
                                      names.get(commune, ""), 1))
            counted = select(Activity).where(*measurer.activity_filter(spec, span),
                                             Activity.participation == Participation.COUNTS)
            if communes is not None:
                counted = counted.where(Activity.commune_key.in_(communes))
            for activity in session.scalars(counted.order_by(Activity.date_start).limit(LIMIT)):
                refs.append(RecordRef("activity", activity.id, activity.title,
                                      activity.date_start.strftime("%d/%m/%Y"),
                                      names.get(activity.commune_key, ""),
                                      measurer.typed_reached(spec, activity) or 0))
    if measure in ("groups", "group_members", "safe_delivery_women"):
        refs.sort(key=lambda r: (collation_key(r.commune), collation_key(r.label)))
    return refs
