"""The "needs attention" list: what an officer should act on this week."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Group, Installation, Membership, Person
from da8desktop.core.domain import GroupStatus, Role
from da8desktop.core.formats import format_figure
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text
from da8desktop.core.indicators.progress import ProgressReport, current_quarter_start

TEAM_MIN_MEMBERS = 7  # domain.md §2: a communication team has 7–10 members
QUIET_DAYS = 90  # "groups without a meeting in 3 months"
UNSENT_DAYS = 30  # changes kept on the laptop this long should go to the province
# Trusted addresses handle cases; they do not hold regular meetings.
MEETING_GROUP_TYPES = ("group_type:TTCD", "group_type:CLB", "group_type:SINHKE", "group_type:TKVV")


@dataclass(frozen=True)
class Attention:
    kind: str  # small_team | quiet_group | unsent | behind | not_reported
    text: str
    record_kind: str | None = None  # group | indicator | commune: where a click goes
    record_id: uuid.UUID | str | None = None


def _say(text: Text, **params: object) -> str:
    return text.render(**params)


def needs_attention(db: Database, progress: ProgressReport, today: dt.date | None = None
                    ) -> list[Attention]:
    today = today or dt.date.today()
    items: list[Attention] = []
    with db.read() as session:
        inst = session.get(Installation, 1)
        province = inst is not None and inst.role == Role.PROVINCE.value
        if not province:
            items += _small_teams(session) + _quiet_groups(session, today)
    if not province:
        items += _unsent(db, today)
    for row in progress.behind():
        items.append(Attention("behind", _say(QT_TRANSLATE_NOOP(
            "Indicators", "Behind schedule: {name} — {achieved} of {target} ({percent}%)"),
            name=row.indicator.name, achieved=format_figure(row.cell.achieved), target=format_figure(row.cell.target),
            percent=round(row.cell.percent or 0)), "indicator", row.indicator.key))
    if province:
        items += _not_reported(db, today)
    return items


def _small_teams(session) -> list[Attention]:  # noqa: ANN001
    members = (select(func.count()).select_from(Membership)
               .join(Person, Person.id == Membership.person_id)
               .where(Membership.group_id == Group.id, Membership.deleted.is_(False),
                      Membership.left_on.is_(None), Person.deleted.is_(False))
               .scalar_subquery())
    rows = session.execute(select(Group.id, Group.name, members).where(
        Group.deleted.is_(False), Group.type_key == "group_type:TTCD",
        Group.status == GroupStatus.ACTIVE, members < TEAM_MIN_MEMBERS).order_by(Group.name_fold))
    return [Attention("small_team", _say(QT_TRANSLATE_NOOP(
        "Indicators", "{group} has {count} members (a team needs at least {minimum})"),
        group=name, count=count, minimum=TEAM_MIN_MEMBERS), "group", group_id)
        for group_id, name, count in rows]


def _quiet_groups(session, today: dt.date) -> list[Attention]:  # noqa: ANN001
    since = today - dt.timedelta(days=QUIET_DAYS)
    last = (select(func.max(Activity.date_start)).where(
        Activity.group_id == Group.id, Activity.deleted.is_(False),
        Activity.date_start <= today).scalar_subquery())
    formed = func.coalesce(Group.launch_date, Group.founding_decision_date)
    rows = session.execute(select(Group.id, Group.name, last.label("last")).where(
        Group.deleted.is_(False), Group.status == GroupStatus.ACTIVE,
        Group.type_key.in_(MEETING_GROUP_TYPES),
        (formed.is_(None)) | (formed < since),
        (last.is_(None)) | (last < since)).order_by(Group.name_fold))
    items = []
    for group_id, name, last_day in rows:
        if last_day is None:
            text = _say(QT_TRANSLATE_NOOP("Indicators", "{group} has no meeting recorded"), group=name)
        else:
            text = _say(QT_TRANSLATE_NOOP(
                "Indicators", "{group} has not met for {days} days (last meeting {date})"),
                group=name, days=(today - last_day).days, date=last_day.strftime("%d/%m/%Y"))
        items.append(Attention("quiet_group", text, "group", group_id))
    return items


def _unsent(db: Database, today: dt.date) -> list[Attention]:
    from da8desktop.core.sync.status import commune_receipt

    receipt = commune_receipt(db)
    if not receipt.set_up or receipt.unconfirmed == 0:
        return []
    last = receipt.last_export.date() if receipt.last_export else None
    if last is not None and (today - last).days < UNSENT_DAYS:
        return []
    if last is None:
        text = _say(QT_TRANSLATE_NOOP(
            "Indicators", "{count} changes have never been sent to the province"),
            count=receipt.unconfirmed)
    else:
        text = _say(QT_TRANSLATE_NOOP(
            "Indicators", "{count} changes not sent to the province for {days} days"),
            count=receipt.unconfirmed, days=(today - last).days)
    return [Attention("unsent", text, "sync", None)]


def _not_reported(db: Database, today: dt.date) -> list[Attention]:
    from da8desktop.core.sync.status import province_status

    start = current_quarter_start(today)
    items = []
    for status in province_status(db):
        if status.status not in ("enrolled", "pending", "awaiting_confirmation"):  # pending: set up, nothing sent yet
            continue
        last = status.last_bundle_at.date() if status.last_bundle_at else None
        if last is None or last < start:
            items.append(Attention("not_reported", _say(QT_TRANSLATE_NOOP(
                "Indicators", "{commune} has not reported this quarter (last data {date})"),
                commune=status.commune_name,
                date=last.strftime("%d/%m/%Y") if last else "—"), "commune", status.commune_code))
    return items


def not_reported_codes(items: list[Attention]) -> set[str]:
    return {str(i.record_id) for i in items if i.kind == "not_reported"}
