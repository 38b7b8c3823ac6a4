"""Enrolment (sync.md §5): the province is created with its keys; it makes a signed setup file
per commune laptop (its public keys, the commune, catalogues, targets, a one-time code); the
laptop is set up from it once its officer has typed the province's fingerprint read out by
phone, and makes its own keys; its first bundle enrols it, bound to the code; the province
officer then confirms it by typing the laptop's fingerprint read out by phone. A setup file
alone is therefore not a key: until that confirmation the province sends the laptop nothing
personal. The centre enrols the provinces the same way (central.py), through the helpers below
the province's own (`keyed_installation`, `write_setup_file`, `trust_the_level_above`,
`confirm_peer`, `units_by_name`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import AdminUnit, Installation, Setting, SyncPeer, Target
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.ids import new_id
from da8desktop.core.reference import CatalogueFile, load_catalogue
from da8desktop.core.services.site import SiteIdentity, set_up_installation
from da8desktop.core.services.site import identity as site_identity
from da8desktop.core.sync import codec, keys as keymod
from da8desktop.core.sync.connect import connectable, stamp_records_as_ours
from da8desktop.core.sync.container import BundleRejected, Entry, build_zip, write_atomically
from da8desktop.core.sync.export import ENROLMENT_CODE_KEY, catalogue_entry, row_lines
from da8desktop.core.sync.merge import Merger
from da8desktop.core.sync.partition import CommuneResolver, in_commune
from da8desktop.core.sync.setup_file import (SETUP_EXTENSION, ReadSetup, SetupContent,
                                             read_setup_file)
from da8desktop.core.sync.state import Sites

if TYPE_CHECKING:
    from da8desktop.core.sync.central_file import CentralSetupContent


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def store_keys(inst: Installation, keys: keymod.SiteKeys, wrapped: dict) -> str:
    inst.sign_public, inst.box_public, inst.keys_wrapped = keys.sign_public, keys.box_public, wrapped
    return keys.fingerprint()


def province_init(db: Database, province_code: str, *, prompt: keymod.Prompt | None = None,
                  unlocked: keymod.UnlockedKeys | None = None) -> tuple[SiteIdentity, str]:
    """A province database with its keys. Returns its identity and fingerprint. `unlocked`:
    the open file's unlocked keys, which then hold the new ones (not asked for again)."""
    keys = keymod.generate()
    wrapped = keymod.wrap(keys, prompt)  # asks for the passphrase before anything is written
    with db.write() as uow:
        identity = set_up_installation(db, Role.PROVINCE, province_code)
        fingerprint = store_keys(uow.installation(), keys, wrapped)
    if unlocked is not None:
        unlocked.keep(keys)
    return identity, fingerprint


@dataclass(frozen=True)
class SetupFile:
    path: Path
    commune_name: str
    code: str


def _not_a_province() -> UserFacingError:
    return UserFacingError(QT_TRANSLATE_NOOP(
        "Enrol", "Only a province data file set up with 'province init' can enrol communes."))


def enroll(db: Database, commune_code: str, out_dir: Path, *,
           keys: keymod.SiteKeys | None = None, prompt: keymod.Prompt | None = None) -> SetupFile:
    """A signed setup file for one commune laptop, and its pending registration here."""
    inst = keyed_installation(db, Role.PROVINCE, _not_a_province())
    keys = keys or keymod.unwrap(inst.keys_wrapped or {}, prompt)
    code = new_enrolment_code()
    now = _now()
    with db.write() as uow:
        session = uow.session
        inst = uow.installation()
        commune = _commune_of_province(session, inst, commune_code)
        targets = row_lines(session, Sites(session), Target, in_commune(Target, commune.key), None)
        entries = [catalogue_entry(session)]
        if targets:
            entries.insert(0, Entry("target.ndjson", "".join(
                codec.dumps(t) + "\n" for t in targets).encode("utf-8"), len(targets)))
        province = session.get(AdminUnit, inst.province_key)
        if province is None:
            raise _not_a_province()
        content = SetupContent.model_validate({  # the reader's own definition checks the writer
            "kind": "setup", "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA,
            "bundle_id": new_id(), "created_at": now.replace(microsecond=0),
            "source": {"site": inst.site_id, "sign_public": keys.sign_public,
                       "box_public": keys.box_public, "role": Role.PROVINCE.value,
                       "province": province.code, "label": province.name},
            "commune": {"code": commune.code, "name": commune.name},
            "enrolment": {"code": code},
        })
        path = write_setup_file(
            uow, unit=commune, role=Role.COMMUNE, province_key=inst.province_key, code=code,
            when=now, content=content, entries=entries, keys=keys, out_dir=out_dir,
            name=f"da8-setup-tinh{province.code}-to-xa{commune.code}-{now:%Y%m%d-%H%M%S}"
                 f"{SETUP_EXTENSION}")
    return SetupFile(path, commune.name, code)


def _commune_of_province(session: Session, inst: Installation, commune_code: str) -> AdminUnit:
    commune_key = AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE,
                                     str(commune_code))
    commune = session.get(AdminUnit, commune_key)
    if commune is None or commune.parent_key != inst.province_key:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Enrol", "Commune {code} is not a commune of this province."), code=commune_code)
    return commune


def digits(fingerprint: str | None) -> str:
    """A fingerprint as typed: spaces and dashes do not count."""
    return "".join((fingerprint or "").replace("-", " ").split())


@dataclass(frozen=True)
class CommuneSetup:
    identity: SiteIdentity
    fingerprint: str
    province_fingerprint: str


def read_setup(setup_path: Path) -> ReadSetup:
    """The checked setup file, to show the province's fingerprint before anything is set up."""
    return read_setup_file(Path(setup_path))


def commune_init(db: Database, setup_path: Path, province_fingerprint: str, *,
                 prompt: keymod.Prompt | None = None,
                 unlocked: keymod.UnlockedKeys | None = None) -> CommuneSetup:
    """Set this laptop up from the province's setup file, once the officer has typed the
    province's fingerprint as the province read it out: the key in the file is trusted only
    if it matches (a file re-signed by someone else carries another key)."""
    setup = read_setup_file(Path(setup_path))
    if digits(province_fingerprint) != digits(setup.province_fingerprint):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Enrol", "The digits typed ({typed}) are not the fingerprint of the province in "
            "{file}. Nothing was set up. Read the digits again with the province by phone; if "
            "they really differ, this file was not made by your province: do not use it."),
            typed=province_fingerprint.strip(), file=setup.file)
    m = setup.manifest
    source = m.source
    _check_units(db, setup)
    commune_key = AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.COMMUNE,
                                     m.commune.code)
    existing = connectable(db, commune_key, m.commune.name)  # start now, connect later
    keys = keymod.generate()
    wrapped = keymod.wrap(keys, prompt)  # asks for the passphrase before anything is written
    now = _now()
    try:
        with db.write() as uow:  # one transaction: set up completely, or not at all
            if existing:
                stamp_records_as_ours(uow)  # its records travel in the first bundle
            else:
                set_up_installation(db, Role.COMMUNE, source.province, m.commune.code)
            _set_up_from(uow, setup, keys, wrapped, now)
    except (IntegrityError, StatementError) as exc:  # a catalogue or target that does not fit
        raise BundleRejected("not_setup", QT_TRANSLATE_NOOP(
            "Sync", "{file} is not a valid setup file of da8desktop ({detail}). Nothing was set "
            "up: ask the province for a new setup file of this commune."), file=setup.file,
            detail=str(exc.orig if hasattr(exc, "orig") else exc)[:200]) from None
    made = site_identity(db)
    assert made is not None  # set up in the transaction above
    if unlocked is not None:
        unlocked.keep(keys)
    return CommuneSetup(made, keys.fingerprint(), setup.province_fingerprint)


def _check_units(db: Database, setup: ReadSetup) -> None:
    """The file's commune must be a commune of the file's province in this application's list:
    otherwise the file is refused (exit 3), not mistaken for a typing error."""
    scheme = AdminScheme.TWO_TIER_2025.value
    m = setup.manifest
    with db.read() as session:
        commune = session.get(AdminUnit, AdminUnit.make_key(scheme, AdminLevel.COMMUNE, m.commune.code))
        province_key = AdminUnit.make_key(scheme, AdminLevel.PROVINCE, m.source.province)
        if commune is None or commune.parent_key != province_key:
            raise BundleRejected("not_setup", QT_TRANSLATE_NOOP(
                "Sync", "{file} is not a valid setup file of da8desktop ({detail}). Nothing was "
                "set up: ask the province for a new setup file of this commune."), file=setup.file,
                detail=f"xã {m.commune.code} / tỉnh {m.source.province}")


def _set_up_from(uow: Any, setup: ReadSetup, keys: keymod.SiteKeys, wrapped: dict,
                 now: dt.datetime) -> None:
    m, source, name = setup.manifest, setup.manifest.source, setup.file
    session = uow.session
    inst = uow.installation()
    store_keys(inst, keys, wrapped)
    trust_the_level_above(session, Role.PROVINCE, inst.province_key, source,
                          setup.province_fingerprint, now)
    session.add(Setting(key=ENROLMENT_CODE_KEY, value=m.enrolment.code))
    session.flush()
    sites = Sites(session)
    sites.index(str(source.site), source.label)
    for line in setup.catalogues:
        load_catalogue(session, CatalogueFile(line.catalogue, line.version, line.as_items()),
                       only_newer=True)
    if setup.targets:
        merger = Merger(session, sites, CommuneResolver(session), set(), None, source.label)
        for target in setup.targets:
            if target.values["commune_key"] == inst.commune_key:
                merger.apply(Target, target.row_id, target.values, target.stamps, target.context)
        inst.hlc = max(inst.hlc, merger.max_hlc)
    session.flush()
    uow.audit(AuditAction.SETUP, None, f"set up from {name}", {"province": source.province},
              entity="installation", entity_id=str(inst.site_id))


def awaiting_confirmation(peer: SyncPeer) -> bool:
    """A commune laptop that sent its first bundle but whose fingerprint the province officer
    has not confirmed yet: it receives no personal data (export.py)."""
    return awaiting(peer, Role.COMMUNE)


def confirm_commune_computer(db: Database, commune_code: str, fingerprint: str) -> SyncPeer:
    """The province officer read the laptop's fingerprint with the commune officer by phone and
    typed it: the laptop whose fingerprint it is becomes trusted with the commune's data."""
    with db.write() as uow:
        commune = _commune_of_province(uow.session, uow.installation(), commune_code)
        return confirm_peer(
            uow, Role.COMMUNE, SyncPeer.commune_key == commune.key, fingerprint,
            none_waiting=UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "No computer of {commune} is waiting for confirmation. Import the first "
                "bundle of its new computer first, then confirm it."), commune=commune.name),
            mismatch=UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "The digits typed ({typed}) are not the fingerprint of the computer of "
                "{commune} waiting for confirmation. Nothing was confirmed. Read the digits again "
                "with the commune officer; if they still differ, that computer is not theirs: "
                "revoke it and make a new setup file."),
                typed=fingerprint.strip(), commune=commune.name))


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


def unlock(db: Database, prompt: keymod.Prompt | None = None,
           unlocked: keymod.UnlockedKeys | None = None) -> keymod.SiteKeys | None:
    """This site's keys in the clear (None where it has none yet). The GUI calls it on its own
    thread, where `prompt` may ask for the passphrase, and passes the keys to the background
    export or import. `unlocked`: the open file's keys already unwrapped (asked once)."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        wrapped = inst.keys_wrapped if inst is not None else None
    if not wrapped:
        return None
    return unlocked.unlock(wrapped, prompt) if unlocked is not None else \
        keymod.unwrap(wrapped, prompt)


def province_communes(db: Database) -> list[tuple[str, str]]:
    """(code, name) of every commune of this province, for the enrolment picker."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return []
        return units_by_name(session, AdminUnit.parent_key == inst.province_key,
                             AdminUnit.level == "commune")


def provinces(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        return units_by_name(session, AdminUnit.scheme == AdminScheme.TWO_TIER_2025.value,
                             AdminUnit.level == AdminLevel.PROVINCE.value)


# -- what both tiers share: a province enrols its commune laptops, the centre its provinces ------
def keyed_installation(db: Database, role: Role, refusal: UserFacingError) -> Installation:
    """This data file's installation (detached) if it is a `role` with keys; else `refusal`."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or inst.role != role.value or not inst.keys_wrapped:
            raise refusal
        session.expunge(inst)
        return inst


def new_enrolment_code() -> str:
    """The one-time code a setup file carries; only its hash stays here, for the first bundle."""
    return "".join(secrets.choice("0123456789") for _ in range(10))


def write_setup_file(uow: Any, *, unit: AdminUnit, role: Role, province_key: str, code: str,
                     when: dt.datetime, name: str, content: SetupContent | CentralSetupContent,
                     entries: list[Entry], keys: keymod.SiteKeys, out_dir: Path) -> Path:
    """The signed setup file for the `role` computer of `unit` (a commune laptop, or a
    province), and its pending registration here, in the caller's transaction."""
    uow.session.add(SyncPeer(
        id=new_id(), role=role.value, status="pending", province_key=province_key,
        commune_key=unit.key if role == Role.COMMUNE else None, label=unit.name,
        code_hash=hashlib.sha256(code.encode()).hexdigest(), created_at=when, acked={},
        out_seq=0))
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path = write_atomically(Path(out_dir) / name, build_zip(content.as_manifest(), entries, keys))
    uow.audit(AuditAction.SETUP, None, f"setup file {name}", {role.value: unit.code},
              entity="sync_peer", entity_id=unit.code)
    return path


def trust_the_level_above(session: Session, role: Role, province_key: str, source: Any,
                          fingerprint: str, when: dt.datetime) -> None:
    """The province at a commune laptop, the centre at a province: registered from its setup
    file once the officer typed its fingerprint, so enrolled and confirmed at once."""
    session.add(SyncPeer(
        id=new_id(), role=role.value, status="enrolled", province_key=province_key,
        commune_key=None, label=source.label, sign_public=source.sign_public,
        box_public=source.box_public, fingerprint=fingerprint, created_at=when,
        enrolled_at=when, confirmed_at=when, acked={}, out_seq=0))


def awaiting(peer: SyncPeer, role: Role) -> bool:
    """A `role` computer that sent its first bundle, not confirmed by the officer yet."""
    return peer.role == role.value and peer.status == "enrolled" and peer.confirmed_at is None


def confirm_peer(uow: Any, role: Role, where: Any, fingerprint: str, *,
                 none_waiting: UserFacingError, mismatch: UserFacingError) -> SyncPeer:
    """The officer read a computer's fingerprint with its officer by phone and typed it: the
    enrolled `role` computer (`where`: of which commune or province) whose fingerprint it is
    becomes trusted. Confirmed already: nothing to do."""
    typed = digits(fingerprint)
    session = uow.session
    enrolled = list(session.scalars(select(SyncPeer).where(
        SyncPeer.role == role.value, where, SyncPeer.status == "enrolled")))
    matching = [p for p in enrolled if typed and digits(p.fingerprint) == typed]
    if matching and matching[0].confirmed_at is not None:
        session.expunge(matching[0])
        return matching[0]
    if not any(awaiting(p, role) for p in enrolled):
        raise none_waiting
    if not matching:
        raise mismatch
    peer = matching[0]
    peer.confirmed_at = _now()
    uow.audit(AuditAction.UPDATE, None, f"confirmed {peer.label}",
              {"fingerprint": peer.fingerprint}, entity="sync_peer", entity_id=str(peer.id))
    session.flush()
    session.expunge(peer)
    return peer


def units_by_name(session: Session, *where: Any) -> list[tuple[str, str]]:
    """(code, name) of the administrative units `where` says, in Vietnamese order: the
    enrolment pickers (the province's communes, the centre's provinces)."""
    from da8desktop.core.text import collation_key

    units = session.scalars(select(AdminUnit).where(*where))
    return sorted(((u.code, u.name) for u in units), key=lambda u: collation_key(u[1]))
