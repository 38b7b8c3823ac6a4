"""Importing bundles (sync.md §4): every check that can reject the whole file runs first; then
the rows are merged inside one transaction, which a dry run rolls back (so the preview's counts
are exactly what the commit does) and a real import commits after a restore point."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.backup import backup_sqlite
from da8desktop.core.db.database import Database
from da8desktop.core.db.dialect import (defer_foreign_keys, installation_for_update,
                                        refresh_statistics, serialise)
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import (
    SYNCED_MODELS, AdminUnit, Attachment, Installation, SyncBundle, SyncPeer)
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.reference import CatalogueFile, load_catalogue
from da8desktop.core.services.attachments import stored_path
from da8desktop.core.services.redact import flush_old_pages, scrub_traces
from da8desktop.core.sync import codec
from da8desktop.core.sync.container import BundleRejected, damaged, decrypt, open_zip, Opened
from da8desktop.core.sync.errors import not_set_up_for_sync
from da8desktop.core.sync.export import EXTENSION
from da8desktop.core.sync.keys import fingerprint, unwrap, verify
from da8desktop.core.sync.merge import Merger, Outcome
from da8desktop.core.sync.partition import COMMUNE_OWNED, MODELS_BY_TABLE, CommuneResolver
from da8desktop.core.sync.state import Sites, advance

ACTIONS = ("new", "updated", "unchanged", "conflict", "deleted", "rejected")


@dataclass
class ImportReport:
    """The import summary (DHIS2-style): what happened, per table, with every record's change."""

    file: str
    status: str  # applied, dry_run, duplicate, rejected
    message: str = ""
    reason: str | None = None
    bundle_id: str | None = None
    source: str | None = None
    seq: int | None = None
    created_at: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    by_table: dict[str, dict[str, int]] = field(default_factory=dict)
    # Every record that changed, as Outcome objects: turned into dicts only when read, since a
    # first import of a commune is 35,000 new records that nobody may ever look at one by one.
    outcomes: list[Any] = field(default_factory=list, repr=False)
    enrolled_fingerprint: str | None = None
    redacted: int = 0

    @property
    def ok(self) -> bool:
        return self.status in ("applied", "dry_run", "duplicate")

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.first_records(len(self.outcomes))

    def first_records(self, limit: int) -> list[dict[str, Any]]:
        return [o.as_dict() for o in self.outcomes[:limit]]

    def drop_details(self) -> None:
        """Keep only what a summary shows (rejected records and conflicts): importing 150
        bundles in one go must not hold 5 million records in memory."""
        self.outcomes = [o for o in self.outcomes if o.action in ("rejected", "conflict")]

    def as_dict(self, with_records: bool = True) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "outcomes"}
        data["rejected"] = [o.as_dict() for o in self.outcomes if o.action == "rejected"]
        if with_records:
            data["records"] = self.records
        return data


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def bundle_files(paths: list[Path]) -> list[Path]:
    """Files given, and every bundle in the folders given (half-written .part files skipped)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix == EXTENSION and p.is_file()))
        else:
            found.append(path)
    return found


def import_paths(db: Database, paths: list[Path], *, dry_run: bool = False,
                 progress: Progress = no_progress, details: bool = True) -> list[ImportReport]:
    """Import each file in turn. One restore point is made before the first real change.
    Without `details`, each report keeps only its rejected records and conflicts."""
    files = bundle_files(paths)
    reports = []
    restore_point = dry_run or db.file is None
    for number, path in enumerate(files):
        progress(number, len(files))
        if not restore_point:
            backup_sqlite(db.file, "before-sync-import")  # type: ignore[arg-type]
            restore_point = True
        report = import_file(db, path, dry_run=dry_run)
        if not details:
            report.drop_details()
        reports.append(report)
    if not dry_run and any(r.status == "applied" for r in reports):
        refresh_statistics(db.engine)  # the file may have grown many times over
    progress(len(files), len(files))
    return reports


def import_file(db: Database, path: Path, *, dry_run: bool = False) -> ImportReport:
    name = Path(path).name
    try:
        return _import(db, Path(path), name, dry_run)
    except BundleRejected as exc:
        return ImportReport(name, "rejected", exc.message(), exc.reason)


def _import(db: Database, path: Path, name: str, dry_run: bool) -> ImportReport:
    try:
        data = path.read_bytes()  # read once from the stick; nothing is written back to it
    except OSError as exc:
        raise BundleRejected("unreadable", QT_TRANSLATE_NOOP(
            "Sync", "Cannot read {file}: {reason}"), file=name,
            reason=exc.strerror or str(exc)) from None
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or not inst.keys_wrapped:
            raise not_set_up_for_sync()
        my_sign_public = inst.sign_public
        my_role = inst.role
        my_commune = inst.commune_key
    keys = unwrap(inst.keys_wrapped)
    opened = open_zip(decrypt(data, keys, name), name)
    manifest = _checked_manifest(opened, name)
    if manifest["target"]["sign_public"] != my_sign_public:
        raise BundleRejected("not_addressed", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} is not addressed to this computer (it is for {target}). "
            "Nothing was imported."), file=name, target=_target_name(manifest["target"]))
    bundle_id = uuid.UUID(manifest["bundle_id"])
    report = ImportReport(name, "dry_run" if dry_run else "applied", bundle_id=str(bundle_id),
                          source=str(manifest["source"].get("label")), seq=manifest["seq"],
                          created_at=manifest["created_at"])
    with db.read() as session:
        if session.get(SyncBundle, bundle_id) is not None:
            report.status = "duplicate"
            report.message = QT_TRANSLATE_NOOP(
                "Sync", "{file} was already imported; nothing to do.").render(file=name)
            return report
    tables = _parse_entries(opened, manifest, name)
    try:
        with db.write() as uow:
            session = uow.session
            # Two officers importing from the same commune take turns (the second then sees
            # what the first wrote); different communes import side by side on a server.
            source = manifest["source"]
            serialise(session, f"sync-import:{source.get('commune') or source['sign_public']}")
            peer, enrolled = _authenticate(session, manifest, opened, name, my_role)
            report.enrolled_fingerprint = enrolled
            commune_key = peer.commune_key if my_role == Role.PROVINCE.value else my_commune
            _check_ownership(tables, peer.role, name)
            merger, outcomes = _merge_all(session, tables, commune_key, bundle_id, peer.label, name)
            _finish(db, session, uow, manifest, opened, peer, merger, outcomes, bundle_id, name,
                    dry_run, report, my_role)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    if report.redacted and not dry_run:
        flush_old_pages(db)
    return report


def _target_name(target: dict[str, Any]) -> str:
    if target.get("role") == Role.COMMUNE.value:
        return f"{target.get('label')} (xã {target.get('commune')})"
    return f"{target.get('label')} (tỉnh {target.get('province')})"


def _checked_manifest(opened: Opened, name: str) -> dict[str, Any]:
    m = opened.manifest
    try:
        uuid.UUID(m["bundle_id"])
        assert m["kind"] in ("delta", "snapshot")
        assert isinstance(m["seq"], int) and not isinstance(m["seq"], bool) and m["seq"] > 0
        assert isinstance(m["created_at"], str)
        assert all(isinstance(m[k], dict) for k in ("source", "target", "ranges", "knowledge"))
        assert isinstance(m["source"]["sign_public"], str) and isinstance(m["schema"], str)
        assert isinstance(m["min_reader_schema"], str) and isinstance(m["summaries"], list)
        for site, pair in m["ranges"].items():
            uuid.UUID(site)
            assert isinstance(pair, list) and len(pair) == 2
            assert all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in pair)
        for site, seq in m["knowledge"].items():
            uuid.UUID(site)
            assert isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0
    except (KeyError, TypeError, ValueError, AssertionError, AttributeError):
        raise damaged(name, "malformed manifest") from None
    if int(m["min_reader_schema"]) > int(BUNDLE_SCHEMA):
        raise BundleRejected("schema_newer", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by a newer version of da8desktop. Update the "
            "application first, then import it again; keep the file."), file=name)
    if int(m["schema"]) < int(BUNDLE_SCHEMA):
        raise BundleRejected("schema_older", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by an older version of da8desktop. Update the "
            "application on the computer that made it, then export again."), file=name)
    return m


def _parse_entries(opened: Opened, manifest: dict[str, Any], name: str
                   ) -> dict[str, list[Any]]:
    counts = {e["path"]: e["records"] for e in manifest["entries"]}
    tables: dict[str, list[Any]] = {}
    for path, data in opened.entries.items():
        if path.startswith("files/"):
            continue
        try:
            lines = codec.read_lines(data)
        except codec.BadData as exc:
            raise damaged(name, f"{path}: {exc}") from None
        if len(lines) != counts[path]:
            raise damaged(name, f"{path} holds {len(lines)} records, the manifest says {counts[path]}")
        table = path.removesuffix(".ndjson")
        if table not in MODELS_BY_TABLE and table != "catalogue":
            raise damaged(name, f"unknown table {table}")
        tables[table] = lines
    return tables


def _authenticate(session: Session, manifest: dict[str, Any], opened: Opened, name: str,
                  my_role: str) -> tuple[SyncPeer, str | None]:
    """The sender must be in the local registry (never trust a key carried in the bundle),
    enrolled, not revoked, and be who the manifest says. A commune's first bundle enrols it."""
    source = manifest["source"]
    peer = session.scalar(select(SyncPeer).where(SyncPeer.sign_public == source["sign_public"]))
    enrolled = None
    if peer is None:
        peer = _enrol(session, manifest, opened, name, my_role)
        enrolled = peer.fingerprint
    if peer.status == "revoked":
        raise BundleRejected("revoked", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} comes from a computer whose registration was revoked. "
            "Nothing was imported; that computer must be set up again."), file=name)
    if not verify(peer.sign_public or "", opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    claimed_commune = source.get("commune")
    real_commune = _code(session, peer.commune_key)
    if source.get("role") != peer.role or (peer.role == Role.COMMUNE.value
                                           and claimed_commune != real_commune):
        raise BundleRejected("impostor", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} claims to come from {claimed} but is signed by {real}. "
            "Nothing was imported."), file=name, claimed=str(source.get("label")), real=peer.label)
    return peer, enrolled


def _code(session: Session, key: str | None) -> str | None:
    unit = session.get(AdminUnit, key) if key else None
    return unit.code if unit else None


def _enrol(session: Session, manifest: dict[str, Any], opened: Opened, name: str,
           my_role: str) -> SyncPeer:
    source = manifest["source"]
    request = manifest.get("enrolment")
    if my_role != Role.PROVINCE.value or not isinstance(request, dict) \
            or source.get("role") != Role.COMMUNE.value:
        raise BundleRejected("unknown_sender", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} comes from a computer that is not registered here. Nothing "
            "was imported."), file=name)
    try:
        commune_key = AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE,
                                         source["commune"])
        code_hash = hashlib.sha256(str(request["code"]).encode()).hexdigest()
        box_public = str(request["box_public"])
    except (KeyError, TypeError, ValueError):
        raise damaged(name, "malformed enrolment request") from None
    pending = session.scalar(select(SyncPeer).where(
        SyncPeer.status == "pending", SyncPeer.commune_key == commune_key,
        SyncPeer.code_hash == code_hash))
    if pending is None:
        raise BundleRejected("enrolment_code", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} asks to register a computer of xã {commune} with an "
            "enrolment code that is wrong or already used. Nothing was imported; make a new setup "
            "file for that commune."), file=name, commune=str(source.get("commune")))
    if not verify(source["sign_public"], opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    pending.status = "enrolled"
    pending.sign_public = source["sign_public"]
    pending.box_public = box_public
    pending.code_hash = None  # one time only
    pending.fingerprint = fingerprint(source["sign_public"], box_public)
    pending.enrolled_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    session.flush()
    return pending


def _check_ownership(tables: dict[str, list[Any]], sender_role: str, name: str) -> None:
    if sender_role == Role.COMMUNE.value:
        foreign = sorted(t for t in tables if t not in COMMUNE_OWNED)
        if foreign:
            raise BundleRejected("ownership", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} from a commune changes data only the province may "
                "change ({tables}). Nothing was imported."), file=name, tables=", ".join(foreign))


def _merge_all(session: Session, tables: dict[str, list[Any]], commune_key: str | None,
               bundle_id: uuid.UUID, source_label: str, name: str
               ) -> tuple[Merger, list[Outcome]]:
    sites = Sites(session)
    resolver = CommuneResolver(session)
    decoded: list[tuple[type, Any]] = []
    incoming: set[tuple[str, uuid.UUID]] = set()
    outcomes: list[Outcome] = []
    for model in SYNCED_MODELS:  # parents first
        table = model.__tablename__
        for record in tables.get(table, []):
            try:
                row = codec.decode_row(model, record)
            except codec.BadRecord as exc:
                rid = _safe_id(record)
                outcomes.append(Outcome("rejected", table, rid, f"{table} {str(rid)[:8]}",
                                        reason=str(exc)))
                continue
            decoded.append((model, row))
            incoming.add((table, row[0]))
    for model, (row_id, values, _stamps, _context) in decoded:
        owner = resolver.commune_of(model, values)
        resolver.note(model.__tablename__, row_id, owner)
        if owner is not None and owner != commune_key:
            raise BundleRejected("partition", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} holds data of another commune. Nothing was imported."),
                file=name)
    merger = Merger(session, sites, resolver, incoming, bundle_id, source_label)
    defer_foreign_keys(session)  # rows of one table may point at each other
    outcomes.extend(merger.apply_all(decoded))
    return merger, outcomes


def _safe_id(record: Any) -> uuid.UUID:
    try:
        return uuid.UUID(record["id"])
    except Exception:  # noqa: BLE001 - the id itself is what is broken
        return uuid.UUID(int=0)


def _finish(db: Database, session: Session, uow: Any, manifest: dict[str, Any], opened: Opened,
            peer: SyncPeer, merger: Merger, outcomes: list[Outcome], bundle_id: uuid.UUID,
            name: str, dry_run: bool, report: ImportReport, my_role: str) -> None:
    counts = Counter(o.action for o in outcomes)
    report.counts = {a: counts.get(a, 0) for a in ACTIONS}
    by_table: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        by_table.setdefault(outcome.table, Counter())[outcome.action] += 1
    report.by_table = {t: dict(c) for t, c in by_table.items()}
    report.outcomes = [o for o in outcomes if o.action != "unchanged"]
    sites = Sites(session)
    ranges = {s: (r[0], r[1]) for s, r in manifest["ranges"].items()}
    if my_role == Role.PROVINCE.value:  # a commune speaks only for its own site
        ranges = {s: r for s, r in ranges.items() if s == manifest["source"]["site"]}
    if not counts.get("rejected"):  # rejected records come again in the next bundle
        advance(session, sites, ranges)
    from da8desktop.core.sync.after_import import clock_and_copies, newest_from

    own = session.get(Installation, 1)
    acked_before = int((peer.acked or {}).get(str(own.site_id), 0)) if own is not None else 0
    newest = newest_from(session, peer, manifest)
    acked = dict(peer.acked or {})
    for site, seq in manifest["knowledge"].items():
        # The sender's newest statement of what it holds is believed even when it is lower:
        # a file put back in time over there must be sent what it lost (sending more is safe).
        acked[site] = seq if newest else max(int(acked.get(site, 0)), seq)
    peer.acked = acked
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    peer.acked_at = now
    for summary in manifest["summaries"]:
        try:
            sent = session.get(SyncBundle, uuid.UUID(summary["bundle_id"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if sent is not None and sent.direction == "out" and sent.peer_id == peer.id:
            sent.receipt = summary
    if "catalogue" in manifest_tables(manifest) and peer.role == Role.PROVINCE.value:
        for entry in codec.read_lines(opened.entries["catalogue.ndjson"]):
            try:
                load_catalogue(session, CatalogueFile(entry["catalogue"], entry["version"],
                                                      entry["items"]), only_newer=True)
            except (KeyError, TypeError) as exc:
                raise damaged(name, f"catalogue: {exc}") from None
    scrub_traces(session, merger.redacted_ids)  # an erasure arrived: erase what we kept too
    report.redacted = len(merger.redacted_ids)
    inst = installation_for_update(session)  # fresh: another import may have moved it
    assert inst is not None
    inst.hlc = max(inst.hlc, merger.max_hlc)  # inside the transaction: a failure rolls it back
    clock_and_copies(db, uow, inst, peer, manifest, acked_before, dry_run, report)
    session.add(SyncBundle(
        bundle_id=bundle_id, direction="in", peer_id=peer.id, kind=manifest["kind"],
        seq=manifest["seq"], file_name=name, sha256=opened.sha256,
        created_at=dt.datetime.fromisoformat(manifest["created_at"]), processed_at=now,
        summary={"counts": report.counts, "by_table": report.by_table,
                 "rejected": [o.as_dict() for o in outcomes if o.action == "rejected"]}))
    uow.audit(AuditAction.IMPORT, None, name, {"counts": report.counts, "from": peer.label},
              entity="sync_bundle", entity_id=str(bundle_id))
    session.flush()
    if not dry_run:
        for path, data in opened.entries.items():
            if path.startswith("files/"):
                _store_file(db, session, path.removeprefix("files/"), data)


def manifest_tables(manifest: dict[str, Any]) -> set[str]:
    return {e["path"].removesuffix(".ndjson") for e in manifest["entries"]}


def _store_file(db: Database, session: Session, sha: str, data: bytes) -> None:
    """An attachment's file, stored by its hash (already checked against the manifest)."""
    row = session.scalar(select(Attachment).where(Attachment.sha256 == sha))
    if row is None or hashlib.sha256(data).hexdigest() != sha:
        return
    target = stored_path(db, sha, row.file_name)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_name(target.name + ".part")
        part.write_bytes(data)
        part.replace(target)


