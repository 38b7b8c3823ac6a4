"""Merging two records of the same person: every membership, attendance and support moves to
the record that is kept, empty fields are filled from the other, and the other is tombstoned
(so the merge travels by sync and shows in the audit log)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Attendance, Membership, Person, SafeDeliverySupport
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import WriteResult

# Fields copied from the merged record when the kept one has none. Names and keys stay as kept.
FILLABLE = ("middle_name", "birth_date", "birth_year", "ethnic_key", "religion", "cccd", "phone",
            "village_id", "position_key", "school", "grade", "guardian_name", "guardian_phone",
            "note")


def merge_people(db: Database, keep_id: uuid.UUID, merge_id: uuid.UUID) -> WriteResult:
    if keep_id == merge_id:
        raise UserFacingError(QT_TRANSLATE_NOOP("People", "Choose two different people to merge."))
    with db.write() as uow:
        session = uow.session
        keep, other = session.get(Person, keep_id), session.get(Person, merge_id)
        if keep is None or other is None or keep.deleted or other.deleted:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "People", "One of the two people no longer exists; nothing was merged."))
        filled = {f: getattr(other, f) for f in FILLABLE
                  if getattr(keep, f) in (None, "") and getattr(other, f) not in (None, "")}
        if filled:
            uow.update(keep, filled)
        moved_memberships = 0
        open_groups = set(session.scalars(select(Membership.group_id).where(
            Membership.person_id == keep_id, Membership.deleted.is_(False),
            Membership.left_on.is_(None))))
        for membership in session.scalars(select(Membership).where(
                Membership.person_id == merge_id, Membership.deleted.is_(False))):
            if membership.left_on is None and membership.group_id in open_groups:
                uow.set_deleted(membership, True)  # the kept person is already a member there
                continue
            uow.update(membership, {"person_id": keep_id})
            moved_memberships += 1
        moved_attendance = 0
        for row in session.scalars(select(Attendance).where(
                Attendance.person_id == merge_id, Attendance.deleted.is_(False))):
            # Attendance ids derive from (activity, person): write the kept person's row and
            # tombstone the old one, so every site converges on the same ids.
            new_id = Attendance.make_id(row.activity_id, keep_id)
            existing = session.get(Attendance, new_id)
            if existing is None:
                uow.add(Attendance(id=new_id, activity_id=row.activity_id, person_id=keep_id,
                                   present=row.present, is_guest=row.is_guest))
            elif row.present and not existing.present:
                uow.update(existing, {"present": True, "deleted": False})
            uow.set_deleted(row, True)
            moved_attendance += 1
        for support in session.scalars(select(SafeDeliverySupport).where(
                SafeDeliverySupport.person_id == merge_id, SafeDeliverySupport.deleted.is_(False))):
            uow.update(support, {"person_id": keep_id})
        uow.set_deleted(other, True)
        uow.audit(AuditAction.MERGE, keep, f"{other.full_name} -> {keep.full_name}",
                  {"merged_id": str(merge_id), "memberships": moved_memberships,
                   "attendance": moved_attendance, "filled": sorted(filled)})
        return WriteResult(keep_id, changed={k: (None, v) for k, v in filled.items()})
