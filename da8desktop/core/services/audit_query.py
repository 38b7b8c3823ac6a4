"""Reading the audit trail: who changed, exported, printed or imported what, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AuditEntry
from da8desktop.core.services.audit_text import describe_all
from da8desktop.core.text import fold


@dataclass(frozen=True)
class AuditRow:
    at: dt.datetime  # UTC
    actor: str
    action: str
    entity: str
    summary: str  # as stored
    details: dict[str, Any]
    description: str = ""  # what the officer reads (audit_text): names, her language, dd/mm/yyyy


def list_audit(db: Database, action: str | None = None, search: str = "",
               limit: int | None = 5000) -> list[AuditRow]:
    """Newest first; `search` matches the summary and the kind of record, accents or not."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action == action)
    words = fold(search).split()
    with db.read() as session:
        entries = []
        for entry in session.scalars(query if words else query.limit(limit)):
            text = fold(f"{entry.summary} {entry.entity} {entry.actor}")
            if all(word in text for word in words):
                entries.append(entry)
                if limit is not None and len(entries) >= limit:
                    break
        return [AuditRow(e.at, e.actor, e.action, e.entity, e.summary, e.details or {}, text)
                for e, text in zip(entries, describe_all(session, entries))]



