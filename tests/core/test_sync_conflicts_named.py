"""Conflicts both ends see, with names (issue 21, item 5): who (commune and computer) and when,
at the province and at the laptop whose value lost; keep the winner or restore the loser."""

from __future__ import annotations

import datetime as dt

import pytest

from da8desktop.core.db.models import Person
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.conflicts import list_conflicts, resolve_conflict, unnamed_site
from tests.core.sync_world import dump, sign_key, COMMUNE_A
from tests.core.test_sync import add_person, get
from da8desktop.core.services.people import PeopleService


def _concurrent_phone_edit(world):
    a1, a2 = world.dbs["A1"], world.dbs["A2"]
    hoa = add_person(a1, "Lò Thị Hoa")
    world.round()
    world.round()
    PeopleService(a1).update(hoa, phone="0911111111")
    PeopleService(a2).update(hoa, phone="0922222222")  # later clock: wins everywhere
    world.round()
    return hoa


def test_the_province_names_both_computers_and_the_losing_laptop_is_told(world):
    a1, a2, p = world.dbs["A1"], world.dbs["A2"], world.dbs["P"]
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    hoa = _concurrent_phone_edit(world)
    [at_p] = [c for c in list_conflicts(p) if c.field == "phone"]
    tag1, tag2 = sign_key(a1)[:4], sign_key(a2)[:4]
    assert (at_p.kept, at_p.kept_by) == ("0922222222", f"Xã Mường Phăng ({tag2})")
    assert (at_p.lost, at_p.lost_by) == ("0911111111", f"Xã Mường Phăng ({tag1})")
    assert at_p.kept_by != at_p.lost_by
    for moment in (at_p.kept_at, at_p.lost_at):
        assert before - dt.timedelta(seconds=5) <= dt.datetime.fromisoformat(moment)
    assert at_p.lost_at <= at_p.kept_at

    world.round()  # the province's next bundle tells A1, whose value lost; A2 won: nothing
    [at_a1] = [c for c in list_conflicts(a1) if c.field == "phone"]
    assert at_a1.from_province and (at_a1.lost, at_a1.kept) == ("0911111111", "0922222222")
    assert (at_a1.kept_by, at_a1.lost_by) == (at_p.kept_by, at_p.lost_by)
    assert at_a1.label == "Lò Thị Hoa" and at_a1.lost_at == at_p.lost_at
    assert list_conflicts(a2) == []
    world.round()  # told once, not once per bundle
    assert len([c for c in list_conflicts(a1) if c.field == "phone"]) == 1

    resolve_conflict(a1, at_a1.id, "loser")  # restored: a new edit of A1
    assert get(a1, Person, hoa).phone == "0911111111" and list_conflicts(a1) == []
    world.round()
    world.round()
    assert {get(db, Person, hoa).phone for db in (a1, a2, p)} == {"0911111111"}
    assert dump(a1, COMMUNE_A) == dump(a2, COMMUNE_A) == dump(p, COMMUNE_A)
    # The province officer keeps what is there now; its conflict leaves the list.
    resolve_conflict(p, at_p.id, "winner")
    assert [c for c in list_conflicts(p) if c.field == "phone"] == []


def test_keep_the_winner_and_plain_refusals(world):
    a1, p = world.dbs["A1"], world.dbs["P"]
    hoa = _concurrent_phone_edit(world)
    world.round()
    [at_a1] = list_conflicts(a1)
    PeopleService(a1).update(hoa, phone="0933333333")  # changed again since: not restored over
    with pytest.raises(UserFacingError, match="changed again"):
        resolve_conflict(a1, at_a1.id, "loser")
    assert get(a1, Person, hoa).phone == "0933333333"
    resolve_conflict(a1, at_a1.id, "winner")
    assert list_conflicts(a1) == []
    with pytest.raises(UserFacingError, match="no open conflict"):
        resolve_conflict(a1, at_a1.id, "winner")
    with pytest.raises(UserFacingError):
        resolve_conflict(p, 999, "loser")
    [at_p] = list_conflicts(p)
    with pytest.raises(UserFacingError, match="does not change a commune's records"):
        resolve_conflict(p, at_p.id, "loser")
    assert get(p, Person, hoa).phone == "0922222222"


def test_an_unnamed_site_shows_the_random_end_of_its_id_not_the_time_prefix():
    # Two UUIDv7 made the same millisecond share their first 8 characters
    first, second = "01936f3a-1b2c-7d4e-8f00-a1b2c3d4e5f6", "01936f3a-1b2c-7aaa-9bbb-0123456789ab"
    assert first[:8] == second[:8]
    assert unnamed_site(first) != unnamed_site(second) and unnamed_site(first) == "…d4e5f6"
