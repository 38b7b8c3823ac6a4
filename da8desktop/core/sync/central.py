"""The national tier (issue 21, item 6): the Central Women's Union's data file and how a province
is connected to it, by the same enrolment as a commune laptop. The centre writes a signed setup
file per province (its keys, the province, a one-time code); the province connects with it once
its officer has typed the centre's fingerprint read out by phone; the province's first bundle
registers it, bound to the code; the centre's officer confirms the province's fingerprint.
What travels afterwards is aggregates only (central_export.py, central_import.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import AdminUnit, Installation, Setting, SyncPeer
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.ids import new_id
from da8desktop.core.services.site import SiteIdentity, set_up_installation
from da8desktop.core.sync import keys as keymod
from da8desktop.core.sync.central_file import (CentralSetupContent, ReadCentralSetup, now,
                                               read_central_setup)
from da8desktop.core.sync.container import BundleRejected, build_zip, write_atomically
from da8desktop.core.sync.enrol import digits
from da8desktop.core.sync.setup_file import SETUP_EXTENSION

# The Central Women's Union sits in Hà Nội. The installation row needs a province (its column is
# required and other pages read it); the role, not that province, says the file is national.
CENTRAL_SEAT = "01"
CENTRAL_NAME = "Trung ương Hội LHPN Việt Nam"
CENTRAL_CODE_KEY = "central:enrolment_code"  # at the province, until the centre answers


def _province_key(code: str) -> str:
    return AdminUnit.make_key(AdminScheme.TWO_TIER_2025.value, AdminLevel.PROVINCE, code)


def central_init(db: Database, *, prompt: keymod.Prompt | None = None,
                 unlocked: keymod.UnlockedKeys | None = None) -> tuple[SiteIdentity, str]:
    """The centre's data file with its keys. Returns its identity and fingerprint
    (`unlocked`, the open file's unlocked keys, then holds them)."""
    keys = keymod.generate()
    wrapped = keymod.wrap(keys, prompt)  # asks for the passphrase before anything is written
    with db.write() as uow:
        identity = set_up_installation(db, Role.CENTRAL, CENTRAL_SEAT,
                                       organisation_name=CENTRAL_NAME)
        inst = uow.installation()
        inst.sign_public, inst.box_public, inst.keys_wrapped = \
            keys.sign_public, keys.box_public, wrapped
    if unlocked is not None:
        unlocked.keep(keys)
    return identity, keys.fingerprint()


def _own(db: Database, role: Role) -> Installation:
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None or inst.role != role.value or not inst.keys_wrapped:
            if role == Role.CENTRAL:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Central", "Only the centre's data file, set up with 'central init', can "
                    "enrol provinces."))
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "Only a province data file set up with 'province init' can connect "
                "to the centre."))
        session.expunge(inst)
        return inst


@dataclass(frozen=True)
class CentralSetupFile:
    path: Path
    province_name: str


def central_enroll(db: Database, province_code: str, out_dir: Path, *,
                   keys: keymod.SiteKeys | None = None, prompt: keymod.Prompt | None = None
                   ) -> CentralSetupFile:
    """A signed setup file for one province, and its pending registration here."""
    inst = _own(db, Role.CENTRAL)
    keys = keys or keymod.unwrap(inst.keys_wrapped or {}, prompt)
    code = "".join(secrets.choice("0123456789") for _ in range(10))
    when = now()
    with db.write() as uow:
        session = uow.session
        province = session.get(AdminUnit, _province_key(str(province_code)))
        if province is None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "{code} is not the code of a province (two digits, the 2025 list)."),
                code=province_code)
        session.add(SyncPeer(
            id=new_id(), role=Role.PROVINCE.value, status="pending", province_key=province.key,
            commune_key=None, label=province.name,
            code_hash=hashlib.sha256(code.encode()).hexdigest(), created_at=when, acked={},
            out_seq=0))
        content = CentralSetupContent.model_validate({  # the reader's own model checks it
            "kind": "central_setup", "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA,
            "bundle_id": new_id(), "created_at": when,
            "source": {"site": inst.site_id, "sign_public": keys.sign_public,
                       "box_public": keys.box_public, "role": Role.CENTRAL.value,
                       "label": CENTRAL_NAME},
            "province": {"code": province.code, "name": province.name},
            "enrolment": {"code": code}})
        name = f"da8-setup-tw-to-tinh{province.code}-{when:%Y%m%d-%H%M%S}{SETUP_EXTENSION}"
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        path = write_atomically(Path(out_dir) / name,
                                build_zip(content.as_manifest(), [], keys))
        uow.audit(AuditAction.SETUP, None, f"setup file {name}", {"province": province.code},
                  entity="sync_peer", entity_id=province.code)
    return CentralSetupFile(path, province.name)


@dataclass(frozen=True)
class CentralConnection:
    central_label: str
    province_fingerprint: str


def connect_central(db: Database, setup_path: Path, central_fingerprint: str
                    ) -> CentralConnection:
    """At the province: register the centre from its setup file, once the officer has typed
    the centre's fingerprint as the centre read it out (a re-signed file carries another key)."""
    inst = _own(db, Role.PROVINCE)
    setup: ReadCentralSetup = read_central_setup(Path(setup_path))
    if digits(central_fingerprint) != digits(setup.central_fingerprint):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Central", "The digits typed ({typed}) are not the fingerprint of the centre in "
            "{file}. Nothing was changed. Read the digits again with the centre by phone; if "
            "they really differ, this file was not made by the centre: do not use it."),
            typed=central_fingerprint.strip(), file=setup.file)
    m = setup.manifest
    if _province_key(m.province.code) != inst.province_key:
        raise BundleRejected("not_setup", QT_TRANSLATE_NOOP(
            "Central", "{file} is the setup file of {province}, not of this province. Nothing "
            "was changed: ask the centre for this province's setup file."),
            file=setup.file, province=m.province.name)
    when = now()
    with db.write() as uow:
        session = uow.session
        present = session.scalar(select(SyncPeer).where(
            SyncPeer.role == Role.CENTRAL.value, SyncPeer.status == "enrolled"))
        if present is not None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "This province is already connected to the centre (fingerprint "
                "{f}). Nothing was changed."), f=present.fingerprint or "?")
        if session.scalar(select(SyncPeer).where(
                SyncPeer.sign_public == m.source.sign_public)) is not None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "This setup file was used already. Nothing was changed."))
        session.add(SyncPeer(
            id=new_id(), role=Role.CENTRAL.value, status="enrolled",
            province_key=inst.province_key, commune_key=None, label=m.source.label,
            sign_public=m.source.sign_public, box_public=m.source.box_public,
            fingerprint=setup.central_fingerprint, created_at=when, enrolled_at=when,
            confirmed_at=when, acked={}, out_seq=0))
        code = session.get(Setting, CENTRAL_CODE_KEY)
        if code is None:
            session.add(Setting(key=CENTRAL_CODE_KEY, value=m.enrolment.code))
        else:
            code.value = m.enrolment.code
        uow.audit(AuditAction.SETUP, None, f"connected to the centre from {setup.file}",
                  {"fingerprint": setup.central_fingerprint}, entity="sync_peer",
                  entity_id="central")
    return CentralConnection(m.source.label,
                             keymod.fingerprint(inst.sign_public or "", inst.box_public or ""))


def awaiting_central_confirmation(peer: SyncPeer) -> bool:
    return peer.role == Role.PROVINCE.value and peer.status == "enrolled" \
        and peer.confirmed_at is None


def confirm_province(db: Database, province_code: str, fingerprint: str) -> SyncPeer:
    """At the centre: the officer read the province's fingerprint with the province by phone
    and typed it; that province's figures are accepted from now on."""
    typed = digits(fingerprint)
    _own(db, Role.CENTRAL)
    with db.write() as uow:
        session = uow.session
        key = _province_key(str(province_code))
        province = session.get(AdminUnit, key)
        if province is None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "{code} is not the code of a province (two digits, the 2025 list)."),
                code=province_code)
        registered = list(session.scalars(select(SyncPeer).where(
            SyncPeer.role == Role.PROVINCE.value, SyncPeer.province_key == key,
            SyncPeer.status == "enrolled")))
        matching = [p for p in registered if typed and digits(p.fingerprint) == typed]
        if matching and matching[0].confirmed_at is not None:
            session.expunge(matching[0])
            return matching[0]
        if not any(awaiting_central_confirmation(p) for p in registered):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "No computer of {province} is waiting for confirmation. Import its "
                "first bundle first, then confirm it."), province=province.name)
        if not matching:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "The digits typed ({typed}) are not the fingerprint of the computer of "
                "{province} waiting for confirmation. Nothing was confirmed. Read the digits "
                "again with the province officer."), typed=fingerprint.strip(),
                province=province.name)
        peer = matching[0]
        peer.confirmed_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        uow.audit(AuditAction.UPDATE, None, f"confirmed {peer.label}",
                  {"fingerprint": peer.fingerprint}, entity="sync_peer", entity_id=str(peer.id))
        session.flush()
        session.expunge(peer)
        return peer
