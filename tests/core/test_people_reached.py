"""Distinct people reached (issue 20 item 5), the catalogue's `people_reached` rule: women
officials trained count each woman once, not participant-times; safe delivery counts the women
reached by counselling and access sessions (activity group 2.5) as well as those given cash
support. Every figure is counted by hand."""

import datetime as dt

import pytest

from da8desktop.core.indicators.measures import Span
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.indicators.figure_records import records_behind
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.support import SafeDeliveryService

TODAY = dt.date(2026, 11, 23)
THAI, KINH = "ethnic:2008:03", "ethnic:2008:01"
YEAR = Span(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 31))


@pytest.fixture
def reached(commune_db):
    db = commune_db
    people = PeopleService(db)

    def person(name, sex="F", ethnic=THAI):
        return people.create(full_name=name, sex=sex, birth_year=1988, ethnic_key=ethnic).id

    mai, lan, hoa, thu, nga = (person(n) for n in ("Lò Thị Mai", "Quàng Thị Lan",
                                                   "Lò Thị Hoa", "Cà Thị Thu", "Lường Thị Nga"))
    kinh = person("Nguyễn Thị Hằng", ethnic=KINH)
    man = person("Lò Văn Tiến", sex="M")
    activities = ActivitiesService(db)

    def listed(title, day, present, **fields):
        activity = activities.create(title=title, date_start=day, participation="attendance",
                                     **fields).id
        activities.set_attendance(activity, present=present)
        return activity

    officials = {"kind": "training", "training_type_key": "training_type:CAN_BO_NU"}
    # Mai at three trainings is one woman official trained
    listed("Cán bộ nữ 1", dt.date(2026, 3, 2), [mai, lan, kinh, man], **officials)
    listed("Cán bộ nữ 2", dt.date(2026, 6, 2), [mai], **officials)
    listed("Cán bộ nữ 3", dt.date(2026, 9, 2), [mai, lan], **officials)
    listed("Cán bộ nữ 2025", dt.date(2025, 9, 2), [hoa], **officials)  # another year
    activities.create(title="Cán bộ nữ (đếm)", date_start=dt.date(2026, 10, 1),
                      participation="counts", count_total=9, count_women=8, count_men=1,
                      count_minority=7, count_women_minority=5, **officials)
    activities.create(title="Cán bộ nữ (không tách)", date_start=dt.date(2026, 10, 2),
                      participation="counts", count_total=6, count_women=6, count_minority=6,
                      **officials)  # not cross-tabulated: adds nothing, never estimated

    counselling = {"kind": "communication", "activity_group_key": "activity_group:2.5"}
    listed("Tư vấn sinh đẻ an toàn bản Phăng", dt.date(2026, 4, 5), [mai, thu, man],
           **counselling)
    listed("Tư vấn sinh đẻ an toàn lần 2", dt.date(2026, 5, 5), [mai], **counselling)
    activities.create(title="Truyền thông sinh đẻ an toàn (đếm)", date_start=dt.date(2026, 7, 1),
                      participation="counts", count_total=12, count_women=10, count_men=2,
                      **counselling)
    safe = SafeDeliveryService(db)
    for who, day in ((thu, dt.date(2026, 8, 1)), (nga, dt.date(2026, 9, 1)),
                     (nga, dt.date(2026, 10, 1))):
        safe.create(person_id=who, support_type="normal", amount_vnd=2_200_000, given_on=day)
    return db, mai


def test_women_officials_are_counted_once_each(reached):
    db, mai = reached
    rows = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026), TODAY).rows}
    officials = rows["II.CB_NU"]
    # Mai (3 trainings) + Lan (2) = 2 women; the Kinh woman and the man are not; the typed
    # cross-tabulation adds its 5 women of a minority; the untabulated training adds nothing.
    assert officials.cell.achieved == 2 + 5
    assert (officials.cell.figure.women, officials.cell.figure.men) == (7, 0)
    assert rows["II.CB_NU"].indicator.unit == "người"
    behind = records_behind(db, officials.indicator, YEAR)
    assert [r.value for r in behind if r.id == mai] == [1]  # listed once
    assert sorted(r.value for r in behind if r.kind == "activity") == [0, 5]
    q1 = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026, 1), TODAY).rows}
    assert q1["II.CB_NU"].cell.achieved == 2  # Mai and Lan at the first training


def test_safe_delivery_counts_women_reached_by_counselling_and_support(reached):
    db, _mai = reached
    rows = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026), TODAY).rows}
    # counselled: Mai (twice), Thu; the man is not a woman reached; supported: Thu (again),
    # Nga (twice) -> Mai, Thu, Nga = 3 women; the session with counts adds its 10 women
    assert rows["II.SDAT"].cell.achieved == 3 + 10
    assert rows["II.SDAT_SO"].cell.achieved == 3  # sessions
    assert rows["II.SDAT_LUOT"].cell.achieved == 3 + 1 + 12  # participant-times, men included
    q2 = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026, 2), TODAY).rows}
    assert q2["II.SDAT"].cell.achieved == 2  # by 30/6: Mai and Thu counselled
