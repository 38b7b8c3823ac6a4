"""Groups of every model, their members, and the support they received."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (CatalogueItem, Group, GroupStatusChange, GroupSupport,
                                       Membership, Person)
from da8desktop.core.domain import GroupStatus, Phase
from da8desktop.core.errors import Issue, ValidationFailed
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, WriteResult, required, today
from da8desktop.core.text import fold


def phase_of(day: dt.date) -> str:
    return (Phase.PHASE_1 if day < dt.date(2026, 1, 1) else Phase.PHASE_2).value


class GroupsService(RecordService[Group]):
    model = Group

    def derive(self, values: dict[str, Any]) -> dict[str, Any]:
        derived: dict[str, Any] = {"name_fold": fold(values.get("name"))}
        if not values.get("phase"):
            derived["phase"] = phase_of(values.get("launch_date") or today())
        if not values.get("status"):
            derived["status"] = GroupStatus.ACTIVE.value
        return derived

    def check(self, session: Session, values: dict[str, Any], row: Group | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        required(values, "name", errors)
        group_type = session.get(CatalogueItem, values.get("type_key") or "")
        if group_type is None or group_type.kind != "group_type":
            errors.append(Issue("type_key", QT_TRANSLATE_NOOP(
                "Groups", "Choose the kind of group (team, club, trusted address…).")))
            return errors, []
        allowed = group_type.props.get("statuses")
        if allowed and values.get("status") not in allowed:
            errors.append(Issue("status", QT_TRANSLATE_NOOP(
                "Groups", "This status is not used for this kind of group.")))
        # A kind with a list of subtypes takes one of them (the form offers only those).
        subtypes = group_type.props.get("subtypes") or []
        if subtypes and values.get("subtype") and values["subtype"] not in subtypes:
            errors.append(Issue("subtype", QT_TRANSLATE_NOOP(
                "Groups", "Choose the kind of {type} from the list."),
                {"type": group_type.props.get("short") or group_type.name}))
        blocked = group_type.props.get("new_groups_blocked_in_phases", [])
        if row is None and values.get("phase") in blocked:
            errors.append(Issue("type_key", QT_TRANSLATE_NOOP(
                "Groups", "New groups of this kind are no longer set up in phase {phase}."),
                {"phase": values["phase"]}))
        return errors, []

    def create(self, status_on: dt.date | None = None, **fields: Any) -> WriteResult:
        """A group; `status_on` dates a status other than active (a group recorded after it
        was dissolved). Without it the status has no date and is read as current."""
        with self.db.write() as uow:
            result = super().create(**fields)
            if status_on is not None:
                self._record_status(uow, result.id, status_on)
            return result

    def update(self, row_id: uuid.UUID, status_on: dt.date | None = None, **changes: Any
               ) -> WriteResult:
        """A change of status is recorded with its date (`status_on`, today if not given), so
        figures of periods before it keep the status the group had then."""
        with self.db.write() as uow:
            before = self._load(uow, row_id).status
            result = super().update(row_id, **changes)
            if changes.get("status") and changes["status"] != before:
                self._record_status(uow, row_id, status_on or today())
            return result

    def _record_status(self, uow: Any, group_id: uuid.UUID, day: dt.date) -> None:
        group = self._load(uow, group_id)
        if not isinstance(day, dt.date) or not dt.date(2000, 1, 1) <= day <= today() + dt.timedelta(days=366):
            raise ValidationFailed([Issue("status_on", QT_TRANSLATE_NOOP(
                "Groups", "Enter the date the status changed."))])
        uow.add(GroupStatusChange(group_id=group.id, status=group.status, changed_on=day),
                audit=f"{group.name}: {group.status} {day:%d/%m/%Y}")


def status_history(db: Any, group_id: uuid.UUID) -> list[tuple[dt.date, str]]:
    """(day, status) of a group's recorded changes, oldest first."""
    with db.read() as session:
        return [(r.changed_on, r.status) for r in session.scalars(
            select(GroupStatusChange).where(GroupStatusChange.group_id == group_id,
                                            GroupStatusChange.deleted.is_(False))
            .order_by(GroupStatusChange.changed_on, GroupStatusChange.id))]


class MembershipsService(RecordService[Membership]):
    model = Membership
    commune_owned = False

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('group_id')} / {values.get('person_id')}"

    def check(self, session: Session, values: dict[str, Any], row: Membership | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        group = session.get(Group, values.get("group_id"))
        person = session.get(Person, values.get("person_id"))
        if group is None or group.deleted:
            errors.append(Issue("group_id", QT_TRANSLATE_NOOP("Groups", "Choose a group.")))
        if person is None or person.deleted:
            errors.append(Issue("person_id", QT_TRANSLATE_NOOP("Groups", "Choose a person.")))
        role = session.get(CatalogueItem, values.get("role_key") or "")
        if role is None or role.kind != "role":
            errors.append(Issue("role_key", QT_TRANSLATE_NOOP("Groups", "Choose a role.")))
        joined, left = values.get("joined_on"), values.get("left_on")
        if joined and left and left < joined:
            errors.append(Issue("left_on", QT_TRANSLATE_NOOP(
                "Groups", "The leaving date is before the joining date.")))
        if errors:
            return errors, []
        open_twice = session.scalar(select(Membership.id).where(
            Membership.group_id == group.id, Membership.person_id == person.id,
            Membership.deleted.is_(False), Membership.left_on.is_(None),
            Membership.id != (row.id if row else None)).limit(1))
        if open_twice is not None and left is None:
            errors.append(Issue("person_id", QT_TRANSLATE_NOOP(
                "Groups", "{name} is already a member of this group."), {"name": person.full_name}))
        return errors, []


    def add(self, group_id: uuid.UUID, role_key: str, person_id: uuid.UUID | None = None,
            new_person: dict[str, Any] | None = None, joined_on: dt.date | None = None
            ) -> WriteResult:
        """Add an existing person, or register a new one, as a member: both or neither."""
        from da8desktop.core.services.people import PeopleService

        with self.db.write():
            if person_id is None:
                person_id = PeopleService(self.db).create(**(new_person or {})).id
            # Added today unless told otherwise: a closed quarter's member count stays put.
            return self.create(group_id=group_id, person_id=person_id, role_key=role_key,
                               joined_on=joined_on or today())


class GroupSupportService(RecordService[GroupSupport]):
    model = GroupSupport
    commune_owned = False

    def label(self, values: dict[str, Any]) -> str:
        return values.get("item") or ""

    def check(self, session: Session, values: dict[str, Any], row: GroupSupport | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        required(values, "item", errors)
        kind = values.get("kind_key")
        if kind is not None:
            item = session.get(CatalogueItem, kind)
            if item is None or item.kind != "support_kind":
                errors.append(Issue("kind_key", QT_TRANSLATE_NOOP(
                    "Groups", "Choose the kind of support from the list.")))
        if values.get("value_vnd") is not None and values["value_vnd"] < 0:
            errors.append(Issue("value_vnd", QT_TRANSLATE_NOOP(
                "Groups", "The value cannot be negative.")))
        return errors, []

