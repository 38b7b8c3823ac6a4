"""The commune's own village list (thôn/bản), versioned: merges keep history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import Group, Person, Village
from da8desktop.core.errors import Issue, UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, WriteResult, required
from da8desktop.core.text import collation_key, fold


class VillagesService(RecordService[Village]):
    model = Village

    def derive(self, values: dict[str, Any]) -> dict[str, Any]:
        return {"name_fold": fold(values.get("name"))}

    def check(self, session: Session, values: dict[str, Any], row: Village | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        required(values, "name", errors)
        clash = session.scalar(select(Village.id).where(
            Village.commune_key == values["commune_key"], Village.deleted.is_(False),
            Village.valid_to.is_(None), Village.name_fold == values["name_fold"],
            Village.id != (row.id if row else None)).limit(1)) if values.get("name") else None
        if clash is not None and values.get("valid_to") is None:
            errors.append(Issue("name", QT_TRANSLATE_NOOP(
                "Villages", "The commune already has a village with this name.")))
        return errors, []

    def list(self, include_closed: bool = False) -> list[Village]:
        query = select(Village).where(Village.deleted.is_(False))
        if not include_closed:
            query = query.where(Village.valid_to.is_(None))
        with self.db.read() as session:
            return sorted(session.scalars(query), key=lambda v: collation_key(v.name))

    def merge(self, old_id: uuid.UUID, into_id: uuid.UUID, on: dt.date | None = None) -> WriteResult:
        """Villages merged by a decision: the old one closes (kept, pointing at its successor,
        so past activities still name it) and its current people and groups move."""
        if old_id == into_id:
            raise UserFacingError(QT_TRANSLATE_NOOP("Villages", "Choose two different villages."))
        day = on or dt.date.today()
        with self.db.write() as uow:
            old = self._load(uow, old_id)
            into = self._load(uow, into_id)
            if old.valid_to is not None or into.valid_to is not None:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Villages", "Only current villages can be merged."))
            for model in (Person, Group):
                for row in uow.session.scalars(select(model).where(
                        model.village_id == old_id, model.deleted.is_(False))):
                    uow.update(row, {"village_id": into_id})
            uow.update(old, {"valid_to": day, "successor_id": into_id},
                       audit=f"{old.name} -> {into.name}", action="merge")
            return WriteResult(into_id)
