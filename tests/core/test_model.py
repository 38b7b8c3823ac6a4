"""The database itself enforces the rules: foreign keys, CHECKs, uniqueness, UUID keys."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from da8desktop.core.db.column_types import BinaryUuid
from da8desktop.core.db.models import SYNCED_MODELS, Base


def test_foreign_keys_are_on_for_every_connection(db):
    with db.read() as session:
        if db.dialect == "sqlite":
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:  # PostgreSQL always enforces them: they must exist in the schema
            assert session.execute(text(
                "SELECT count(*) FROM information_schema.table_constraints "
                "WHERE constraint_type = 'FOREIGN KEY'")).scalar() > 20


def test_synced_tables_have_uuid_keys_and_no_autoincrement():
    for model in SYNCED_MODELS:
        pk = list(model.__table__.primary_key.columns)
        assert [c.name for c in pk] == ["id"], model
        assert isinstance(pk[0].type, BinaryUuid), model  # 16 bytes on SQLite, uuid on PostgreSQL
        assert {"deleted", "stamps"} <= set(model.__table__.columns.keys()), model


def _raw(db, sql, **params):
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def test_foreign_key_violation_is_refused(commune_db):
    with pytest.raises(IntegrityError):
        _raw(commune_db, "INSERT INTO person (id, deleted, stamps, commune_key, village_id, "
             "family_name, given_name, full_name, search_key, sort_key, sort_key_family, sex) "
             "VALUES (:id, false, '{}', '2025:commune:03325', :v, 'Lò', 'Hoa', 'Lò Hoa', 'lo hoa', "
             "'', '', 'F')", id=uuid.uuid4().hex, v=uuid.uuid4().hex)


@pytest.mark.parametrize("column, value", [("sex", "'X'"), ("birth_year", "1800"),
                                           ("cccd", "'123'"), ("given_name", "''")])
def test_check_constraints_on_people(commune_db, column, value):
    values = {"sex": "'F'", "birth_year": "1990", "cccd": "NULL", "given_name": "'Hoa'"}
    values[column] = value
    with pytest.raises(IntegrityError):
        _raw(commune_db, "INSERT INTO person (id, deleted, stamps, commune_key, family_name, "
             "given_name, full_name, search_key, sort_key, sort_key_family, sex, birth_year, cccd) "
             f"VALUES (:id, false, '{{}}', '2025:commune:03325', 'Lò', {values['given_name']}, 'x', 'x',"
             f" '', '', {values['sex']}, {values['birth_year']}, {values['cccd']})",
             id=uuid.uuid4().hex)


def test_counts_must_add_up_in_the_database(commune_db):
    with pytest.raises(IntegrityError):
        _raw(commune_db, "INSERT INTO activity (id, deleted, stamps, commune_key, kind, phase, "
             "title, date_start, village_ids, topic_keys, participation, count_total, count_women,"
             " count_men) VALUES (:id, false, '{}', '2025:commune:03325', 'training', '2026-2030', "
             "'x', '2026-01-05', '[]', '[]', 'counts', 10, 8, 5)", id=uuid.uuid4().hex)


def test_group_meeting_needs_a_group_in_the_database(commune_db):
    with pytest.raises(IntegrityError):
        _raw(commune_db, "INSERT INTO activity (id, deleted, stamps, commune_key, kind, phase, "
             "title, date_start, village_ids, topic_keys, participation) VALUES (:id, false, '{}', "
             "'2025:commune:03325', 'group_meeting', '2026-2030', 'x', '2026-01-05', '[]', '[]', "
             "'attendance')", id=uuid.uuid4().hex)


def test_single_installation_row(commune_db):
    with pytest.raises(IntegrityError):
        _raw(commune_db, "UPDATE installation SET id = 2")


def test_every_table_is_in_the_model():
    assert {"person", "community_group", "membership", "activity", "attendance", "village",
            "admin_unit", "admin_succession", "catalogue_item", "installation", "row_version",
            "audit_log", "target", "trusted_address_case", "safe_delivery_support",
            "group_support", "group_status_change", "sync_site", "setting", "attachment",
                "sync_peer", "sync_bundle", "sync_conflict",
                "central_figure", "central_target"} == set(Base.metadata.tables)
