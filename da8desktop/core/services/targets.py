"""Targets per indicator, commune and period (a year '2026' or a phase '2026-2030')."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AdminUnit, CatalogueItem, Installation, Target
from da8desktop.core.domain import Role
from da8desktop.core.errors import Issue, UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, WriteResult


MAX_TARGET = 1_000_000_000
PERCENT_BOUND = QT_TRANSLATE_NOOP(
    "Targets", "{code} is a percentage: enter a target from 0 to 100.")


def is_percent_item(item: CatalogueItem) -> bool:
    """The catalogue row of a percentage indicator (the `share` rule; docs/indicators.md)."""
    return ((item.props or {}).get("compute") or {}).get("measure") == "share"


class TargetsService(RecordService[Target]):
    model = Target

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('indicator_key')} {values.get('period')} = {values.get('value')}"

    def check(self, session: Session, values: dict[str, Any], row: Target | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        indicator = session.get(CatalogueItem, values.get("indicator_key") or "")
        if indicator is None or indicator.kind != "indicator":
            errors.append(Issue("indicator_key", QT_TRANSLATE_NOOP("Targets", "Choose an indicator.")))
        period = str(values.get("period") or "")
        valid_year = len(period) == 4 and period.isdigit()
        valid_phase = len(period) == 9 and period[4] == "-" and (period[:4] + period[5:]).isdigit()
        if not (valid_year or valid_phase):
            errors.append(Issue("period", QT_TRANSLATE_NOOP(
                "Targets", "The period is a year (2026) or a phase (2026-2030).")))
        value = values.get("value")
        if value is None or value < 0:
            errors.append(Issue("value", QT_TRANSLATE_NOOP("Targets", "Enter a target of 0 or more.")))
        elif not math.isfinite(value) or value > MAX_TARGET:
            # "nan" passes `< 0`; stored, it broke every report that reads targets
            errors.append(Issue("value", QT_TRANSLATE_NOOP(
                "Targets", "Enter a target as a number from 0 to {most}."), {"most": "1.000.000.000"}))
        elif indicator is not None and is_percent_item(indicator) and value > 100:
            errors.append(Issue("value", PERCENT_BOUND, {"code": indicator.code}))
        unit = session.get(AdminUnit, values.get("commune_key") or "")
        if unit is not None and unit.level == "province":
            inst = session.get(Installation, 1)
            if inst is None or inst.role != Role.PROVINCE.value or inst.province_key != unit.key:
                errors.append(Issue("commune_key", QT_TRANSLATE_NOOP(
                    "Targets", "Only the province sets a target for the whole province.")))
        return errors, []

    def set_many(self, values: list[tuple[str, str, str, float | None]]) -> int:
        """(indicator, commune, period, value or None to remove) in one transaction: a grid
        saved at once is saved whole or not at all. Returns how many targets changed."""
        changed = 0
        with self.db.write() as uow:
            for indicator_key, commune_key, period, value in values:
                target_id = Target.make_id(indicator_key, commune_key, period)
                existing = uow.session.get(Target, target_id)
                if value is None:
                    if existing is not None and not existing.deleted:
                        _refuse_if_allocated(uow.installation(), existing)
                        self.delete(target_id)
                        changed += 1
                    continue
                if existing is not None and not existing.deleted and float(existing.value) == value:
                    continue
                self.set(indicator_key, period, value, commune_key)
                changed += 1
        return changed

    def set(self, indicator_key: str, period: str, value: float, commune_key: str | None = None,
            set_by_province: bool = True) -> WriteResult:
        """Create or change the one target for (indicator, commune, period)."""
        with self.db.write() as uow:
            inst = uow.installation()
            commune_key = commune_key or inst.commune_key
            if commune_key is None:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Targets", "Choose the commune the target is for."))
            at_province = inst.role == Role.PROVINCE.value
            set_by_province = set_by_province and at_province
            target_id = Target.make_id(indicator_key, commune_key, period)
            existing = uow.session.get(Target, target_id)
            _refuse_if_allocated(inst, existing)
            if existing is None:
                return self.create(id=target_id, indicator_key=indicator_key, period=period,
                                   value=value, commune_key=commune_key,
                                   set_by_province=set_by_province)
            if existing.deleted:
                self.restore(target_id)
            return self.update(target_id, value=value, set_by_province=set_by_province)


def _refuse_if_allocated(inst: Any, existing: Target | None) -> None:
    """A commune plans its own targets but never changes or removes one the province set."""
    if (inst.role != Role.PROVINCE.value and existing is not None and existing.set_by_province
            and not existing.deleted):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Targets", "This target was allocated by the province and cannot be changed "
            "here. Ask the province to change it."))


@dataclass(frozen=True)
class TargetValue:
    value: float
    set_by_province: bool


def targets_of(db: Database, period: str) -> dict[tuple[str, str], TargetValue]:
    """(indicator key, commune key) -> the live target of that period."""
    with db.read() as session:
        return {(t.indicator_key, t.commune_key): TargetValue(float(t.value), t.set_by_province)
                for t in session.scalars(select(Target).where(
                    Target.period == period, Target.deleted.is_(False)))}
