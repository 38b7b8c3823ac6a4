"""The national tier (issue 21, item 6): the Central Women's Union's data file and how a province
is connected to it, by the same enrolment as a commune laptop. The centre writes a signed setup
file per province (its keys, the province, a one-time code); the province connects with it once
its officer has typed the centre's fingerprint read out by phone; the province's first bundle
registers it, bound to the code; the centre's officer confirms the province's fingerprint.
What travels afterwards is aggregates only (central_export.py, central_import.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

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
from da8desktop.core.sync.container import BundleRejected
from da8desktop.core.sync.enrol import (awaiting, confirm_peer, digits, keyed_installation,
                                       new_enrolment_code, store_keys,
                                       trust_the_level_above, write_setup_file)
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
        fingerprint = store_keys(uow.installation(), keys, wrapped)
    if unlocked is not None:
        unlocked.keep(keys)
    return identity, fingerprint


def _own(db: Database, role: Role) -> Installation:
    if role == Role.CENTRAL:
        return keyed_installation(db, role, UserFacingError(QT_TRANSLATE_NOOP(
            "Central", "Only the centre's data file, set up with 'central init', can enrol "
            "provinces.")))
    return keyed_installation(db, role, UserFacingError(QT_TRANSLATE_NOOP(
        "Central", "Only a province data file set up with 'province init' can connect to the "
        "centre.")))


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
    code = new_enrolment_code()
    when = now()
    with db.write() as uow:
        province = _province(uow.session, province_code)
        content = CentralSetupContent.model_validate({  # the reader's own model checks it
            "kind": "central_setup", "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA,
            "bundle_id": new_id(), "created_at": when,
            "source": {"site": inst.site_id, "sign_public": keys.sign_public,
                       "box_public": keys.box_public, "role": Role.CENTRAL.value,
                       "label": CENTRAL_NAME},
            "province": {"code": province.code, "name": province.name},
            "enrolment": {"code": code}})
        path = write_setup_file(
            uow, unit=province, role=Role.PROVINCE, province_key=province.key, code=code,
            when=when, content=content, entries=[], keys=keys, out_dir=out_dir,
            name=f"da8-setup-tw-to-tinh{province.code}-{when:%Y%m%d-%H%M%S}{SETUP_EXTENSION}")
    return CentralSetupFile(path, province.name)


def _province(session: Session, province_code: str) -> AdminUnit:
    province = session.get(AdminUnit, _province_key(str(province_code)))
    if province is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Central", "{code} is not the code of a province (two digits, the 2025 list)."),
            code=province_code)
    return province


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
        trust_the_level_above(session, Role.CENTRAL, inst.province_key, m.source,
                              setup.central_fingerprint, when)
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
    return awaiting(peer, Role.PROVINCE)


def confirm_province(db: Database, province_code: str, fingerprint: str) -> SyncPeer:
    """At the centre: the officer read the province's fingerprint with the province by phone
    and typed it; that province's figures are accepted from now on."""
    _own(db, Role.CENTRAL)
    with db.write() as uow:
        province = _province(uow.session, province_code)
        return confirm_peer(
            uow, Role.PROVINCE, SyncPeer.province_key == province.key, fingerprint,
            none_waiting=UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "No computer of {province} is waiting for confirmation. Import its "
                "first bundle first, then confirm it."), province=province.name),
            mismatch=UserFacingError(QT_TRANSLATE_NOOP(
                "Central", "The digits typed ({typed}) are not the fingerprint of the computer of "
                "{province} waiting for confirmation. Nothing was confirmed. Read the digits "
                "again with the province officer."), typed=fingerprint.strip(),
                province=province.name))
