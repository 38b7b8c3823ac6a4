"""This installation's identity: which commune or province it serves, and its site id."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from da8desktop.core import atomic_write
from da8desktop.core.db.database import Database
from sqlalchemy import func, select

from da8desktop.core.db.models import AdminUnit, Installation, Setting, SyncBundle, SyncSite
from da8desktop.core.domain import AdminLevel, AdminScheme, AuditAction, Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.ids import new_id


@dataclass(frozen=True)
class SiteIdentity:
    site_id: uuid.UUID
    role: str
    is_demo: bool
    organisation_name: str
    province_code: str
    province_name: str
    commune_code: str | None
    commune_name: str | None
    seq: int


def identity(db: Database) -> SiteIdentity | None:
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return None
        province = session.get(AdminUnit, inst.province_key)
        commune = session.get(AdminUnit, inst.commune_key) if inst.commune_key else None
        return SiteIdentity(inst.site_id, inst.role, inst.is_demo, inst.organisation_name,
                            province.code, province.name,  # type: ignore[union-attr]
                            commune.code if commune else None, commune.name if commune else None,
                            inst.seq)


def set_up_installation(db: Database, role: Role, province_code: str,
                        commune_code: str | None = None, organisation_name: str | None = None,
                        is_demo: bool = False) -> SiteIdentity:
    """Mint this site's identity. Done once per data file; a second call is refused."""
    scheme = AdminScheme.TWO_TIER_2025.value
    with db.write() as uow:
        session = uow.session
        if session.get(Installation, 1) is not None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Setup", "This data file is already set up."))
        province = session.get(AdminUnit, AdminUnit.make_key(scheme, AdminLevel.PROVINCE, province_code))
        commune = (session.get(AdminUnit, AdminUnit.make_key(scheme, AdminLevel.COMMUNE, commune_code))
                   if commune_code else None)
        if province is None or (commune_code and (commune is None or commune.parent_key != province.key)):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Setup", "Unknown province or commune code ({province} / {commune})."),
                province=province_code, commune=commune_code or "-")
        if role == Role.COMMUNE and commune is None:
            raise UserFacingError(QT_TRANSLATE_NOOP("Setup", "A commune installation needs its commune."))
        site_id = new_id()
        site = SyncSite(site_id=site_id, label=(commune or province).name)
        session.add(site)
        session.flush()
        default_name = f"Hội LHPN {(commune or province).name}"
        session.add(Installation(
            id=1, site_id=site_id, site_idx=site.idx, role=role.value, is_demo=is_demo,
            province_key=province.key, commune_key=commune.key if commune else None,
            organisation_name=organisation_name or default_name, seq=0, hlc=0,
            install_token=secrets.token_hex(16),
            created_at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)))
        session.flush()
        uow.audit(AuditAction.SETUP, None, default_name, {"role": role.value, "demo": is_demo},
                  entity="installation", entity_id=str(site_id))
    result = identity(db)
    assert result is not None
    remember_location(db)
    return result


# -- copies and restores (sync.md §2) -----------------------------------------------------------
PREVIOUS_SITES_KEY = "sync:previous_sites"


def _token_file(install_token: str) -> Path:
    from da8desktop.core.paths import user_data_dir

    return user_data_dir() / "sites" / f"{install_token}.json"


def ensure_own_site_id(db: Database) -> str | None:
    """A data file copied to another folder or computer, or restored from a backup, must never
    write with the site id of the original: two writers sharing one (site, seq) space would lose
    each other's changes. The install token is kept both inside the file and in this computer's
    user folder with the file's path; when they disagree, the file gets a new site id (its sync
    keys and enrolment stay). The record also keeps the highest change number that left in a
    bundle: a file with a lower one is an older copy put back by hand (it went back in time) and
    gets a new site id too. Returns why a new site id was minted ("copied" or "went_back"), or
    None."""
    file = db.file
    if file is None:
        return None
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return None
        token, site_id, seq = inst.install_token, str(inst.site_id), inst.seq
    here = str(file.resolve())
    record = _token_file(token)
    went_back = False
    try:
        known = json.loads(record.read_text("utf-8"))
        if known.get("path") == here:
            went_back = known.get("site") == site_id and int(known.get("sent_seq", 0)) > seq
            if not went_back:
                return None
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    from da8desktop.core.db.database import StorageReadOnly

    try:
        _mint_site_id(db, here, went_back)
    except StorageReadOnly:
        return None  # a read-only copy cannot write anyway; the next writable open decides
    return "went_back" if went_back else "copied"


WENT_BACK_KEY = "sync:went_back"  # set when a new site id was taken for a file put back by hand


def mint_site_id(uow: Any, here: str, *, known_of_old: int | None = None,
                 went_back: bool = False) -> str:
    """Inside the caller's transaction: a new site id for this file, keys and enrolment kept.
    Returns the new install token. `known_of_old`: how much of the old site's writes this file
    may claim to hold (less than its own counter when the file went back in time)."""
    session = uow.session
    inst = uow.installation()
    old = session.get(SyncSite, inst.site_idx)
    if old is not None:  # everything the old site wrote (that this file still holds) is here
        old.known_seq = inst.seq if known_of_old is None else known_of_old
    site = SyncSite(site_id=new_id(), label=(old.label if old else None), known_seq=0)
    session.add(site)
    session.flush()
    previous = session.get(Setting, PREVIOUS_SITES_KEY)
    sites = list(previous.value) if previous is not None else []
    sites.append(inst.site_idx)
    if previous is None:
        session.add(Setting(key=PREVIOUS_SITES_KEY, value=sites))
    else:
        previous.value = sites
    inst.site_id, inst.site_idx = site.site_id, site.idx
    inst.install_token = secrets.token_hex(16)
    if went_back:
        flag = session.get(Setting, WENT_BACK_KEY)
        stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if flag is None:
            session.add(Setting(key=WENT_BACK_KEY, value=stamp))
        else:
            flag.value = stamp
    uow.audit(AuditAction.SETUP, None, "new site id (the data file went back in time)" if went_back
              else "new site id (copied or restored data file)",
              {"path": here}, entity="installation", entity_id=str(site.site_id))
    return inst.install_token


def _mint_site_id(db: Database, here: str, went_back: bool = False) -> None:
    from da8desktop.core.sync.went_back import absorb_next_receipts

    with db.write() as uow:
        token = mint_site_id(uow, here, went_back=went_back)
        absorb_next_receipts(uow.session)
    remember_location(db, token)


def remember_location(db: Database, token: str | None = None) -> None:
    """Write this file's record outside it (see ensure_own_site_id); the highest change number
    sent in a bundle is kept, so an older copy put back in its place is recognised."""
    if db.file is None:
        return
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return
        token = token or inst.install_token
        site_id = str(inst.site_id)
        sent = session.scalar(select(func.max(SyncBundle.own_seq)).where(
            SyncBundle.direction == "out")) or 0
    record = _token_file(token)
    try:
        old = json.loads(record.read_text("utf-8"))
        if isinstance(old, dict) and old.get("site") == site_id:
            sent = max(sent, int(old.get("sent_seq", 0)))
    except (OSError, ValueError, TypeError):
        pass
    try:
        record.parent.mkdir(parents=True, exist_ok=True)
        atomic_write.write_text(record, json.dumps({
            "path": str(db.file.resolve()), "site": site_id, "sent_seq": sent}), translate=False)
    except OSError:
        pass  # a read-only profile: the next open checks again, nothing is lost
