"""Per-person safe-delivery support. Trusted-address cases (aggregates, never names) live in
trusted_cases.py; the name is kept here for older imports."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Person, SafeDeliverySupport
from da8desktop.core.domain import SafeDeliveryType, Sex
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, required
from da8desktop.core.services.units import legacy_unit_problem
from da8desktop.core.services.trusted_cases import TrustedCasesService

__all__ = ["SafeDeliveryService", "TrustedCasesService", "list_safe_delivery"]


class SafeDeliveryService(RecordService[SafeDeliverySupport]):
    model = SafeDeliverySupport

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('support_type')} {values.get('given_on')}"

    def check(self, session: Session, values: dict[str, Any], row: SafeDeliverySupport | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        required(values, "given_on", errors)
        person = session.get(Person, values.get("person_id"))
        if person is None or person.deleted:
            errors.append(Issue("person_id", QT_TRANSLATE_NOOP("Support", "Choose the woman supported.")))
        elif person.sex != Sex.FEMALE:
            errors.append(Issue("person_id", QT_TRANSLATE_NOOP(
                "Support", "Safe-delivery support is given to women.")))
        legacy = legacy_unit_problem(session, values)
        if legacy is not None:
            errors.append(legacy)
        if values.get("support_type") not in {t.value for t in SafeDeliveryType}:
            errors.append(Issue("support_type", QT_TRANSLATE_NOOP("Support", "Choose the kind of support.")))
        if (values.get("amount_vnd") or 0) < 0:
            errors.append(Issue("amount_vnd", QT_TRANSLATE_NOOP("Support", "The amount cannot be negative.")))
        return errors, []


@dataclass(frozen=True)
class SafeDeliveryRow:
    id: uuid.UUID
    given_on: dt.date
    full_name: str
    support_type: str
    amount_vnd: int
    voucher_no: str | None


def list_safe_delivery(db: Database) -> list[SafeDeliveryRow]:
    with db.read() as session:
        rows = session.execute(
            select(SafeDeliverySupport, Person.full_name)
            .join(Person, Person.id == SafeDeliverySupport.person_id)
            .where(SafeDeliverySupport.deleted.is_(False))
            .order_by(SafeDeliverySupport.given_on.desc())).all()
        return [SafeDeliveryRow(s.id, s.given_on, name, s.support_type, s.amount_vnd, s.voucher_no)
                for s, name in rows]
