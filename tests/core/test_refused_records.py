"""One refused record never stalls the rest (issue #18, item 2): the province applies and
acknowledges what it could, the receipt names each refused record readably with its reason, the
commune keeps them listed (re-sending them) until a receipt shows them taken."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from da8desktop.core import fields
from da8desktop.core.db.models import Installation, Person, SyncSite, Village
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService
from da8desktop.core.sync.status import commune_receipt

LONG_VILLAGE = "Bản " + "Nà Phá Thượng " * 9  # 130 characters: over String(120)
TWO_PHONES = "0912345678 - 0987654321"  # 23 characters: over String(20)


def too_long(name, length, table="person"):
    return fields.TOO_LONG.render(field=fields.rule(table, name).label.render(), length=length)


def get(db, model, row_id):
    with db.read() as session:
        return session.get(model, row_id)


def raw(db, sql, **params):
    """As an older version (or a hand edit) left it: stored without any of today's checks."""
    with db.write() as uow:
        uow.session.execute(text(sql), params)


def stored_over_long(world):
    """A1 holds one over-long village (with its one person) and one over-long phone, among
    normal records. Returns their ids."""
    if world.pg is not None:
        pytest.skip("PostgreSQL refuses an over-long value itself: only a SQLite file holds one")
    a1 = world.dbs["A1"]
    villages, people = VillagesService(a1), PeopleService(a1)
    na_pha = villages.create(name="Bản Nà Phá").id
    far = villages.create(name="Bản Xa").id
    raw(a1, "UPDATE village SET name = :name WHERE id = :id", name=LONG_VILLAGE, id=far.bytes)
    mai = people.create(full_name="Lò Thị Mai", sex="F", birth_year=1985, village_id=na_pha).id
    raw(a1, "UPDATE person SET phone = :phone WHERE id = :id", phone=TWO_PHONES, id=mai.bytes)
    hoa = people.create(full_name="Lò Thị Hoa", sex="F", birth_year=1990, village_id=far).id
    fine = [people.create(full_name=f"Quàng Thị Lan {n}", sex="F", birth_year=1990,
                          village_id=na_pha).id for n in range(3)]
    return na_pha, far, mai, hoa, fine


def exchange(world):
    """A1 sends to the province, which answers: the two reports."""
    [up] = world.send("A1", "P")
    sent = world.receive("P", up)
    [down] = world.send("P", "A1")
    back = world.receive("A1", down)
    assert sent.ok and back.ok
    return sent


def test_refused_records_do_not_stall_and_travel_once_fixed(world):
    a1, p = world.dbs["A1"], world.dbs["P"]
    na_pha, far, mai, hoa, fine = stored_over_long(world)

    report = exchange(world)
    assert report.counts["rejected"] == 3 and report.counts["new"] == 4  # Nà Phá + 3 people
    refused = {r["id"]: r for r in report.as_dict()["rejected"]}
    assert refused[str(mai)]["label"] == "Lò Thị Mai (Bản Nà Phá)"
    assert refused[str(mai)]["reason"] == too_long("phone", 20)  # "Phone number is longer…"
    assert refused[str(far)]["reason"] == too_long("name", 120, "village")
    assert refused[str(hoa)]["label"].startswith("Lò Thị Hoa (Bản Nà Phá Thượng")
    assert "was refused" in refused[str(hoa)]["reason"]
    assert "Bản Nà Phá Thượng" in refused[str(hoa)]["reason"]  # its parent, by name
    for row_id in fine:
        assert get(p, Person, row_id) is not None
    assert get(p, Person, mai) is None and get(p, Village, far) is None

    # The province acknowledged what it applied: the commune has nothing pending but the
    # refused records, which it lists, readably, with their reasons.
    receipt = commune_receipt(a1)
    assert receipt.unconfirmed == 0
    listed = {(e["table"], e["id"]): e for e in receipt.rejected_by_province}
    assert set(listed) == {("village", str(far)), ("person", str(mai)), ("person", str(hoa))}
    assert listed[("person", str(mai))]["label"] == "Lò Thị Mai (Bản Nà Phá)"

    # Not fixed: sent again, refused again, still listed (never silently "delivered").
    report = exchange(world)
    assert report.counts["rejected"] == 3
    assert len(commune_receipt(a1).rejected_by_province) == 3

    # Fixed at the commune (the village's name, Mai's phone); Hoa herself is unchanged but
    # travels again because she is listed, and is now taken with her village.
    VillagesService(a1).update(far, name="Bản Xa Thượng")
    PeopleService(a1).update(mai, phone="0912345678")
    report = exchange(world)
    assert report.counts["rejected"] == 0, report.as_dict()["rejected"]
    assert get(p, Village, far).name == "Bản Xa Thượng"
    assert get(p, Person, mai).phone == "0912345678"
    assert get(p, Person, hoa).village_id == far
    assert commune_receipt(a1).rejected_by_province == []
    # One more round: nothing is re-sent once taken.
    [up] = world.send("A1", "P")
    assert world.receive("P", up).by_table == {}


def test_the_province_knowledge_moves_past_a_refused_record(world):
    a1, p = world.dbs["A1"], world.dbs["P"]
    stored_over_long(world)
    with a1.read() as session:
        inst = session.get(Installation, 1)
        site_id, written = inst.site_id, inst.seq
    exchange(world)
    with p.read() as session:
        known = session.query(SyncSite).filter(SyncSite.site_id == site_id).one().known_seq
    assert known == written  # acknowledged despite three refusals


def test_a_receipt_names_refused_records_only_in_checked_form():
    """A receipt comes from another computer: a malformed entry is dropped, an over-long label
    or reason is cut (never dropped: a record missing from its receipt would pass for taken)."""
    from da8desktop.core.sync.refused import _records

    good = {"table": "person", "id": "01a22edd-0000-7000-8000-000000000001",
            "label": "x" * 5000, "reason": "y" * 5000}
    records = _records({"rejected": [good, {"table": "person", "id": "not a uuid"},
                                     {"table": "sqlite_master", "id": good["id"]}, "junk", None]})
    assert [(r.table, str(r.id), len(r.label), len(r.reason)) for r in records] == [
        ("person", good["id"], 400, 400)]
    assert _records({"rejected": "nope"}) == [] and _records(None) == []
