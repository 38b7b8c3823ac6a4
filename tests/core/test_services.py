"""Core services: validation, warnings, NFC, stamps, recoverable deletes, audit."""

import datetime as dt
import unicodedata

import pytest
from sqlalchemy import func, select

from da8desktop.core.db.models import (Activity, AuditEntry, Group, Installation, Person,
                                       RowVersion, Target)
from da8desktop.core.errors import ValidationFailed
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.groups_query import group_warnings
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.records import RecordNotFound
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.services.villages import VillagesService


def person(db, **extra):
    values = dict(full_name="Lò Thị Hoa", sex="F", birth_year=1990, ethnic_key="ethnic:2008:03")
    values.update(extra)
    return PeopleService(db).create(**values)


def load(db, model, row_id):
    with db.read() as session:
        return session.get(model, row_id)


def test_text_is_stored_as_nfc_with_derived_keys(commune_db):
    typed = unicodedata.normalize("NFD", "  lò   Thị  Hoà ")
    result = PeopleService(commune_db).create(full_name=typed, sex="F", birth_year=1990)
    row = load(commune_db, Person, result.id)
    assert row.full_name == "lò Thị Hoà" and unicodedata.is_normalized("NFC", row.full_name)
    assert (row.family_name, row.middle_name, row.given_name) == ("lò", "Thị", "Hoà")
    assert row.search_key == "lo thi hoa"
    assert row.commune_key == "2025:commune:03325"


def test_year_only_birth_and_full_date_both_work(commune_db):
    only_year = load(commune_db, Person, person(commune_db, birth_year=1970).id)
    assert only_year.birth_date is None and only_year.birth_year == 1970
    with_date = load(commune_db, Person, person(commune_db, birth_date=dt.date(1988, 3, 8),
                                                birth_year=None).id)
    assert with_date.birth_year == 1988


def test_cccd_mismatch_is_a_warning_not_a_block(commune_db):
    # digit 4 = 1 (female, 1900s), digits 5-6 = 90: matches
    assert person(commune_db, cccd="011190123456").warnings == []
    # digit 4 = 0 says male: warn, still saved
    result = person(commune_db, full_name="Lò Thị Ơn", cccd="011090123456")
    assert [w.field for w in result.warnings] == ["cccd"]
    assert load(commune_db, Person, result.id).cccd == "011090123456"


def test_children_get_no_id_number(commune_db):
    with pytest.raises(ValidationFailed) as refused:
        person(commune_db, birth_year=dt.date.today().year - 12, cccd="011312123456")
    assert refused.value.errors[0].field == "cccd"
    with commune_db.read() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_validation_failure_writes_nothing_and_names_every_field(commune_db):
    with pytest.raises(ValidationFailed) as refused:
        PeopleService(commune_db).create(given_name="", sex="?", birth_year=1850)
    assert {e.field for e in refused.value.errors} == {"given_name", "sex", "birth_year"}
    with commune_db.read() as session:
        assert session.get(Installation, 1).seq == 0  # not even a sequence number was taken
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1  # the setup


def test_update_stamps_only_changed_fields_with_a_new_dot(commune_db):
    created = person(commune_db)
    before = load(commune_db, Person, created.id).stamps
    result = PeopleService(commune_db).update(created.id, phone="0912345678", sex="F")
    assert set(result.changed) == {"phone"}
    after = load(commune_db, Person, created.id).stamps
    assert after["phone"][1] == before["phone"][1] + 1  # next site sequence
    assert after["phone"][2] > before["phone"][2]  # later hybrid logical clock
    assert after["given_name"] == before["given_name"]
    with commune_db.read() as session:
        versions = session.scalars(select(RowVersion).where(RowVersion.row_id == created.id)).all()
        assert [(v.table_name, v.seq) for v in versions] == [("person", after["phone"][1])]


def test_delete_is_recoverable_and_audited(commune_db):
    svc = PeopleService(commune_db)
    created = person(commune_db)
    svc.delete(created.id)
    assert svc.list() == []
    with pytest.raises(RecordNotFound):
        svc.update(created.id, phone="1")
    svc.restore(created.id)
    assert [p.id for p in svc.list()] == [created.id]
    with commune_db.read() as session:
        actions = session.scalars(select(AuditEntry.action).where(
            AuditEntry.entity_id == str(created.id)).order_by(AuditEntry.id)).all()
    assert actions == ["create", "delete", "restore"]


def test_people_list_is_in_vietnamese_given_name_order_and_searchable(commune_db):
    for name in ["Nguyễn Thị Hà", "Bùi Văn An", "Đặng Thị Ánh", "Lò Văn Anh", "Lò Thị Hoà"]:
        person(commune_db, full_name=name)
    svc = PeopleService(commune_db)
    assert [p.full_name for p in svc.list()] == ["Bùi Văn An", "Lò Văn Anh", "Đặng Thị Ánh",
                                                 "Nguyễn Thị Hà", "Lò Thị Hoà"]
    assert [p.full_name for p in svc.list(search="hoa lo")] == ["Lò Thị Hoà"]
    assert [p.full_name for p in svc.list(search="dang")] == ["Đặng Thị Ánh"]


def test_team_outside_seven_to_ten_members_is_a_warning(commune_db):
    village = VillagesService(commune_db).create(name="Bản Che Căn").id
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT Che Căn",
                                            village_id=village).id
    members = MembershipsService(commune_db)
    for i in range(5):
        members.create(group_id=team, person_id=person(commune_db, full_name=f"Lò Thị A{i}").id,
                       role_key="role:THANH_VIEN")
    warnings = group_warnings(commune_db, team)
    assert warnings[0].params == {"count": 5, "low": 7, "high": 10}
    for i in range(3):
        members.create(group_id=team, person_id=person(commune_db, full_name=f"Lò Văn B{i}",
                                                       sex="M").id, role_key="role:THANH_VIEN")
    assert [w.field for w in group_warnings(commune_db, team)] == ["meetings"]


def test_savings_groups_cannot_be_started_in_phase_two(commune_db):
    with pytest.raises(ValidationFailed) as refused:
        GroupsService(commune_db).create(type_key="group_type:TKVV", name="TKVV mới",
                                         launch_date=dt.date(2026, 3, 1))
    assert [e.params.get("phase") for e in refused.value.errors] == ["2026-2030"]
    old = GroupsService(commune_db).create(type_key="group_type:TKVV", name="TKVV cũ",
                                           launch_date=dt.date(2023, 3, 1)).id
    # A phase-one group keeps its history and can still be edited in phase two (stopped here).
    GroupsService(commune_db).update(old, status="stopped")
    with commune_db.read() as session:
        kept = session.get(Group, old)
        assert (kept.name, kept.phase, kept.status, kept.deleted) == (
            "TKVV cũ", "2021-2025", "stopped", False)
        assert session.scalar(select(func.count()).select_from(Group).where(
            Group.type_key == "group_type:TKVV", Group.name == "TKVV mới")) == 0


def test_meeting_attendance_gives_counts_that_are_never_typed(commune_db):
    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT").id
    woman = person(commune_db).id
    man = person(commune_db, full_name="Giàng A Páo", sex="M", ethnic_key="ethnic:2008:08").id
    kinh = person(commune_db, full_name="Nguyễn Thị Lan", ethnic_key="ethnic:2008:01").id
    child = person(commune_db, full_name="Lò Thị Mai", birth_year=2014).id
    meeting = ActivitiesService(commune_db).record_meeting(
        team, dt.date(2026, 5, 10), "Sinh hoạt tháng 5", present=[woman, man, kinh, child],
        absent=[]).id
    with commune_db.read() as session:
        activity = session.get(Activity, meeting)
    [row] = list_activities(commune_db, ActivityFilter(group_id=team))
    assert (row.participants, row.women, row.from_attendance) == (4, 3, True)
    assert activity.count_total is None and activity.participation == "attendance"
    assert activity.phase == "2026-2030"


def test_counted_activity_validates_its_counts(commune_db):
    svc = ActivitiesService(commune_db)
    with pytest.raises(ValidationFailed):
        svc.create(kind="training", title="Tập huấn", date_start=dt.date(2025, 6, 1),
                   count_total=10, count_women=8, count_men=5)
    ok = svc.create(kind="policy_dialogue", title="Đối thoại", date_start=dt.date(2025, 6, 1),
                    count_total=40, count_women=25, count_men=10, questions_raised=5,
                    questions_answered=3, questions_forwarded=2)
    assert [w.params for w in ok.warnings] == [{"sum": 35, "total": 40}]
    assert load(commune_db, Activity, ok.id).phase == "2021-2025"


def test_a_target_has_one_row_per_indicator_commune_and_period(commune_db):
    svc = TargetsService(commune_db)
    first = svc.set("indicator:II.TTCD", "2026", 10)
    second = svc.set("indicator:II.TTCD", "2026", 12)
    assert first.id == second.id
    assert load(commune_db, Target, first.id).value == 12
    with pytest.raises(ValidationFailed):
        svc.set("indicator:II.TTCD", "26", 1)
