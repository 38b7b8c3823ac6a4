"""Cases handled by a trusted address (địa chỉ tin cậy), as aggregates only (domain.md §2, §6).

A case row says when, which form of violence, what support was given (codes from the
catalogue, never free text), the sex, age band and ethnic group of the people concerned and how
many cases share those answers. There is no field for a name, a number or a note, here, in the
table or in a bundle: victim confidentiality is one of a trusted address's principles, and a
free-text field is where a name would end up."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem, Group, TrustedAddressCase
from da8desktop.core.domain import AgeBand, Sex
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, required, today

TRUSTED_ADDRESS = "group_type:DCTC"
SUPPORT_KIND = "case_support"
FIRST_DAY = dt.date(2015, 1, 1)


def support_keys(text: str | None) -> list[str]:
    return [key for key in (text or "").split(",") if key]


def join_support(keys: list[str] | tuple[str, ...] | None) -> str | None:
    return ",".join(dict.fromkeys(keys)) if keys else None


class TrustedCasesService(RecordService[TrustedAddressCase]):
    """`support_given` may be passed as a list of `case_support:` keys; it is stored joined."""

    model = TrustedAddressCase
    commune_owned = False

    def label(self, values: dict[str, Any]) -> str:
        day = values.get("reported_on")
        shown = day.strftime("%d/%m/%Y") if isinstance(day, dt.date) else str(day or "")
        return f"{shown} ×{values.get('case_count')}"

    @staticmethod
    def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
        values = RecordService._normalise(fields)
        if isinstance(values.get("support_given"), (list, tuple)):
            values["support_given"] = join_support(list(values["support_given"]))
        return values

    def check(self, session: Session, values: dict[str, Any], row: TrustedAddressCase | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        group = session.get(Group, values.get("group_id"))
        if group is None or group.deleted or group.type_key != TRUSTED_ADDRESS:
            errors.append(Issue("group_id", QT_TRANSLATE_NOOP(
                "Support", "Cases are recorded on a trusted address.")))
        required(values, "reported_on", errors)
        day = values.get("reported_on")
        if day is not None and (not isinstance(day, dt.date) or not FIRST_DAY <= day <= today()):
            errors.append(Issue("reported_on", QT_TRANSLATE_NOOP(
                "Cases", "Enter the day the cases were received, not later than today.")))
        form = session.get(CatalogueItem, values.get("violence_form_key") or "")
        if form is None or form.kind != "violence_form":
            errors.append(Issue("violence_form_key", QT_TRANSLATE_NOOP(
                "Support", "Choose the form of violence.")))
        support = values.get("support_given")
        if support is not None and not self._known_support(session, support):
            errors.append(Issue("support_given", QT_TRANSLATE_NOOP(
                "Cases", "Choose the support given from the list.")))
        if values.get("sex") not in {s.value for s in Sex}:
            errors.append(Issue("sex", QT_TRANSLATE_NOOP("People", "Choose female or male.")))
        if values.get("age_band") not in {a.value for a in AgeBand}:
            errors.append(Issue("age_band", QT_TRANSLATE_NOOP("Support", "Choose the age band.")))
        ethnic = values.get("ethnic_key")
        if ethnic is not None:
            item = session.get(CatalogueItem, ethnic)
            if item is None or item.kind != "ethnic":
                errors.append(Issue("ethnic_key", QT_TRANSLATE_NOOP(
                    "Cases", "Choose the ethnic group from the list, or leave it empty.")))
        count = values.get("case_count")
        if type(count) is not int or count < 1:
            errors.append(Issue("case_count", QT_TRANSLATE_NOOP("Support", "At least one case.")))
        return errors, []

    @staticmethod
    def _known_support(session: Session, text: Any) -> bool:
        """Every code is a support of the catalogue (its shape is core/fields.py's, checked
        before this, the same check a bundle gets)."""
        if not isinstance(text, str):
            return False
        keys = support_keys(text)
        found = set(session.scalars(select(CatalogueItem.key).where(
            CatalogueItem.key.in_(keys), CatalogueItem.kind == SUPPORT_KIND)))
        return found == set(keys)


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    group_id: uuid.UUID
    reported_on: dt.date
    violence_form_key: str
    violence_form: str
    support_keys: tuple[str, ...]
    support: str  # the support names, joined
    sex: str
    age_band: str
    ethnic_key: str | None
    ethnic: str
    case_count: int


def list_cases(db: Database, group_id: uuid.UUID) -> list[CaseRow]:
    """A trusted address's live cases, newest first."""
    with db.read() as session:
        rows = session.scalars(select(TrustedAddressCase).where(
            TrustedAddressCase.group_id == group_id, TrustedAddressCase.deleted.is_(False))
            .order_by(TrustedAddressCase.reported_on.desc(), TrustedAddressCase.id)).all()
        return [_row(session, r) for r in rows]


def get_case(db: Database, case_id: uuid.UUID) -> CaseRow | None:
    with db.read() as session:
        row = session.get(TrustedAddressCase, case_id)
        return _row(session, row) if row is not None and not row.deleted else None


def _row(session: Session, r: TrustedAddressCase) -> CaseRow:
    def name(key: str | None) -> str:
        item = session.get(CatalogueItem, key) if key else None
        return item.name if item is not None else (key or "")

    keys = tuple(support_keys(r.support_given))
    return CaseRow(r.id, r.group_id, r.reported_on, r.violence_form_key,
                   name(r.violence_form_key), keys, ", ".join(name(k) for k in keys), r.sex,
                   r.age_band, r.ethnic_key, name(r.ethnic_key) if r.ethnic_key else "",
                   r.case_count)
