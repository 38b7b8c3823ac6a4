"""Importing bundles (sync.md §4): every check that can reject the whole file runs first; then
the rows are merged inside one transaction, which a dry run rolls back (so the preview's counts
are exactly what the commit does) and a real import commits after a restore point."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import os
import stat
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from da8desktop.core import atomic_write
from da8desktop.core.faults import fault
from da8desktop.core.db.backup import backup_sqlite
from da8desktop.core.db.backup_scrub import scrub_backups
from da8desktop.core.db.database import Database
from da8desktop.core.db.dialect import (defer_foreign_keys, installation_for_update,
                                        refresh_statistics, serialise)
from da8desktop.core.db.models import (
    SYNCED_MODELS, AdminUnit, Attachment, Installation, Setting, SyncBundle, SyncPeer,
    Village)
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.reference import CatalogueFile, load_catalogue
from da8desktop.core.services.attachments import SHA256, UnsafeAttachment, stored_path
from da8desktop.core.services.redact import flush_old_pages, scrub_traces
from da8desktop.core.sync import codec
from da8desktop.core.sync.container import (AGE_MAGIC, BundleRejected, Opened, damaged,
                                            open_bundle)
from da8desktop.core.sync.enrol import awaiting_confirmation
from da8desktop.core.sync.errors import not_set_up_for_sync
from da8desktop.core.sync.conflicts import remember_source, take_notes
from da8desktop.core.sync.export import EXTENSION
from da8desktop.core.sync.keys import SiteKeys, fingerprint, unwrap, verify
from da8desktop.core.sync.labels import Labeller
from da8desktop.core.sync.manifest import Manifest, listed, read_manifest
from da8desktop.core.sync.merge import Merger, NotNew, Outcome
from da8desktop.core.sync.refused import record_receipts
from da8desktop.core.sync.partition import (COMMUNE_OWNED, MODELS_BY_TABLE, CommuneResolver,
                                             Ownership)
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
    fingerprint: str | None = None  # of the sending laptop, when it awaits confirmation
    redacted: int = 0
    sha256: str | None = None  # of the file as it is on the stick; a commit can require it

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


class _NationalTier(Exception):
    """The file is a bundle between a province and the centre (central_import.py)."""


NATIONAL_KINDS = ("aggregates", "catalogue")  # central_file.KINDS


# A folder of e-mail or Zalo downloads holds bundles under any name ("goi (1).bin"); only the
# first bytes of each file are read to find them, and no more than this many files are looked at.
MAX_FOLDER_FILES = 10_000


def bundle_files(paths: list[Path]) -> list[Path]:
    """Files given (whatever their name), and the bundles in the folders given: every .da8 file
    and every other file that starts with the age header (issue 21, item 7); half-written .part
    files skipped. Each one is then checked whole by open_bundle, its size first."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(_bundles_in(path))
        else:
            found.append(path)
    return found


def _bundles_in(folder: Path) -> list[Path]:
    found = []
    for number, entry in enumerate(sorted(folder.iterdir())):
        if number >= MAX_FOLDER_FILES:
            break
        if entry.suffix == ".part" or not entry.is_file():
            continue
        if entry.suffix == EXTENSION or _starts_like_a_bundle(entry):
            found.append(entry)
    return found


def _starts_like_a_bundle(path: Path) -> bool:
    try:  # non-blocking: a pipe put there in place of a file must not hang the import
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:  # unreadable: not listed (a named file still gets its plain refusal)
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, len(AGE_MAGIC)) == AGE_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


def import_paths(db: Database, paths: list[Path], *, dry_run: bool = False,
                 progress: Progress = no_progress, details: bool = True,
                 expect_sha256: Mapping[Path, str] | None = None,
                 keys: SiteKeys | None = None) -> list[ImportReport]:
    """Import each file in turn. One restore point is made, just before the first bundle that
    is authenticated and about to change the database (never for a refused, duplicate or
    previewed file). Without `details`, each report keeps only its rejected records and
    conflicts. `expect_sha256` (file -> the SHA-256 its preview showed) makes each commit apply
    exactly the file that was previewed. `keys`: this site's keys, unlocked by the caller (else
    unwrapped here, asking nobody)."""
    files = bundle_files(paths)
    reports = []
    restore_point = dry_run or db.file is None

    def before_apply() -> None:
        nonlocal restore_point
        if not restore_point:
            backup_sqlite(db.file, "before-sync-import", compress=False)
            restore_point = True

    expected = {Path(k): v for k, v in (expect_sha256 or {}).items()}
    for number, path in enumerate(files):
        progress(number, len(files))
        report = import_file(db, path, dry_run=dry_run, expect_sha256=expected.get(path),
                             before_apply=before_apply, keys=keys)
        if not details:
            report.drop_details()
        reports.append(report)
    if not dry_run and any(r.status == "applied" for r in reports):
        refresh_statistics(db.engine)  # the file may have grown many times over
    progress(len(files), len(files))
    return reports


def import_file(db: Database, path: Path, *, dry_run: bool = False,
                expect_sha256: str | None = None,
                before_apply: Callable[[], None] | None = None,
                keys: SiteKeys | None = None) -> ImportReport:
    """Preview (`dry_run`) or import one bundle. The report's `sha256` is the file's; giving it
    back as `expect_sha256` refuses a commit of a file that changed since its preview."""
    return read_and_apply(db, Path(path), dry_run=dry_run, expect_sha256=expect_sha256,
                          before_apply=before_apply, keys=keys)


def read_and_apply(db: Database, path: Path, *, dry_run: bool = False,
                   expect_sha256: str | None = None,
                   before_apply: Callable[[], None] | None = None, keys: SiteKeys | None = None,
                   keep: Callable[[Bundle], None] | None = None) -> ImportReport:
    """import_file; `keep` is handed the bundle read (decrypted, checked, decoded) before it is
    applied, so that a preview's commit applies it again without reading the file again
    (core/sync/prepared.py)."""
    name = path.name
    seen: dict[str, str] = {}
    try:
        with fewer_collections():
            read = read_bundle(db, path, name, expect_sha256, seen, keys)
            if isinstance(read, ImportReport):
                return read
            if keep is not None:
                keep(read)
            return apply_bundle(db, read, dry_run=dry_run, before_apply=before_apply)
    except _NationalTier:  # between a province and the centre: aggregates and catalogues only
        from da8desktop.core.sync.central_import import import_central_file

        return import_central_file(db, path, name, dry_run, expect_sha256, before_apply,
                                    keys=keys)
    except BundleRejected as exc:
        return ImportReport(name, "rejected", exc.message(), exc.reason,
                            sha256=seen.get("sha256"))


# The cyclic garbage collector's first generation, while a bundle is read and merged. An import
# makes hundreds of thousands of containers that it keeps (decoded records, their stamps and
# row versions) and frees almost none in cycles: at Python's default (a collection every 700
# new containers) the collector walked them 600 times in one commune's import, an eighth of
# its time (issue 23 item 4). Objects are still freed by their counts as ever; a cycle made
# meanwhile waits for the next collection, after the import.
IMPORT_GC_THRESHOLD = 50_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often inside (restored after, even on failure; nested calls keep
    the outer setting)."""
    before = gc.get_threshold()
    if before[0] >= IMPORT_GC_THRESHOLD or before[0] == 0:  # nested, or switched off
        yield
        return
    gc.set_threshold(IMPORT_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@dataclass(eq=False)
class Bundle:
    """One bundle read once: decrypted, its sender authenticated on the manifest, its entries
    checked against the signed hashes and every record decoded (or refused alone). Nothing in
    it depends on the database: the write transaction applies it, for a preview (rolled back)
    and again for the commit, whatever was written in between."""

    name: str
    opened: Opened  # manifest, signature, hashes; `entries` keeps only files/ and catalogue
    typed: Manifest
    manifest: dict[str, Any]
    tables: set[str]  # every table the file has an entry for (the ownership check reads them)
    decoded: list[tuple[type, Any]]  # (model, (id, values, stamps, context)), parents first
    refused: list[tuple[str, Any, str]]  # (table, the record as read, why): BadRecord
    records: int

    @property
    def bundle_id(self) -> uuid.UUID:
        return self.typed.bundle_id


def read_bundle(db: Database, path: Path, name: str, expect_sha256: str | None,
                seen: dict[str, str], keys: SiteKeys | None = None) -> Bundle | ImportReport:
    """In order: the file's size, the manifest decrypted from the file's start (typed and
    bounded), the addressee and the sender's signature -- then the whole file is decrypted, and
    only then the entries are decompressed and parsed (docs/bundle-format.md), one table at a
    time. A report when the file was already imported."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or not inst.keys_wrapped:
            raise not_set_up_for_sync()
        my_sign_public = inst.sign_public
        my_role = inst.role
    keys = keys or unwrap(inst.keys_wrapped)
    first: dict[str, Any] = {}

    def check_sender(head: Opened) -> None:
        """On the manifest of the first pass, before the whole file is decrypted."""
        if isinstance(head.manifest, dict) and head.manifest.get("kind") in NATIONAL_KINDS \
                or my_role == Role.CENTRAL.value:
            raise _NationalTier
        typed = _checked_manifest(head, name)
        manifest = typed.as_dict()
        if manifest["target"]["sign_public"] != my_sign_public:
            raise BundleRejected("not_addressed", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} is not addressed to this computer (it is for {target}). "
                "Nothing was imported."), file=name, target=_target_name(db, manifest["target"]))
        _authenticate_first(db, manifest, head, name, my_role)
        first.update(typed=typed, manifest=manifest)

    with open_bundle(path, keys, name, authenticate=check_sender) as opened:
        seen["sha256"] = opened.file_sha256
        if expect_sha256 is not None and opened.file_sha256 != expect_sha256.lower():
            raise changed_since_preview(name)
        typed, manifest = first["typed"], first["manifest"]  # the same bytes, open_bundle checked
        if _already_imported(db, typed.bundle_id):
            return _duplicate(_report(name, typed, manifest, opened, "duplicate"))
        # Authenticated: now, and only now, decompress, one table at a time.
        bundle = _decode_entries(opened, typed, manifest, name)
    return bundle


def changed_since_preview(name: str) -> BundleRejected:
    return BundleRejected("changed", QT_TRANSLATE_NOOP(
        "Sync", "The file {file} changed since the preview. Nothing was imported; "
        "preview it again."), file=name)


def _already_imported(db: Database, bundle_id: uuid.UUID) -> bool:
    with db.read() as session:
        return session.get(SyncBundle, bundle_id) is not None


def _report(name: str, typed: Manifest, manifest: dict[str, Any], opened: Opened,
            status: str) -> ImportReport:
    return ImportReport(name, status, bundle_id=str(typed.bundle_id),
                        source=str(manifest["source"].get("label")), seq=manifest["seq"],
                        created_at=manifest["created_at"], sha256=opened.file_sha256)


def _duplicate(report: ImportReport) -> ImportReport:
    report.status = "duplicate"
    report.message = QT_TRANSLATE_NOOP(
        "Sync", "{file} was already imported; nothing to do.").render(file=report.file)
    return report


def apply_bundle(db: Database, bundle: Bundle, *, dry_run: bool = False,
                 before_apply: Callable[[], None] | None = None) -> ImportReport:
    """The bundle merged in one write transaction: rolled back for a preview, committed after
    the restore point (`before_apply`) otherwise. The sender is authenticated again here, and
    the file checked again for having been imported meanwhile: between a preview and its
    commit, the database may have changed (another import, the officer's own edits); the
    merge reads it as it is now."""
    name, opened, manifest = bundle.name, bundle.opened, bundle.manifest
    report = _report(name, bundle.typed, manifest, opened, "dry_run" if dry_run else "applied")
    if not dry_run and before_apply is not None:
        before_apply()
    try:
        return _apply_once(db, bundle, report, dry_run, assume_new=True)
    except NotNew:  # rolled back whole; redone with every look-up
        report = _report(name, bundle.typed, manifest, opened, report.status)
        return _apply_once(db, bundle, report, dry_run, assume_new=False)


def _apply_once(db: Database, bundle: Bundle, report: ImportReport, dry_run: bool,
                assume_new: bool) -> ImportReport:
    name, opened, manifest = bundle.name, bundle.opened, bundle.manifest
    bundle_id = bundle.bundle_id
    try:
        with db.write() as uow:
            session = uow.session
            # Two officers importing from the same commune take turns (the second then sees
            # what the first wrote); different communes import side by side on a server.
            source = manifest["source"]
            serialise(session, f"sync-import:{source.get('commune') or source['sign_public']}")
            if session.get(SyncBundle, bundle_id) is not None:  # since it was read
                return _duplicate(report)
            inst = session.get(Installation, 1)
            assert inst is not None
            my_role, my_commune = inst.role, inst.commune_key
            peer, enrolled = _authenticate(session, manifest, opened, name, my_role)
            report.enrolled_fingerprint = enrolled
            report.source = peer.label  # our registry's name, never the one the sender chose
            if my_role == Role.PROVINCE.value and awaiting_confirmation(peer):
                _hold_until_confirmed(session, report, peer, name, dry_run)
                if dry_run:
                    raise _DryRun
                return report  # the registration this file made is kept; nothing else is
            # Before the sender's own site is noted here (just below): a commune's first
            # bundle names no site this database knew (partition.Ownership.assume_new).
            fresh = assume_new and _names_no_known_site(session, bundle.decoded)
            remember_source(session, manifest["source"]["site"], peer)  # names conflicts
            commune_key = peer.commune_key if my_role == Role.PROVINCE.value else my_commune
            _check_ownership(bundle.tables, peer.role, name)
            _load_catalogues(session, manifest, opened, peer, name)
            merger, outcomes = _merge_all(session, bundle, commune_key, peer.label,
                                          limit_sites=my_role == Role.PROVINCE.value,
                                          assume_new=fresh)
            _finish(db, session, uow, manifest, opened, peer, merger, outcomes, bundle_id, name,
                    dry_run, report, my_role)
            if dry_run:
                raise _DryRun
            fault("sync-import-before-commit", session.flush)  # tests/cli/test_kill.py
    except _DryRun:
        pass
    if report.redacted and not dry_run:
        flush_old_pages(db)
        scrub_backups(db, merger.redacted_ids)  # this computer's backups forget them too
    return report


def _hold_until_confirmed(session: Session, report: ImportReport, peer: SyncPeer,
                          name: str, dry_run: bool) -> None:
    """A laptop is trusted with a commune's data -- to read it or to change it -- only once the
    province officer has compared its fingerprint by phone and confirmed it: a setup file found
    by someone else must not let them rewrite the commune's records at the province. So the
    data of an unconfirmed laptop is not applied (and the bundle not recorded as imported: the
    same file imports once the laptop is confirmed)."""
    report.status = "rejected"
    report.reason = "unconfirmed"
    report.fingerprint = peer.fingerprint
    params = dict(commune=peer.label, file=name, fingerprint=peer.fingerprint or "?",
                  code=_code(session, peer.commune_key) or "?")
    if dry_run:
        report.message = QT_TRANSLATE_NOOP(
            "Sync", "The computer of {commune} that made {file} is not confirmed yet. Importing "
            "registers it but applies none of its data until you compare its fingerprint "
            "{fingerprint} with the commune officer by phone and confirm it; then import this "
            "file again.").render(**params)
        return
    report.message = QT_TRANSLATE_NOOP(
        "Sync", "The computer of {commune} that made {file} is registered but not confirmed yet, "
        "so nothing from it was imported. Compare its fingerprint {fingerprint} with the commune "
        "officer by phone, confirm it (Send and receive, \"Confirm the chosen computer…\", or "
        "da8desktop province confirm --commune-code {code} --fingerprint \"DIGITS\"), then "
        "import this file again.").render(**params)


def _authenticate_first(db: Database, manifest: dict[str, Any], opened: Opened, name: str,
                        my_role: str) -> None:
    """The sender's checks (registry, revocation, enrolment code, signature, claimed commune)
    on the manifest alone, before any entry is decompressed. They run again in the import's
    own transaction, which is where an enrolment is written; here everything is rolled back."""
    try:
        with db.write() as uow:
            _authenticate(uow.session, manifest, opened, name, my_role)
            raise _DryRun
    except _DryRun:
        pass


def _target_name(db: Database, target: dict[str, Any]) -> str:
    """The addressee by its code and the name this computer's own list gives that code: the
    sender is not known yet, so the label it wrote is not shown (it could say anything)."""
    commune = target.get("role") == Role.COMMUNE.value
    code = str(target.get("commune") if commune else target.get("province"))
    level = AdminLevel.COMMUNE if commune else AdminLevel.PROVINCE
    with db.read() as session:
        unit = session.get(AdminUnit, AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, level,
                                                         code))
    where = f"{'xã' if commune else 'tỉnh'} {code}"
    return f"{unit.name} ({where})" if unit is not None else where


def _checked_manifest(opened: Opened, name: str) -> Manifest:
    """The manifest through its declared model (manifest.py): BundleRejected, never a crash."""
    return read_manifest(opened.manifest, opened.manifest_bytes, name)


def _decode_entries(opened: Opened, typed: Manifest, manifest: dict[str, Any], name: str
                    ) -> Bundle:
    """Each table's entry decompressed (hash checked), parsed line by line and every record
    decoded at once, then its bytes let go: the parsed JSON of a whole bundle is never held.
    The record counts are checked against the manifest; the attachments' files and the
    catalogues are kept as bytes for the transaction."""
    counts = {e["path"]: e["records"] for e in manifest["entries"]}
    found: dict[str, list[tuple[type, Any]]] = {}
    refused: list[tuple[str, Any, str]] = []
    tables: set[str] = set()
    records = 0
    kept: dict[str, bytes] = {}
    memo: dict[Any, Any] = {}  # shared stamps and contexts (codec.decode_row)
    for path, data in opened.iter_entries(listed(typed)):
        if path.startswith("files/"):
            kept[path] = data
            continue
        table = path.removesuffix(".ndjson")
        if table not in MODELS_BY_TABLE and table != "catalogue":
            raise damaged(name, f"unknown table {table}")
        tables.add(table)
        number = 0
        try:
            if table == "catalogue":
                number = len(codec.read_lines(data))
                kept[path] = data
            else:
                model = MODELS_BY_TABLE[table]
                rows = found.setdefault(table, [])
                for record in codec.iter_lines(data):
                    number += 1
                    try:
                        rows.append((model, codec.decode_row(model, record, memo)))
                    except codec.BadRecord as exc:
                        refused.append((table, record, str(exc)))
        except codec.BadData as exc:
            raise damaged(name, f"{path}: {exc}") from None
        del data
        if number != counts.get(path):
            raise damaged(name, f"{path} holds {number} records, the manifest says {counts[path]}")
        records += number
    opened.entries = kept
    decoded = [row for model in SYNCED_MODELS for row in found.get(model.__tablename__, [])]
    _successors_first(decoded)
    return Bundle(name, opened, typed, manifest, tables, decoded, refused, records)


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
    if my_role == Role.PROVINCE.value:
        _claim_site(session, str(source["site"]), peer, name)
    return peer, enrolled


SITE_CLAIM = "sync:site:"


def _claim_site(session: Session, site: str, peer: SyncPeer, name: str) -> None:
    """A laptop speaks for one site of its own: the first enrolled laptop to send a site keeps
    it. Otherwise an enrolled laptop could name another laptop's site with a range up to the
    largest change number, and the province would tell that laptop it holds all its changes
    to come -- which it would then never send."""
    claim = session.get(Setting, SITE_CLAIM + site)
    owner = session.get(SyncPeer, uuid.UUID(claim.value)) if claim is not None else None
    inst = session.get(Installation, 1)
    if (inst is not None and site == str(inst.site_id)) or (
            owner is not None and owner.id != peer.id
            and not (owner.status == "revoked" and owner.commune_key == peer.commune_key)):
        raise BundleRejected("impostor", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} claims to carry the changes of another computer. Nothing "
            "was imported. Keep the file and check the computer that made it."), file=name)
    if claim is None:
        session.add(Setting(key=SITE_CLAIM + site, value=str(peer.id)))
    elif owner is None or owner.id != peer.id:
        claim.value = str(peer.id)


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


def _check_ownership(tables: set[str], sender_role: str, name: str) -> None:
    if sender_role == Role.COMMUNE.value:
        foreign = sorted(t for t in tables if t not in COMMUNE_OWNED)
        if foreign:
            raise BundleRejected("ownership", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} from a commune changes data only the province may "
                "change ({tables}). Nothing was imported."), file=name, tables=", ".join(foreign))


def _merge_all(session: Session, bundle: Bundle, commune_key: str | None, source_label: str,
               limit_sites: bool = False, assume_new: bool = False
               ) -> tuple[Merger, list[Outcome]]:
    name, decoded = bundle.name, bundle.decoded
    sites = Sites(session)
    resolver = CommuneResolver(session)
    incoming = {(model.__tablename__, row[0]) for model, row in decoded}
    outcomes: list[Outcome] = []
    by_table: dict[str, list[Any]] = {}  # the bundle's own names, for readable refusals
    for model, row in decoded:
        by_table.setdefault(model.__tablename__, []).append(row)
    for table, record, _why in bundle.refused:
        by_table.setdefault(table, []).append(record)
    labeller = Labeller(session, by_table, commune_key)
    refused: dict[tuple[str, uuid.UUID], str] = {}
    for table, record, why in bundle.refused:
        rid = _safe_id(record)
        raw = record.get("v") if isinstance(record, dict) else None
        label = labeller.label(table, raw if isinstance(raw, dict) else {}, rid)
        refused[(table, rid)] = label
        outcomes.append(Outcome("rejected", table, rid, label, reason=why))
    # A sender none of whose sites was known here (a commune's first bundle: `assume_new`, as
    # the caller found before noting the sender's site) sends rows this database cannot hold:
    # they are not looked up (partition.Ownership.assume_new).
    fresh = assume_new
    stored = _refuse_foreign_rows(session, decoded, commune_key, name, assume_new=fresh)
    if limit_sites:
        _refuse_invented_sites(sites, decoded, name)
    for model, (row_id, values, _stamps, _context) in decoded:
        resolver.note(model.__tablename__, row_id, resolver.commune_of(model, values))
    merger = Merger(session, sites, resolver, incoming, bundle.bundle_id, source_label)
    merger.labeller = labeller
    merger.stored = stored  # rows the ownership check found here: the others are not read again
    merger.assumed_new = fresh
    merger.rejected_ids.update(refused)  # their children are refused naming them
    merger.rejected_labels.update(refused)
    defer_foreign_keys(session)  # rows of one table may point at each other
    outcomes.extend(merger.apply_all(decoded))
    return merger, outcomes


def _names_no_known_site(session: Session, decoded: list[tuple[type, Any]]) -> bool:
    """No row of the bundle names, in its version vector, a site this database knows."""
    known = Sites(session).by_id
    return not any(site in known for _model, row in decoded for site in row[3])


def _successors_first(decoded: list[tuple[type, Any]]) -> None:
    """Villages name their successor village (the one table referring to itself): a successor
    goes before the villages naming it, so that when it is refused they are refused with it
    rather than applied and left naming a row that is not there."""
    at = [i for i, (model, _row) in enumerate(decoded) if model is Village]
    by_id = {decoded[i][1][0]: decoded[i] for i in at}
    ordered: list[tuple[type, Any]] = []
    seen: set[uuid.UUID] = set()
    for i in at:
        chain, current = [], decoded[i]
        while current is not None and current[1][0] not in seen:  # a loop without recursion
            seen.add(current[1][0])
            chain.append(current)
            current = by_id.get(current[1][1].get("successor_id"))
        ordered.extend(reversed(chain))
    for i, row in zip(at, ordered):
        decoded[i] = row


def _check_references(session: Session, name: str) -> None:
    """References are checked at commit (rows of a table may point at each other): check them
    now, in the preview as in the commit, so that a file whose records name each other and
    fail together is a plain refusal rather than an error at commit. Only `village` refers to
    its own table; every other reference was checked against the refused records in order."""
    try:
        if session.get_bind().dialect.name == "sqlite":
            broken = session.connection().exec_driver_sql(
                "PRAGMA foreign_key_check(village)").first() is not None
        else:
            session.connection().exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
            broken = False
    except IntegrityError:
        broken = True
    if broken:
        raise damaged(name, "records refer to records that were refused")


MAX_NEW_SITES = 100  # a laptop's own site and those of its restores; the rest came from here


def _refuse_invented_sites(sites: Sites, decoded: list[tuple[type, Any]], name: str) -> None:
    """Every site a commune's rows name has passed through the province, except the laptop's
    own (one per restore): thousands of new ones are invented, and each would become a row that
    every later import and export of the province reads."""
    new: set[str] = set()
    last: tuple[Any, Any] = (None, None)
    for _model, (_row_id, _values, stamps, context) in decoded:
        if stamps is last[0] and context is last[1]:
            continue  # rows of one write share them (codec.decode_row): the same sites
        last = (stamps, context)
        new.update(site for site in context if site not in sites.by_id)
        new.update(site for site, _seq, _hlc in stamps.values() if site not in sites.by_id)
        if len(new) > MAX_NEW_SITES:
            raise damaged(name, f"more than {MAX_NEW_SITES} unknown computers named")


def _refuse_foreign_rows(session: Session, decoded: list[tuple[type, Any]],
                         commune_key: str | None, name: str, assume_new: bool = False
                         ) -> set[tuple[str, uuid.UUID]]:
    """The whole file is refused when one record is not the sender's to send: rewriting,
    moving, deleting or erasing another commune's record is never an accident of a laptop in
    good hands, so nothing of that file is applied (docs/bundle-format.md, "Who may send what").
    The refusal names the tables and counts only, never the names the sender gave those rows."""
    ownership = Ownership(session, commune_key, assume_new=assume_new)
    found = ownership.violations(decoded)
    if found:
        tables = Counter(v.table for v in found)
        raise BundleRejected("partition", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} changes or adds {count} records that are not its "
            "commune's ({tables}). Nothing was imported: a commune may send only its own "
            "commune's records. Keep the file and check the computer that made it."),
            file=name, count=len(found),
            tables=", ".join(f"{table}: {n}" for table, n in sorted(tables.items())))
    return ownership.stored_keys()


def _safe_id(record: Any) -> uuid.UUID:
    try:
        return uuid.UUID(record["id"])
    except Exception:  # noqa: BLE001 - the id itself is what is broken
        return uuid.UUID(int=0)


def _load_catalogues(session: Session, manifest: dict[str, Any], opened: Opened,
                     peer: SyncPeer, name: str) -> None:
    """The province's catalogues, before the rows: a target of an indicator the province added
    in the same bundle would otherwise be refused for an unknown indicator, and lost."""
    if "catalogue" in manifest_tables(manifest) and peer.role == Role.PROVINCE.value:
        for entry in codec.read_lines(opened.entries["catalogue.ndjson"]):
            try:
                load_catalogue(session, CatalogueFile(entry["catalogue"], entry["version"],
                                                      entry["items"]), only_newer=True)
            except (KeyError, TypeError) as exc:
                raise damaged(name, f"catalogue: {exc}") from None


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
    # What could be applied is acknowledged: a refused record must not stall the rest. The
    # receipt names it; the commune keeps it listed and sends it again (refused.py).
    advance(session, sites, ranges)
    from da8desktop.core.sync.after_import import clock_and_copies, newest_from

    own = session.get(Installation, 1)
    acked_before = int((peer.acked or {}).get(str(own.site_id), 0)) if own is not None else 0
    newest = newest_from(session, peer, manifest)
    acked = dict(peer.acked or {})
    for site, seq in manifest["knowledge"].items():
        if my_role == Role.PROVINCE.value and site not in sites.by_id:
            continue  # only what an export reads: invented sites would grow it for ever
        # The sender's newest statement of what it holds is believed even when it is lower:
        # a file put back in time over there must be sent what it lost (sending more is safe).
        acked[site] = seq if newest else max(int(acked.get(site, 0)), seq)
    peer.acked = acked
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    peer.acked_at = now
    record_receipts(session, peer, manifest["summaries"],
                    keep_list=peer.role == Role.PROVINCE.value)
    if peer.role == Role.PROVINCE.value:  # conflicts in which this laptop's value lost
        take_notes(session, manifest["summaries"], session.get(Installation, 1).commune_key)
    scrub_traces(session, merger.redacted_ids)  # an erasure arrived: erase what we kept too
    report.redacted = len(merger.redacted_ids)
    inst = installation_for_update(session)  # fresh: another import may have moved it
    assert inst is not None
    inst.hlc = max(inst.hlc, merger.max_hlc)  # inside the transaction: a failure rolls it back
    clock_and_copies(db, uow, inst, peer, manifest, acked_before, dry_run, report)
    session.add(SyncBundle(
        bundle_id=bundle_id, direction="in", peer_id=peer.id, kind=manifest["kind"],
        seq=manifest["seq"], file_name=name[:200], sha256=opened.sha256,  # String(200)
        created_at=dt.datetime.fromisoformat(manifest["created_at"]), processed_at=now,
        summary={"counts": report.counts, "by_table": report.by_table,
                 "rejected": [o.as_dict() for o in outcomes if o.action == "rejected"]}))
    uow.audit(AuditAction.IMPORT, None, name, {"counts": report.counts, "from": peer.label},
              entity="sync_bundle", entity_id=str(bundle_id))
    session.flush()
    _check_references(session, name)
    if not dry_run:
        for path, data in opened.entries.items():
            if path.startswith("files/"):
                _store_file(db, session, path.removeprefix("files/"), data)


def manifest_tables(manifest: dict[str, Any]) -> set[str]:
    return {e["path"].removesuffix(".ndjson") for e in manifest["entries"]}


def _store_file(db: Database, session: Session, sha: str, data: bytes) -> None:
    """An attachment's file, stored by its hash (already checked against the manifest)."""
    if not SHA256.fullmatch(sha) or hashlib.sha256(data).hexdigest() != sha:
        return
    row = session.scalar(select(Attachment).where(Attachment.sha256 == sha).limit(1))
    if row is None:
        return
    try:
        target = stored_path(db, sha, row.file_name)
    except UnsafeAttachment:
        return  # a damaged row names no file we may write
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write.write_bytes(target, data, translate=False)


