"""A wrong computer clock (issue #18, item 1): noticed and said before writing, repaired once it
is right (the changes made meanwhile reach the province within one round trip, nothing lost, no
re-enrolment), and a province whose own clock is wrong does not refuse or blame a commune."""

from __future__ import annotations

import pytest

from da8desktop.core import hlc
from da8desktop.core.db.models import Installation, Person
from da8desktop.core.services.notices import startup_notices
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.clock import DAY_MS, clock_problem
from da8desktop.core.sync.status import commune_receipt
from tests.core.sync_world import COMMUNE_A, dump

IN_2035 = 2_051_222_400_000  # 1 January 2035
REAL = hlc.wall_millis


def add_person(db, name):
    return PeopleService(db).create(full_name=name, sex="F", birth_year=1990).id


def get(db, model, row_id):
    with db.read() as session:
        return session.get(model, row_id)


def stored_hlc(db) -> int:
    with db.read() as session:
        return session.get(Installation, 1).hlc


def problem(db):
    with db.read() as session:
        return clock_problem(session)


def test_a_laptop_set_to_2035_says_so_and_recovers_within_one_round_trip(world, monkeypatch):
    a1, p = world.dbs["A1"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    assert problem(a1) is None

    monkeypatch.setattr(hlc, "wall_millis", lambda: IN_2035)
    found = problem(a1)
    assert found is not None and found.kind == "ahead"
    assert "01/01/2035" in found.message() and "set them, then continue" in found.message()
    assert any("set them, then continue" in n for n in startup_notices(a1))  # CLI and banner
    PeopleService(a1).update(hoa, phone="0911111111")
    tien = add_person(a1, "Quàng Văn Tiến")
    [bundle] = world.send("A1")

    monkeypatch.setattr(hlc, "wall_millis", REAL)  # the province's clock is right
    refused = world.receive("P", bundle)
    assert refused.counts["rejected"] == 2
    assert all("clock of the computer that wrote it" in r["reason"] for r in refused.records
               if r["action"] == "rejected")
    assert get(p, Person, tien) is None and get(p, Person, hoa).phone != "0911111111"

    # The officer sets the clock right: one exchange each way brings everything across.
    assert problem(a1) is None
    world.round()
    assert get(p, Person, hoa).phone == "0911111111"
    assert get(p, Person, tien).full_name == "Quàng Văn Tiến"
    assert dump(a1, COMMUNE_A) == dump(p, COMMUNE_A) == dump(world.dbs["A2"], COMMUNE_A)
    assert hlc.unpack(stored_hlc(a1))[0] <= REAL() + 1000  # the stored clock came back
    assert commune_receipt(a1).unconfirmed == 0  # acknowledgements flow again
    later = add_person(a1, "Lò Văn Minh")  # and later edits are not refused either
    world.round()
    assert get(p, Person, later) is not None and dump(a1, COMMUNE_A) == dump(p, COMMUNE_A)


def test_redating_keeps_the_order_stays_below_now_and_changes_no_value(world, monkeypatch):
    a1 = world.dbs["A1"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    monkeypatch.setattr(hlc, "wall_millis", lambda: IN_2035)
    PeopleService(a1).update(hoa, phone="0911111111")
    PeopleService(a1).update(hoa, note="later")
    monkeypatch.setattr(hlc, "wall_millis", REAL)
    before = get(a1, Person, hoa)
    assert before.stamps["phone"][2] < before.stamps["note"][2]
    now = REAL()
    notes = startup_notices(a1)  # at the next start (or "continue" on the banner)
    assert any("were given today's date" in n for n in notes)
    after = get(a1, Person, hoa)
    assert (after.phone, after.note) == ("0911111111", "later")
    assert after.stamps["phone"][2] < after.stamps["note"][2] < hlc.pack(REAL(), 0)
    assert hlc.unpack(after.stamps["phone"][2])[0] >= now - 1000
    assert after.stamps["phone"][1] > before.stamps["note"][1]  # a new change number: it travels
    PeopleService(a1).update(hoa, note="today")  # a new edit is dated after the re-dated ones
    assert get(a1, Person, hoa).stamps["note"][2] > after.stamps["note"][2]


def test_a_province_whose_clock_is_behind_neither_refuses_nor_blames_the_commune(world,
                                                                                monkeypatch):
    a1, p = world.dbs["A1"], world.dbs["P"]
    hoa = add_person(a1, "Lò Thị Hoa")
    [bundle] = world.send("A1")
    monkeypatch.setattr(hlc, "wall_millis", lambda: REAL() - 2 * 365 * DAY_MS)
    found = problem(p)
    assert found is not None and found.kind == "behind"  # the province is told about its clock
    report = world.receive("P", bundle)
    assert report.counts["rejected"] == 0 and get(p, Person, hoa) is not None


def test_a_commune_whose_clock_is_behind_takes_the_provinces_changes(world, monkeypatch):
    a1, a2 = world.dbs["A1"], world.dbs["A2"]
    hoa = add_person(a2, "Lò Thị Hoa")
    world.round()
    world.round()
    tien = add_person(a2, "Quàng Văn Tiến")
    for path in world.send("A2"):
        world.receive("P", path)
    [bundle] = world.send("P", "A1")
    monkeypatch.setattr(hlc, "wall_millis", lambda: 631152000000)  # 1 January 1990
    assert problem(a1).kind == "behind"
    report = world.receive("A1", bundle)
    assert report.counts["rejected"] == 0
    assert get(a1, Person, tien) is not None and get(a1, Person, hoa) is not None


@pytest.mark.sqlite_only
def test_the_command_line_says_the_clock_is_wrong_and_still_works(world, monkeypatch, capsys):
    from da8desktop.cli.main import main

    a1 = world.dbs["A1"]
    add_person(a1, "Lò Thị Hoa")
    world.round()
    monkeypatch.setattr(hlc, "wall_millis", lambda: IN_2035)
    assert main(["--db", str(a1.file), "people", "list"]) == 0
    captured = capsys.readouterr()
    assert "01/01/2035" in captured.err and "Lò Thị Hoa" in captured.out
