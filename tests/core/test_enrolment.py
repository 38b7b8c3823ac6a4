"""Issue 17, items 5 and 6: a setup file is not a key. A new commune laptop is sent nothing
personal until the province officer confirms its fingerprint, read out by phone; the commune
trusts the province's key only when its officer typed the province's fingerprint; a setup file
is read through one typed definition, and anything else in it is a plain refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.stats import collect
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                        own_fingerprint, peers, province_init)
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.status import province_status
from tests.core.sync_world import COMMUNE_A, COMMUNE_B


def laptop(tmp_path: Path, template_file: Path, name: str) -> Database:
    shutil.copyfile(template_file, tmp_path / f"{name}.sqlite")
    return Database.open(tmp_path / f"{name}.sqlite")


def with_commune_data(world) -> int:
    """A1 records people and the province receives them; the province sets a target."""
    for number in range(3):
        PeopleService(world.dbs["A1"]).create(full_name=f"Lò Thị Hoa {number}", sex="F",
                                              birth_year=1990)
    for path in world.send("A1", "P"):
        assert world.receive("P", path).status == "applied"
    TargetsService(world.dbs["P"]).set("indicator:II.TTCD", "2026", 10, f"2025:commune:{COMMUNE_A}")
    return collect(world.dbs["P"]).people


def first_bundle(province: Database, new: Database, out: Path) -> str:
    [bundle] = export_bundles(new, out)
    report = import_file(province, bundle.path)
    # Registered, and held: nothing of an unconfirmed laptop is applied.
    assert report.status == "rejected" and report.reason == "unconfirmed", report.message
    assert report.enrolled_fingerprint == own_fingerprint(new)
    return report.enrolled_fingerprint


def send_back(province: Database, new: Database, out: Path) -> None:
    [back] = [b for b in export_bundles(province, out) if f"-{_key(new)[:4]}-" in b.path.name]
    assert import_file(new, back.path).status == "applied"


def targets(db: Database) -> int:
    from sqlalchemy import func, select

    from da8desktop.core.db.models import Target

    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Target))


def _key(db: Database) -> str:
    from da8desktop.core.db.models import Installation

    with db.read() as session:
        return session.get(Installation, 1).sign_public


def test_a_new_laptop_gets_no_personal_data_until_the_province_confirms_it(
        world, tmp_path, template_file):
    held = with_commune_data(world)
    assert held == 3
    p = world.dbs["P"]
    setup = enroll(p, COMMUNE_A, tmp_path / "setup")
    new = laptop(tmp_path, template_file, "A3")
    commune_init(new, setup.path, own_fingerprint(p))
    fingerprint = first_bundle(p, new, tmp_path / "first")
    [row] = [s for s in province_status(p) if s.fingerprint == fingerprint]
    assert row.status == "awaiting_confirmation"

    # Before the confirmation: targets and catalogues, no person, group, attachment.
    send_back(p, new, tmp_path / "before")
    assert collect(new).people == 0
    assert targets(new) == 1  # what the province sets for the commune is not personal
    # The laptop answers (its acknowledgements travel); still nothing personal comes back.
    for path in export_bundles(new, tmp_path / "answer"):
        assert import_file(p, path.path).reason == "unconfirmed"
    send_back(p, new, tmp_path / "before2")
    assert collect(new).people == 0

    # Wrong digits: refused, nothing confirmed.
    wrong = "12345 " + fingerprint[6:]
    with pytest.raises(UserFacingError) as refused:
        confirm_commune_computer(p, COMMUNE_A, wrong)
    assert "12345" in refused.value.message()
    assert [s.status for s in province_status(p) if s.fingerprint == fingerprint] == \
        ["awaiting_confirmation"]

    # Confirmed with the digits as read out (spaces anywhere): the next delta carries it all,
    # although the laptop already acknowledged the province's earlier bundles.
    confirm_commune_computer(p, COMMUNE_A, fingerprint.replace(" ", "  ")[:-3] + " " + fingerprint[-3:])
    assert [s.status for s in province_status(p) if s.fingerprint == fingerprint] == ["enrolled"]
    send_back(p, new, tmp_path / "after")
    assert collect(new).people == held
    new.close()


def test_a_stolen_setup_file_used_first_gets_nothing_and_cannot_be_confirmed_by_mistake(
        world, tmp_path, template_file):
    with_commune_data(world)
    p = world.dbs["P"]
    setup = enroll(p, COMMUNE_A, tmp_path / "setup")
    thief, genuine = laptop(tmp_path, template_file, "thief"), laptop(tmp_path, template_file, "real")
    for db in (thief, genuine):
        commune_init(db, setup.path, own_fingerprint(p))  # the file is real; so is its key
    thief_fingerprint = first_bundle(p, thief, tmp_path / "thief")
    send_back(p, thief, tmp_path / "to-thief")
    assert collect(thief).people == 0  # nothing personal for a laptop nobody confirmed

    # The genuine laptop's first bundle: the one-time code is used already.
    [late] = export_bundles(genuine, tmp_path / "genuine")
    report = import_file(p, late.path)
    assert report.status == "rejected" and report.reason == "enrolment_code"
    # The commune officer reads their own number; it is not the waiting laptop's.
    with pytest.raises(UserFacingError):
        confirm_commune_computer(p, COMMUNE_A, own_fingerprint(genuine) or "")
    [waiting] = [x for x in peers(p) if x.fingerprint == thief_fingerprint]
    assert waiting.confirmed_at is None
    send_back(p, thief, tmp_path / "to-thief-2")
    assert collect(thief).people == 0
    thief.close()
    genuine.close()


def test_confirm_refuses_an_unknown_commune_and_a_commune_with_nothing_waiting(world):
    p = world.dbs["P"]
    with pytest.raises(UserFacingError):
        confirm_commune_computer(p, "99999", "00000 00000 00000 00000 00000 00000")
    with pytest.raises(UserFacingError) as nothing:
        confirm_commune_computer(p, COMMUNE_B, "00000 00000 00000 00000 00000 00000")
    assert "waiting" in nothing.value.message() or "chờ" in nothing.value.message()


def test_a_re_signed_setup_file_is_refused_without_the_provinces_own_fingerprint(
        tmp_path, template_file):
    real, other = laptop(tmp_path, template_file, "real"), laptop(tmp_path, template_file, "fake")
    _identity, real_fingerprint = province_init(real, "11")
    _identity, other_fingerprint = province_init(other, "11")  # someone else's keys
    forged = enroll(other, COMMUNE_A, tmp_path / "setup")
    commune = laptop(tmp_path, template_file, "xa")
    with pytest.raises(UserFacingError) as refused:
        commune_init(commune, forged.path, real_fingerprint)
    assert "do not use" in refused.value.message() or "không" in refused.value.message()
    assert own_fingerprint(commune) is None  # nothing was set up
    from da8desktop.core.services.site import identity

    assert identity(commune) is None
    assert commune_init(commune, forged.path, other_fingerprint).province_fingerprint == \
        other_fingerprint
    for db in (real, other, commune):
        db.close()


def test_laptops_enrolled_before_0008_count_as_confirmed(sync_world_files, tmp_path):
    """They were trusted before the confirmation existed: an upgrade must not cut them off."""
    import sqlite3

    path = tmp_path / "tinh-0007.sqlite"
    shutil.copyfile(sync_world_files["P"], path)
    _downgrade(path, "0008")  # later migrations undone by their own downgrade
    with sqlite3.connect(path) as c:  # the province file as revision 0007 left it
        c.execute("ALTER TABLE sync_peer DROP COLUMN confirmed_at")
        c.execute("UPDATE alembic_version SET version_num = '0007'")
        c.execute("INSERT INTO sync_peer (id, role, status, province_key, commune_key, label, "
                  "created_at, acked, out_seq) SELECT 'ffffffffffffffffffffffffffffffff', "
                  "'commune', 'pending', province_key, commune_key, label, created_at, '{}', 0 "
                  "FROM sync_peer WHERE role = 'commune' LIMIT 1")
    db = Database.open(path)
    assert db.migration.from_revision == "0007"
    by_status = {}
    for peer in peers(db):
        by_status.setdefault(peer.status, []).append(peer.confirmed_at is not None)
    assert by_status == {"enrolled": [True, True, True], "pending": [False]}
    assert {s.status for s in province_status(db) if s.peer_id} == {"enrolled", "pending"}
    db.close()


def _downgrade(path: Path, revision: str) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    from da8desktop.core.db.migrate import _alembic_config

    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        with connection.begin():
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    engine.dispose()


def test_confirming_twice_is_harmless(world):
    from tests.core.sync_world import COMMUNE_B as code

    fingerprint = own_fingerprint(world.dbs["B1"]) or ""
    again = confirm_commune_computer(world.dbs["P"], code, fingerprint)
    assert again.fingerprint == fingerprint and again.label and again.confirmed_at is not None


def test_an_unconfirmed_laptop_cannot_change_the_communes_records_at_the_province(
        world, tmp_path, template_file):
    """Someone who found a setup file sets up a laptop and sends records of the commune (new
    ones, or edits): the province registers the laptop but applies nothing until an officer
    confirms its fingerprint; once confirmed, the same file imports."""
    with_commune_data(world)
    p = world.dbs["P"]
    setup = enroll(p, COMMUNE_A, tmp_path / "setup")
    stranger = laptop(tmp_path, template_file, "stranger")
    commune_init(stranger, setup.path, own_fingerprint(p))
    PeopleService(stranger).create(full_name="Người Lạ", sex="M", birth_year=1980)
    before = collect(p).people
    [bundle] = export_bundles(stranger, tmp_path / "stranger")
    for dry_run in (True, False):
        report = import_file(p, bundle.path, dry_run=dry_run)
        assert report.status == "rejected" and report.reason == "unconfirmed"
        assert not report.outcomes and collect(p).people == before
    assert "province confirm" in report.message and report.fingerprint
    # The registration was kept: the officer can confirm it, then the same file imports.
    confirm_commune_computer(p, COMMUNE_A, own_fingerprint(stranger) or "")
    assert import_file(p, bundle.path).status == "applied"
    assert collect(p).people == before + 1
    stranger.close()
