"""Importing the national tier's bundles (docs/bundle-format.md, "The national tier"), with the
reader's order of checks of every bundle: size, the manifest from the file's start (typed and
bounded, central_file.py), the addressee and the sender from this computer's own registry,
then the whole file, then the entries. At the centre, a province's figures replace that
province's figures whole, once every commune they name is checked to be that province's (as
registered here, never as the bundle says); at the province, the centre's catalogue versions
load when newer."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (AdminUnit, CentralFigure, CentralTarget, Installation,
                                       Setting, SyncBundle, SyncPeer)
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.reference import CatalogueFile, catalogue_files, load_catalogue, read_catalogue
from da8desktop.core.services.catalogue import received_catalogue_problem
from da8desktop.core.sync.central import CENTRAL_CODE_KEY, awaiting_central_confirmation
from da8desktop.core.sync.central_file import (CentralManifest, FigureLine, IndicatorLine,
                                               parse_lines, read_central_manifest)
from da8desktop.core.sync.container import BundleRejected, Opened, damaged, open_bundle
from da8desktop.core.sync.errors import not_set_up_for_sync
from da8desktop.core.sync.keys import SiteKeys, fingerprint, unwrap, verify
from da8desktop.core.sync.setup_file import CatalogueLine

INDICATORS_KEY = "central:indicators:"  # + province code: the names its catalogue gives


class _Rollback(Exception):
    pass


@dataclass(eq=False)
class CentralBundle:
    """One national-tier bundle read once: decrypted, its sender checked on the manifest, its
    entries checked against the signed hashes and parsed. Nothing in it depends on the
    database: the write transaction applies it, for a preview (rolled back) and again for the
    commit (core/sync/prepared.py), against the database as it is then."""

    name: str
    manifest: CentralManifest
    opened: Opened  # manifest bytes and signature (checked again at apply); no entries kept
    lines: dict[str, list[Any]]  # entry path -> its typed lines

    @property
    def records(self) -> int:
        return sum(len(lines) for lines in self.lines.values())


def import_central_file(db: Database, path: Path, name: str, dry_run: bool,
                        expect_sha256: str | None,
                        before_apply: Callable[[], None] | None,
                        keys: SiteKeys | None = None,
                        keep: Callable[[CentralBundle], None] | None = None) -> Any:
    """Preview or import one bundle between a province and the centre: an ImportReport.
    `keys`: this site's keys, unlocked by the caller (a worker thread never prompts). `keep`
    is handed the bundle read before it is applied, so that a preview's commit applies it
    without reading the file again (core/sync/prepared.py)."""
    from da8desktop.core.sync.importer import ImportReport

    seen: dict[str, str] = {}
    try:
        read = read_central(db, Path(path), name, expect_sha256, seen, keys)
        if not isinstance(read, CentralBundle):
            return read  # already imported
        if keep is not None:
            keep(read)
        return apply_central(db, read, dry_run=dry_run, before_apply=before_apply)
    except BundleRejected as exc:
        return ImportReport(name, "rejected", exc.message(), exc.reason,
                            sha256=seen.get("sha256"))


def read_central(db: Database, path: Path, name: str, expect_sha256: str | None,
                 seen: dict[str, str], keys: SiteKeys | None = None) -> Any:
    """The file read and checked, in the reader's order (the module's docstring): a
    CentralBundle, or an ImportReport when the file was already imported. Raises
    BundleRejected."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or not inst.keys_wrapped:
            raise not_set_up_for_sync()
        my_sign_public, my_role = inst.sign_public, inst.role
    keys = keys or unwrap(inst.keys_wrapped)
    first: dict[str, CentralManifest] = {}

    def check_sender(head: Opened) -> None:
        m = read_central_manifest(head.manifest, head.manifest_bytes, name)
        if m.target.sign_public != my_sign_public:
            raise BundleRejected("not_addressed", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} is not addressed to this computer (it is for {target}). "
                "Nothing was imported."), file=name, target=m.target.label[:80])
        wanted = "aggregates" if my_role == Role.CENTRAL.value else "catalogue"
        if my_role not in (Role.CENTRAL.value, Role.PROVINCE.value) or m.kind != wanted:
            raise BundleRejected("kind", QT_TRANSLATE_NOOP(
                "Central", "The file {file} is not a bundle this computer takes (a province sends "
                "figures to the centre; the centre sends catalogues to a province). Nothing was "
                "imported."), file=name)
        try:  # the sender's checks, rolled back: the import's own transaction runs them again
            with db.write() as uow:
                _authenticate(uow.session, m, head, name, my_role)
                raise _Rollback
        except _Rollback:
            pass
        first["m"] = m

    with open_bundle(path, keys, name, authenticate=check_sender) as opened:
        seen["sha256"] = opened.file_sha256
        if expect_sha256 is not None and opened.file_sha256 != expect_sha256.lower():
            raise BundleRejected("changed", QT_TRANSLATE_NOOP(
                "Sync", "The file {file} changed since the preview. Nothing was imported; "
                "preview it again."), file=name)
        m = first["m"]
        if _already_imported(db, m):
            return _duplicate(_report(name, m, opened, "duplicate"))
        opened.read_entries({e.path: (e.sha256, e.bytes) for e in m.entries})
        counts: dict[str, int] = {e.path: e.records for e in m.entries}
        lines = {path: parse_lines(
            CatalogueLine if path == "catalogue.ndjson" else
            IndicatorLine if path == "central_indicator.ndjson" else FigureLine,
            data, counts[path], path, name) for path, data in opened.entries.items()}
        opened.entries = {}  # parsed: the bytes are not needed again
    return CentralBundle(name, m, opened, lines)


def _already_imported(db: Database, m: CentralManifest) -> bool:
    with db.read() as session:
        return session.get(SyncBundle, m.bundle_id) is not None


def _report(name: str, m: CentralManifest, opened: Opened, status: str) -> Any:
    from da8desktop.core.sync.importer import ImportReport

    return ImportReport(name, status, bundle_id=str(m.bundle_id), source=m.source.label,
                        seq=m.seq, created_at=m.created_at.isoformat(),
                        sha256=opened.file_sha256)


def _duplicate(report: Any) -> Any:
    from da8desktop.core.sync.importer import _duplicate as said_duplicate  # (a cycle at load)

    return said_duplicate(report)


def apply_central(db: Database, bundle: CentralBundle, *, dry_run: bool = False,
                  before_apply: Callable[[], None] | None = None) -> Any:
    """The bundle stored in one write transaction: rolled back for a preview, committed after
    the restore point (`before_apply`) otherwise. The sender is authenticated again, and the
    file checked again for having been imported meanwhile: between a preview and its commit
    the database may have changed (another import, a revoked or confirmed computer)."""
    name, m, opened, lines = bundle.name, bundle.manifest, bundle.opened, bundle.lines
    with db.read() as session:
        my_role = session.get(Installation, 1).role  # type: ignore[union-attr]
    if _already_imported(db, m):
        return _duplicate(_report(name, m, opened, "duplicate"))
    report = _report(name, m, opened, "dry_run" if dry_run else "applied")
    sha = opened.sha256
    if not dry_run and before_apply is not None:
        before_apply()
    try:
        with db.write() as uow:
            session = uow.session
            peer, enrolled = _authenticate(session, m, opened, name, my_role)
            report.enrolled_fingerprint = enrolled
            report.source = peer.label  # our registry's name
            if awaiting_central_confirmation(peer) and my_role == Role.CENTRAL.value:
                _hold(session, report, peer, name, dry_run)
                if dry_run:
                    raise _Rollback
                return report  # the registration is kept; the figures wait for confirmation
            if _older(session, peer, m):
                report.status = "duplicate"
                report.message = QT_TRANSLATE_NOOP(
                    "Central", "{file} is older than the figures already here from {province}; "
                    "nothing changed.").render(file=name, province=peer.label)
                raise _Rollback
            if my_role == Role.CENTRAL.value:
                report.counts = _store_aggregates(session, peer, m, lines, name)
            else:
                report.counts = _load_catalogues(session, lines.get("catalogue.ndjson", []), name)
                code = session.get(Setting, CENTRAL_CODE_KEY)
                if code is not None:  # the centre answered: it has registered this province
                    session.delete(code)
            now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
            peer.acked_at = now
            session.add(SyncBundle(
                bundle_id=m.bundle_id, direction="in", peer_id=peer.id, kind=m.kind, seq=m.seq,
                file_name=name[:200], sha256=sha, created_at=m.created_at, processed_at=now,
                summary=_summary(report.counts, m, lines, my_role)))
            uow.audit(AuditAction.IMPORT, None, name, {"counts": report.counts,
                                                       "from": peer.label},
                      entity="sync_bundle", entity_id=str(m.bundle_id))
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return report


def _authenticate(session: Session, m: CentralManifest, opened: Opened, name: str,
                  my_role: str) -> tuple[SyncPeer, str | None]:
    """The sender from this computer's registry, never from the key in the bundle -- except a
    province's first bundle, bound to the one-time code of the setup file the centre made."""
    peer = session.scalar(select(SyncPeer).where(SyncPeer.sign_public == m.source.sign_public))
    enrolled = None
    if peer is None:
        peer = _register(session, m, opened, name, my_role)
        enrolled = peer.fingerprint
    if peer.status == "revoked":
        raise BundleRejected("revoked", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} comes from a computer whose registration was revoked. "
            "Nothing was imported; that computer must be set up again."), file=name)
    if not verify(peer.sign_public or "", opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    expected = Role.PROVINCE.value if my_role == Role.CENTRAL.value else Role.CENTRAL.value
    claimed = _province_key(m.source.province) if m.source.province else None
    if peer.role != expected or (expected == Role.PROVINCE.value
                                 and claimed != peer.province_key):
        raise BundleRejected("impostor", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} claims to come from {claimed} but is signed by {real}. "
            "Nothing was imported."), file=name, claimed=m.source.label[:80], real=peer.label)
    return peer, enrolled


def _province_key(code: str) -> str:
    return AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.PROVINCE, code)


def _register(session: Session, m: CentralManifest, opened: Opened, name: str,
              my_role: str) -> SyncPeer:
    if my_role != Role.CENTRAL.value or m.enrolment is None or m.source.province is None:
        raise BundleRejected("unknown_sender", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} comes from a computer that is not registered here. Nothing "
            "was imported."), file=name)
    pending = session.scalar(select(SyncPeer).where(
        SyncPeer.status == "pending", SyncPeer.role == Role.PROVINCE.value,
        SyncPeer.province_key == _province_key(m.source.province),
        SyncPeer.code_hash == hashlib.sha256(m.enrolment.code.encode()).hexdigest()))
    if pending is None:
        raise BundleRejected("enrolment_code", QT_TRANSLATE_NOOP(
            "Central", "The file {file} asks to register a computer of tỉnh {province} with an "
            "enrolment code that is wrong or already used. Nothing was imported; make a new "
            "setup file for that province."), file=name, province=m.source.province)
    if not verify(m.source.sign_public, opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    pending.status = "enrolled"
    pending.sign_public = m.source.sign_public
    pending.box_public = m.enrolment.box_public
    pending.code_hash = None  # one time only
    pending.fingerprint = fingerprint(m.source.sign_public, m.enrolment.box_public)
    pending.enrolled_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    session.flush()
    return pending


def _hold(session: Session, report: Any, peer: SyncPeer, name: str, dry_run: bool) -> None:
    """A setup file found by someone else must not let them put figures at the centre: a
    province's figures count only once the centre's officer compared its fingerprint."""
    report.status = "rejected"
    report.reason = "unconfirmed"
    report.fingerprint = peer.fingerprint
    code = session.get(AdminUnit, peer.province_key)
    report.message = QT_TRANSLATE_NOOP(
        "Central", "The computer of {province} that made {file} is registered but not confirmed "
        "yet, so none of its figures were imported. Compare its fingerprint {fingerprint} with "
        "the province officer by phone, confirm it (da8desktop central confirm --province-code "
        "{code} --fingerprint \"DIGITS\"), then import this file again.").render(
            province=peer.label, file=name, fingerprint=peer.fingerprint or "?",
            code=code.code if code else "?")


def _older(session: Session, peer: SyncPeer, m: CentralManifest) -> bool:
    """Each bundle is the sender's whole picture: one older than the newest taken changes
    nothing (a stick carried late must not put old figures back)."""
    newest = session.scalar(select(func.max(SyncBundle.seq)).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "in"))
    return newest is not None and m.seq <= newest


def _store_aggregates(session: Session, peer: SyncPeer, m: CentralManifest,
                      lines: dict[str, list[Any]], name: str) -> dict[str, int]:
    figure_lines = lines.get("central_figure.ndjson", [])
    target_lines = lines.get("central_target.ndjson", [])
    codes = {line.commune for line in figure_lines + target_lines}
    keys = {code: AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE, code)
            for code in codes}
    ours = set(session.scalars(select(AdminUnit.key).where(
        AdminUnit.key.in_(list(keys.values())), AdminUnit.parent_key == peer.province_key)))
    foreign = sorted(code for code, key in keys.items() if key not in ours)
    if foreign:
        raise BundleRejected("partition", QT_TRANSLATE_NOOP(
            "Central", "The file {file} carries figures of {count} communes that are not "
            "communes of {province} (for example xã {example}). Nothing was imported: a "
            "province may send only its own communes' figures. Keep the file and check the "
            "computer that made it."), file=name, count=len(foreign), province=peer.label,
            example=foreign[0])
    counts = {"new": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    for model, incoming in ((CentralFigure, figure_lines), (CentralTarget, target_lines)):
        new = {}
        for line in incoming:
            at = (keys[line.commune], line.indicator, line.period)
            if at in new:
                raise damaged(name, f"{model.__tablename__}: {line.commune} {line.indicator} "
                                    f"{line.period} twice")
            new[at] = line.value
        old = {(c, i, p): v for c, i, p, v in session.execute(
            select(model.commune_key, model.indicator_code, model.period, model.value)
            .where(model.province_key == peer.province_key))}
        for at, value in new.items():
            counts["new" if at not in old else
                   "unchanged" if abs(old[at] - value) < 0.005 else "updated"] += 1
        counts["deleted"] += len(old.keys() - new.keys())
        session.execute(delete(model).where(model.province_key == peer.province_key))
        if new:
            session.execute(insert(model), [
                {"province_key": peer.province_key, "commune_key": c, "indicator_code": i,
                 "period": p, "value": v, "as_of": m.created_at}
                for (c, i, p), v in new.items()])
    names = [line.model_dump() for line in lines.get("central_indicator.ndjson", [])]
    key = INDICATORS_KEY + (m.source.province or "")
    setting = session.get(Setting, key)
    if setting is None:
        session.add(Setting(key=key, value=names))
    else:
        setting.value = names
    return counts


def _summary(counts: dict[str, int], m: CentralManifest, lines: dict[str, list[Any]],
             my_role: str) -> dict[str, Any]:
    """At the province, what the centre's bundle carried, for its link to the centre
    (central_link.py): the catalogue versions and whether it took this province's figures."""
    if my_role == Role.CENTRAL.value:
        return {"counts": counts}
    return {"counts": counts,
            "catalogues": {line.catalogue: line.version
                           for line in lines.get("catalogue.ndjson", [])},
            "figures_taken": len(m.summaries)}


def _load_catalogues(session: Session, lines: list[CatalogueLine], name: str
                     ) -> dict[str, int]:
    """Only the catalogues this program ships, each with only its own kinds of items."""
    shipped = {c.name: {i["kind"] for i in c.items}
               for c in map(read_catalogue, catalogue_files())}
    counts = {"updated": 0, "unchanged": 0}
    for line in lines:
        kinds = shipped.get(line.catalogue)
        if kinds is None or any(item.kind not in kinds for item in line.items):
            raise damaged(name, f"catalogue {line.catalogue}: not a catalogue of this program")
        problem = received_catalogue_problem(session, line.catalogue, line.version,
                                             line.as_items())
        if problem:
            raise BundleRejected("catalogue", QT_TRANSLATE_NOOP(
                "Central", "The centre's file {file} holds a catalogue ({catalogue} {version}) "
                "that this province cannot use: {problem} Nothing was imported; the figures "
                "are unchanged."), file=name, catalogue=line.catalogue, version=line.version,
                problem=problem)
        loaded = load_catalogue(session, CatalogueFile(line.catalogue, line.version,
                                                       line.as_items()), only_newer=True)
        counts["updated" if loaded else "unchanged"] += 1
    return counts
