"""Achieved against target, for a commune or for every commune of a province."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AdminUnit, Installation, Target
from da8desktop.core.domain import Role
from da8desktop.core.indicators.catalogue import Indicator, load_indicators
from da8desktop.core.indicators.measures import Figure, Measurer, Span, achieved_value
from da8desktop.core.indicators.periods import Period, quarter_bounds
from da8desktop.core.text import collation_key

# A target is "behind" when less is reached than the share of its period gone by, less this slack
# (work is not spread evenly: most trainings happen in the second half of the year).
BEHIND_SLACK = 0.15


@dataclass(frozen=True)
class Commune:
    key: str
    code: str
    name: str


@dataclass
class Cell:
    target: float | None
    achieved: float
    figure: Figure
    status: str  # done | on_track | behind | no_target

    @property
    def percent(self) -> float | None:
        return None if not self.target else 100.0 * self.achieved / self.target


@dataclass
class IndicatorProgress:
    indicator: Indicator
    cell: Cell  # the whole commune, or the province (sum of its communes)
    in_quarter: float | None = None  # the quarter alone, for flow measures in a quarter view
    by_commune: dict[str, Cell] = field(default_factory=dict)  # province only
    # At the province: the target set for the whole province ("540 teams"), and the sum of the
    # communes' targets; the province cell compares with the first, else with the second.
    province_target: float | None = None
    allocated: float | None = None
    # The province's own activities (issue 20 item 7): in the total, in no commune's cell.
    province_own: Figure | None = None

    def as_json(self, communes: list[Commune]) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.indicator.code, "name": self.indicator.name,
            "name_en": self.indicator.name_en, "unit": self.indicator.unit,
            "target": self.cell.target, "achieved": self.cell.achieved,
            "percent": _round(self.cell.percent), "status": self.cell.status,
            "is_percent": self.indicator.is_percent,
            "breakdown": self.cell.figure.as_json()}
        if self.by_commune:
            data["province_target"] = self.province_target
            data["allocated"] = self.allocated
        if self.in_quarter is not None:
            data["achieved_in_quarter"] = self.in_quarter
        if self.province_own is not None:
            data["province_own"] = self.province_own.as_json()
        if self.by_commune:
            data["communes"] = [
                {"code": c.code, "name": c.name, "target": cell.target,
                 "achieved": cell.achieved, "percent": _round(cell.percent), "status": cell.status}
                for c in communes if (cell := self.by_commune.get(c.key)) is not None]
        return data


@dataclass
class ProgressReport:
    scope: str  # commune | province
    unit_name: str
    period: Period
    as_at: dt.date
    expected: float  # share of the targets' period gone by
    communes: list[Commune]
    rows: list[IndicatorProgress]

    def as_json(self) -> dict[str, Any]:
        return {"scope": self.scope, "unit": self.unit_name, "period": {
            "kind": self.period.kind, "year": self.period.year, "quarter": self.period.quarter,
            "phase": self.period.phase_code, "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(), "target_period": self.period.target_period},
            "as_at": self.as_at.isoformat(), "expected_share": round(self.expected, 4),
            "indicators": [row.as_json(self.communes) for row in self.rows]}

    def behind(self) -> list[IndicatorProgress]:
        return [row for row in self.rows if row.cell.status == "behind"]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def status_of(achieved: float, target: float | None, expected: float,
              percent: bool = False) -> str:
    if not target:
        return "no_target"
    if achieved >= target:
        return "done"
    if percent:  # a share does not accumulate through the year: compared as it stands
        return "on_track" if achieved >= target - 100 * BEHIND_SLACK else "behind"
    return "on_track" if achieved / target >= expected - BEHIND_SLACK else "behind"


def province_unit(session: Session) -> Commune | None:
    """The province itself, at a province installation: its targets for the whole province
    are kept under its own admin unit, beside the communes'."""
    inst = session.get(Installation, 1)
    if inst is None or inst.role != Role.PROVINCE.value or not inst.province_key:
        return None
    unit = session.get(AdminUnit, inst.province_key)
    return Commune(unit.key, unit.code, unit.name) if unit else None


def province_of(db: Database) -> Commune | None:
    with db.read() as session:
        return province_unit(session)


def scope_communes(session: Session) -> tuple[str, str, list[Commune]]:
    """('commune' | 'province', the unit's name, the communes reported on)."""
    inst = session.get(Installation, 1)
    if inst is None:
        return "commune", "", []
    if inst.role == Role.PROVINCE.value:
        province = session.get(AdminUnit, inst.province_key)
        units = session.scalars(select(AdminUnit).where(
            AdminUnit.parent_key == inst.province_key, AdminUnit.level == "commune"))
        communes = sorted((Commune(u.key, u.code, u.name) for u in units),
                          key=lambda c: collation_key(c.name))
        return "province", province.name if province else "", communes
    unit = session.get(AdminUnit, inst.commune_key) if inst.commune_key else None
    return "commune", unit.name if unit else "", [Commune(unit.key, unit.code, unit.name)] if unit else []


def province_own_key(session: Session) -> str | None:
    """At the province, the unit its own activities are stamped with (issue 20 item 7)."""
    inst = session.get(Installation, 1)
    return inst.province_key if inst is not None and inst.role == Role.PROVINCE.value else None


def scope_of(db: Database) -> tuple[str, str, list[Commune]]:
    with db.read() as session:
        return scope_communes(session)


def targets_for(session: Session, period: str) -> dict[tuple[str, str], float]:
    return {(t.indicator_key, t.commune_key): float(t.value) for t in session.scalars(
        select(Target).where(Target.period == period, Target.deleted.is_(False)))}


def compute_progress(db: Database, period: Period, today: dt.date | None = None,
                     commune_key: str | None = None) -> ProgressReport:
    """Every indicator of the period's phase. At the province, per commune and in total: the
    total achieved is the sum of the communes (and of the province's own records), compared with
    the target set for the whole province, or else with the sum of the communes' targets (never
    for a percentage); `commune_key` narrows to one commune."""
    today = today or dt.date.today()
    expected = period.expected_share(today)
    as_at = period.as_at(today)
    with db.read() as session:
        scope, unit_name, communes = scope_communes(session)
        if commune_key is not None:
            communes = [c for c in communes if c.key == commune_key]
        keys = [c.key for c in communes]
        at_province = scope == "province" and commune_key is None
        whole = province_unit(session) if at_province else None
        if whole is not None:
            keys.append(whole.key)  # the province's own records, where there are any
        measurer = Measurer(session, keys)
        targets = targets_for(session, period.target_period)
        rows = []
        for indicator in load_indicators(session, period.phase_code):
            percent = indicator.is_percent
            figures = measurer.compute(indicator, Span(period.start, period.end, as_at),
                                       villages=scope == "commune")
            by_commune: dict[str, Cell] = {}
            total = Figure()
            target_sum: float | None = None
            for commune in communes:
                figure = figures.get(commune.key, Figure())
                target = targets.get((indicator.key, commune.key))
                achieved = achieved_value(indicator, figure)
                by_commune[commune.key] = Cell(target, achieved, figure,
                                               status_of(achieved, target, expected, percent))
                total.add(figure)
                if target is not None:
                    target_sum = (target_sum or 0) + target
            province_target = None
            own_figure = None
            if whole is not None:
                own_figure = figures.get(whole.key, Figure())
                total.add(own_figure)
                province_target = targets.get((indicator.key, whole.key))
            # Percentages are never summed: the province compares with its own target only.
            target = province_target if province_target is not None else (
                None if percent and whole is not None else target_sum)
            in_quarter = None
            if period.kind == "quarter" and not indicator.is_stock:
                alone = measurer.compute(indicator, Span(period.quarter_start, period.end, as_at))
                quarter = Figure()
                for figure in alone.values():
                    quarter.add(figure)
                in_quarter = achieved_value(indicator, quarter)
            achieved = achieved_value(indicator, total)
            rows.append(IndicatorProgress(
                indicator, Cell(target, achieved, total,
                                status_of(achieved, target, expected, percent)),
                in_quarter, by_commune if at_province else {},
                province_target, target_sum if at_province else None, own_figure))
    return ProgressReport(scope, unit_name, period, as_at, expected, communes, rows)


def timeline(db: Database, indicator: Indicator, period: Period, today: dt.date | None = None,
             commune_key: str | None = None) -> list[tuple[str, float | None]]:
    """The chart's bars: each quarter of the year (each year of a phase). A flow measure counts
    what happened in the step, a stock measure what existed at its end; steps not begun: None."""
    today = today or dt.date.today()
    with db.read() as session:
        _scope, _name, communes = scope_communes(session)
        keys = [commune_key] if commune_key else [c.key for c in communes]
        whole = None if commune_key else province_unit(session)
        if whole is not None:
            keys.append(whole.key)
        measurer = Measurer(session, keys)
        bars: list[tuple[str, float | None]] = []
        for label, first, last in period.chart_steps():
            if first > today:
                bars.append((label, None))
                continue
            figures = measurer.compute(indicator, Span(first, last, min(last, today)))
            step = Figure()
            for figure in figures.values():
                step.add(figure)
            bars.append((label, achieved_value(indicator, step)))
        return bars


def current_quarter_start(today: dt.date) -> dt.date:
    return quarter_bounds(today.year, (today.month - 1) // 3 + 1)[0]
