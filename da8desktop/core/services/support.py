"""Per-person safe-delivery support and trusted-address cases (aggregates, never names)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (CatalogueItem, Group, Person, SafeDeliverySupport,
                                       TrustedAddressCase)
from da8desktop.core.domain import AgeBand, SafeDeliveryType, Sex
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, required
from da8desktop.core.services.units import legacy_unit_problem


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


class TrustedCasesService(RecordService[TrustedAddressCase]):
    """Only aggregates are accepted: there is no field for a victim's name or number at all."""

    model = TrustedAddressCase
    commune_owned = False

    def label(self, values: dict[str, Any]) -> str:
        return f"{values.get('reported_on')} x{values.get('case_count')}"

    def check(self, session: Session, values: dict[str, Any], row: TrustedAddressCase | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        group = session.get(Group, values.get("group_id"))
        if group is None or group.type_key != "group_type:DCTC":
            errors.append(Issue("group_id", QT_TRANSLATE_NOOP(
                "Support", "Cases are recorded on a trusted address.")))
        form = session.get(CatalogueItem, values.get("violence_form_key") or "")
        if form is None or form.kind != "violence_form":
            errors.append(Issue("violence_form_key", QT_TRANSLATE_NOOP(
                "Support", "Choose the form of violence.")))
        if values.get("sex") not in {s.value for s in Sex}:
            errors.append(Issue("sex", QT_TRANSLATE_NOOP("People", "Choose female or male.")))
        if values.get("age_band") not in {a.value for a in AgeBand}:
            errors.append(Issue("age_band", QT_TRANSLATE_NOOP("Support", "Choose the age band.")))
        if (values.get("case_count") or 0) < 1:
            errors.append(Issue("case_count", QT_TRANSLATE_NOOP("Support", "At least one case.")))
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
