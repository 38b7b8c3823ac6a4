"""Conflicts both ends see, with names (issue 21, item 5).

A concurrent edit is decided the same way everywhere (merge.py), but only the site that merged
both values notices: usually the province. So:

- each site that writes stamps is named by the commune and the computer it came from (the first
  hex digits of the laptop's key, as in the bundle file names): "Xã Mường Phăng (109e)". A site
  nobody named shows the random end of its id, never the UUIDv7 prefix (a timestamp two laptops
  set up the same minute share);
- when each value was written is kept beside the conflict (from its clock), with the ids of the
  two sites, in the `setting` table (no schema change);
- the province sends the laptop whose value lost a note of it with its receipts (`Summary.
  conflicts`, ignored by older readers); the laptop lists it as its own conflict;
- the officer keeps the winner (the conflict is closed) or restores the loser, which is written
  as a new edit of this computer and travels in the next bundle like any other."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Installation, Setting, SyncConflict, SyncPeer, SyncSite
from da8desktop.core.domain import Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.hlc import unpack
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync import codec
from da8desktop.core.sync.partition import MODELS_BY_TABLE

EXTRA_KEY = "sync:conflict:"  # + conflict id: {kept_at, lost_at, kept_site_id, lost_site_id}
SITE_PEERS_KEY = "sync:site_peers"  # {site id: peer id}: which laptop wrote with which site
MAX_NOTES = 100  # conflicts told to one laptop in one bundle
MAX_SITE_PEERS = 10_000
NOT_RESTORABLE = frozenset({"id", "commune_key"})


def computer_label(commune_or_province: str, sign_public: str | None) -> str:
    tag = "".join(c for c in (sign_public or "").lower() if c in "0123456789abcdef")[:4]
    return f"{commune_or_province} ({tag})" if tag else commune_or_province


def unnamed_site(site_id: str) -> str:
    """The random end of a UUIDv7, not its time prefix."""
    return f"…{site_id.replace('-', '')[-6:]}"


def site_label(session: Session, site_id: str) -> str:
    """Who wrote with this site: the commune (or province) and the computer."""
    inst = session.get(Installation, 1)
    if inst is not None and str(inst.site_id) == site_id:
        from da8desktop.core.sync.export import party_label

        return computer_label(party_label(session, inst.commune_key, inst.province_key),
                              inst.sign_public if inst.role == Role.COMMUNE.value else None)
    site = session.scalar(select(SyncSite).where(SyncSite.site_id == uuid.UUID(site_id)))
    if site is not None and site.label and site.label != site_id[:8]:
        return site.label
    return unnamed_site(site_id)


def remember_source(session: Session, site_id: str, peer: SyncPeer) -> None:
    """A bundle from `peer` was authenticated: its source site is that laptop (or province)."""
    from da8desktop.core.sync.state import Sites

    label = computer_label(peer.label, peer.sign_public if peer.role == Role.COMMUNE.value else None)
    idx = Sites(session).index(site_id, label)
    site = session.get(SyncSite, idx)
    if site is not None and site.label != label:
        site.label = label
    setting = session.get(Setting, SITE_PEERS_KEY)
    mapping = dict(setting.value) if setting is not None and isinstance(setting.value, dict) else {}
    if mapping.get(site_id) != str(peer.id) and len(mapping) < MAX_SITE_PEERS:
        mapping[site_id] = str(peer.id)
        if setting is None:
            session.add(Setting(key=SITE_PEERS_KEY, value=mapping))
        else:
            setting.value = mapping


def _moment(hlc: int | None) -> str | None:
    if not hlc:
        return None
    millis, _counter = unpack(int(hlc))
    try:
        return dt.datetime.fromtimestamp(millis / 1000, dt.timezone.utc).replace(
            tzinfo=None).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def record_details(session: Session, conflict: SyncConflict, kept: tuple[str, int],
                   lost: tuple[str, int]) -> None:
    """Names and times of the two sides, beside a conflict merge.py has just added."""
    conflict.kept_site = site_label(session, kept[0])[:200]
    conflict.lost_site = site_label(session, lost[0])[:200]
    session.flush()  # its id
    session.add(Setting(key=f"{EXTRA_KEY}{conflict.id}", value={
        "kept_at": _moment(kept[1]), "lost_at": _moment(lost[1]),
        "kept_site_id": kept[0], "lost_site_id": lost[0]}))


# -- what officers see -------------------------------------------------------------------------
@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    row_id: str
    field: str
    label: str
    kept: Any
    kept_by: str
    kept_at: str | None
    lost: Any
    lost_by: str
    lost_at: str | None
    detected_at: str
    from_province: bool  # told by the province: this computer's value lost there

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_conflicts(db: Database) -> list[ConflictView]:
    with db.read() as session:
        rows = list(session.scalars(select(SyncConflict).where(
            SyncConflict.resolved.is_(False)).order_by(SyncConflict.detected_at.desc())))
        extras = {s.key: s.value for s in session.scalars(select(Setting).where(
            Setting.key.in_([f"{EXTRA_KEY}{c.id}" for c in rows])))}
    views = []
    for c in rows:
        extra = extras.get(f"{EXTRA_KEY}{c.id}")
        extra = extra if isinstance(extra, dict) else {}
        views.append(ConflictView(
            c.id, c.table_name, str(c.row_id), c.field, c.label, c.kept_value, c.kept_site,
            extra.get("kept_at"), c.lost_value, c.lost_site, extra.get("lost_at"),
            c.detected_at.isoformat(timespec="seconds"), bool(extra.get("from_province"))))
    return views


# -- the province tells the laptop whose value lost ----------------------------------------------
_Value = Annotated[str, StringConstraints(max_length=1000)] | int | float | bool | None


class ConflictNote(BaseModel):
    """One conflict as a receipt carries it to the laptop whose value lost."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    table: str = Field(max_length=64)
    id: uuid.UUID
    field: str = Field(max_length=64)
    label: str = Field(max_length=1000)
    kept: _Value
    lost: _Value
    kept_by: str = Field(max_length=200)
    lost_by: str = Field(max_length=200)
    kept_at: str | None = Field(default=None, max_length=40)
    lost_at: str | None = Field(default=None, max_length=40)


def notes_for(session: Session, peer: SyncPeer) -> list[dict[str, Any]]:
    """Open conflicts at this province in which a site of `peer` (its laptop) lost."""
    mapping = session.get(Setting, SITE_PEERS_KEY)
    sites = {s for s, p in (mapping.value if mapping and isinstance(mapping.value, dict)
                            else {}).items() if p == str(peer.id)}
    if not sites:
        return []
    notes = []
    for conflict in session.scalars(select(SyncConflict).where(
            SyncConflict.resolved.is_(False)).order_by(SyncConflict.id)):
        extra = session.get(Setting, f"{EXTRA_KEY}{conflict.id}")
        value = extra.value if extra is not None and isinstance(extra.value, dict) else {}
        if value.get("lost_site_id") not in sites:
            continue
        note = {"table": conflict.table_name, "id": str(conflict.row_id),
                "field": conflict.field, "label": conflict.label[:1000],
                "kept": conflict.kept_value, "lost": conflict.lost_value,
                "kept_by": conflict.kept_site, "lost_by": conflict.lost_site,
                "kept_at": value.get("kept_at"), "lost_at": value.get("lost_at")}
        try:  # a value a note cannot carry (a list, a long text) is not sent: the bundle is
            ConflictNote.model_validate(note)
        except ValidationError:
            continue
        notes.append(note)
        if len(notes) >= MAX_NOTES:
            break
    return notes


def take_notes(session: Session, summaries: list[Any], my_commune: str | None) -> int:
    """At the laptop: each note about a record of this commune becomes a conflict listed here,
    once (a note repeats in every bundle while the province keeps it open)."""
    taken = 0
    for summary in summaries:
        listed = summary.get("conflicts") if isinstance(summary, dict) else None
        for raw in listed if isinstance(listed, list) else []:
            try:
                note = ConflictNote.model_validate(raw)
            except ValidationError:
                continue  # a note is information; a bad one is dropped, the bundle still applies
            model = MODELS_BY_TABLE.get(note.table)
            if model is None or note.field not in model.data_fields():
                continue
            row = session.get(model, note.id)
            if row is None or getattr(row, "commune_key", my_commune) != my_commune:
                continue
            known = session.scalar(select(SyncConflict.id).where(
                SyncConflict.table_name == note.table, SyncConflict.row_id == note.id,
                SyncConflict.field == note.field).limit(1))
            if known is not None and _same(session, known, note):
                continue
            conflict = SyncConflict(
                table_name=note.table, row_id=note.id, field=note.field, label=note.label,
                commune_key=my_commune, kept_value=note.kept, kept_site=note.kept_by,
                lost_value=note.lost, lost_site=note.lost_by, bundle_id=None,
                detected_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
            session.add(conflict)
            session.flush()
            session.add(Setting(key=f"{EXTRA_KEY}{conflict.id}", value={
                "kept_at": note.kept_at, "lost_at": note.lost_at, "from_province": True}))
            taken += 1
    return taken


def _same(session: Session, conflict_id: int, note: ConflictNote) -> bool:
    for conflict in session.scalars(select(SyncConflict).where(
            SyncConflict.table_name == note.table, SyncConflict.row_id == note.id,
            SyncConflict.field == note.field)):
        if conflict.kept_value == note.kept and conflict.lost_value == note.lost:
            return True
    return False


# -- the officer decides -------------------------------------------------------------------------
def resolve_conflict(db: Database, conflict_id: int, keep: str) -> str:
    """keep 'winner': the conflict is closed. keep 'loser': the losing value is written again as a
    new edit of this computer (it then wins everywhere with the next bundles). Returns `keep`."""
    if keep not in ("winner", "loser"):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Sync", "Choose which value to keep: winner or loser."))
    with db.write() as uow:
        session = uow.session
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None or conflict.resolved:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Sync", "There is no open conflict number {id}. See the list with: sync "
                "conflicts"), id=conflict_id)
        if keep == "loser":
            if uow.installation().role == Role.PROVINCE.value:
                # The province reads the communes' records, it never edits them
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Sync", "The province does not change a commune's records. The commune "
                    "whose value was not kept sees this conflict too and can restore it there; "
                    "here, keep the winning value."))
            _restore(uow, conflict)
        conflict.resolved = True
        uow.audit("update", None, f"{conflict.label} / {conflict.field}: {keep}",
                  {"conflict": conflict_id, "keep": keep}, entity="sync_conflict",
                  entity_id=str(conflict_id))
    return keep


def _restore(uow: Any, conflict: SyncConflict) -> None:
    model = MODELS_BY_TABLE.get(conflict.table_name)
    row = uow.session.get(model, conflict.row_id) if model is not None else None
    if row is None or conflict.field in NOT_RESTORABLE \
            or conflict.field not in model.data_fields():
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Sync", "The record of this conflict is not on this computer, so its value cannot "
            "be restored here. Keep the winning value, or restore it where the record is kept."))
    column = model.__table__.columns[conflict.field]
    try:
        lost = codec.decode_value(column, conflict.lost_value)
        kept = codec.decode_value(column, conflict.kept_value)
    except codec.BadRecord:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Sync", "The other value of this conflict does not fit the record any more; it "
            "cannot be restored. Correct the record by hand.")) from None
    if getattr(row, conflict.field) != kept:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Sync", "{record} was changed again since this conflict (its {field} is no longer "
            "the winning value). Open the record and correct it by hand, then keep the winner "
            "here."), record=conflict.label, field=conflict.field)
    uow.update(row, {conflict.field: lost}, audit=conflict.label)
