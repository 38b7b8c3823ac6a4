"""Issue 23, P7a: bundle lines are written straight from the stored values (ids from their
bytes or the driver's UUID, stamps from their stored form) instead of through the ORM's types
and a dict per row. The text must be exactly what the record path (`row_lines`, then
`codec.dumps`) writes, on SQLite and on PostgreSQL, and a full bundle written the new way
must bring the province to the commune's state."""

from __future__ import annotations

from sqlalchemy import select

from da8desktop.core.db.models import SYNCED_MODELS, Person, SyncSite
from da8desktop.core.demo import DEMO_COMMUNE
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import codec, container, manifest
from da8desktop.core.sync.export import row_lines, row_texts
from da8desktop.core.sync.partition import in_commune
from da8desktop.core.sync.state import Sites
from tests.core.sync_world import COMMUNE_A, dump


def both_ways(session, model, where, lo=None, again=None) -> tuple[str, str, list]:
    sites = Sites(session)
    records = row_lines(session, sites, model, where, lo, again)
    old = "".join(codec.dumps(record) + "\n" for record in records)
    new = "".join(text + "\n" for text, _values in row_texts(session, sites, model, where, lo,
                                                             again))
    return old, new, records


def test_lines_from_stored_values_are_the_records_text_exactly(demo_db):
    key = f"2025:commune:{DEMO_COMMUNE}"
    seen = {"lines": 0, "several stamps": 0, "none": 0, "date": 0, "json": 0, "bool": 0,
            "reference": 0}
    people = PeopleService(demo_db)
    with demo_db.read() as session:
        some = list(session.scalars(select(Person.id).order_by(Person.id).limit(3)))
    people.update(some[0], phone="0912345678")  # a row whose fields carry different stamps
    people.update(some[1], note="Chữ có dấu, \"ngoặc\" và\nxuống dòng")
    people.delete(some[2])
    with demo_db.read() as session:
        for model in SYNCED_MODELS:
            old, new, records = both_ways(session, model, in_commune(model, key))
            assert new == old, model.__tablename__
            seen["lines"] += len(records)
            for record in records:
                seen["several stamps"] += len({tuple(s) for s in record["s"].values()}) > 1
                for name, value in record["v"].items():
                    column = model.__table__.c[name]
                    kind = type(column.type).__name__
                    seen["none"] += value is None
                    seen["date"] += kind == "Date" and value is not None
                    seen["json"] += kind == "JSON" and value is not None
                    seen["bool"] += isinstance(value, bool)
                    seen["reference"] += kind == "BinaryUuid" and value is not None
        # A delta: only what changed after an acknowledgement, plus rows sent again.
        idx = session.scalars(select(SyncSite.idx)).first()
        assert idx is not None
        old, new, records = both_ways(session, Person, in_commune(Person, key), {idx: 1},
                                      [some[0]])
        assert new == old and 0 < len(records) < seen["lines"]
    assert all(count > 0 for count in seen.values()), seen


def test_a_full_bundle_written_from_stored_values_brings_the_province_to_the_commune(world):
    a1, p = world.dbs["A1"], world.dbs["P"]
    people = PeopleService(a1)
    hoa = people.create(full_name="Lò Thị Hoa", sex="F", birth_year=1990).id
    people.create(full_name="Quàng Văn Tiến", sex="M", birth_year=1985)
    people.update(hoa, phone="0912345678")
    [bundle] = world.send("A1", full=True)
    report = world.receive("P", bundle)
    assert report.status == "applied" and report.counts["new"] >= 2
    assert dump(p, COMMUNE_A) == dump(a1, COMMUNE_A)
    # The entries a reader inflates are the records the former writer produced.
    with a1.read() as session:
        expected = both_ways(session, Person, in_commune(Person, f"2025:commune:{COMMUNE_A}"))[0]
    with container.open_bundle(bundle, world.keys("P"), bundle.name) as opened:
        entries = opened.read_entries(manifest.listed(manifest.Manifest.model_validate_json(
            opened.manifest_bytes)))
    assert entries["person.ndjson"].decode("utf-8") == expected


def test_a_delta_filters_only_on_sites_with_news_and_keeps_rows_after_a_gap(demo_db):
    """P7b at a province's scale: only the sites holding a version after their acknowledgement
    filter a delta. The highest stored seq decides, not the knowledge vector: after a gap the
    knowledge stays low while the rows after the gap are held, and they must travel."""
    from sqlalchemy import func

    from da8desktop.core.db.models import RowVersion
    from da8desktop.core.sync.export import sites_with_news

    key = f"2025:commune:{DEMO_COMMUNE}"
    with demo_db.read() as session:
        [(idx, top)] = session.execute(select(RowVersion.site_idx, func.max(RowVersion.seq))
                                       .group_by(RowVersion.site_idx)).all()
        everyone_acked = {idx: top, idx + 1000: 0}  # a site known but with no version here
        assert sites_with_news(session, everyone_acked) == {}
        assert sites_with_news(session, {idx: top - 1}) == {idx: top - 1}
        # Nothing after the acknowledgements: no row (the filter is not "everything").
        old, new, records = both_ways(session, Person, in_commune(Person, key), {})
        assert records == [] and new == old == ""
    with demo_db.write() as uow:  # a gap: the site's knowledge says less than the rows hold
        site = uow.session.get(SyncSite, idx)
        if site is not None:
            site.known_seq = 1
    with demo_db.read() as session:
        person_top = session.scalar(select(func.max(RowVersion.seq)).where(
            RowVersion.site_idx == idx, RowVersion.table_name == "person"))
        lo = sites_with_news(session, {idx: person_top - 1})
        assert lo == {idx: person_top - 1}
        _old, _new, records = both_ways(session, Person, in_commune(Person, key), lo)
        wanted = set(session.scalars(select(RowVersion.row_id).where(
            RowVersion.site_idx == idx, RowVersion.seq > person_top - 1,
            RowVersion.table_name == "person")))
        assert wanted and {r["id"] for r in records} == {str(i) for i in wanted}
