"""A province total split over its communes (issue 20 item 6, issue 21): evenly, by number of
villages, or typed by hand. The arithmetic is in whole numbers and always sums to the total; a
plan is previewed, then saved with the province's total in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Village
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.indicators.catalogue import Indicator
from da8desktop.core.indicators.progress import Commune, province_unit, scope_communes
from da8desktop.core.services.targets import MAX_TARGET, TargetsService, targets_of

WAYS = ("even", "villages", "typed")


def split_even(total: int, keys: list[str]) -> dict[str, int]:
    """Equal whole shares; the remainder goes one each to the first communes in the order given
    (the Vietnamese order of their names), so the same split is made every time."""
    return split_weighted(total, [(key, 1) for key in keys])


def split_weighted(total: int, weights: list[tuple[str, int]]) -> dict[str, int]:
    """Shares proportional to the weights (largest remainder): each gets the whole part of its
    share, and what is left goes one each to the largest fractions, ties in the order given."""
    whole = sum(w for _k, w in weights)
    if total < 0 or whole <= 0:
        raise ValueError("nothing to split over")
    shares = {key: total * w // whole for key, w in weights}
    left = total - sum(shares.values())
    by_fraction = sorted(range(len(weights)),
                         key=lambda i: (-((total * weights[i][1]) % whole), i))
    for i in by_fraction[:left]:
        shares[weights[i][0]] += 1
    return shares


@dataclass(frozen=True)
class SplitLine:
    commune: Commune
    weight: int | None  # villages, when split by villages
    before: float | None
    after: float | None

    def as_json(self) -> dict[str, Any]:
        return {"commune": self.commune.code, "commune_name": self.commune.name,
                "weight": self.weight, "before": self.before, "after": self.after}


@dataclass
class SplitPlan:
    indicator: Indicator
    period: str
    way: str
    total: float
    province: Commune
    total_before: float | None
    lines: list[SplitLine] = field(default_factory=list)

    @property
    def allocated(self) -> float:
        return sum(line.after or 0 for line in self.lines)

    @property
    def remainder(self) -> float:
        """What is still to allocate (typed by hand); 0 once the communes sum to the total."""
        return self.total - self.allocated

    def as_json(self) -> dict[str, Any]:
        return {"indicator": self.indicator.code, "period": self.period, "by": self.way,
                "total": self.total, "total_before": self.total_before,
                "allocated": self.allocated, "remainder": self.remainder,
                "communes": [line.as_json() for line in self.lines]}


def village_counts(db: Database, communes: list[str]) -> dict[str, int]:
    """Live villages of each commune (a merged village, whose validity ended, no longer counts)."""
    with db.read() as session:
        rows = session.execute(
            select(Village.commune_key, func.count())
            .where(Village.commune_key.in_(communes), Village.deleted.is_(False),
                   Village.valid_to.is_(None))
            .group_by(Village.commune_key))
        return {key: n for key, n in rows}


def plan_split(db: Database, indicator: Indicator, period: str, way: str,
               total: float | None = None, typed: dict[str, float] | None = None) -> SplitPlan:
    """What a split would write; nothing is saved. `total` defaults to the province's target
    held for the period; `typed` (commune key -> value) is the split typed by hand."""
    with db.read() as session:
        scope, _name, communes = scope_communes(session)
        province = province_unit(session)
    if scope != "province" or province is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "Only the province splits a total over its communes."))
    if indicator.is_percent:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "{code} is a percentage: a percentage is not split over communes. Give "
            "each commune its own percentage instead."), code=indicator.code)
    if way not in WAYS:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "Split evenly, by villages or as typed."))
    held = targets_of(db, period)
    total_before = held.get((indicator.key, province.key))
    total = total if total is not None else (total_before.value if total_before else None)
    if total is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "The province has no total for {code} in {period} yet. Enter the total "
            "first (the row \"Whole province\"), then split it."), code=indicator.code,
            period=period)
    if not 0 <= total <= MAX_TARGET:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "Enter a target as a number from 0 to {most}."), most="1.000.000.000")
    if not communes:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "This province has no communes to split the total over."))
    weights: dict[str, int] = {}
    if way == "typed":
        shares: dict[str, float | None] = {c.key: (typed or {}).get(c.key) for c in communes}
    else:
        if total != int(total):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Targets", "Only a whole number is split evenly or by villages; {total} is not "
                "one. Type the communes' shares by hand instead."), total=f"{total:g}")
        keys = [c.key for c in communes]
        if way == "even":
            shares = dict(split_even(int(total), keys))
        else:
            weights = village_counts(db, keys)
            if not any(weights.values()):
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Targets", "No commune has villages recorded yet, so the total cannot be "
                    "split by villages. Split it evenly or type the shares."))
            shares = dict(split_weighted(int(total), [(k, weights.get(k, 0)) for k in keys]))
    plan = SplitPlan(indicator, period, way, float(total), province,
                     total_before.value if total_before else None)
    for commune in communes:
        before = held.get((indicator.key, commune.key))
        after = shares.get(commune.key)
        plan.lines.append(SplitLine(commune, weights.get(commune.key, 0) if way == "villages"
                                    else None, before.value if before else None,
                                    None if after is None else float(after)))
    return plan


def apply_split(db: Database, plan: SplitPlan) -> int:
    """The province's total and every commune's share in one transaction; refused unless the
    shares add up to the total. Returns how many targets changed."""
    if abs(plan.remainder) > 1e-9:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "The communes' targets add up to {allocated}, not to the total {total} "
            "(a difference of {remainder}). Change the shares until they add up; nothing was "
            "saved."),
            allocated=f"{plan.allocated:g}", total=f"{plan.total:g}",
            remainder=f"{abs(plan.remainder):g}")
    values: list[tuple[str, str, str, float | None]] = [
        (plan.indicator.key, plan.province.key, plan.period, plan.total)]
    values += [(plan.indicator.key, line.commune.key, plan.period, line.after)
               for line in plan.lines if line.after is not None or line.before is not None]
    return TargetsService(db).set_many(values)
