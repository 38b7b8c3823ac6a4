"""Every print and export is written to the audit log (domain.md §6: keep a log of exports)."""

from __future__ import annotations

from typing import Any

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction


def record_output(db: Database, action: AuditAction, what: str, details: dict[str, Any]) -> None:
    with db.write() as uow:
        uow.audit(action.value, None, what, details, entity="output")
