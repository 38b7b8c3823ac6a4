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
        assert levels == {"province": 34, "commune": 3321}
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
