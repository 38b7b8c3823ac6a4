"""Sync by bundle: delivery order, conflicts, receipts (sync.md §6, delivery and order)."""

from __future__ import annotations

import shutil

import pytest

from da8desktop.core.db.models import Person, SyncConflict, Target
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.sync.status import commune_receipt, open_conflicts, province_status
from tests.core.sync_world import COMMUNE_A, COMMUNE_B, dump


def add_person(db, name, **extra):
    return PeopleService(db).create(full_name=name, sex="F", birth_year=1990, **extra).id


def get(db, model, row_id):
    with db.read() as session:
        return session.get(model, row_id)


def test_first_exchange_moves_the_commune_and_returns_a_receipt(world):
    a1, p = world.dbs["A1"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    assert commune_receipt(a1).unconfirmed > 0
    [bundle] = world.send("A1")
    assert "Hoa" not in bundle.name and bundle.suffix == ".da8"
    report = world.receive("P", bundle)
    assert report.status == "applied" and report.counts["new"] == 1
    assert get(p, Person, hoa).full_name == "Lò Thị Hoa"
    for path in world.send("P", "A1"):
        assert world.receive("A1", path).status == "applied"
    receipt = commune_receipt(a1)
    assert receipt.unconfirmed == 0 and receipt.confirmed_until is not None
    [status] = [s for s in province_status(p) if s.commune_code == COMMUNE_A and s.last_seq == 2]
    assert status.received == 2 and status.missing == [] and status.status == "enrolled"


def test_same_bundle_twice_says_already_imported(world):
    add_person(world.dbs["A1"], "Lò Thị Hoa")
    [bundle] = world.send("A1")
    assert world.receive("P", bundle).status == "applied"
    before = dump(world.dbs["P"], COMMUNE_A)
    again = world.receive("P", bundle)
    assert again.status == "duplicate" and again.ok
    assert dump(world.dbs["P"], COMMUNE_A) == before


def test_any_order_and_a_lost_bundle_reach_the_same_state(world, tmp_path):
    a1 = world.dbs["A1"]
    people = PeopleService(a1)
    hoa = add_person(a1, "Lò Thị Hoa")
    [b1] = world.send("A1")
    people.update(hoa, phone="0912345678")
    add_person(a1, "Quàng Văn Tiến", )
    [b2] = world.send("A1")
    people.delete(hoa)
    [b3] = world.send("A1")
    snapshot = world.copy(world.dbs["P"])  # the province before any of the three arrived
    snapshot.close()
    world.reopen("P")

    for path in (b3, b1, b2):
        assert world.receive("P", path).status == "applied"
    reference = dump(a1, COMMUNE_A)
    assert dump(world.dbs["P"], COMMUNE_A) == reference
    assert get(world.dbs["P"], Person, hoa).deleted

    # Bundle 2 lost: bundle 3 alone brings everything, because it starts from the last receipt.
    world.dbs["P"].close()
    world.dbs["P"] = world.copy(snapshot)
    assert world.receive("P", b3).status == "applied"
    assert dump(world.dbs["P"], COMMUNE_A) == reference
    missing = [s.missing for s in province_status(world.dbs["P"]) if s.commune_code == COMMUNE_A]
    assert [2, 3] in missing  # #1 was the enrolment; "#2 and #3 have not arrived"


def test_full_resend_changes_nothing(world):
    add_person(world.dbs["A1"], "Lò Thị Hoa")
    world.round()
    [full] = world.send("A1", full=True)
    report = world.receive("P", full)
    assert report.status == "applied"
    assert report.counts["new"] == report.counts["updated"] == report.counts["conflict"] == 0
    assert report.counts["unchanged"] > 0


def test_two_edits_between_trips_are_a_fast_forward(world):
    a1, a2 = world.dbs["A1"], world.dbs["A2"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    world.round()
    assert get(a2, Person, hoa).full_name == "Lò Thị Hoa"  # the province relays between laptops
    PeopleService(a2).update(hoa, phone="0911111111")
    PeopleService(a2).update(hoa, phone="0922222222")
    world.round()
    world.round()
    assert get(a1, Person, hoa).phone == "0922222222"
    assert open_conflicts(a1) == [] and open_conflicts(world.dbs["P"]) == []


def test_concurrent_edit_same_winner_everywhere_loser_kept(world):
    a1, a2, p = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    world.round()
    PeopleService(a1).update(hoa, phone="0911111111")
    PeopleService(a2).update(hoa, phone="0922222222")  # later HLC: wins everywhere
    world.round()
    world.round()
    assert {get(db, Person, hoa).phone for db in (a1, a2, p)} == {"0922222222"}
    # The province met both values first: the conflict is recorded there, with both values.
    [conflict] = [c for c in open_conflicts(p) if c.field == "phone"]
    assert conflict.kept_value == "0922222222" and conflict.lost_value == "0911111111"
    assert conflict.label == "Lò Thị Hoa"
    assert dump(a1, COMMUNE_A) == dump(a2, COMMUNE_A) == dump(p, COMMUNE_A)


def test_delete_wins_over_a_concurrent_edit(world):
    a1, a2, p = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    world.round()
    PeopleService(a2).update(hoa, phone="0922222222")  # later, but a delete still wins
    PeopleService(a1).delete(hoa)
    world.round()
    world.round()
    assert all(get(db, Person, hoa).deleted for db in (a1, a2, p))
    assert dump(a1, COMMUNE_A) == dump(a2, COMMUNE_A) == dump(p, COMMUNE_A)


def test_targets_flow_down_and_an_old_bundle_cannot_roll_them_back(world):
    p, a1 = world.dbs["P"], world.dbs["A1"]
    commune = f"2025:commune:{COMMUNE_A}"
    TargetsService(p).set("indicator:I.TTCD", "2026", 10, commune_key=commune)
    old = world.send("P", "A1")
    TargetsService(p).set("indicator:I.TTCD", "2026", 12, commune_key=commune)
    new = world.send("P", "A1")
    for path in new + old:  # the old one arrives last
        assert world.receive("A1", path).status == "applied"
    target_id = Target.make_id("indicator:I.TTCD", commune, "2026")
    assert get(a1, Target, target_id).value == 12
    assert get(world.dbs["B1"], Target, target_id) is None


def test_communes_never_receive_each_others_rows(world):
    add_person(world.dbs["B1"], "Canary Sín Thầu")
    add_person(world.dbs["A1"], "Lò Thị Hoa")
    world.round()
    world.round()
    assert dump(world.dbs["P"], COMMUNE_B)["person"]
    assert dump(world.dbs["A1"], COMMUNE_B)["person"] == []
    assert dump(world.dbs["B1"], COMMUNE_A)["person"] == []
    assert dump(world.dbs["P"], COMMUNE_B) == dump(world.dbs["B1"], COMMUNE_B)


def test_dry_run_writes_nothing(world):
    add_person(world.dbs["A1"], "Lò Thị Hoa")
    [bundle] = world.send("A1")
    p = world.dbs["P"]
    before = _whole(p)
    from da8desktop.core.sync.importer import import_file

    preview = import_file(p, bundle, dry_run=True)
    assert preview.status == "dry_run" and preview.counts["new"] == 1
    [record] = [r for r in preview.records if r["table"] == "person"]
    assert record["fields"]["full_name"] == [None, "Lò Thị Hoa"]  # drill-down before -> after
    assert _whole(p) == before
    applied = import_file(p, bundle)
    assert applied.counts == preview.counts
    with p.read() as session:
        assert session.query(SyncConflict).count() == 0


@pytest.mark.sqlite_only  # a copied file; a server database is not copied by officers
def test_a_copied_data_file_gets_its_own_site_id_and_both_copies_converge(world, tmp_path):
    from da8desktop.core.db.database import Database
    from da8desktop.core.services.site import identity

    a1 = world.dbs["A1"]
    hoa = add_person(a1, "Lò Thị Hoa")
    a1.close()
    copy_file = tmp_path / "copied-to-a-new-laptop.sqlite"
    shutil.copyfile(a1.file, copy_file)
    world.dbs["A1"] = a1 = Database.open(a1.file)
    copy = Database.open(copy_file)
    assert identity(copy).site_id != identity(a1).site_id  # the copy writes in its own space
    PeopleService(a1).update(hoa, phone="0911111111")
    tien = add_person(copy, "Quàng Văn Tiến")  # same seq number on both: no longer a collision
    for db in (a1, copy):
        for path in [b.path for b in __import__("da8desktop.core.sync.export", fromlist=["x"])
                     .export_bundles(db, tmp_path / f"out{id(db)}")]:
            assert world.receive("P", path).status == "applied"  # same keys: still enrolled
    p = world.dbs["P"]
    assert get(p, Person, hoa).phone == "0911111111" and get(p, Person, tien) is not None
    copy.close()


def test_clock_set_back_to_1990_and_equal_clocks_keep_one_order(world, monkeypatch):
    import da8desktop.core.hlc as hlc

    a1, a2, p = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    world.round()
    with a1.read() as session:
        from da8desktop.core.db.models import Installation

        before = session.get(Installation, 1).hlc
    monkeypatch.setattr(hlc, "wall_millis", lambda: 631152000000)  # 1 January 1990
    PeopleService(a1).update(hoa, phone="0911111111")
    assert get(a1, Person, hoa).stamps["phone"][2] > before  # the clock never goes back
    # Equal clocks at two sites: the site id breaks the tie the same way everywhere.
    for db in (a1, a2):
        with db.write() as uow:
            uow.installation().hlc = 0
    monkeypatch.setattr(hlc, "wall_millis", lambda: 1795000000000)  # a few days ago, the same on both
    PeopleService(a1).update(hoa, note="A1")
    PeopleService(a2).update(hoa, note="A2")
    assert get(a1, Person, hoa).stamps["note"][2] == get(a2, Person, hoa).stamps["note"][2]
    world.round()
    world.round()
    assert len({get(db, Person, hoa).note for db in (a1, a2, p)}) == 1
    assert dump(a1, COMMUNE_A) == dump(a2, COMMUNE_A) == dump(p, COMMUNE_A)


def test_erased_personal_data_leaves_every_file_and_later_bundles(world, tmp_path):
    import pyrage

    from da8desktop.core.services.redact import redact_person
    from da8desktop.core.sync.keys import unwrap
    from da8desktop.core.db.models import Installation

    a1, a2, p = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    secret = "Redactname Quxbaz"
    hoa = PeopleService(a1).create(full_name=secret, sex="F", birth_year=1990,
                                   phone="0987650001", note="Canary note Zyxwv").id
    world.round()
    world.round()
    PeopleService(a2).update(hoa, phone="0987650002")  # an edit the erasure has not seen
    redact_person(a1, hoa)
    world.round()
    world.round()
    for db in (a1, a2, p):
        row = get(db, Person, hoa)
        assert row.redacted and row.deleted and row.full_name == "—" and row.phone is None
        assert row.birth_year == 1990 and row.sex == "F"  # aggregates still count her
    assert dump(a1, COMMUNE_A) == dump(a2, COMMUNE_A) == dump(p, COMMUNE_A)
    later = world.send("A2", "P", full=True) + world.send("P", "A1", full=True)
    for name, db in (("A2", a2), ("P", p), ("A1", a1)):
        db.close()
        for suffix in ("", "-wal") if db.file is not None else ():  # bytes of a SQLite file
            path = db.file.with_name(db.file.name + suffix)
            if path.exists():
                data = path.read_bytes()
                for needle in ("Redactname", "Quxbaz", "0987650001", "0987650002", "Zyxwv"):
                    assert needle.encode() not in data, (name, suffix, needle)
    from da8desktop.core.db.database import Database

    for name in ("A1", "A2", "P"):
        world.dbs[name] = Database.open(world.dbs[name].url)
    for path in later:
        receiver = "P" if "-to-tinh" in path.name else "A1"
        with world.dbs[receiver].read() as session:
            keys = unwrap(session.get(Installation, 1).keys_wrapped)
        import io
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(path.read_bytes(), [keys.box])))
        text = b"".join(archive.read(n) for n in archive.namelist())
        assert str(hoa).encode() in text  # the row itself travels, erased
        assert b"Redactname" not in text and b"0987650002" not in text


def _whole(db):
    """Every row of every table, for "nothing changed" on any backend."""
    from sqlalchemy import select

    from da8desktop.core.db.models import Base

    with db.read() as session:
        return {name: sorted(map(repr, session.execute(select(table)).all()))
                for name, table in Base.metadata.tables.items()}
