"""History stays put (issue 20 item 4): a closed quarter's and a closed phase's stock figures do
not change when a team is dissolved today or members are added today; status changes carry
their dates (stopped, resumed) and figures read the status on the period's end."""

import datetime as dt

from da8desktop.core.indicators.catalogue import Indicator
from da8desktop.core.indicators.measures import Measurer, Span
from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, MembershipsService, status_history
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.records import today
from da8desktop.core.services.villages import VillagesService

THAI = "ethnic:2008:03"


def figures(db, period, on):
    rows = compute_progress(db, period, on).rows
    return {r.indicator.code: (r.cell.achieved, r.cell.figure.women, r.cell.figure.minority)
            for r in rows if r.indicator.measure in ("groups", "group_members")}


def test_a_closed_quarter_and_phase_do_not_change_with_todays_data(commune_db):
    db = commune_db
    village = VillagesService(db).create(name="Bản Phăng").id
    people = PeopleService(db)

    def person(i, sex="F"):
        return people.create(family_name="Lò", given_name=f"Thị {i}", sex=sex, birth_year=1970 + i % 30,
                             ethnic_key=THAI, village_id=village).id

    groups, members = GroupsService(db), MembershipsService(db)
    teams = []
    for t in range(2):
        gid = groups.create(type_key="group_type:TTCD", name=f"Tổ {t}", launch_date=dt.date(2024, 5, 1),
                            village_id=village).id
        for i in range(8):
            members.create(group_id=gid, person_id=person(10 * t + i, "F" if i else "M"),
                           role_key="role:THANH_VIEN", joined_on=dt.date(2024, 5, 1))
        teams.append(gid)
    ActivitiesService(db).record_meeting(teams[0], dt.date(2026, 8, 1), "Sinh hoạt", present=[])
    q3, phase = Period.choose(2026, 3), Period.choose(phase="2021-2025")
    on = today()
    before = (figures(db, q3, on), figures(db, phase, on),
              compute_periodic(db, ReportSpan.choose(2026, 3)).as_json())
    assert before[0]["II.TTCD"] == (2, 0, 0) and before[0]["II.TTCD_TV"] == (16, 14, 16)
    assert before[1]["I.TTCD"] == (2, 0, 0) and before[1]["I.TTCD_TV"] == (16, 14, 16)

    # Today: one team dissolved, three people added to the other, a meeting recorded today.
    groups.update(teams[1], status="dissolved")
    for i in range(3):
        members.add(teams[0], "role:THANH_VIEN", person(90 + i))
    ActivitiesService(db).record_meeting(teams[0], on, "Sinh hoạt hôm nay", present=[])

    after = (figures(db, q3, on), figures(db, phase, on),
             compute_periodic(db, ReportSpan.choose(2026, 3)).as_json())
    assert after == before
    now = figures(db, Period.choose(on.year), on)  # the running year sees today's data
    assert now["II.TTCD"] == (1, 0, 0) and now["II.TTCD_TV"] == (11, 10, 11)
    assert status_history(db, teams[1]) == [(on, "dissolved")]


def test_a_stopped_savings_group_counts_until_it_stopped_and_again_when_resumed(commune_db):
    db = commune_db
    groups = GroupsService(db)
    savings = groups.create(type_key="group_type:TKVV", name="Tổ TKVV", launch_date=dt.date(2022, 1, 5)).id
    groups.update(savings, status="stopped", status_on=dt.date(2026, 8, 15))
    groups.update(savings, status="active", status_on=dt.date(2026, 11, 2))
    assert status_history(db, savings) == [(dt.date(2026, 8, 15), "stopped"),
                                          (dt.date(2026, 11, 2), "active")]
    live = Indicator("x", "X", "", "", "", "2026-2030", "commune",
                     {"measure": "groups", "group_type": "TKVV", "status": ["active"]})
    with db.read() as session:
        measurer = Measurer(session)

        def count(day):
            return sum(f.total for f in measurer.compute(live, Span(day, day, day)).values())

        assert [count(dt.date(2026, 6, 30)), count(dt.date(2026, 8, 15)), count(dt.date(2026, 9, 30)),
                count(dt.date(2026, 11, 2))] == [1, 0, 0, 1]


def test_the_savings_group_indicator_reads_the_status_on_the_periods_end(commune_db):
    groups = GroupsService(commune_db)
    savings = groups.create(type_key="group_type:TKVV", name="Tổ TKVV", launch_date=dt.date(2022, 1, 5)).id
    groups.update(savings, status="stopped", status_on=dt.date(2026, 8, 15))
    on = dt.date(2026, 11, 30)

    def achieved(period):
        return {r.indicator.code: r.cell.achieved for r in compute_progress(commune_db, period, on).rows}

    assert achieved(Period.choose(2026, 2))["II.TKVV"] == 1  # before it stopped
    assert achieved(Period.choose(2026, 3))["II.TKVV"] == 0
    assert achieved(Period.choose(phase="2021-2025"))["I.TKVV"] == 1
