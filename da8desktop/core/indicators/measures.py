"""Achieved values from records, per commune, with the breakdowns the dashboard shows.

Each measure is one or two grouped SQL queries over the whole database (a province holds many
communes), folded here into a `Figure` per commune. What each measure counts is written out in
docs/indicators.md; change both together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import case, exists, false, func, literal, or_, select, union
from sqlalchemy.orm import Session

from da8desktop.core.db.models import (Activity, AdminSuccession, Attendance, CatalogueItem,
                                       Group, GroupStatusChange, GroupSupport, Membership, Person,
                                       SafeDeliverySupport, TrustedAddressCase, Village)
from da8desktop.core.domain import AgeBand, Participation, Sex
from da8desktop.core.indicators.catalogue import SHARE_OF, SHARE_PARTS, Indicator

CHILD_AGE = 16  # Luật Trẻ em 2016: a child is under 16


@dataclass
class Figure:
    """A value and how it splits. Splits are independent sums (women and minority overlap)."""

    total: float = 0
    women: float = 0
    men: float = 0
    minority: float = 0
    children: float = 0
    villages: dict[str, float] = field(default_factory=dict)
    has_people: bool = False  # whether the splits by sex/minority/children mean anything
    base: float = 0  # a percentage's denominator (`share`); `total` is then its numerator

    def add(self, other: Figure) -> None:
        self.total += other.total
        self.women += other.women
        self.men += other.men
        self.minority += other.minority
        self.children += other.children
        self.base += other.base
        self.has_people = self.has_people or other.has_people
        for name, value in other.villages.items():
            self.villages[name] = self.villages.get(name, 0) + value

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"total": self.total}
        if self.base:
            data["base"] = self.base
        if self.has_people:
            data.update(women=self.women, men=self.men, minority=self.minority,
                        children=self.children)
        if self.villages:
            data["villages"] = dict(sorted(self.villages.items()))
        return data


@dataclass(frozen=True)
class Span:
    start: dt.date  # flow measures count what happened from start…
    end: dt.date  # …to end
    as_at: dt.date  # stock measures read what exists on this day


def counted_person() -> Any:
    """A person the figures count: a live one, or one whose personal data was erased. Erasure
    (docs/privacy.md) keeps sex, birth year and ethnic group so that what was done for her
    still counts: the figures a province already sent to the centre are the figures it sends
    again. A person deleted (a record made by mistake) is not counted; one deleted and
    later erased is, which the officer erasing a mistaken record should know (privacy.md)."""
    return or_(Person.deleted.is_(False), Person.redacted.is_(True))


def minority_keys(session: Session) -> list[str]:
    return [item.key for item in session.scalars(select(CatalogueItem).where(
        CatalogueItem.kind == "ethnic")) if (item.props or {}).get("minority")]


def successor_map(session: Session, communes: list[str] | None = None) -> dict[str, str]:
    """Old (pre-2025) commune -> its 2025 commune, where the old one went to exactly one: phase-I
    records kept under old units sum under the new communes. Split communes stay as recorded."""
    query = select(AdminSuccession.old_key, AdminSuccession.new_key)
    if communes is not None:  # a commune's laptop reads a handful of rows, not the whole table
        olds = select(AdminSuccession.old_key).where(AdminSuccession.new_key.in_(communes))
        query = query.where(AdminSuccession.old_key.in_(olds))
    pairs = session.execute(query).all()
    targets: dict[str, set[str]] = defaultdict(set)
    for old, new in pairs:
        targets[old].add(new)
    return {old: next(iter(news)) for old, news in targets.items() if len(news) == 1}


def status_at(day: dt.date) -> Any:
    """A group's status on `day` (issue 20 item 4): its last dated change on or before the day,
    'active' before its first change; a group with no recorded change has its current status."""
    changes = [GroupStatusChange.group_id == Group.id, GroupStatusChange.deleted.is_(False)]
    latest = (select(GroupStatusChange.status)
              .where(*changes, GroupStatusChange.changed_on <= day)
              .order_by(GroupStatusChange.changed_on.desc(), GroupStatusChange.id.desc())
              .limit(1).correlate(Group).scalar_subquery())
    return case((exists().where(*changes).correlate(Group), func.coalesce(latest, "active")),
                else_=Group.status)


def achieved_value(indicator: Indicator, figure: Figure) -> float:
    """What is compared with the target: the count, or for a percentage indicator the share
    numerator / denominator in % (0 when nothing was counted). A province's share is its summed
    numerators over its summed denominators, never an average of the communes' percentages."""
    if not indicator.is_percent:
        return figure.total
    return round(100.0 * figure.total / figure.base, 1) if figure.base else 0.0


class Measurer:
    """Computes indicators over one database; reuse it for several indicators and spans."""

    def __init__(self, session: Session, communes: list[str] | None = None) -> None:
        self.session = session
        self.communes = communes  # None: every commune in the file
        self.minority = minority_keys(session)
        self.successors = successor_map(session, communes)

    def compute(self, indicator: Indicator, span: Span, villages: bool = False
                ) -> dict[str, Figure]:
        spec = indicator.compute
        if indicator.is_percent:
            return self._share(indicator, span)
        method = getattr(self, f"_{indicator.measure}", None)
        if method is None:
            return {}
        figures: dict[str, Figure] = defaultdict(Figure)
        for row in method(spec, span):
            commune = self.successors.get(row["commune"], row["commune"])
            figure = figures[commune]
            n = row["n"] or 0
            figure.total += n
            if "sex" in row:
                figure.has_people = True
                figure.women += n if row["sex"] == Sex.FEMALE else 0
                figure.men += n if row["sex"] == Sex.MALE else 0
                figure.minority += n if row["minority"] else 0
                figure.children += n if row["child"] else 0
            for key in ("women", "men", "minority", "children"):
                if f"{key}_n" in row:
                    figure.has_people = True
                    setattr(figure, key, getattr(figure, key) + (row[f"{key}_n"] or 0))
            if villages and row.get("village"):
                figure.villages[row["village"]] = figure.villages.get(row["village"], 0) + n
        if self.communes is not None:
            return {k: v for k, v in figures.items() if k in self.communes}
        return dict(figures)

    def _share(self, indicator: Indicator, span: Span) -> dict[str, Figure]:
        """`share`: of the measure named by `of` (with the same parameters), the `part`
        (women, men, minority, children) as numerator and the whole as denominator."""
        of, part = indicator.compute.get("of"), indicator.compute.get("part")
        if of not in SHARE_OF or part not in SHARE_PARTS:
            return {}
        base = replace(indicator, compute={**indicator.compute, "measure": of})
        return {commune: Figure(total=getattr(figure, part), base=figure.total)
                for commune, figure in self.compute(base, span).items()}

    # -- the person columns every people-based measure groups by --------------------------

    def _person_columns(self, as_at: dt.date) -> list[Any]:
        minority = (case((Person.ethnic_key.in_(self.minority), 1), else_=0)
                    if self.minority else literal(0))
        child = case((func.coalesce(Person.birth_year, 0) > as_at.year - CHILD_AGE, 1), else_=0)
        return [Person.sex.label("sex"), minority.label("minority"), child.label("child"),
                Village.name.label("village")]

    def _rows(self, query: Any) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in self.session.execute(query)]

    # -- measures ----------------------------------------------------------------------

    def group_filter(self, spec: dict[str, Any], as_at: dt.date) -> list[Any]:
        formed = func.coalesce(Group.launch_date, Group.founding_decision_date)
        conditions = [Group.deleted.is_(False),
                      Group.type_key == f"group_type:{spec.get('group_type')}",
                      or_(formed.is_(None), formed <= as_at)]
        if spec.get("status"):
            conditions.append(status_at(as_at).in_(spec["status"]))
        if spec.get("supported"):
            received = [GroupSupport.group_id == Group.id, GroupSupport.deleted.is_(False),
                        or_(GroupSupport.received_on.is_(None), GroupSupport.received_on <= as_at)]
            if spec.get("support_kind"):  # e.g. CONG_NGHE_40: supported with 4.0 technology
                received.append(GroupSupport.kind_key == f"support_kind:{spec['support_kind']}")
            conditions.append(exists().where(*received))
        return conditions

    def _groups(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        return self._rows(
            select(Group.commune_key.label("commune"), Village.name.label("village"),
                   func.count().label("n"))
            .outerjoin(Village, Village.id == Group.village_id)
            .where(*self.group_filter(spec, span.as_at))
            .group_by(Group.commune_key, Village.name))

    def _group_members(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        spec = {**spec, "status": spec.get("status") or ["active"]}  # members of live groups
        columns = self._person_columns(span.as_at)
        return self._rows(
            select(Group.commune_key.label("commune"), *columns, func.count().label("n"))
            .select_from(Membership)
            .join(Group, Group.id == Membership.group_id)
            .join(Person, Person.id == Membership.person_id)
            .outerjoin(Village, Village.id == Person.village_id)
            .where(*self.group_filter(spec, span.as_at), Membership.deleted.is_(False),
                   counted_person(),
                   or_(Membership.joined_on.is_(None), Membership.joined_on <= span.as_at),
                   or_(Membership.left_on.is_(None), Membership.left_on > span.as_at))
            .group_by(Group.commune_key, *columns))

    def activity_filter(self, spec: dict[str, Any], span: Span) -> list[Any]:
        conditions = [Activity.deleted.is_(False),
                      Activity.date_start >= span.start, Activity.date_start <= span.end]
        if spec.get("kind") or not spec.get("activity_group"):  # a rule names one or the other
            conditions.append(Activity.kind == spec.get("kind"))
        if spec.get("activity_group"):  # programme.json's group, e.g. 2.5 safe delivery
            conditions.append(Activity.activity_group_key == f"activity_group:{spec['activity_group']}")
        if spec.get("training_type"):
            conditions.append(Activity.training_type_key == f"training_type:{spec['training_type']}")
        return conditions

    def _activities(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        return self._rows(select(Activity.commune_key.label("commune"), func.count().label("n"))
                          .where(*self.activity_filter(spec, span))
                          .group_by(Activity.commune_key))

    def _participants(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        """Participant-times: ticked attendance, plus typed counts where no list was kept."""
        women_minority = spec.get("count") == "women_minority"
        columns = self._person_columns(span.as_at)
        listed = (select(Activity.commune_key.label("commune"), *columns, func.count().label("n"))
                  .select_from(Attendance)
                  .join(Activity, Activity.id == Attendance.activity_id)
                  .join(Person, Person.id == Attendance.person_id)
                  .outerjoin(Village, Village.id == Person.village_id)
                  .where(*self.activity_filter(spec, span),
                         Activity.participation == Participation.ATTENDANCE,
                         Attendance.deleted.is_(False), Attendance.present.is_(True))
                  .group_by(Activity.commune_key, *columns))
        if women_minority:
            listed = listed.where(Person.sex == Sex.FEMALE, Person.ethnic_key.in_(self.minority))
        rows = self._rows(listed)
        counted = self.session.execute(
            select(Activity.commune_key, Activity.count_total, Activity.count_women,
                   Activity.count_men, Activity.count_minority, Activity.count_children,
                   Activity.count_women_minority)
            .where(*self.activity_filter(spec, span),
                   Activity.participation == Participation.COUNTS))
        for commune, total, women, men, minority, children, both in counted:
            if women_minority:
                # Only the cross-tabulation the officer typed counts: never estimated from the
                # separate women and minority counts (issue 20; docs/indicators.md).
                total = both or 0
                women, men, minority, children = total, 0, total, 0
            rows.append({"commune": commune, "n": total or 0, "women_n": women, "men_n": men,
                         "minority_n": minority, "children_n": children})
        return rows

    def _safe_delivery_women(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        supported = (select(SafeDeliverySupport.commune_key, SafeDeliverySupport.person_id)
                     .where(SafeDeliverySupport.deleted.is_(False),
                            SafeDeliverySupport.given_on >= span.start,
                            SafeDeliverySupport.given_on <= span.end)
                     .distinct().subquery())
        columns = self._person_columns(span.as_at)
        return self._rows(
            select(supported.c.commune_key.label("commune"), *columns, func.count().label("n"))
            .select_from(supported)
            .join(Person, Person.id == supported.c.person_id)
            .outerjoin(Village, Village.id == Person.village_id)
            .where(counted_person())
            .group_by(supported.c.commune_key, *columns))


    # -- trusted-address cases (aggregates: the rows carry sex, age band and ethnic group) ----

    def case_filter(self, spec: dict[str, Any], span: Span) -> list[Any]:
        """Cases received in the span by live trusted addresses; `violence_form`, `sex` and
        `age_band` (a code or a list of codes) narrow them, as the catalogue item says."""
        conditions = [TrustedAddressCase.deleted.is_(False), Group.deleted.is_(False),
                      TrustedAddressCase.reported_on >= span.start,
                      TrustedAddressCase.reported_on <= span.end]
        for option, column, prefix in (("violence_form", TrustedAddressCase.violence_form_key,
                                        "violence_form:"),
                                       ("sex", TrustedAddressCase.sex, ""),
                                       ("age_band", TrustedAddressCase.age_band, "")):
            wanted = spec.get(option)
            if wanted:
                codes = wanted if isinstance(wanted, list) else [wanted]
                conditions.append(column.in_([f"{prefix}{code}" for code in codes]))
        return conditions

    def _cases(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        minority = (case((TrustedAddressCase.ethnic_key.in_(self.minority), 1), else_=0)
                    if self.minority else literal(0))
        child = case((TrustedAddressCase.age_band == AgeBand.UNDER_16.value, 1), else_=0)
        columns = [TrustedAddressCase.sex.label("sex"), minority.label("minority"),
                   child.label("child"), Village.name.label("village")]
        return self._rows(
            select(Group.commune_key.label("commune"), *columns,
                   func.sum(TrustedAddressCase.case_count).label("n"))
            .select_from(TrustedAddressCase)
            .join(Group, Group.id == TrustedAddressCase.group_id)
            .outerjoin(Village, Village.id == Group.village_id)
            .where(*self.case_filter(spec, span))
            .group_by(Group.commune_key, *columns))

    # -- distinct people reached (issue 20: safe delivery, women officials trained) -----------

    def reached_people(self, spec: dict[str, Any], span: Span) -> Any:
        """(commune, person_id) of everyone reached once: present on the attendance list of an
        activity the rule names and, with `safe_delivery: true`, given safe-delivery support in
        the span. A union, so a woman counselled three times and supported counts once."""
        parts = [select(Activity.commune_key.label("commune"),
                        Attendance.person_id.label("person_id"))
                 .select_from(Attendance).join(Activity, Activity.id == Attendance.activity_id)
                 .where(*self.activity_filter(spec, span),
                        Activity.participation == Participation.ATTENDANCE,
                        Attendance.deleted.is_(False), Attendance.present.is_(True))]
        if spec.get("safe_delivery"):
            parts.append(select(SafeDeliverySupport.commune_key.label("commune"),
                                SafeDeliverySupport.person_id.label("person_id"))
                         .where(SafeDeliverySupport.deleted.is_(False),
                                SafeDeliverySupport.given_on >= span.start,
                                SafeDeliverySupport.given_on <= span.end))
        # UNION removes duplicates across the parts; DISTINCT within one (a lone part is no union)
        return (union(*parts) if len(parts) > 1 else parts[0].distinct()).subquery()

    def person_restriction(self, spec: dict[str, Any]) -> list[Any]:
        conditions: list[Any] = [counted_person()]
        if spec.get("sex") in (Sex.FEMALE, Sex.MALE):
            conditions.append(Person.sex == spec["sex"])
        if spec.get("minority"):
            conditions.append(Person.ethnic_key.in_(self.minority) if self.minority else false())
        return conditions

    def typed_reached(self, spec: dict[str, Any], activity: Activity) -> int | None:
        """What an activity recorded by counts adds: the typed figure that answers the rule's
        restriction (women x minority: the typed cross-tabulation), never estimated; None when
        no typed figure answers it. Typed counts cannot be told apart person by person, so a
        woman at two such sessions is counted twice (docs/indicators.md)."""
        women, minority = spec.get("sex") == Sex.FEMALE, bool(spec.get("minority"))
        if spec.get("sex") == Sex.MALE:
            return None if minority else activity.count_men
        if women and minority:
            return activity.count_women_minority
        if women:
            return activity.count_women
        return activity.count_minority if minority else activity.count_total

    def _people_reached(self, spec: dict[str, Any], span: Span) -> list[dict[str, Any]]:
        reached = self.reached_people(spec, span)
        columns = self._person_columns(span.as_at)
        rows = self._rows(
            select(reached.c.commune.label("commune"), *columns, func.count().label("n"))
            .select_from(reached)
            .join(Person, Person.id == reached.c.person_id)
            .outerjoin(Village, Village.id == Person.village_id)
            .where(*self.person_restriction(spec))
            .group_by(reached.c.commune, *columns))
        women = spec.get("sex") == Sex.FEMALE
        for activity in self.session.scalars(select(Activity).where(
                *self.activity_filter(spec, span), Activity.participation == Participation.COUNTS)):
            n = self.typed_reached(spec, activity) or 0
            restricted = bool(spec.get("sex") or spec.get("minority"))
            rows.append({
                "commune": activity.commune_key, "n": n,
                "women_n": n if women else (0 if restricted else activity.count_women),
                "men_n": n if spec.get("sex") == Sex.MALE else (
                    0 if restricted else activity.count_men),
                "minority_n": n if spec.get("minority") else (
                    (activity.count_women_minority or 0) if women else activity.count_minority),
                "children_n": 0 if restricted else activity.count_children})
        return rows
