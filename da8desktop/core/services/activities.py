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
from da8desktop.core.services.activity_groups import GroupRules
from da8desktop.core.services.groups import phase_of
from da8desktop.core.services.records import RecordService, WriteResult, required
from da8desktop.core.services.units import legacy_unit_problem, province_only_own


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

    def derive_from(self, session: Session, values: dict[str, Any]) -> dict[str, Any]:
        """The activity group from the kind, group, training type or form when none was chosen,
        and the content from the activity group (issue 20, item 2)."""
        rules = GroupRules.load(session, [values.get("group_id")])
        derived: dict[str, Any] = {}
        group = values.get("activity_group_key") or rules.default_group(values)
        if not values.get("activity_group_key"):
            if values.get("content_key") and rules.content_of.get(group or "") != values["content_key"]:
                return derived  # the officer chose another content: no group is guessed for it
            if group:
                derived["activity_group_key"] = group
        if group and not values.get("content_key") and group in rules.content_of:
            derived["content_key"] = rules.content_of[group]
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
        errors.extend(self._check_programme(session, values))
        errors.extend(i for i in (province_only_own(session, values),
                                  legacy_unit_problem(session, values)) if i is not None)
        if values.get("participation") == Participation.COUNTS:
            errors.extend(self._check_counts(values, warnings))
            errors.extend(self._check_count_splits(session, values))
        return errors, warnings

    @staticmethod
    def _check_programme(session: Session, values: dict[str, Any]) -> list[Issue]:
        errors: list[Issue] = []
        group = values.get("activity_group_key")
        item = session.get(CatalogueItem, group) if group else None
        if group and (item is None or item.kind != "activity_group"):
            errors.append(Issue("activity_group_key", QT_TRANSLATE_NOOP(
                "Activities", "Choose an activity group from the list.")))
        elif item is not None and values.get("content_key") and item.parent_key != values["content_key"]:
            errors.append(Issue("activity_group_key", QT_TRANSLATE_NOOP(
                "Activities", "This activity group belongs to another content. Choose a group "
                "of the chosen content, or change the content.")))
        category = values.get("target_category_key")
        if category:
            found = session.get(CatalogueItem, category)
            if found is None or found.kind != "target_category":
                errors.append(Issue("target_category_key", QT_TRANSLATE_NOOP(
                    "Activities", "Choose who was trained from the list.")))
            elif values.get("kind") != ActivityKind.TRAINING or (
                    found.parent_key and values.get("content_key") != found.parent_key):
                errors.append(Issue("target_category_key", QT_TRANSLATE_NOOP(
                    "Activities", "Who was trained is recorded for trainings of content 4 only.")))
        return errors

    def _check_count_splits(self, session: Session, values: dict[str, Any]) -> list[Issue]:
        """Typed cross-tabulations: women of a minority, and participants per ethnic group."""
        both = values.get("count_women_minority")
        if both is not None and (both < 0 or both > (values.get("count_women") or 0)
                                 or both > (values.get("count_minority") or 0)):
            return [Issue("count_women_minority", QT_TRANSLATE_NOOP(
                "Activities", "Minority women cannot be more than the women, nor more than the "
                "minority participants."))]
        split = values.get("count_by_ethnic")
        if not split:
            return []
        total = values.get("count_total") or 0
        if not isinstance(split, dict) or len(split) > 60 or any(
                type(n) is not int or n < 0 or n > total for n in split.values()):
            return [Issue("count_by_ethnic", QT_TRANSLATE_NOOP(
                "Activities", "Each ethnic group's number must be a whole number up to the total."))]
        items = {key: session.get(CatalogueItem, key) for key in split}
        if any(item is None or item.kind != "ethnic" for item in items.values()):
            return [Issue("count_by_ethnic", QT_TRANSLATE_NOOP(
                "Activities", "Choose ethnic groups from the list."))]
        if sum(split.values()) > total:
            return [Issue("count_by_ethnic", QT_TRANSLATE_NOOP(
                "Activities", "The ethnic groups add up to more than the total."))]
        minority = sum(n for key, n in split.items() if (items[key].props or {}).get("minority"))
        if values.get("count_minority") is not None and minority > values["count_minority"]:
            return [Issue("count_by_ethnic", QT_TRANSLATE_NOOP(
                "Activities", "The minority ethnic groups add up to more than the minority "
                "participants."))]
        return []

    def record_with_attendance(self, kind: str, date_start: dt.date, title: str,
                               present: Iterable[uuid.UUID], guests: Iterable[uuid.UUID] = (),
                               absent: Iterable[uuid.UUID] = (), **fields: Any) -> WriteResult:
        """Any kind of activity (training, dialogue, event, meeting) with named attendance:
        people of the registry, and guests (people registered as guests), in one transaction."""
        with self.db.write():
            result = self.create(kind=kind, date_start=date_start, title=title,
                                 participation=Participation.ATTENDANCE.value, **fields)
            self.set_attendance(result.id, present, absent, guests)
            return WriteResult(result.id, result.warnings)

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
