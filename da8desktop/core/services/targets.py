"""Targets per indicator, commune and period (a year '2026' or a phase '2026-2030')."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from da8desktop.core.db.models import CatalogueItem, Target
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, WriteResult


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
        if values.get("value") is None or values["value"] < 0:
            errors.append(Issue("value", QT_TRANSLATE_NOOP("Targets", "Enter a target of 0 or more.")))
        return errors, []

    def set(self, indicator_key: str, period: str, value: float, commune_key: str | None = None,
            set_by_province: bool = True) -> WriteResult:
        """Create or change the one target for (indicator, commune, period)."""
        with self.db.write() as uow:
            commune_key = commune_key or uow.installation().commune_key
            target_id = Target.make_id(indicator_key, commune_key or "", period)
            existing = uow.session.get(Target, target_id)
            if existing is None:
                return self.create(id=target_id, indicator_key=indicator_key, period=period,
                                   value=value, commune_key=commune_key,
                                   set_by_province=set_by_province)
            if existing.deleted:
                self.restore(target_id)
            return self.update(target_id, value=value, set_by_province=set_by_province)
