"""Erasure against the figures (the second adversarial review): a woman who was a member of a
communication team and was given safe-delivery support asks for her personal data to be
erased at the commune. The erasure travels to the province. The figures the province sends up
to the centre (central_export.figures, per commune, indicator and period) are computed again
from the same records: docs/privacy.md says sex, birth year and ethnic group stay "so counts
stay right" — what was done for her still happened. And no byte of what the province writes
afterwards for the commune's other laptop names her."""

from __future__ import annotations

import datetime as dt

import pytest

from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.redact import redact_person
from da8desktop.core.sync import central_export
from tests.core.sync_world import COMMUNE_A
from tests.core.test_sync_ownership import names_in_bundle_for

NAME, PHONE = "Vàng Thị Xoan Erasure", "0912777666"
TODAY = dt.date(2026, 11, 20)


def _mine(db) -> dict[tuple[str, str], float]:
    return {(f["indicator"], f["period"]): f["value"]
            for f in central_export.figures(db, TODAY) if f["commune"] == COMMUNE_A}


@pytest.mark.sqlite_only
def test_erasing_a_person_keeps_the_figures_sent_up_and_leaves_no_name(world, tmp_path):
    a1, p = world.dbs["A1"], world.dbs["P"]
    her = PeopleService(a1).create(full_name=NAME, sex="F", birth_year=1994, phone=PHONE).id
    other = PeopleService(a1).create(full_name="Lò Thị Ở Lại", sex="F", birth_year=1990).id
    team = GroupsService(a1).create(type_key="group_type:TTCD", name="Tổ TT bản Phăng",
                                    launch_date=dt.date(2026, 1, 10)).id
    for person in (her, other):
        MembershipsService(a1).create(group_id=team, person_id=person, role_key="role:THANH_VIEN",
                                      joined_on=dt.date(2026, 2, 1))
    ActivitiesService(a1).record_meeting(team, dt.date(2026, 3, 1), "Họp tổ", present=[her, other])
    world.round()
    before = _mine(p)
    assert before[("II.TTCD_TV", "2026")] == 2

    redact_person(a1, her)
    world.round()
    after = _mine(p)
    assert after == before  # the figures the centre already has are the figures sent again

    data, _names = names_in_bundle_for(world, "A2", tmp_path)
    assert NAME.encode() not in data and PHONE.encode() not in data


@pytest.mark.sqlite_only
def test_a_person_deleted_as_a_mistake_then_erased_does_not_come_back_into_the_figures(
        world, tmp_path):
    a1, p = world.dbs["A1"], world.dbs["P"]
    kept = PeopleService(a1).create(full_name="Lò Thị Ở Lại", sex="F", birth_year=1990).id
    mistake = PeopleService(a1).create(full_name=NAME, sex="F", birth_year=1994).id
    team = GroupsService(a1).create(type_key="group_type:TTCD", name="Tổ TT bản Phăng",
                                    launch_date=dt.date(2026, 1, 10)).id
    for person in (kept, mistake):
        MembershipsService(a1).create(group_id=team, person_id=person, role_key="role:THANH_VIEN",
                                      joined_on=dt.date(2026, 2, 1))
    PeopleService(a1).delete(mistake)
    world.round()
    before = _mine(p)
    assert before[("II.TTCD_TV", "2026")] == 1
    redact_person(a1, mistake)
    world.round()
    assert _mine(p) == before
