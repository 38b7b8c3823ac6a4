"""Issue 23 item 4, "import once": the officer's preview and its commit share one reading of
each bundle (core/sync/prepared.py). The commit does not decrypt or parse the file again; a
file changed on the stick in between is refused; a database changed in between is merged as
it is at the commit (another import of the same file, a revoked computer, a concurrent edit)."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import select

from da8desktop.core.db.models import Person, SyncPeer
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import codec, importer
from da8desktop.core.sync.enrol import revoke
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.prepared import commit_prepared, prepare_paths
from da8desktop.core.hlc import pack, wall_millis
from tests.core.sync_world import sign_key
from tests.core.test_sync_attacks import state
from tests.core.test_sync_ownership import a1_bundle, commune_data, refused_whole, stored_line


def counting(monkeypatch):
    """How many times a bundle is opened (decrypted) and an entry parsed."""
    calls = {"open": 0, "parse": 0}
    open_bundle, iter_lines = importer.open_bundle, codec.iter_lines

    def opening(*args, **kwargs):
        calls["open"] += 1
        return open_bundle(*args, **kwargs)

    def parsing(data):
        calls["parse"] += 1
        return iter_lines(data)

    monkeypatch.setattr(importer, "open_bundle", opening)
    monkeypatch.setattr(codec, "iter_lines", parsing)
    return calls


def names_at(db) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(Person.full_name)))


def test_the_commit_applies_the_previewed_bundle_without_reading_it_again(world, monkeypatch):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    calls = counting(monkeypatch)
    [prepared] = prepare_paths(province, [path])
    assert prepared.report.status == "dry_run" and prepared.kept
    assert calls["open"] == 1 and calls["parse"] >= 1
    assert "Lò Thị Hoa" not in names_at(province)  # the preview wrote nothing
    opened, parsed = dict(calls), calls["parse"]
    [done] = commit_prepared(province, [prepared])
    assert done.status == "applied"
    assert calls["open"] == opened["open"] and calls["parse"] == parsed  # not read again
    assert done.counts == prepared.report.counts
    assert "Lò Thị Hoa" in names_at(province)
    assert not prepared.kept  # let go once committed
    # The same file again: read again, and known.
    assert import_file(province, path).status == "duplicate"


def test_a_file_changed_on_the_stick_after_the_preview_is_refused(world):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    [prepared] = prepare_paths(province, [path])
    PeopleService(world.dbs["A1"]).create(full_name="Lò Văn Páo", sex="M", birth_year=1985)
    [other] = world.send("A1", "P", full=True)
    shutil.copyfile(other, path)
    before = state(province)
    [done] = commit_prepared(province, [prepared])
    assert (done.status, done.reason) == ("rejected", "changed")
    assert state(province) == before  # nothing written
    # The same bytes, only touched (copied again, a new date): still the file previewed.
    [prepared] = prepare_paths(province, [path])
    os.utime(path, (1, 1))
    [done] = commit_prepared(province, [prepared])
    assert done.status == "applied" and {"Lò Thị Hoa", "Lò Văn Páo"} <= names_at(province)


def test_a_file_imported_meanwhile_is_not_imported_twice(world):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    [prepared] = prepare_paths(province, [path])
    assert import_file(province, path).status == "applied"  # another officer, or the CLI
    after = state(province)
    [done] = commit_prepared(province, [prepared])
    assert done.status == "duplicate"
    assert state(province) == after


def test_a_computer_revoked_after_the_preview_is_refused_at_the_commit(world):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    [prepared] = prepare_paths(province, [path])
    with province.read() as session:
        peer = session.scalar(select(SyncPeer).where(
            SyncPeer.sign_public == sign_key(world.dbs["A1"])))
        peer_id = peer.id
    revoke(province, peer_id)
    before = state(province)
    [done] = commit_prepared(province, [prepared])
    assert (done.status, done.reason) == ("rejected", "revoked")
    assert state(province) == before


def test_the_commit_merges_against_the_database_as_it_is_then(world):
    """Two laptops of a commune edit the same person. The province previews the second's
    bundle (a plain update then) and, before the commit, imports the first's: the commit meets
    the two edits as concurrent (a conflict, recorded), as a plain import would have."""
    a1, a2, province = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    hoa = PeopleService(a1).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990).id
    world.round()
    world.round()
    PeopleService(a1).update(hoa, phone="0911111111")
    PeopleService(a2).update(hoa, phone="0922222222")  # later clock: it wins
    [from_a2] = world.send("A2", "P")
    [from_a1] = world.send("A1", "P")
    [prepared] = prepare_paths(province, [from_a2])
    assert prepared.report.counts["updated"] == 1 and prepared.report.counts["conflict"] == 0
    assert world.receive("P", from_a1).status == "applied"  # meanwhile
    [done] = commit_prepared(province, [prepared])
    assert done.status == "applied" and done.counts["conflict"] == 1
    with province.read() as session:
        assert session.get(Person, hoa).phone == "0922222222"


def test_bundles_beyond_the_kept_budget_are_read_again_at_the_commit(world, monkeypatch):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    calls = counting(monkeypatch)
    [prepared] = prepare_paths(province, [path], keep_records=0)
    assert not prepared.kept and calls["open"] == 1
    [done] = commit_prepared(province, [prepared])
    assert done.status == "applied" and calls["open"] == 2  # read again, checked by its hash
    assert "Lò Thị Hoa" in names_at(province)


@pytest.fixture
def commune_b(world, tmp_path):
    """Commune B's person, group, meeting… at the province."""
    b = commune_data(world.dbs["B1"], "Sín Thầu", tmp_path)
    world.round()
    return b


def test_a_stored_row_sent_under_sites_never_seen_here_is_still_checked(
        world, commune_b, tmp_path, bets):
    """A first bundle from unknown sites is assumed to hold only new rows, so they are not
    looked up; a stored row of another commune sent that way fails its insert, and the import
    is redone with every look-up: refused whole, as with known sites."""
    b = commune_b
    redone = bets
    province = world.dbs["P"]
    invented = "0190aaaa-0000-7000-8000-000000000001"
    line = stored_line(province, "person", b["person"])
    line["v"].update(full_name="Kẻ Mạo Danh", commune_key="2025:commune:03325")  # "A's now"
    line["s"] = {f: [invented, 5, pack(wall_millis(), 0)] for f in line["v"]}
    line["c"] = {invented: 5}
    refused_whole(world, a1_bundle(world, tmp_path, {"person": [line]}))
    assert redone == [True, False, True, False]  # preview and commit: each bet lost, redone
    with province.read() as session:
        assert session.get(Person, b["person"]).full_name == "Lò Thị Sín Thầu"


def test_a_communes_first_bundle_is_not_looked_up_row_by_row_and_its_next_one_is(
        tmp_path, template_file, monkeypatch):
    """The bet of a first bundle (its rows new here: not looked up before the merge) is decided
    on what the province knew before this file. The import notes the sender's site just
    before the merge; deciding after that made the bet never apply."""
    from da8desktop.core.db.database import Database
    from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                            own_fingerprint, province_init)
    from da8desktop.core.sync.export import export_bundles
    from tests.core.sync_world import COMMUNE_A, PROVINCE

    bets = []
    ownership = importer.Ownership

    def noting(session, commune_key, assume_new=False):
        bets.append(assume_new)
        return ownership(session, commune_key, assume_new=assume_new)

    monkeypatch.setattr(importer, "Ownership", noting)
    files = {}
    for name in ("P", "A1"):
        files[name] = tmp_path / f"{name}.sqlite"
        shutil.copyfile(template_file, files[name])
    province, laptop = Database.open(files["P"]), Database.open(files["A1"])
    try:
        _identity, province_fingerprint = province_init(province, PROVINCE)
        setup = enroll(province, COMMUNE_A, tmp_path / "setup")
        commune_init(laptop, setup.path, province_fingerprint)
        PeopleService(laptop).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
        [first] = export_bundles(laptop, tmp_path / "out1")
        assert import_file(province, first.path).reason == "unconfirmed"
        confirm_commune_computer(province, COMMUNE_A, own_fingerprint(laptop) or "")
        assert bets == []  # nothing merged while unconfirmed
        assert commit_prepared(province, prepare_paths(province, [first.path]))[0].status \
            == "applied"
        assert bets == [True, True]  # the preview and the commit: nothing looked up
        PeopleService(laptop).create(full_name="Lò Văn Páo", sex="M", birth_year=1985)
        [second] = export_bundles(laptop, tmp_path / "out2")
        bets.clear()
        assert import_file(province, second.path).status == "applied"
        assert bets == [False]  # the laptop's site is known now: every row is looked up
        assert {"Lò Thị Hoa", "Lò Văn Páo"} <= names_at(province)
    finally:
        province.close()
        laptop.close()
