"""Reading groups: filtered lists, members, meetings, and the domain warnings shown inline."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ScalarSelect, Select, Subquery, func, select
from sqlalchemy.orm import aliased

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, CatalogueItem, Group, GroupSupport, Membership,
                                       Person, Village)
from da8desktop.core.domain import MEETING_GAP_WARNING_DAYS, ActivityKind, GroupStatus
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.group_types import TYPE_FIELDS
from da8desktop.core.text import collation_key, fold


@dataclass(frozen=True)
class GroupFilter:
    type_key: str | None = None
    village_id: uuid.UUID | None = None
    status: str | None = None
    phase: str | None = None
    search: str = ""
    commune_key: str | None = None


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    name: str
    type_key: str
    type_short: str
    village_name: str | None
    status: str
    phase: str
    members: int
    last_meeting: dt.date | None
    # The type's own fields (group_types.TYPE_FIELDS -> value): listed where groups are listed
    type_values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class MemberRow:
    membership_id: uuid.UUID
    person_id: uuid.UUID
    full_name: str
    sex: str
    birth_year: int | None
    role_key: str
    role_name: str
    joined_on: dt.date | None
    left_on: dt.date | None


def _open_members(groups: Select) -> Subquery:
    return (select(Membership.group_id, func.count().label("n"))
            .where(Membership.deleted.is_(False), Membership.left_on.is_(None),
                   Membership.group_id.in_(groups))
            .group_by(Membership.group_id).subquery())


def _last_meeting() -> ScalarSelect:
    """The group's newest meeting, read from its own activities (index on group_id, date):
    grouping every meeting of a province by group took most of a second per list."""
    return (select(func.max(Activity.date_start))
            .where(Activity.group_id == Group.id, Activity.deleted.is_(False),
                   Activity.kind == ActivityKind.GROUP_MEETING)
            .correlate(Group).scalar_subquery())


def list_groups(db: Database, flt: GroupFilter = GroupFilter()) -> list[GroupRow]:
    wanted = [Group.deleted.is_(False)]
    if flt.commune_key:
        wanted.append(Group.commune_key == flt.commune_key)
    if flt.type_key:
        wanted.append(Group.type_key == flt.type_key)
    if flt.village_id:
        wanted.append(Group.village_id == flt.village_id)
    if flt.status:
        wanted.append(Group.status == flt.status)
    if flt.phase:
        wanted.append(Group.phase == flt.phase)
    for word in fold(flt.search).split():
        wanted.append(Group.name_fold.contains(word, autoescape=True))
    # Members and last meetings of the listed groups only: at the province, counting every
    # commune's memberships and meetings to list one commune's groups took over a second.
    groups = select(Group.id).where(*wanted)
    members = _open_members(groups)
    kind = aliased(CatalogueItem)
    query = (select(Group, kind.props, kind.sort_order, Village.name,
                    func.coalesce(members.c.n, 0), _last_meeting())
             .join(kind, kind.key == Group.type_key)
             .outerjoin(Village, Village.id == Group.village_id)
             .outerjoin(members, members.c.group_id == Group.id)
             .where(*wanted))
    with db.read() as session:
        rows = [(order, GroupRow(g.id, g.name, g.type_key, props.get("short", g.type_key),
                                 village, g.status, g.phase, n, last,
                                 tuple((f, getattr(g, f)) for f in TYPE_FIELDS)))
                for g, props, order, village, n, last in session.execute(query)]
    # Kinds in catalogue order (TTCĐ first), names in Vietnamese order. A commune has tens of
    # groups, a province a few thousand: sorting here is cheap.
    rows.sort(key=lambda pair: (pair[0], collation_key(pair[1].name)))
    return [row for _order, row in rows]


def group_members(db: Database, group_id: uuid.UUID, include_left: bool = False) -> list[MemberRow]:
    role = aliased(CatalogueItem)
    query = (select(Membership, Person.full_name, Person.sex, Person.birth_year, role.name,
                    Person.sort_key)
             .join(Person, Person.id == Membership.person_id)
             .join(role, role.key == Membership.role_key)
             .where(Membership.group_id == group_id, Membership.deleted.is_(False),
                    Person.deleted.is_(False)))
    if not include_left:
        query = query.where(Membership.left_on.is_(None))
    with db.read() as session:
        rows = session.execute(query).all()
    board_first = {"role:TO_TRUONG": 0, "role:CHU_NHIEM": 0, "role:TRUONG_BAN": 0,
                   "role:TO_PHO": 1, "role:PHO_CHU_NHIEM": 1, "role:PHO_BAN": 1}
    rows.sort(key=lambda r: (r[0].left_on is not None, board_first.get(r[0].role_key, 2), r[5]))
    return [MemberRow(m.id, m.person_id, name, sex, year, m.role_key, role_name, m.joined_on,
                      m.left_on) for m, name, sex, year, role_name, _key in rows]


def group_warnings(db: Database, group_id: uuid.UUID, today: dt.date | None = None) -> list[Issue]:
    """Warnings from the domain rules (domain.md §2). They inform; they never block."""
    day = today or dt.date.today()
    with db.read() as session:
        group = session.get(Group, group_id)
        if group is None or group.status != GroupStatus.ACTIVE:
            return []
        props = session.get(CatalogueItem, group.type_key).props
        last = session.scalar(select(func.max(Activity.date_start)).where(
            Activity.group_id == group_id, Activity.deleted.is_(False),
            Activity.kind == ActivityKind.GROUP_MEETING))
    members = group_members(db, group_id)
    issues: list[Issue] = []
    low, high = props.get("min_members"), props.get("max_members")
    count = len([m for m in members if m.role_key != "role:GIAO_VIEN"])
    if (low is not None and count < low) or (high is not None and count > high):
        issues.append(Issue("members", QT_TRANSLATE_NOOP(
            "Groups", "This group has {count} members; {low}–{high} are expected."),
            {"count": count, "low": low, "high": high}))
    min_age, max_age = props.get("min_age"), props.get("max_age")
    if min_age is not None and max_age is not None:
        outside = [m.full_name for m in members if m.role_key != "role:GIAO_VIEN"
                   and m.birth_year is not None
                   and not min_age <= day.year - m.birth_year <= max_age]
        if outside:
            issues.append(Issue("members", QT_TRANSLATE_NOOP(
                "Groups", "Outside the {low}–{high} age band: {names}."),
                {"low": min_age, "high": max_age, "names": ", ".join(outside)}))
    if last is None or (day - last).days > MEETING_GAP_WARNING_DAYS:
        issues.append(Issue("meetings", QT_TRANSLATE_NOOP(
            "Groups", "No meeting recorded in the last 3 months.")))
    return issues


def get_group(db: Database, group_id: uuid.UUID) -> Group | None:
    """The full record (detached) for the group's page."""
    with db.read() as session:
        group = session.get(Group, group_id)
        return None if group is None or group.deleted else group


@dataclass(frozen=True)
class SupportRow:
    id: uuid.UUID
    item: str
    value_vnd: int | None
    received_on: dt.date | None
    kind_key: str | None = None  # support_kind (4.0 technology, OCOP…), migration 0010
    kind: str = ""


def group_support(db: Database, group_id: uuid.UUID) -> list[SupportRow]:
    """Equipment and support the group received (branding, QR, OCOP, e-commerce…)."""
    with db.read() as session:
        rows = session.execute(select(GroupSupport, CatalogueItem.name).outerjoin(
            CatalogueItem, CatalogueItem.key == GroupSupport.kind_key).where(
            GroupSupport.group_id == group_id, GroupSupport.deleted.is_(False))
            .order_by(GroupSupport.received_on)).all()
        return [SupportRow(r.id, r.item, r.value_vnd, r.received_on, r.kind_key, kind or "")
                for r, kind in rows]
