"""Writing bundles: from what the receiver acknowledged (or everything with `full`), only the
rows of its partition, signed by us, encrypted to it, written as .part then renamed."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, bindparam, false, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from da8desktop import __version__
from da8desktop.core import hlc
from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import (
    SYNCED_MODELS, AdminUnit, Attachment, Installation, RowVersion, Setting, SyncBundle, SyncPeer,
    Synced)
from da8desktop.core.domain import AuditAction, Role
from da8desktop.core.ids import new_id
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.reference import catalogue_files, read_catalogue
from da8desktop.core.services.attachments import UnsafeAttachment, stored_path
from da8desktop.core.sync import codec
from da8desktop.core.sync.errors import not_set_up_for_sync
from da8desktop.core.sync.clock import redate_due
from da8desktop.core.sync.container import Entry, build_zip, encrypt, write_atomically
from da8desktop.core.sync.keys import SiteKeys, unwrap
from da8desktop.core.sync.manifest import check_written
from da8desktop.core.sync.partition import COMMUNE_OWNED, in_commune
from da8desktop.core.sync.refused import refused_ids
from da8desktop.core.sync.state import Sites, knowledge

ENROLMENT_CODE_KEY = "sync:enrolment_code"
EXTENSION = ".da8"
RETURNED_SUMMARIES = 20
SAFE_FILE_NAME = re.compile(r"da8-[A-Za-z0-9-]{1,80}\.da8")


@dataclass(frozen=True)
class WrittenBundle:
    path: Path
    peer_label: str
    kind: str
    seq: int
    records: int
    bundle_id: uuid.UUID | None = None


def unit_code(session: Session, key: str | None) -> str:
    unit = session.get(AdminUnit, key) if key else None
    return unit.code if unit else "0"


def party(session: Session, role: str, province_key: str, commune_key: str | None) -> str:
    """'xa03325' or 'tinh11': codes only, never names (file names are seen by anyone)."""
    if role == Role.COMMUNE.value:
        return f"xa{unit_code(session, commune_key)}"
    return f"tinh{unit_code(session, province_key)}"


def party_label(session: Session, commune_key: str | None, province_key: str) -> str:
    unit = session.get(AdminUnit, commune_key or province_key)
    return unit.name if unit else "?"


def _matching(model: type[Synced], where: Any, lo: dict[int, int] | None,
              again: list[uuid.UUID] | None) -> Any:
    """The rows matching `where`; with `lo`, only rows some site changed after the receiver's
    acknowledgement of that site, and the rows `again` (refused last time)."""
    query = select(model).where(where)
    if lo is not None:
        # From the (site, seq) index: the versions written after each acknowledgement, then
        # their rows -- proportional to the changes, where an EXISTS per row read every row.
        # `lo` holds only the sites with a change after the acknowledgement (sites_with_news):
        # none left means nothing changed (every row version names a site).
        changed = [and_(RowVersion.site_idx == idx, RowVersion.seq > seq) for idx, seq in lo.items()]
        wanted = model.id.in_(select(RowVersion.row_id).where(
            or_(*changed) if changed else false(),
            RowVersion.table_name == model.__tablename__))
        query = query.where(or_(wanted, model.id.in_(again)) if again else wanted)
    return query


def sites_with_news(session: Session, acked: dict[int, int]) -> dict[int, int]:
    """The acknowledgements {site index: seq} of the sites holding a version written after it:
    the others add nothing to a delta. A province knows every commune's sites; their 150 terms
    in every table's filter made SQLAlchemy compile an OR of 150 conditions 42 times for a
    10-row delta (0.6 s of 0.7 s at the full-scale benchmark's commune, P7b). One look-up per
    site on the (site, seq) index; the highest stored seq is used, not the knowledge vector,
    which stays lower across a gap while the rows after it are held and must travel."""
    probe = select(RowVersion.seq).where(RowVersion.site_idx == bindparam("idx"),
                                         RowVersion.seq > bindparam("seq")).limit(1)
    return {idx: seq for idx, seq in acked.items()
            if session.execute(probe, {"idx": idx, "seq": seq}).first() is not None}


def _contexts(connection: Connection, sites: Sites, model: type[Synced], query: Any,
              contexts: dict[Any, dict[str, int]]) -> None:
    """The version vectors of the rows `query` chose, in one query joined to the same filter,
    into `contexts` (keyed by the ids as the driver gives them)."""
    chosen = query.with_only_columns(model.id).subquery()
    row_id = type_coerce(RowVersion.row_id, NullType())
    for key, site_idx, seq in connection.execute(
            select(row_id, RowVersion.site_idx, RowVersion.seq)
            .join(chosen, chosen.c.id == RowVersion.row_id)
            .where(RowVersion.table_name == model.__tablename__)).all():
        contexts[key][sites.by_idx[site_idx]] = seq


def row_lines(session: Session, sites: Sites, model: type[Synced], where: Any,
              lo: dict[int, int] | None, again: list[uuid.UUID] | None = None
              ) -> list[dict[str, Any]]:
    """Current state of the rows matching `where` (see `_matching`), as bundle records."""
    query = _matching(model, where, lo, again)
    # Plain rows, not ORM objects, and the version vectors in one query joined to the same
    # filter: building 35,000 ORM instances was most of a full export's time.
    table = model.__table__
    rows = session.execute(query.with_only_columns(*table.columns).order_by(model.id)).all()
    contexts: dict[Any, dict[str, int]] = {row.id: {} for row in rows}
    chosen = query.with_only_columns(model.id).subquery()
    for row_id, site_idx, seq in session.execute(
            select(RowVersion.row_id, RowVersion.site_idx, RowVersion.seq)
            .join(chosen, chosen.c.id == RowVersion.row_id)
            .where(RowVersion.table_name == model.__tablename__)):
        contexts[row_id][sites.by_idx[site_idx]] = seq
    fields = model.data_fields()
    return [codec.encode_row(row, sites.by_idx, contexts[row.id], fields) for row in rows]


def row_texts(session: Session, sites: Sites, model: type[Synced], where: Any,
              lo: dict[int, int] | None, again: list[uuid.UUID] | None = None
              ) -> Iterator[tuple[str, dict[str, Any]]]:
    """The lines `row_lines` gives, as their JSON text (with each line's values), read and
    written straight from the stored values (codec.LineWriter): ids and stamps decoded into
    Python objects and encoded back were most of a full export's time (issue 23, P7a)."""
    query = _matching(model, where, lo, again)
    connection = session.connection()  # Core rows: the ORM's result handling is not needed
    writer = codec.LineWriter(model, connection.dialect, sites.by_idx)
    rows = connection.execute(query.with_only_columns(*writer.columns).order_by(model.id)).all()
    contexts: dict[Any, dict[str, int]] = {row[0]: {} for row in rows}
    _contexts(connection, sites, model, query, contexts)
    for row in rows:
        yield writer.line(row, contexts[row[0]])


def _key_tag(sign_public: str | None) -> str:
    """The first hex digits of a key, for file names (a key a laptop sent is not trusted to be
    plain hex)."""
    return re.sub(r"[^0-9a-f]", "", (sign_public or "").lower())[:4] or "0"


def catalogue_entry(session: Session | None = None) -> Entry:
    """The catalogues for the communes: as shipped, or as this province edited them (a newer
    version, issue 21 item 1)."""
    from da8desktop.core.services.catalogue import catalogue_from_db

    lines = []
    for path in catalogue_files():
        catalogue = read_catalogue(path)
        if session is not None:
            catalogue = catalogue_from_db(session, catalogue) or catalogue
        lines.append(codec.dumps({"catalogue": catalogue.name, "version": catalogue.version,
                                  "items": catalogue.items}))
    return Entry("catalogue.ndjson", ("\n".join(lines) + "\n").encode("utf-8"), len(lines))


def returned_summaries(session: Session, peer: SyncPeer) -> list[dict[str, Any]]:
    """Import summaries of the peer's latest bundles, travelling back as its receipts."""
    bundles = session.scalars(select(SyncBundle).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "in").order_by(
        SyncBundle.processed_at.desc()).limit(RETURNED_SUMMARIES))
    return [{"bundle_id": str(b.bundle_id), "seq": b.seq,
             "imported_at": b.processed_at.isoformat(timespec="seconds"),
             "counts": b.summary.get("counts", {}),
             "rejected": b.summary.get("rejected", [])[:200]} for b in bundles]


def withheld_from(inst: Installation, peer: SyncPeer) -> bool:
    """A setup file is not a key: a commune laptop whose fingerprint the province officer has
    not confirmed (enrol.confirm_commune_computer) is sent no personal data -- no row of a
    commune-owned table, no attachment -- only catalogues and targets."""
    return (inst.role == Role.PROVINCE.value and peer.role == Role.COMMUNE.value
            and peer.confirmed_at is None)


def export_for_peer(db: Database, session: Session, inst: Installation, keys: SiteKeys,
                    peer: SyncPeer, out_dir: Path, full: bool) -> WrittenBundle:
    sites = Sites(session)
    lo = None if full else sites_with_news(session, {
        idx: int(peer.acked.get(site_id, 0)) for idx, site_id in sites.by_idx.items()})
    again: dict[str, list[uuid.UUID]] = {}
    if inst.role == Role.COMMUNE.value:
        commune_key = inst.commune_key
        tables = [m for m in SYNCED_MODELS if m.__tablename__ in COMMUNE_OWNED]
        again = refused_ids(session)  # until the province takes them
    else:
        commune_key = peer.commune_key
        tables = list(SYNCED_MODELS)  # targets, and the commune's own rows for its other laptops
    assert commune_key is not None
    entries: list[Entry] = []
    total = 0
    sent_files: dict[str, Path] = {}
    unconfirmed = withheld_from(inst, peer)
    if unconfirmed:
        tables = [m for m in tables if m.__tablename__ not in COMMUNE_OWNED]
    for model in tables:
        texts: list[str] = []
        attached: list[dict[str, Any]] = []
        for text, values in row_texts(session, sites, model, in_commune(model, commune_key), lo,
                                      again.get(model.__tablename__)):
            texts.append(text)
            if model is Attachment:
                attached.append(values)
        if not texts:
            continue
        total += len(texts)
        texts.append("")  # every line ends with a newline
        data = "\n".join(texts).encode("utf-8")
        entries.append(Entry(f"{model.__tablename__}.ndjson", data, len(texts) - 1))
        if attached:
            for values in attached:
                try:
                    path = stored_path(db, values["sha256"], values["file_name"])
                except UnsafeAttachment:
                    continue  # a damaged row names no file: only files inside the folder travel
                if not values["deleted"] and path.is_file():
                    sent_files[values["sha256"]] = path
    for sha, path in sorted(sent_files.items()):
        entries.append(Entry(f"files/{sha}", path.read_bytes(), 1))
    if inst.role == Role.PROVINCE.value:
        entries.append(catalogue_entry(session))

    mine = knowledge(session)
    ranges = {site: [0 if full else int(peer.acked.get(site, 0)), seq] for site, seq in mine.items()}
    ranges = {site: r for site, r in ranges.items() if r[1] > r[0]}
    summaries = returned_summaries(session, peer)
    if unconfirmed:  # claim nothing, or the laptop would never be sent what was withheld
        ranges = {}
        # Rejected records are described with what the province holds: not for it yet either.
        summaries = [dict(summary, rejected=[]) for summary in summaries]
    elif summaries and inst.role == Role.PROVINCE.value:
        from da8desktop.core.sync.conflicts import notes_for

        notes = notes_for(session, peer)  # the laptop whose value lost is told, with names
        if notes:
            summaries[0] = dict(summaries[0], conflicts=notes)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    bundle_id = new_id()
    seq = peer.out_seq + 1
    source = party(session, inst.role, inst.province_key, inst.commune_key)
    target = party(session, peer.role, peer.province_key, peer.commune_key)
    manifest: dict[str, Any] = {
        "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA, "app_version": __version__,
        "bundle_id": str(bundle_id), "kind": "snapshot" if full else "delta",
        "created_at": now.isoformat(timespec="seconds"),
        "seq": seq, "previous_bundle": str(peer.last_out_bundle) if peer.last_out_bundle else None,
        "source": {"site": str(inst.site_id), "sign_public": inst.sign_public, "role": inst.role,
                   "province": unit_code(session, inst.province_key),
                   "commune": unit_code(session, inst.commune_key) if inst.commune_key else None,
                   "label": party_label(session, inst.commune_key, inst.province_key)},
        "target": {"sign_public": peer.sign_public, "role": peer.role,
                   "province": unit_code(session, peer.province_key),
                   "commune": unit_code(session, peer.commune_key) if peer.commune_key else None,
                   "label": party_label(session, peer.commune_key, peer.province_key)},
        "ranges": ranges, "knowledge": mine,
        "summaries": summaries,
    }
    if inst.role == Role.COMMUNE.value and not peer.acked:
        code = session.get(Setting, ENROLMENT_CODE_KEY)
        if code is not None:  # until the province confirms, every bundle asks to enrol
            manifest["enrolment"] = {"code": code.value, "box_public": inst.box_public}
    zipped = build_zip(manifest, entries, keys, check=check_written)  # the reader's own model
    assert peer.box_public is not None
    device = "" if peer.role == Role.PROVINCE.value else f"-{_key_tag(peer.sign_public)}"
    if inst.role == Role.COMMUNE.value:
        source += f"-{_key_tag(keys.sign_public)}"
    name = f"da8-{source}-to-{target}{device}-{now:%Y%m%d}-{seq:04d}{EXTENSION}"
    # Parts of the name come from the registry (a key a laptop sent when it enrolled): the name
    # must be one plain file name, written nowhere but the chosen folder.
    if not SAFE_FILE_NAME.fullmatch(name):
        raise ValueError(f"unsafe bundle file name {name!r}")
    path = write_atomically(out_dir / name, encrypt(zipped, peer.box_public))
    session.add(SyncBundle(
        bundle_id=bundle_id, direction="out", peer_id=peer.id, kind=manifest["kind"], seq=seq,
        file_name=name, sha256=hashlib.sha256(zipped).hexdigest(), created_at=now, processed_at=now,
        own_seq=inst.seq, summary={"records": total, "entries": len(entries)}))
    peer.out_seq = seq
    peer.last_out_bundle = bundle_id
    return WrittenBundle(path, peer.label, manifest["kind"], seq, total, bundle_id)


def export_bundles(db: Database, out_dir: Path, *, full: bool = False,
                   communes: Iterable[str] | None = None,
                   progress: Progress = no_progress,
                   keys: SiteKeys | None = None) -> list[WrittenBundle]:
    """One bundle per enrolled peer (the province, or every commune laptop). `keys`: this
    site's keys, unlocked by the caller (else unwrapped here, asking nobody)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = set(communes or [])
    with db.read() as session:
        inst = session.get(Installation, 1)
        peers = [p.id for p in session.scalars(select(SyncPeer).where(
            SyncPeer.status == "enrolled").order_by(SyncPeer.label))
            if not wanted or unit_code(session, p.commune_key) in wanted]
    if inst is None or not inst.keys_wrapped:
        raise not_set_up_for_sync()
    keys = keys or unwrap(inst.keys_wrapped)
    written = []
    for number, peer_id in enumerate(peers):
        progress(number, len(peers))
        with db.write() as uow:
            inst = uow.installation()
            if redate_due(inst, hlc.wall_millis()):
                uow.dot()  # stamps a wrong clock put in the future are re-dated, then sent
            peer = uow.session.get(SyncPeer, peer_id)
            assert peer is not None
            if Role.CENTRAL.value in (inst.role, peer.role):  # the national tier: aggregates
                from da8desktop.core.sync.central_export import export_central

                bundle = export_central(db, uow.session, inst, keys, peer, out_dir)
            else:
                bundle = export_for_peer(db, uow.session, inst, keys, peer, out_dir, full)
            uow.audit(AuditAction.EXPORT, None, bundle.path.name,
                      {"records": bundle.records, "kind": bundle.kind, "seq": bundle.seq},
                      entity="sync_bundle", entity_id=str(bundle.bundle_id))
        written.append(bundle)
    progress(len(peers), len(peers))
    if written:
        from da8desktop.core.services.site import remember_location

        remember_location(db)  # the highest change number sent: an older copy is recognised
    return written
