"""Review of issues #17 and #18 as an adversary: each test is a hole found, reproduced with a
bundle signed by a genuinely enrolled laptop (built as in test_sync_attacks), and what must
happen instead."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from da8desktop.core.db.models import Person, SyncPeer, SyncSite
from da8desktop.core.sync.importer import import_file
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import codec
from tests.core.test_sync_attacks import forge, plain_bundle, rezip
from tests.core.test_sync_ownership import (a1_bundle, both, new_line, site_of,  # noqa: F401
                                            snapshot)


def known(db, site: str) -> int:
    with db.read() as session:
        row = session.scalar(select(SyncSite).where(SyncSite.site_id == uuid.UUID(site)))
        return row.known_seq if row else 0


def test_a_commune_cannot_claim_another_laptops_site_and_silence_it(world, tmp_path):
    """A1 says its bundle comes from B1's site and carries all of B1's changes: the province
    would then tell B1 it holds every change B1 will ever make, and B1 would stop sending."""
    world.round()
    b1 = site_of(world.dbs["B1"])
    PeopleService(world.dbs["B1"]).create(full_name="Lò Thị Sín", sex="F", birth_year=1990)
    world.round()
    before = known(world.dbs["P"], b1)
    assert before > 0

    def hijack(manifest, entries):
        manifest["source"]["site"] = b1
        manifest["ranges"] = {b1: [0, codec.MAX_SEQ]}
        return manifest, entries

    _path, plain = plain_bundle(world, "A1", "P")
    path = forge(world, "A1", "P", *rezip(plain, hijack), tmp_path, name="hijack.da8")
    report = world.receive("P", path)
    assert report.status == "rejected" and report.reason == "impostor", report
    assert known(world.dbs["P"], b1) == before
    # And B1's next change still reaches the province.
    world.round()
    PeopleService(world.dbs["B1"]).create(full_name="Lò Thị Sau", sex="F", birth_year=1991)
    world.round()
    with world.dbs["P"].read() as session:
        assert session.scalar(select(Person).where(Person.full_name == "Lò Thị Sau")) is not None


def _sites(db) -> int:
    with db.read() as session:
        return len(session.scalars(select(SyncSite)).all())


def test_a_bundle_cannot_flood_the_province_with_invented_sites(world, both, tmp_path):  # noqa: F811
    """Every site a line names becomes a row of sync_site at the province, all of which every
    later import and export reads: one line may name thousands of invented sites."""
    line = new_line(world, "person", uuid.uuid4(), full_name="Lò Thị Mới")
    line["c"].update({str(uuid.uuid4()): 1 for _ in range(2000)})
    path = a1_bundle(world, tmp_path, {"person": [line]})
    before = snapshot(world.dbs["P"])
    report = import_file(world.dbs["P"], path)
    assert report.status == "rejected" and "Traceback" not in report.message, report
    assert snapshot(world.dbs["P"]) == before


def test_a_bundle_cannot_grow_its_acknowledgements_without_bound(world, tmp_path):
    """`knowledge` (up to 10,000 sites a bundle) is kept in the peer's `acked`, merged with the
    previous ones: sites nobody knows only make it grow, bundle after bundle."""
    def invent(manifest, entries):
        manifest["knowledge"].update({str(uuid.uuid4()): 5 for _ in range(3000)})
        return manifest, entries

    _path, plain = plain_bundle(world, "A1", "P")
    report = world.receive("P", forge(world, "A1", "P", *rezip(plain, invent), tmp_path))
    assert report.ok, report
    with world.dbs["P"].read() as session:
        known_sites = {str(s) for s in session.scalars(select(SyncSite.site_id))}
        acked = [set(p.acked) for p in session.scalars(select(SyncPeer))]
    assert all(keys <= known_sites for keys in acked)


def test_numbers_beyond_their_column_are_refused_per_record(world, both, tmp_path):  # noqa: F811
    """An integer column of 16 or 32 bits, or a Numeric(5, 1), took any number below 2**63:
    SQLite stores it, PostgreSQL (the province's server) fails the whole import with an error
    that is not a refusal. Each such record is refused by name; the rest applies."""
    ids = [uuid.uuid4() for _ in range(4)]
    lines = [new_line(world, "activity", ids[0], title="Họp số lớn", questions_raised=2**40),
             new_line(world, "activity", ids[1], title="Họp dài", days=123456.5),
             new_line(world, "activity", ids[2], title="Họp âm", questions_answered=-(2**33)),
             new_line(world, "activity", ids[3], title="Họp đúng", questions_raised=12)]
    report = import_file(world.dbs["P"], a1_bundle(world, tmp_path, {"activity": lines}))
    assert report.ok, report
    refused = {o.row_id: o for o in report.outcomes if o.action == "rejected"}
    assert set(refused) == set(ids[:3]), report.outcomes
    assert "questions_raised" in refused[ids[0]].reason and "days" in refused[ids[1]].reason
    with world.dbs["P"].read() as session:
        from da8desktop.core.db.models import Activity

        assert session.get(Activity, ids[3]) is not None
        assert all(session.get(Activity, i) is None for i in ids[:3])


def test_a_bundle_renamed_to_a_long_name_is_imported_and_its_name_fits(world, tmp_path):
    """A copy renamed by hand ("… (copy) (copy) …", up to 255 bytes) was stored whole in
    sync_bundle.file_name, a String(200): PostgreSQL refuses the write and the import crashed."""
    path, _plain = plain_bundle(world, "A1", "P")
    long = path.with_name(path.stem + " (copy)" * 28 + ".da8")
    assert len(long.name) > 200 and len(long.name.encode()) < 255
    path.rename(long)
    report = world.receive("P", long)
    assert report.status == "applied", report
    from da8desktop.core.db.models import SyncBundle

    with world.dbs["P"].read() as session:
        names = [b.file_name for b in session.scalars(select(SyncBundle))]
    assert all(len(n) <= SyncBundle.__table__.c.file_name.type.length for n in names), names


def test_a_stranger_cannot_put_its_own_words_in_a_refusal(world, tmp_path):
    """Before the sender is known, a refusal named the addressee by the label the file chose:
    anyone with the province's public key could make the officer read "call this number" (or
    send terminal escapes). The addressee is named by its codes only."""
    words = "GỌI NGAY 0999 999 999 \x1b[2J"

    def readdress(manifest, entries):
        manifest["target"]["sign_public"] = "ab" * 32
        manifest["target"]["label"] = words
        return manifest, entries

    _path, plain = plain_bundle(world, "A1", "P")
    report = world.receive("P", forge(world, "A1", "P", *rezip(plain, readdress), tmp_path))
    assert report.status == "rejected" and report.reason == "not_addressed", report
    assert "0999" not in report.message and "\x1b" not in report.message, report.message
    assert "11" in report.message  # the province's code still says which one it was for


def _village_lines(world, tmp_path):
    """A maker of village lines of A1's, stamped to be applied."""
    import copy

    from da8desktop.core.db.models import Village
    from da8desktop.core.hlc import pack, wall_millis
    from da8desktop.core.services.villages import VillagesService
    from da8desktop.core.sync.export import row_lines
    from da8desktop.core.sync.state import Sites

    template_id = VillagesService(world.dbs["A1"]).create(name="Bản Mẫu").id
    world.round()
    with world.dbs["P"].read() as session:
        [template] = row_lines(session, Sites(session), Village, Village.id == template_id, None)
    site = site_of(world.dbs["A1"])

    def make(row_id, **values):
        line = copy.deepcopy(template)
        line["id"] = str(row_id)
        line["v"].update(values)
        line["s"] = {f: [site, 900_000, pack(wall_millis(), 0)] for f in line["v"]}
        line["c"] = {site: 900_000}
        return line

    return make


def test_a_village_naming_a_refused_successor_is_refused_not_a_crash(world, tmp_path):
    """Village X names village Y as its successor; Y comes after X in the file and is refused
    when written (its dates break a rule). X was applied, and the commit then failed on the
    reference to Y: an IntegrityError out of the import (exit 1, a crash log), for every later
    bundle of that laptop too. X is now refused because of Y, the rest applies."""
    make = _village_lines(world, tmp_path)
    x, y, z = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    lines = [make(x, name="Bản Tốt", successor_id=str(y)),
             make(y, name="Bản Hỏng", valid_from="2025-01-01", valid_to="2020-01-01"),
             make(z, name="Bản Khác")]
    before = snapshot(world.dbs["P"])
    preview = import_file(world.dbs["P"], a1_bundle(world, tmp_path, {"village": lines}),
                          dry_run=True)
    assert snapshot(world.dbs["P"]) == before
    report = import_file(world.dbs["P"], a1_bundle(world, tmp_path, {"village": lines}, "b.da8"))
    assert report.status == "applied", report
    assert {o.row_id for o in report.outcomes if o.action == "rejected"} == {x, y}
    assert preview.counts == report.counts


def test_villages_that_name_each_other_and_fail_are_a_plain_refusal(world, tmp_path):
    """The same with a cycle (X names Y, Y names X): no order helps; the whole file is refused
    plainly, in the preview as in the commit, and nothing is written."""
    make = _village_lines(world, tmp_path)
    x, y = uuid.uuid4(), uuid.uuid4()
    lines = [make(x, name="Bản Một", successor_id=str(y), valid_from="2025-01-01",
                  valid_to="2020-01-01"),
             make(y, name="Bản Hai", successor_id=str(x))]
    path = a1_bundle(world, tmp_path, {"village": lines})
    before = snapshot(world.dbs["P"])
    for dry_run in (True, False):
        report = import_file(world.dbs["P"], path, dry_run=dry_run)
        assert report.status == "rejected" and report.reason == "damaged", report
        assert "Traceback" not in report.message
    assert snapshot(world.dbs["P"]) == before
