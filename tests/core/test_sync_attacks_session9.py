"""Session 9's import speed-ups seen by an adversary: a validly signed commune bundle built to
slip through where the checks they replaced refused it (docs/threat-model.md, actor 3)."""

from __future__ import annotations

import pytest

from da8desktop.core.db.models import Village
from da8desktop.core.sync.export import row_lines
from da8desktop.core.sync.state import Sites
from da8desktop.core.hlc import pack, wall_millis
from da8desktop.core.services.villages import VillagesService
from da8desktop.core.sync import importer
from tests.core.test_sync_attacks import assert_refused
from tests.core.test_sync_ownership import (KEY_A, _id, a1_bundle, commune_data, refused_whole,
                                            snapshot, stored_line)

INVENTED = "0190aaaa-0000-7000-8000-0000000000a9"  # a site the province has never seen


@pytest.fixture
def a_at_province(world, tmp_path):
    """Commune A's person, group, meeting… at the province (and at A1)."""
    a = commune_data(world.dbs["A1"], "Nà Nhạn", tmp_path)
    world.round()
    return a


def village_line(db, row_id) -> dict:
    """The line the province itself would send for one of its villages."""
    with db.read() as session:
        [line] = row_lines(session, Sites(session), Village, Village.id == row_id, None)
    return line


def test_a_first_bundle_cannot_hang_a_new_village_on_another_communes_village(
        world, tmp_path, bets):
    """The first-bundle bet (rows from sites never seen here are not looked up) is checked by
    the inserts: a stored id fails its primary key. A row of another commune that the merge
    refuses before inserting it (dated in the future) is never inserted, so that check never
    meets it; and a village cycle puts the village naming it first. Without a redo, A's new
    village was stored with B's village as its successor: a new row hung on another
    commune's row, which the ownership check refuses when it looks rows up."""
    b_village = VillagesService(world.dbs["B1"]).create(name="Bản Sín Thầu").id
    world.round()
    bets.clear()  # from here on: the hostile bundle's preview and commit
    province = world.dbs["P"]
    now, later = pack(wall_millis(), 0), pack(wall_millis() + 10 * 86_400_000, 0)
    # B's village, claimed as A's and dated ten days ahead: the merge refuses it on its own.
    theirs = village_line(province, b_village)
    theirs["v"].update(commune_key=KEY_A, successor_id=str(_id(91)))
    theirs["s"] = {f: [INVENTED, 7, later] for f in theirs["v"]}
    theirs["c"] = {INVENTED: 7}
    # A new village of A's naming B's as its successor: the cycle sorts it first.
    mine = village_line(province, b_village)
    mine["id"] = str(_id(91))
    mine["v"].update(commune_key=KEY_A, name="Bản mới", successor_id=str(b_village))
    mine["s"] = {f: [INVENTED, 6, now] for f in mine["v"]}
    mine["c"] = {INVENTED: 6}
    before = snapshot(province)
    refused_whole(world, a1_bundle(world, tmp_path, {"village": [theirs, mine]}))
    assert bets == [True, False, True, False]  # preview and commit: each bet lost, redone
    assert snapshot(province) == before
    with province.read() as session:
        assert session.get(Village, _id(91)) is None
        assert session.get(Village, b_village).name == "Bản Sín Thầu"


def test_a_number_of_thousands_of_digits_refuses_the_file_plainly(world, tmp_path):
    """Python refuses to read a whole number of more than 4,300 digits (ValueError, not a JSON
    error): such a number in a record refuses the file as damaged, not with a crash."""
    from tests.core.test_sync_attacks import forge, plain_bundle, rezip

    _path, plain = plain_bundle(world, "A1", "P")

    def giant(manifest, entries):
        first, *rest = dict(entries)["person.ndjson"].splitlines(keepends=True)
        huge = first.replace(b'"c":{', b'"c":{"x":' + b"9" * 5000 + b",", 1)
        assert huge != first
        data = b"".join([huge, *rest])
        return manifest, [(n, data if n == "person.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, giant)
    assert_refused(world, "P", forge(world, "A1", "P", manifest, entries, tmp_path), "damaged")


def test_a_lost_bet_is_redone_from_scratch_after_one_restore_point(world, a_at_province,
                                                                    tmp_path, bets):
    """A's own stored person sent from a site never seen here (a laptop restored from an old
    backup, say) with a new person beside her: the bet on new rows is lost at the insert and
    the import redone with every look-up. The restore point is made once, and what the first
    attempt wrote (the new person, the file's record, the audit entry) is there once."""
    from sqlalchemy import func, select

    from da8desktop.core.db.models import AuditEntry, Person, SyncBundle

    a = a_at_province
    province = world.dbs["P"]
    restore_points = []
    now = pack(wall_millis(), 0)
    hers = stored_line(province, "person", a["person"])
    hers["v"].update(phone="0987654321")
    hers["s"] = {f: [INVENTED, 3, now] for f in hers["v"]}
    hers["c"] = {INVENTED: 3}  # naming no site known here: the bet is taken
    new = stored_line(province, "person", a["person"])
    new["id"] = str(_id(92))
    new["v"].update(full_name="Lò Thị Mới", phone=None)
    new["s"] = {f: [INVENTED, 4, now] for f in new["v"]}
    new["c"] = {INVENTED: 4}
    # 500 new people first: her row comes in the merge's second batch of rows, after the
    # first was written (merge.BATCH), which the redo must not find a second time.
    news = [{**new, "id": str(_id(300 + n)), "v": {**new["v"], "full_name": f"Người {n}"}}
            for n in range(499)]
    path = a1_bundle(world, tmp_path, {"person": [new, *news, hers]})

    def counts(session):
        return (session.scalar(select(func.count()).select_from(Person)),
                session.scalar(select(func.count()).select_from(SyncBundle)),
                session.scalar(select(func.count()).select_from(AuditEntry)))

    with province.read() as session:
        people, bundles, audits = counts(session)
    report = importer.import_file(province, path, before_apply=lambda: restore_points.append(1))
    assert report.status == "applied", report.message
    assert bets == [True, False] and restore_points == [1]
    changed = report.counts["updated"] + report.counts["conflict"]  # her edit met A1's
    assert (report.counts["new"], changed, report.counts["rejected"]) == (500, 1, 0)
    assert len(report.records) == 501
    with province.read() as session:
        assert counts(session) == (people + 500, bundles + 1, audits + 1)
        assert session.get(Person, a["person"]).phone == "0987654321"
        assert session.get(Person, _id(92)).full_name == "Lò Thị Mới"


def test_the_collectors_setting_is_restored_whatever_the_import_meets(world, monkeypatch):
    """The collector collects less often during an import (importer.fewer_collections): a
    setting of the whole process, so it comes back after an import applied, refused or broken
    by an unexpected error, and after two imports overlapping in two threads."""
    import gc
    import threading

    from da8desktop.core.services.people import PeopleService

    start = gc.get_threshold()
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    province = world.dbs["P"]
    during = []
    apply_bundle = importer.apply_bundle

    def watching(*args, **kwargs):
        during.append(gc.get_threshold()[0])
        return apply_bundle(*args, **kwargs)

    monkeypatch.setattr(importer, "apply_bundle", watching)
    assert importer.import_file(province, path).status == "applied"
    assert importer.import_file(province, path).status == "duplicate"
    assert during == [importer.IMPORT_GC_THRESHOLD] and gc.get_threshold() == start

    def broken(*_args, **_kwargs):
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(importer, "apply_bundle", broken)
    refused = importer.import_file(province, path, expect_sha256="0" * 64)
    assert (refused.status, refused.reason) == ("rejected", "changed")
    assert gc.get_threshold() == start
    PeopleService(world.dbs["A1"]).create(full_name="Lò Văn Páo", sex="M", birth_year=1985)
    [second] = world.send("A1", "P")
    with pytest.raises(RuntimeError):
        importer.import_file(province, second)
    assert gc.get_threshold() == start

    # Two imports overlapping: the first to start ends first, then the other.
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    inside = []

    def first():
        with importer.fewer_collections():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second_one():
        first_in.wait(5)
        with importer.fewer_collections():
            second_in.set()
            first_out.wait(5)
            inside.append(gc.get_threshold()[0])

    threads = [threading.Thread(target=first), threading.Thread(target=second_one)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert len(inside) == 1 and gc.get_threshold() == start


def test_a_province_revoked_after_the_centres_preview_is_refused_at_the_commit(
        tmp_path, monkeypatch, new_file):
    """The centre's commit applies the bundle its preview read (central_import.apply_central)
    without reading the file again: the sender is authenticated again there, against the
    registry as it is at the commit."""
    from sqlalchemy import select

    from da8desktop.core.db.models import SyncPeer
    from da8desktop.core.sync.central_import import _province_key
    from da8desktop.core.sync.enrol import revoke
    from da8desktop.core.sync.prepared import commit_prepared, prepare_paths
    from tests.cli.test_central_ownership_cli import connected, figure, stored
    from tests.core.test_central_import_once import send

    centre, provinces = connected(tmp_path, new_file)
    path = send(monkeypatch, provinces["11"], tmp_path / "up", figure("03325", 12))
    [prepared] = prepare_paths(centre, [path])
    assert prepared.report.status == "dry_run" and prepared.kept
    with centre.read() as session:
        [peer_id] = session.scalars(select(SyncPeer.id).where(
            SyncPeer.province_key == _province_key("11")))
    revoke(centre, peer_id)
    before = stored(centre.file)
    [done] = commit_prepared(centre, [prepared])
    assert (done.status, done.reason) == ("rejected", "revoked")
    assert stored(centre.file) == before


def test_more_than_a_hundred_invented_sites_in_rows_sharing_one_stamp_refuse_the_file(
        world, a_at_province, tmp_path):
    """Rows of one write share their stamps (codec.decode_row), and a run of them is counted
    once for the sites it names; rows with one stamp but each its own version vector still
    have every site of their vectors counted."""
    a = a_at_province
    template = stored_line(world.dbs["P"], "person", a["person"])
    a1, now = next(iter(template["s"].values()))[0], pack(wall_millis(), 0)
    rows = [{**template, "id": str(_id(200 + n)), "v": {**template["v"], "full_name": f"Người {n}"},
             "s": {f: [a1, 950_000, now] for f in template["v"]},
             "c": {a1: 950_000, f"0190bbbb-0000-7000-8000-{n:012d}": 1}} for n in range(105)]
    path = a1_bundle(world, tmp_path, {"person": rows})
    assert_refused(world, "P", path, "damaged")
    report = importer.import_file(world.dbs["P"], path, dry_run=True)
    assert "100 unknown computers" in report.message, report.message
