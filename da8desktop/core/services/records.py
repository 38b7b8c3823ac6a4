"""The shared write path for synced records: normalise, derive, validate, stamp, audit."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Synced
from da8desktop.core.db.unit_of_work import UnitOfWork
from da8desktop.core import fields as declared
from da8desktop.core.errors import Issue, UserFacingError, ValidationFailed
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.text import nfc

M = TypeVar("M", bound=Synced)


@dataclass(frozen=True)
class WriteResult:
    id: uuid.UUID
    warnings: list[Issue] = field(default_factory=list)
    changed: dict[str, tuple[Any, Any]] = field(default_factory=dict)


class RecordNotFound(UserFacingError):
    pass


def today() -> dt.date:
    return dt.date.today()


class RecordService(Generic[M]):
    """Subclasses set `model` and may override `derive`, `check` and `label`."""

    model: ClassVar[type[Synced]]
    # Fields filled from the installation when the caller leaves them out.
    commune_owned: ClassVar[bool] = True

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- hooks ----------------------------------------------------------------------------------
    def derive(self, values: dict[str, Any]) -> dict[str, Any]:
        """Fields computed from others (search keys, collation keys). `values` is the full row."""
        return {}

    def derive_from(self, session: Session, values: dict[str, Any]) -> dict[str, Any]:
        """Fields defaulted from other rows (an activity's group from its catalogue entries)."""
        return {}

    def check(self, session: Session, values: dict[str, Any], row: M | None
              ) -> tuple[list[Issue], list[Issue]]:
        """(errors, warnings) for the full prospective row."""
        return [], []

    def label(self, values: dict[str, Any]) -> str:
        return str(values.get("name") or values.get("title") or "")

    def checked(self, session: Session, values: dict[str, Any], row: M | None
                ) -> tuple[list[Issue], list[Issue]]:
        """The declared limits and forms of core/fields.py (the same the province's sync
        import applies), then the service's own rules."""
        errors, warnings = self.check(session, values, row)
        limits = declared.problems(self.model.__tablename__, values)
        taken = {issue.field for issue in limits}
        return [*limits, *(e for e in errors if e.field not in taken)], warnings

    # -- operations ---------------------------------------------------------------------------
    def create(self, **fields: Any) -> WriteResult:
        with self.db.write() as uow:
            values = self._normalise(fields)
            if self.commune_owned and not values.get("commune_key"):
                # the commune, or the province for its own records (issue 20 item 7)
                inst = uow.installation()
                values["commune_key"] = inst.commune_key or inst.province_key
            values.update(self.derive(values))
            values.update(self.derive_from(uow.session, values))
            errors, warnings = self.checked(uow.session, values, None)
            if errors:
                raise ValidationFailed(errors)
            row = self.model(**values)
            if "id" in fields:
                row.id = fields["id"]
            uow.add(row, audit=self.label(values))
            return WriteResult(row.id, warnings)

    def update(self, row_id: uuid.UUID, **changes: Any) -> WriteResult:
        with self.db.write() as uow:
            row = self._load(uow, row_id)
            current = {name: getattr(row, name) for name in self.model.data_fields()}
            values = {**current, **self._normalise(changes)}
            values.update(self.derive(values))
            values.update(self.derive_from(uow.session, values))
            errors, warnings = self.checked(uow.session, values, row)
            if errors:
                raise ValidationFailed(errors)
            diff = uow.update(row, {k: v for k, v in values.items() if current.get(k) != v},
                              audit=self.label(values))
            return WriteResult(row.id, warnings, diff)

    def delete(self, row_id: uuid.UUID) -> WriteResult:
        """Recoverable: the row becomes a tombstone and can be restored."""
        with self.db.write() as uow:
            row = self._load(uow, row_id)
            uow.set_deleted(row, True, audit=self.label(self._values(row)))
            return WriteResult(row.id)

    def restore(self, row_id: uuid.UUID) -> WriteResult:
        with self.db.write() as uow:
            row = self._load(uow, row_id, include_deleted=True)
            uow.set_deleted(row, False, audit=self.label(self._values(row)))
            return WriteResult(row.id)

    # -- helpers ------------------------------------------------------------------------------
    def _load(self, uow: UnitOfWork, row_id: uuid.UUID, include_deleted: bool = False) -> M:
        row = uow.session.get(self.model, row_id)
        if row is None or (row.deleted and not include_deleted):
            raise RecordNotFound(QT_TRANSLATE_NOOP(
                "Records", "The record was not found (it may have been deleted)."))
        return row  # type: ignore[return-value]

    def _values(self, row: Synced) -> dict[str, Any]:
        return {name: getattr(row, name) for name in self.model.data_fields()}

    @staticmethod
    def _normalise(fields: dict[str, Any]) -> dict[str, Any]:
        """Every text goes in as NFC, trimmed; empty strings become NULL."""
        return {k: nfc(v) if isinstance(v, str) else v for k, v in fields.items() if k != "id"}


def required(values: dict[str, Any], name: str, errors: list[Issue]) -> None:
    if values.get(name) in (None, ""):
        errors.append(Issue(name, QT_TRANSLATE_NOOP("Validation", "This field is required.")))
