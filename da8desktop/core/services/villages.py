"""The commune's own village list (thôn/bản), versioned: merges keep history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import Village
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.records import RecordService, required
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
