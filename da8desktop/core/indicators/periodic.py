"""The periodic report (Thông tư 01/2022/TT-UBDT; issue 20 item 3): for a quarter, a half-year
or a year, sessions (số cuộc/buổi) and participant-times (lượt người) per content and activity
group, split by sex, minority vs Kinh, each ethnic group, children and village.

An activity counts once as a session in the activity group it carries (or the one its kind,
group, training type or form defaults to: core/services/activity_groups.py). Its participants are
the people ticked present on its attendance list, or the counts typed for it; both feed the same
columns. Typed counts are used as typed, never estimated: women of a minority are the typed
cross-tabulation only, the ethnic groups the typed split (the rest is "Không rõ"), and the
village the one village the activity covered (else "Không rõ"). What each cell counts is written
out in docs/indicators.md; change both together."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, AdminUnit, Attendance, CatalogueItem, Person,
                                       Village)
from da8desktop.core.domain import Participation, Sex
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.indicators.measures import CHILD_AGE, counted_person, successor_map
from da8desktop.core.indicators.periods import quarter_bounds
from da8desktop.core.indicators.progress import Commune, province_own_key, scope_communes
from da8desktop.core.services.activity_groups import GroupRules

UNKNOWN = "Không rõ"  # a typed count with no split: printed, so Vietnamese (official document)
NO_GROUP = "Chưa xếp nhóm hoạt động"


@dataclass(frozen=True)
class ReportSpan:
    """A quarter, a half-year or a year: the activities held from `start` to `end`."""

    year: int
    quarter: int | None = None
    half: int | None = None

    @staticmethod
    def choose(year: int, quarter: int | None = None, half: int | None = None) -> ReportSpan:
        if not 2021 <= year <= 2030:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Indicators", "The year {year} is outside the programme (2021–2030)."), year=year)
        if quarter is not None and half is not None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Indicators", "Choose a quarter or a half-year, not both."))
        if quarter is not None and quarter not in (1, 2, 3, 4):
            raise UserFacingError(QT_TRANSLATE_NOOP("Indicators", "The quarter is 1, 2, 3 or 4."))
        if half is not None and half not in (1, 2):
            raise UserFacingError(QT_TRANSLATE_NOOP("Indicators", "The half-year is 1 or 2."))
        return ReportSpan(year, quarter, half)

    @property
    def start(self) -> dt.date:
        if self.quarter:
            return quarter_bounds(self.year, self.quarter)[0]
        return dt.date(self.year, 7 if self.half == 2 else 1, 1)

    @property
    def end(self) -> dt.date:
        if self.quarter:
            return quarter_bounds(self.year, self.quarter)[1]
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    def words(self) -> str:
        """The period as printed in the title (Vietnamese, official)."""
        if self.quarter:
            return f"QUÝ {self.quarter} NĂM {self.year}"
        if self.half:
            return f"6 THÁNG {'ĐẦU' if self.half == 1 else 'CUỐI'} NĂM {self.year}"
        return f"NĂM {self.year}"

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "quarter": self.quarter, "half": self.half,
                "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass
class PeriodicRow:
    content: str | None  # catalogue code, e.g. "ND1"; None for activities with no group
    content_name: str
    activity_group: str | None  # e.g. "1.1"
    activity_group_name: str
    sessions: int = 0
    participants: int = 0
    women: int = 0
    men: int = 0
    minority: int = 0
    women_minority: int = 0
    children: int = 0
    by_ethnic: dict[str, int] = field(default_factory=dict)
    by_village: dict[str, int] = field(default_factory=dict)
    activity_ids: list[uuid.UUID] = field(default_factory=list)  # the records behind the row

    def add(self, other: PeriodicRow) -> None:
        for name in ("sessions", "participants", "women", "men", "minority", "women_minority",
                     "children"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for mine, theirs in ((self.by_ethnic, other.by_ethnic), (self.by_village, other.by_village)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.activity_ids.extend(other.activity_ids)

    def as_json(self) -> dict[str, Any]:
        return {"content": self.content, "content_name": self.content_name,
                "activity_group": self.activity_group,
                "activity_group_name": self.activity_group_name, "sessions": self.sessions,
                "participants": self.participants, "women": self.women, "men": self.men,
                "minority": self.minority, "women_minority": self.women_minority,
                "children": self.children, "by_ethnic": dict(sorted(self.by_ethnic.items())),
                "by_village": dict(sorted(self.by_village.items()))}


@dataclass
class CommuneReport:
    commune: Commune
    rows: list[PeriodicRow]


@dataclass
class PeriodicReport:
    scope: str  # commune | province
    unit_name: str
    span: ReportSpan
    rows: list[PeriodicRow]  # the commune, or the province's total (sum of its communes)
    communes: list[CommuneReport]  # province only: each commune's own rows
    # The province's own activities (issue 20 item 7), inside `rows`, in no commune's.
    province_own: list[PeriodicRow] | None = None
    # `by_legacy_unit`: the same activities by the pre-2025 commune they happened in (item 8).
    legacy_units: list[LegacyUnitReport] | None = None
    # What each activity added to its row, counted by the same code as the row: the
    # click-through (periodic_records.py) lists these, so a list adds up to its figure.
    contributions: dict[uuid.UUID, PeriodicRow] = field(default_factory=dict)

    def ethnic_names(self) -> list[str]:
        return sorted({k for r in self.rows for k in r.by_ethnic}, key=lambda n: (n == UNKNOWN, n))

    def village_names(self) -> list[str]:
        return sorted({k for r in self.rows for k in r.by_village}, key=lambda n: (n == UNKNOWN, n))

    def of_commune(self, key: str) -> PeriodicReport:
        """One commune of a province's report as a report of its own (what is saved when the
        province looks at one commune)."""
        part = next(c for c in self.communes if c.commune.key == key)
        return PeriodicReport("commune", part.commune.name, self.span, part.rows, [],
                              contributions=self.contributions)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"scope": self.scope, "unit": self.unit_name,
                                "period": self.span.as_json(),
                                "rows": [r.as_json() for r in self.rows]}
        if self.scope == "province":
            data["communes"] = [{"code": c.commune.code, "name": c.commune.name,
                                 "rows": [r.as_json() for r in c.rows]} for c in self.communes]
        if self.province_own is not None:
            data["province_own"] = [r.as_json() for r in self.province_own]
        if self.legacy_units is not None:
            data["legacy_units"] = [{"code": u.code, "name": u.name,
                                     "rows": [r.as_json() for r in u.rows]}
                                    for u in self.legacy_units]
        return data


NO_LEGACY_UNIT = "Chưa ghi xã cũ"  # printed (official document): records with no former commune


@dataclass
class LegacyUnitReport:
    """One pre-2025 commune's part of the report; `code` None: records without one."""

    key: str | None
    code: str | None
    name: str
    rows: list[PeriodicRow]


def _legacy_of(activity: Any, successors: dict[str, str]) -> str | None:
    """The former commune an activity happened in: the one it carries, or the old unit it was
    kept under (summed under its 2025 commune by succession); each activity has at most one."""
    if activity.legacy_unit_key:
        return str(activity.legacy_unit_key)
    return activity.commune_key if activity.commune_key in successors else None


def _legacy_reports(session: Session, by_unit: dict[str | None, dict[str | None, PeriodicRow]]
                    ) -> list[LegacyUnitReport]:
    units = {u.key: u for u in session.scalars(select(AdminUnit).where(
        AdminUnit.key.in_([k for k in by_unit if k])))}
    reports = [LegacyUnitReport(k, units[k].code if k in units else k,
                                units[k].name if k in units else k, list(rows.values()))
               for k, rows in by_unit.items() if k]
    reports.sort(key=lambda r: r.code or "")
    if None in by_unit:
        reports.append(LegacyUnitReport(None, None, NO_LEGACY_UNIT, list(by_unit[None].values())))
    return reports


def _skeleton(session: Session) -> tuple[list[tuple[str, CatalogueItem, CatalogueItem]],
                                         dict[str, CatalogueItem]]:
    items = {i.key: i for i in session.scalars(select(CatalogueItem).where(
        CatalogueItem.kind.in_(("content", "activity_group", "ethnic"))))}
    groups = sorted((i for i in items.values() if i.kind == "activity_group" and i.active
                     and i.parent_key in items),
                    key=lambda g: (items[g.parent_key].sort_order, items[g.parent_key].code,
                                   g.sort_order, [int(p) if p.isdigit() else p for p in g.code.split(".")]))
    return [(g.key, items[g.parent_key], g) for g in groups], items


def _empty_rows(skeleton: list[tuple[str, CatalogueItem, CatalogueItem]]) -> dict[str | None, PeriodicRow]:
    rows: dict[str | None, PeriodicRow] = {
        key: PeriodicRow(content.code, content.name, group.code, group.name)
        for key, content, group in skeleton}
    return rows


def _attendance(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[Any, ...]]]:
    people: dict[uuid.UUID, list[tuple[Any, ...]]] = defaultdict(list)
    for chunk in range(0, len(ids), 500):
        for row in session.execute(
                select(Attendance.activity_id, Person.sex, Person.birth_year, Person.ethnic_key,
                       Village.name)
                .join(Person, Person.id == Attendance.person_id)
                .outerjoin(Village, Village.id == Person.village_id)
                .where(Attendance.activity_id.in_(ids[chunk:chunk + 500]),
                       Attendance.deleted.is_(False), Attendance.present.is_(True),
                       counted_person())):
            people[row[0]].append(tuple(row[1:]))
    return people


def _count(row: PeriodicRow, activity: Any, people: list[tuple[Any, ...]],
           items: dict[str, CatalogueItem], villages: dict[str, str]) -> None:
    row.sessions += 1
    row.activity_ids.append(activity.id)

    def bump(table: dict[str, int], key: str, n: int) -> None:
        if n:
            table[key] = table.get(key, 0) + n

    if activity.participation == Participation.ATTENDANCE:
        for sex, birth_year, ethnic_key, village in people:
            ethnic = items.get(ethnic_key or "")
            minority = bool(ethnic is not None and (ethnic.props or {}).get("minority"))
            row.participants += 1
            row.women += sex == Sex.FEMALE
            row.men += sex == Sex.MALE
            row.minority += minority
            row.women_minority += minority and sex == Sex.FEMALE
            row.children += (birth_year or 0) > activity.date_start.year - CHILD_AGE
            bump(row.by_ethnic, ethnic.name if ethnic is not None else UNKNOWN, 1)
            bump(row.by_village, village or UNKNOWN, 1)
        return
    total = activity.count_total or 0
    row.participants += total
    row.women += activity.count_women or 0
    row.men += activity.count_men or 0
    row.minority += activity.count_minority or 0
    row.women_minority += activity.count_women_minority or 0
    row.children += activity.count_children or 0
    typed = activity.count_by_ethnic if isinstance(activity.count_by_ethnic, dict) else {}
    split = {k: v for k, v in typed.items() if k in items and type(v) is int and 0 < v <= total}
    if sum(split.values()) > total:  # checked on entry and on import; never trusted to add up
        split = {}
    for key, n in split.items():
        bump(row.by_ethnic, items[key].name, n)
    bump(row.by_ethnic, UNKNOWN, max(0, total - sum(split.values())))
    covered = [villages.get(str(v)) for v in activity.village_ids or []]
    bump(row.by_village, covered[0] if len(covered) == 1 and covered[0] else UNKNOWN, total)


def compute_periodic(db: Database, span: ReportSpan, commune_key: str | None = None,
                     by_legacy_unit: bool = False) -> PeriodicReport:
    """At the province without `commune_key`, the total holds the province's own activities
    too (shown apart as `province_own`); `by_legacy_unit` adds the split by former commune."""
    with db.read() as session:
        scope, unit_name, communes = scope_communes(session)
        if commune_key is not None:
            communes = [c for c in communes if c.key == commune_key]
            unit_name = communes[0].name if communes else unit_name
        keys = [c.key for c in communes]
        own = province_own_key(session) if commune_key is None else None
        successors = successor_map(session, keys)
        allowed = set(keys) | {old for old, new in successors.items() if new in keys}
        if own:
            keys.append(own)
            allowed.add(own)
        by_unit: dict[str | None, dict[str | None, PeriodicRow]] = {}
        skeleton, items = _skeleton(session)
        rules = GroupRules.load(session)
        villages = {str(v.id): v.name for v in session.scalars(select(Village))}
        activities = [a for a in session.scalars(select(Activity).where(
            Activity.deleted.is_(False), Activity.date_start >= span.start,
            Activity.date_start <= span.end)) if a.commune_key in allowed]
        people = _attendance(session, [a.id for a in activities
                                       if a.participation == Participation.ATTENDANCE])
        per_commune: dict[str, dict[str | None, PeriodicRow]] = {k: _empty_rows(skeleton) for k in keys}
        contributions: dict[uuid.UUID, PeriodicRow] = {}
        for activity in activities:
            commune = successors.get(activity.commune_key, activity.commune_key)
            _content, group = rules.effective({c: getattr(activity, c) for c in (
                "kind", "content_key", "activity_group_key", "group_id", "training_type_key",
                "form_key", "target_category_key")})
            rows = per_commune[commune]
            if group not in rows:
                group = None
                rows.setdefault(None, PeriodicRow(None, "", None, NO_GROUP))
            one = PeriodicRow(rows[group].content, rows[group].content_name,
                              rows[group].activity_group, rows[group].activity_group_name)
            _count(one, activity, people.get(activity.id, []), items, villages)
            rows[group].add(one)
            contributions[activity.id] = one
            if by_legacy_unit:
                unit_rows = by_unit.setdefault(_legacy_of(activity, successors),
                                               _empty_rows(skeleton))
                if group not in unit_rows:
                    unit_rows.setdefault(None, PeriodicRow(None, "", None, NO_GROUP))
                unit_rows[group].add(one)
        legacy = _legacy_reports(session, by_unit) if by_legacy_unit else None
    total = _empty_rows(skeleton)
    for rows in per_commune.values():
        for key, row in rows.items():
            total.setdefault(key, PeriodicRow(None, "", None, NO_GROUP)).add(row)
    reports = [CommuneReport(c, list(per_commune[c.key].values())) for c in communes] \
        if scope == "province" else []
    return PeriodicReport(scope, unit_name, span, list(total.values()), reports,
                          list(per_commune[own].values()) if own else None, legacy,
                          contributions)
