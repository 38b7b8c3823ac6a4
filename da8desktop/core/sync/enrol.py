"""Enrolment (sync.md §5): the province is created with its keys; it makes a signed setup file
per commune laptop (its public keys, the commune, catalogues, targets, a one-time code); the
laptop is set up from it and makes its own keys; its first bundle enrols it, bound to the code.
Both sides show fingerprints to compare by phone."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import AdminUnit, Installation, Setting, SyncPeer, Target
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.ids import new_id
from da8desktop.core.reference import CatalogueFile, load_catalogue
from da8desktop.core.services.site import SiteIdentity, set_up_installation
from da8desktop.core.sync import codec, keys as keymod
from da8desktop.core.sync.container import BundleRejected, Entry, build_zip, open_zip, write_atomically
from da8desktop.core.sync.export import ENROLMENT_CODE_KEY, catalogue_entry, row_lines
from da8desktop.core.sync.merge import Merger
from da8desktop.core.sync.partition import CommuneResolver, in_commune
from da8desktop.core.sync.state import Sites

SETUP_EXTENSION = ".da8setup"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _store_keys(inst: Installation, keys: keymod.SiteKeys, wrapped: dict) -> str:
    inst.sign_public, inst.box_public, inst.keys_wrapped = keys.sign_public, keys.box_public, wrapped
    return keys.fingerprint()


def province_init(db: Database, province_code: str) -> tuple[SiteIdentity, str]:
    """A province database with its keys. Returns its identity and fingerprint."""
    keys = keymod.generate()
    wrapped = keymod.wrap(keys)  # asks for the passphrase before anything is written
    with db.write() as uow:
        identity = set_up_installation(db, Role.PROVINCE, province_code)
        return identity, _store_keys(uow.installation(), keys, wrapped)


@dataclass(frozen=True)
class SetupFile:
    path: Path
    commune_name: str
    code: str


def enroll(db: Database, commune_code: str, out_dir: Path) -> SetupFile:
    """A signed setup file for one commune laptop, and its pending registration here."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or inst.role != Role.PROVINCE.value or not inst.keys_wrapped:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "Only a province data file set up with 'province init' can enrol communes."))
    keys = keymod.unwrap(inst.keys_wrapped)
    code = "".join(secrets.choice("0123456789") for _ in range(10))
    now = _now()
    with db.write() as uow:
        session = uow.session
        inst = uow.installation()
        commune_key = AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE, commune_code)
        commune = session.get(AdminUnit, commune_key)
        if commune is None or commune.parent_key != inst.province_key:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "Commune {code} is not a commune of this province."), code=commune_code)
        session.add(SyncPeer(
            id=new_id(), role=Role.COMMUNE.value, status="pending", province_key=inst.province_key,
            commune_key=commune_key, label=commune.name,
            code_hash=hashlib.sha256(code.encode()).hexdigest(), created_at=now, acked={},
            out_seq=0))
        targets = row_lines(session, Sites(session), Target, in_commune(Target, commune_key), None)
        entries = [catalogue_entry()]
        if targets:
            entries.insert(0, Entry("target.ndjson", "".join(
                codec.dumps(t) + "\n" for t in targets).encode("utf-8"), len(targets)))
        province = session.get(AdminUnit, inst.province_key)
        manifest = {
            "kind": "setup", "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA,
            "bundle_id": str(new_id()), "created_at": now.isoformat(timespec="seconds"),
            "source": {"site": str(inst.site_id), "sign_public": keys.sign_public,
                       "box_public": keys.box_public, "role": Role.PROVINCE.value,
                       "province": province.code, "label": province.name},  # type: ignore[union-attr]
            "commune": {"code": commune.code, "name": commune.name},
            "enrolment": {"code": code},
        }
        name = f"da8-setup-tinh{province.code}-to-xa{commune.code}-{now:%Y%m%d-%H%M%S}{SETUP_EXTENSION}"  # type: ignore[union-attr]
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        path = write_atomically(Path(out_dir) / name, build_zip(manifest, entries, keys))
        uow.audit(AuditAction.SETUP, None, f"setup file {name}", {"commune": commune.code},
                  entity="sync_peer", entity_id=commune.code)
    return SetupFile(path, commune.name, code)


@dataclass(frozen=True)
class CommuneSetup:
    identity: SiteIdentity
    fingerprint: str
    province_fingerprint: str


def commune_init(db: Database, setup_path: Path) -> CommuneSetup:
    name = Path(setup_path).name
    try:
        data = Path(setup_path).read_bytes()
    except OSError as exc:
        raise UserFacingError(QT_TRANSLATE_NOOP("Sync", "Cannot read {file}: {reason}"),
                              file=name, reason=exc.strerror or str(exc)) from None
    if data.startswith(b"age-encryption.org/"):  # a bundle carried by mistake
        raise BundleRejected("not_setup", QT_TRANSLATE_NOOP(
            "Sync", "{file} is a sync bundle, not a setup file. Ask the province for the setup "
            "file of this commune (its name ends in .da8setup)."), file=name)
    opened = open_zip(data, name)
    m = opened.manifest
    try:
        assert m["kind"] == "setup"
        source, commune, code = m["source"], m["commune"], m["enrolment"]["code"]
        province_sign, province_box = str(source["sign_public"]), str(source["box_public"])
        int(m["schema"])
    except (KeyError, TypeError, ValueError, AssertionError):
        raise BundleRejected("damaged", QT_TRANSLATE_NOOP(
            "Sync", "{file} is not a setup file of da8desktop. Ask the province for the setup "
            "file of this commune."), file=name) from None
    if int(m["min_reader_schema"]) > int(BUNDLE_SCHEMA):
        raise BundleRejected("schema_newer", QT_TRANSLATE_NOOP(
            "Sync", "The file {file} was made by a newer version of da8desktop. Update the "
            "application first, then import it again; keep the file."), file=name)
    # Trust on first use: the key is the one in the file; the officer compares the province's
    # fingerprint shown here with the one the province reads out.
    if not keymod.verify(province_sign, opened.manifest_bytes, opened.signature):
        raise BundleRejected("signature", QT_TRANSLATE_NOOP(
            "Sync", "The signature of {file} is not valid: the file was changed after it was "
            "made. Nothing was imported; ask for a new copy."), file=name)
    keys = keymod.generate()
    wrapped = keymod.wrap(keys)  # asks for the passphrase before anything is written
    now = _now()
    with db.write() as uow:  # one transaction: set up completely, or not at all
        identity = set_up_installation(db, Role.COMMUNE, str(source["province"]), str(commune["code"]))
        session = uow.session
        inst = uow.installation()
        my_fingerprint = _store_keys(inst, keys, wrapped)
        session.add(SyncPeer(
            id=new_id(), role=Role.PROVINCE.value, status="enrolled",
            province_key=inst.province_key, commune_key=None, label=str(source["label"]),
            sign_public=province_sign, box_public=province_box,
            fingerprint=keymod.fingerprint(province_sign, province_box), created_at=now,
            enrolled_at=now, acked={}, out_seq=0))
        session.add(Setting(key=ENROLMENT_CODE_KEY, value=str(code)))
        session.flush()
        sites = Sites(session)
        sites.index(str(source["site"]), str(source["label"]))
        if "catalogue.ndjson" in opened.entries:
            for entry in codec.read_lines(opened.entries["catalogue.ndjson"]):
                load_catalogue(session, CatalogueFile(entry["catalogue"], entry["version"],
                                                      entry["items"]), only_newer=True)
        if "target.ndjson" in opened.entries:
            merger = Merger(session, sites, CommuneResolver(session), set(), None, str(source["label"]))
            for record in codec.read_lines(opened.entries["target.ndjson"]):
                row_id, values, stamps, context = codec.decode_row(Target, record)
                if values["commune_key"] == inst.commune_key:
                    merger.apply(Target, row_id, values, stamps, context)
            inst.hlc = max(inst.hlc, merger.max_hlc)
        uow.audit(AuditAction.SETUP, None, f"set up from {name}", {"province": source["province"]},
                  entity="installation", entity_id=str(inst.site_id))
    return CommuneSetup(identity, my_fingerprint, keymod.fingerprint(province_sign, province_box))


def own_fingerprint(db: Database) -> str | None:
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or not inst.sign_public or not inst.box_public:
            return None
        return keymod.fingerprint(inst.sign_public, inst.box_public)


def revoke(db: Database, peer_id: uuid.UUID) -> None:
    """A lost laptop: its bundles are refused from now on; a new one enrols as a new site."""
    with db.write() as uow:
        peer = uow.session.get(SyncPeer, peer_id)
        if peer is not None:
            peer.status = "revoked"
            uow.audit(AuditAction.UPDATE, None, f"revoked {peer.label}", {},
                      entity="sync_peer", entity_id=str(peer_id))


def revoke_commune_computer(db: Database, commune_code: str, fingerprint: str | None = None
                            ) -> SyncPeer:
    """Revoke the one enrolled computer of a commune (or the one whose fingerprint starts with
    the digits given, when the commune has several)."""
    key = AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE, commune_code)
    wanted = "".join((fingerprint or "").split())
    candidates = [p for p in peers(db) if p.commune_key == key and p.status == "enrolled"
                  and "".join((p.fingerprint or "").split()).startswith(wanted)]
    if len(candidates) != 1:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Enrol", "Commune {code} has {n} enrolled computers matching that: give the first "
            "digits of the fingerprint of the one to revoke."), code=commune_code, n=len(candidates))
    revoke(db, candidates[0].id)
    return candidates[0]


def peers(db: Database) -> list[SyncPeer]:
    with db.read() as session:
        return list(session.scalars(select(SyncPeer).order_by(SyncPeer.label)))


def unlock(db: Database) -> None:
    """Unwrap this site's keys now (the GUI calls it on its own thread, where it may ask for the
    passphrase) so background exports and imports find them unlocked."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        wrapped = inst.keys_wrapped if inst is not None else None
    if wrapped:
        keymod.unwrap(wrapped)


def province_communes(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every commune of this province, for the enrolment picker."""
    from da8desktop.core.text import collation_key

    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return []
        units = session.scalars(select(AdminUnit).where(
            AdminUnit.parent_key == inst.province_key, AdminUnit.level == "commune"))
        return sorted(((u.code, u.name) for u in units), key=lambda u: collation_key(u[1]))


def provinces(db: Database) -> list[tuple[str, str]]:
    from da8desktop.core.text import collation_key

    with db.read() as session:
        units = session.scalars(select(AdminUnit).where(
            AdminUnit.scheme == AdminScheme.TWO_TIER_2025.value,
            AdminUnit.level == AdminLevel.PROVINCE.value))
        return sorted(((u.code, u.name) for u in units), key=lambda u: collation_key(u[1]))
