"""Demo data and reference data."""

import json
from pathlib import Path

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import AdminUnit, CatalogueItem, Person, Setting
from da8desktop.core.demo import load_demo
from da8desktop.core.reference import load_catalogue_file
from da8desktop.core.services.stats import collect


def test_reference_data_is_seeded_from_the_packages_and_resources(db):
    with db.read() as session:
        levels = dict(session.execute(select(AdminUnit.level, func.count())
                                      .group_by(AdminUnit.level)).all())
        assert levels == {"province": 34 + 63, "district": 696, "commune": 3321 + 10051}
        kinds = dict(session.execute(select(CatalogueItem.kind, func.count())
                                     .group_by(CatalogueItem.kind)).all())
    assert kinds["group_type"] == 5 and kinds["activity_group"] == 16 and kinds["content"] == 4
    assert kinds["ethnic"] == 2 * (54 + 2)


def test_the_two_ethnic_code_lists_agree_on_only_17_codes(db):
    with db.read() as session:
        rows = session.execute(select(CatalogueItem.scheme, CatalogueItem.code, CatalogueItem.name)
                               .where(CatalogueItem.kind == "ethnic")).all()
    names = {(s, c): n for s, c, n in rows}
    same = [c for (s, c), n in names.items() if s == "1979" and int(c) <= 54 and names[("2008", c)] == n]
    assert len(same) == 17
    assert names[("1979", "04")] == "Hoa" and names[("2008", "04")] == "Mường"


def test_a_newer_catalogue_updates_and_retires_items(db, tmp_path):
    newer = tmp_path / "topics.json"
    newer.write_text(json.dumps({"catalogue": "activity_codes", "version": "2099.1", "items": [
        {"kind": "topic", "code": "BDG", "name": "Bình đẳng giới (mới)"}]}), "utf-8")
    with db.read() as session, session.begin():
        assert load_catalogue_file(session, newer)
    with db.read() as session:
        assert session.get(CatalogueItem, "topic:BDG").name == "Bình đẳng giới (mới)"
        assert session.get(CatalogueItem, "topic:TAO_HON").active is False  # kept, retired
        assert session.get(Setting, "catalogue_version:activity_codes").value == "2099.1"


def _canonical_people(db: Database) -> list[tuple]:
    with db.read() as session:
        return sorted(session.execute(select(Person.full_name, Person.sex, Person.birth_year,
                                             Person.ethnic_key, Person.cccd)).all())


def test_demo_is_realistic(demo_db):
    stats = collect(demo_db)
    assert stats.site.is_demo and stats.site.commune_name == "Xã Mường Phăng"
    assert stats.people >= 300
    assert sum(1 for t in stats.groups_by_type if t.groups) >= 4
    assert stats.meetings_with_attendance > 0 and stats.attendance_rows > 0
    assert stats.activities_with_counts > 0
    assert 10 <= stats.villages <= 20
    ethnic = {p[3] for p in _canonical_people(demo_db)}
    assert {"ethnic:2008:03", "ethnic:2008:08", "ethnic:2008:09", "ethnic:2008:01"} <= ethnic


def test_demo_is_deterministic_and_adds_more_with_another_seed(template_file, tmp_path: Path):
    import shutil

    dbs = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.sqlite"
        shutil.copyfile(template_file, path)
        db = Database.open(path)
        load_demo(db, seed=7, people=120)
        dbs.append(db)
    assert _canonical_people(dbs[0]) == _canonical_people(dbs[1])
    again = load_demo(dbs[0], seed=7, people=120)
    assert again.already_loaded and collect(dbs[0]).people == 120
    load_demo(dbs[0], seed=8, people=60)
    assert collect(dbs[0]).people == 180


def test_pre_2025_units_and_their_succession(db):
    from da8desktop.core.db.models import AdminSuccession

    with db.read() as session:
        levels = dict(session.execute(select(AdminUnit.level, func.count())
                                      .where(AdminUnit.scheme == "pre2025")
                                      .group_by(AdminUnit.level)).all())
        assert levels == {"province": 63, "district": 696, "commune": 10051}
        # Code 4 was Phường Trúc Bạch and is now Phường Ba Đình: same code, two units.
        old = session.get(AdminUnit, "pre2025:commune:00004")
        new = session.get(AdminUnit, "2025:commune:00004")
        assert (old.name, new.name) == ("Phường Trúc Bạch", "Phường Ba Đình")
        links = session.execute(select(AdminSuccession.new_key, AdminSuccession.kind)
                                .where(AdminSuccession.old_key == old.key)).all()
        assert links == [("2025:commune:00004", "merge")]
        split = session.scalar(select(func.count(func.distinct(AdminSuccession.old_key)))
                               .where(AdminSuccession.kind == "split"))
        assert 400 <= split <= 441  # domain.md: 441 old communes were split
        dangling = session.scalar(select(func.count()).select_from(AdminSuccession)
                                  .outerjoin(AdminUnit, AdminUnit.key == AdminSuccession.new_key)
                                  .where(AdminUnit.key.is_(None)))
        assert dangling == 0


def test_demo_on_a_commune_already_set_up_fills_that_commune(db):
    from da8desktop.core.db.models import Group
    from da8desktop.core.domain import Role
    from da8desktop.core.services.site import set_up_installation

    set_up_installation(db, Role.COMMUNE, "12", "03394")  # Xã Sin Suối Hồ, Lai Châu
    summary = load_demo(db, seed=3, people=80)
    assert not summary.created_site
    with db.read() as session:
        communes = set(session.scalars(select(Person.commune_key)))
        names = list(session.scalars(select(Group.name)))
    assert communes == {"2025:commune:03394"}
    assert any("Sin Suối Hồ" in n for n in names) and not any("Mường Phăng" in n for n in names)
    assert collect(db).site.is_demo is False


def test_the_activity_counts_made_in_one_pass_are_each_count_alone(demo_db):
    """stats.collect counts the four kinds of activities in one pass over the table (issue 23,
    P8d); each must equal its own count, with a deleted meeting and an activity other than a
    meeting that records attendance among them."""
    from sqlalchemy import func

    from da8desktop.core.db.models import Activity
    from da8desktop.core.domain import Participation

    with demo_db.write() as uow:
        meeting = uow.session.scalars(select(Activity).where(
            Activity.kind == "group_meeting", Activity.deleted.is_(False)).limit(1)).one()
        uow.update(meeting, {"deleted": True})
        other = uow.session.scalars(select(Activity).where(
            Activity.kind != "group_meeting", Activity.deleted.is_(False)).limit(1)).one()
        uow.update(other, {"participation": Participation.ATTENDANCE.value})
    stats = collect(demo_db)
    with demo_db.read() as session:
        def alone(*where) -> int:
            return session.scalar(select(func.count()).select_from(Activity).where(
                Activity.deleted.is_(False), *where))

        meetings = Activity.kind == "group_meeting"
        others = Activity.kind != "group_meeting"
        assert stats.meetings == alone(meetings)
        assert stats.meetings_with_attendance == alone(
            meetings, Activity.participation == Participation.ATTENDANCE)
        assert stats.activities == alone(others)
        assert stats.activities_with_counts == alone(
            others, Activity.participation == Participation.COUNTS)
        assert 0 < stats.activities_with_counts < stats.activities
