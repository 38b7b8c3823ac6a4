"""Records the province refused, as the commune keeps them (issue #18, item 2).

The province applies and acknowledges what it could apply and lists each refused record in the
receipt it sends back (`summaries`). Its knowledge moves past a refused record, so the commune
keeps its own list: a listed record is re-sent in every bundle (its parent may have been fixed,
or itself) and leaves the list only when the receipt of a bundle made after it was listed no
longer names it, i.e. the province took it. A receipt is read once, when it first arrives."""

from __future__ import annotations

import functools
import uuid
from typing import Any

from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Setting, SyncBundle, SyncPeer
from da8desktop.core.sync.partition import MODELS_BY_TABLE

REFUSED_KEY = "sync:refused_by_province"
MAX_LISTED = 2000  # a receipt carries at most 200 per bundle; this bounds what is kept


@functools.cache
def _refused_record() -> Any:
    """The model of one refused record, made when a receipt is first read: the window's status
    bar reads the list kept here, and must not import pydantic for it (issue 23 item 6)."""
    from pydantic import BaseModel, ConfigDict, Field, field_validator

    class RefusedRecord(BaseModel):
        """One refused record as a receipt names it: from another computer, so checked."""

        model_config = ConfigDict(extra="ignore", frozen=True)
        table: str = Field(max_length=40)
        id: uuid.UUID
        label: str = ""
        reason: str = ""

        @field_validator("label", "reason", mode="before")
        @classmethod
        def _cut(cls, value: Any) -> str:
            """Cut, never dropped: a record left out of its receipt would pass for taken."""
            return value[:400] if isinstance(value, str) else ""

    return RefusedRecord


def _records(summary: Any) -> list[Any]:
    from pydantic import ValidationError

    record_model = _refused_record()
    found = []
    listed = summary.get("rejected") if isinstance(summary, dict) else None
    for item in listed if isinstance(listed, list) else []:
        try:
            record = record_model.model_validate(item)
        except ValidationError:
            continue
        if record.table in MODELS_BY_TABLE:
            found.append(record)
    return found


def listed(session: Session) -> list[dict[str, Any]]:
    """[{table, id, label, reason, since}] in the order they were refused."""
    setting = session.get(Setting, REFUSED_KEY)
    return list(setting.value) if setting is not None and isinstance(setting.value, list) else []


def refused_ids(session: Session) -> dict[str, list[uuid.UUID]]:
    """Per table, the ids to send again in the next bundle."""
    ids: dict[str, list[uuid.UUID]] = {}
    for entry in listed(session):
        ids.setdefault(entry["table"], []).append(uuid.UUID(entry["id"]))
    return ids


def record_receipts(session: Session, peer: SyncPeer, summaries: list[Any],
                    keep_list: bool = True) -> None:
    """Keep each receipt on the bundle it speaks of; at a commune (`keep_list`), receipts seen
    for the first time update the list of refused records, oldest bundle first."""
    fresh: list[tuple[int, dict[str, Any]]] = []
    for summary in summaries:
        try:
            sent = session.get(SyncBundle, uuid.UUID(summary["bundle_id"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if sent is None or sent.direction != "out" or sent.peer_id != peer.id:
            continue
        if sent.receipt is None:
            fresh.append((sent.seq, summary))
        sent.receipt = summary
    if not fresh or not keep_list:
        return
    entries = {(e["table"], e["id"]): e for e in listed(session)}
    for seq, summary in sorted(fresh, key=lambda pair: pair[0]):
        named = {(r.table, str(r.id)): r for r in _records(summary)}
        for key, entry in list(entries.items()):
            if key not in named and seq > entry["since"]:
                del entries[key]  # re-sent in that bundle and not refused again: taken
        for key, record in named.items():
            # Bundles already written may not carry it; from the next one on, every bundle does.
            entries[key] = {"table": record.table, "id": str(record.id), "label": record.label,
                            "reason": record.reason, "since": peer.out_seq}
    kept = list(entries.values())[-MAX_LISTED:]
    setting = session.get(Setting, REFUSED_KEY)
    if setting is None:
        session.add(Setting(key=REFUSED_KEY, value=kept))
    else:
        setting.value = kept


def form_of(session: Session, table: str, row_id: uuid.UUID) -> tuple[str, uuid.UUID] | None:
    """Which form corrects a refused record: ("person" | "village" | "group" | "activity", id).
    A record without a form of its own (a membership, an attendance…) opens its person, group
    or activity."""
    own = {"person": "person", "village": "village", "community_group": "group",
           "activity": "activity"}
    if table in own:
        return own[table], row_id
    model = MODELS_BY_TABLE.get(table)
    row = session.get(model, row_id) if model is not None else None
    if row is None:
        return None
    for field, kind in (("person_id", "person"), ("group_id", "group"),
                        ("activity_id", "activity")):
        if getattr(row, field, None) is not None:
            return kind, getattr(row, field)
    owner = {"person": "person", "community_group": "group", "activity": "activity",
             "village": "village"}.get(getattr(row, "owner_table", ""))
    return (owner, row.owner_id) if owner else None


def form_for(db: Database, table: str, row_id: uuid.UUID) -> tuple[str, uuid.UUID] | None:
    """form_of, with a meeting that lists who came told apart ("meeting"): it has its own form."""
    from da8desktop.core.db.models import Activity

    with db.read() as session:
        target = form_of(session, table, row_id)
        if target is not None and target[0] == "activity":
            row = session.get(Activity, target[1])
            if row is not None and row.participation == "attendance":
                return "meeting", target[1]
        return target
