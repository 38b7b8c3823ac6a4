"""A write says what it changed: the tables (and ids) its transaction touched."""

from da8desktop.core.db.changes import Changes, as_changes, recording
from da8desktop.core.services.groups import GroupsService


def test_a_write_reports_the_tables_and_ids_it_changed(demo_db):
    from da8desktop.core.services.groups_query import GroupFilter, list_groups

    group = list_groups(demo_db, GroupFilter())[0]
    with recording() as log:
        GroupsService(demo_db).update(group.id, note="họp tại nhà văn hoá")
    assert "community_group" in log.changes.tables
    assert group.id in log.changes.ids["community_group"]
    assert "audit_log" in log.changes.tables
    assert not log.changes.tables & {"person", "activity", "attendance", "village"}
    assert log.changes.touches({"community_group"})
    assert not log.changes.touches({"person"})


def test_a_failed_write_reports_nothing(demo_db):
    import uuid

    import pytest

    from da8desktop.core.errors import UserFacingError

    with recording() as log, pytest.raises(UserFacingError):
        GroupsService(demo_db).update(uuid.uuid4(), note="x")
    assert not log.changes


def test_older_payloads_read_as_changes():
    assert as_changes(set()).everything
    assert as_changes({"person"}) == Changes.of("person")
    assert (Changes.of("person") | Changes.all()).touches({"village"})


def test_a_bulk_write_reports_its_table_without_every_id(demo_db):
    from da8desktop.core.db.unit_of_work import MAX_IDS
    from da8desktop.core.services.villages import VillagesService

    with recording() as log, demo_db.write() as uow:
        VillagesService(demo_db).create(name="Bản Một")  # joins this transaction
        for number in range(MAX_IDS + 5):
            uow.touched("person", number)
    assert {"village", "person"} <= log.changes.tables
    assert "person" not in log.changes.ids and len(log.changes.ids["village"]) == 1
