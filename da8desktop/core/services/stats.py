"""Counts per entity: the `stats` command and the overview page read the same numbers."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import case, func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, Attendance, CatalogueItem, Group, Membership,
                                       Person, SafeDeliverySupport, Target, TrustedAddressCase,
                                       Village)
from da8desktop.core.domain import Participation
from da8desktop.core.services.site import SiteIdentity, identity


@dataclass(frozen=True)
class GroupTypeCount:
    code: str
    name: str
    groups: int
    members: int


@dataclass(frozen=True)
class Stats:
    site: SiteIdentity | None
    villages: int
    people: int
    groups: int
    groups_by_type: list[GroupTypeCount] = field(default_factory=list)
    memberships: int = 0
    meetings: int = 0
    meetings_with_attendance: int = 0
    attendance_rows: int = 0
    activities: int = 0
    activities_with_counts: int = 0
    safe_delivery_supports: int = 0
    trusted_address_cases: int = 0
    targets: int = 0
    deleted_records: int = 0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        if self.site is not None:
            data["site"]["site_id"] = str(self.site.site_id)
        return data


def _live(model):  # noqa: ANN001, ANN202
    return select(func.count()).select_from(model).where(model.deleted.is_(False))


def collect(db: Database) -> Stats:
    site = identity(db)
    with db.read() as session:
        count = lambda query: session.scalar(query) or 0  # noqa: E731
        by_type = []
        for item in session.scalars(select(CatalogueItem).where(CatalogueItem.kind == "group_type")
                                    .order_by(CatalogueItem.sort_order)):
            groups = count(_live(Group).where(Group.type_key == item.key))
            members = count(_live(Membership).join(Group, Group.id == Membership.group_id)
                            .where(Group.type_key == item.key, Group.deleted.is_(False),
                                   Membership.left_on.is_(None)))
            by_type.append(GroupTypeCount(item.code, item.name, groups, members))
        # The four counts of activities in one pass over the table: at a 150-commune province
        # (225,000 meetings) each count was a scan of its own, 0.3 s apiece (issue 23, P8d).
        meeting, other = Activity.kind == "group_meeting", Activity.kind != "group_meeting"
        attendance = Activity.participation == Participation.ATTENDANCE
        counted = Activity.participation == Participation.COUNTS
        activity = session.execute(select(*(
            func.coalesce(func.sum(case((when, 1), else_=0)), 0)
            for when in (meeting, meeting & attendance, other, other & counted)))
            .where(Activity.deleted.is_(False))).one()
        deleted = sum(count(select(func.count()).select_from(m).where(m.deleted.is_(True)))
                      for m in (Person, Group, Membership, Activity, Village))
        return Stats(
            site=site,
            villages=count(_live(Village)),
            people=count(_live(Person)),
            groups=count(_live(Group)),
            groups_by_type=by_type,
            memberships=count(_live(Membership)),
            meetings=int(activity[0]),
            meetings_with_attendance=int(activity[1]),
            attendance_rows=count(_live(Attendance)),
            activities=int(activity[2]),
            activities_with_counts=int(activity[3]),
            safe_delivery_supports=count(_live(SafeDeliverySupport)),
            trusted_address_cases=count(_live(TrustedAddressCase)),
            targets=count(_live(Target)),
            deleted_records=deleted,
        )
