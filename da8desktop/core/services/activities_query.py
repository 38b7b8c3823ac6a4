"""Reading meetings and activities, with participant counts derived or typed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Attendance, Group, Person
from da8desktop.core.domain import Participation, Sex


@dataclass(frozen=True)
class ActivityFilter:
    kind: str | None = None
    group_id: uuid.UUID | None = None
    year: int | None = None
    commune_key: str | None = None


@dataclass(frozen=True)
class ActivityRow:
    id: uuid.UUID
    date_start: dt.date
    kind: str
    title: str
    group_id: uuid.UUID | None
    group_name: str | None
    participants: int
    women: int
    from_attendance: bool


@dataclass(frozen=True)
class AttendanceRow:
    person_id: uuid.UUID
    full_name: str
    present: bool
    is_guest: bool


def list_activities(db: Database, flt: ActivityFilter = ActivityFilter()) -> list[ActivityRow]:
    wanted = [Activity.deleted.is_(False)]
    if flt.commune_key:
        wanted.append(Activity.commune_key == flt.commune_key)
    if flt.kind:
        wanted.append(Activity.kind == flt.kind)
    if flt.group_id:
        wanted.append(Activity.group_id == flt.group_id)
    if flt.year:
        wanted.append(Activity.date_start.between(dt.date(flt.year, 1, 1),
                                                  dt.date(flt.year, 12, 31)))
    # Attendance is counted for the activities listed only: a province holds millions of
    # attendance rows, and counting them all to show one commune took over a minute.
    present = (select(Attendance.activity_id, func.count().label("n"),
                      func.sum(case((Person.sex == Sex.FEMALE, 1), else_=0)).label("women"))
               .join(Person, Person.id == Attendance.person_id)
               .where(Attendance.present.is_(True), Attendance.deleted.is_(False),
                      Attendance.activity_id.in_(select(Activity.id).where(*wanted)))
               .group_by(Attendance.activity_id).subquery())
    # Columns, not Activity objects: a commune at the province has about 1,500 activities and
    # building an ORM object for each cost most of the page's time (issue 23).
    query = (select(Activity.id, Activity.date_start, Activity.kind, Activity.title,
                    Activity.group_id, Activity.participation, Activity.count_total,
                    Activity.count_women, Group.name, present.c.n, present.c.women)
             .outerjoin(Group, Group.id == Activity.group_id)
             .outerjoin(present, present.c.activity_id == Activity.id)
             .where(*wanted)
             .order_by(Activity.date_start.desc(), Activity.id))
    with db.read() as session:
        rows = []
        for (activity_id, date_start, kind, title, group_id, participation, count_total,
             count_women, group_name, n, women) in session.execute(query):
            derived = participation == Participation.ATTENDANCE
            rows.append(ActivityRow(activity_id, date_start, kind, title, group_id, group_name,
                                    (n or 0) if derived else (count_total or 0),
                                    (women or 0) if derived else (count_women or 0), derived))
        return rows


def meeting_attendance(db: Database, activity_id: uuid.UUID) -> list[AttendanceRow]:
    with db.read() as session:
        rows = session.execute(
            select(Attendance.person_id, Person.full_name, Attendance.present, Attendance.is_guest)
            .join(Person, Person.id == Attendance.person_id)
            .where(Attendance.activity_id == activity_id, Attendance.deleted.is_(False))
            .order_by(Attendance.is_guest, Person.sort_key)).all()
        return [AttendanceRow(*row) for row in rows]


def get_activity(db: Database, activity_id: uuid.UUID) -> Activity | None:
    with db.read() as session:
        activity = session.get(Activity, activity_id)
        return None if activity is None or activity.deleted else activity
