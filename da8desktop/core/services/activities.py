"""Meetings and activities, with an attendance list or with typed counts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import Activity, Attendance, CatalogueItem, Group, Village
from da8desktop.core.domain import ActivityKind, Participation
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.groups import phase_of
from da8desktop.core.services.records import RecordService, WriteResult, required


class ActivitiesService(RecordService[Activity]):
    model = Activity

    def derive(self, values: dict[str, Any]) -> dict[str, Any]:
        derived: dict[str, Any] = {}
        if not values.get("phase") and isinstance(values.get("date_start"), dt.date):
            derived["phase"] = phase_of(values["date_start"])
        if not values.get("participation"):
            derived["participation"] = (Participation.ATTENDANCE.value
                                        if values.get("kind") == ActivityKind.GROUP_MEETING
                                        else Participation.COUNTS.value)
        derived["village_ids"] = [str(v) for v in values.get("village_ids") or []]
        derived["topic_keys"] = list(values.get("topic_keys") or [])
        return derived

    def check(self, session: Session, values: dict[str, Any], row: Activity | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        warnings: list[Issue] = []
        required(values, "title", errors)
        required(values, "date_start", errors)
        if values.get("kind") not in {k.value for k in ActivityKind}:
            errors.append(Issue("kind", QT_TRANSLATE_NOOP("Activities", "Choose the kind of activity.")))
        if values.get("kind") == ActivityKind.GROUP_MEETING:
            group = session.get(Group, values.get("group_id"))
            if group is None or group.deleted:
                errors.append(Issue("group_id", QT_TRANSLATE_NOOP(
                    "Activities", "A group meeting needs its group.")))
        start, end = values.get("date_start"), values.get("date_end")
        if start and end and end < start:
            errors.append(Issue("date_end", QT_TRANSLATE_NOOP(
                "Activities", "The end date is before the start date.")))
        for key in values.get("topic_keys") or []:
            item = session.get(CatalogueItem, key)
            if item is None or item.kind != "topic":
                errors.append(Issue("topic_keys", QT_TRANSLATE_NOOP(
                    "Activities", "Unknown topic {topic}."), {"topic": key}))
        for village_id in values.get("village_ids") or []:
            village = session.get(Village, uuid.UUID(str(village_id)))
            if village is None or village.commune_key != values["commune_key"]:
                errors.append(Issue("village_ids", QT_TRANSLATE_NOOP(
                    "Activities", "Choose villages of this commune.")))
                break
        if values.get("participation") == Participation.COUNTS:
            errors.extend(self._check_counts(values, warnings))
        return errors, warnings

    @staticmethod
    def _check_counts(values: dict[str, Any], warnings: list[Issue]) -> list[Issue]:
        total = values.get("count_total")
        if total is None:
            return [Issue("count_total", QT_TRANSLATE_NOOP(
                "Activities", "Enter the number of participants."))]
        parts = {k: values.get(k) for k in ("count_women", "count_men", "count_minority",
                                             "count_children")}
        if any(v is not None and v < 0 for v in [total, *parts.values()]):
            return [Issue("count_total", QT_TRANSLATE_NOOP(
                "Activities", "Counts cannot be negative."))]
        women, men = parts["count_women"] or 0, parts["count_men"] or 0
        if women + men > total:
            return [Issue("count_women", QT_TRANSLATE_NOOP(
                "Activities", "Women and men together are more than the total."))]
        for name in ("count_minority", "count_children"):
            if (parts[name] or 0) > total:
                return [Issue(name, QT_TRANSLATE_NOOP(
                    "Activities", "A part is larger than the total."))]
        if parts["count_women"] is not None and parts["count_men"] is not None and women + men != total:
            warnings.append(Issue("count_total", QT_TRANSLATE_NOOP(
                "Activities", "Women and men add up to {sum}, not to the total {total}."),
                {"sum": women + men, "total": total}))
        return []

    def record_meeting(self, group_id: uuid.UUID, date_start: dt.date, title: str,
                       present: Iterable[uuid.UUID], absent: Iterable[uuid.UUID] = (),
                       guests: Iterable[uuid.UUID] = (), **fields: Any) -> WriteResult:
        """A group meeting and its attendance check list, in one transaction."""
        with self.db.write() as uow:
            result = self.create(kind=ActivityKind.GROUP_MEETING.value, group_id=group_id,
                                 date_start=date_start, title=title,
                                 participation=Participation.ATTENDANCE.value, **fields)
            for person_id, is_present, is_guest in (
                    [(p, True, False) for p in present] + [(p, False, False) for p in absent]
                    + [(p, True, True) for p in guests]):
                uow.add(Attendance(id=Attendance.make_id(result.id, person_id),
                                   activity_id=result.id, person_id=person_id,
                                   present=is_present, is_guest=is_guest))
            return result


    def update_meeting(self, activity_id: uuid.UUID, present: Iterable[uuid.UUID],
                       absent: Iterable[uuid.UUID] = (), guests: Iterable[uuid.UUID] = (),
                       **changes: Any) -> WriteResult:
        """A meeting's fields and its attendance list, in one transaction."""
        with self.db.write():
            result = self.update(activity_id, **changes)
            self.set_attendance(activity_id, present, absent, guests)
            return result

    def set_attendance(self, activity_id: uuid.UUID, present: Iterable[uuid.UUID],
                       absent: Iterable[uuid.UUID] = (), guests: Iterable[uuid.UUID] = ()
                       ) -> WriteResult:
        """Make the attendance list exactly this: ticks changed, people added or taken off."""
        wanted = {p: (True, False) for p in present}
        wanted.update({p: (False, False) for p in absent})
        wanted.update({p: (True, True) for p in guests})
        with self.db.write() as uow:
            activity = self._load(uow, activity_id)
            current = {a.person_id: a for a in uow.session.scalars(
                select(Attendance).where(Attendance.activity_id == activity.id))}
            for person_id, (is_present, is_guest) in wanted.items():
                row = current.get(person_id)
                if row is None:
                    uow.add(Attendance(id=Attendance.make_id(activity.id, person_id),
                                       activity_id=activity.id, person_id=person_id,
                                       present=is_present, is_guest=is_guest))
                else:
                    uow.update(row, {"present": is_present, "is_guest": is_guest, "deleted": False})
            for person_id, row in current.items():
                if person_id not in wanted and not row.deleted:
                    uow.set_deleted(row, True)
            return WriteResult(activity.id)
