"""Schema upgrades: fresh files reach head, old files keep their data and get a backup first,
files from a newer application are refused untouched."""

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from da8desktop.core.db import backup_files
from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import head_revision
from da8desktop.core.db.models import Base
from da8desktop.core.errors import SchemaTooNew
from da8desktop.core.services.people import PeopleService
from da8desktop.core.text import name_sort_key

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_0001.sqlite"


def test_a_new_file_is_created_at_head_without_backup(tmp_path):
    db = Database.open(tmp_path / "new.sqlite")
    assert db.migration.from_revision is None
    assert db.migration.to_revision == head_revision()
    assert db.migration.backup is None
    db.close()


def test_the_fast_path_head_is_alembics_head():
    from da8desktop.core.db.migrate import SCHEMA_HEAD

    assert SCHEMA_HEAD == head_revision()


def test_migrations_produce_exactly_the_model(db):
    with db.engine.connect() as connection:
        # The search index (0007, SQLite) is a virtual table and its own storage: not models.
        outside = {"person_search", "person_search_config", "person_search_data",
                   "person_search_docsize", "person_search_idx"}
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _parent: not (kind == "table" and name in outside)})
        diff = compare_metadata(context, Base.metadata)
    if db.dialect == "postgresql":
        diff = _without_deferrable_only(diff)
    assert diff == []


def _without_deferrable_only(diff: list) -> list:
    """Migration 0006 makes PostgreSQL's foreign keys DEFERRABLE (for imports); Alembic reports
    each as removed and added again. Such a pair, identical but for that, is not a difference."""
    def shape(fk) -> tuple:
        return (fk.table.name, tuple(c.name for c in fk.columns),
                tuple(e.target_fullname for e in fk.elements))

    removed = {shape(d[1]) for d in diff if d[0] == "remove_fk"}
    added = {shape(d[1]) for d in diff if d[0] == "add_fk"}
    same = removed & added
    return [d for d in diff if not (d[0] in ("remove_fk", "add_fk") and shape(d[1]) in same)]


def test_first_schema_file_is_upgraded_with_data_kept_and_backup_left(tmp_path):
    old = tmp_path / "old.sqlite"
    shutil.copyfile(FIXTURE, old)
    db = Database.open(old)
    assert (db.migration.from_revision, db.migration.to_revision) == ("0001", head_revision())
    backup = db.migration.backup
    assert backup is not None and backup.exists() and backup.parent == tmp_path / "backups"
    plain = tmp_path / "backup-plain.sqlite"
    backup_files.decompress(backup, plain)  # backups are compressed (issue 23)
    with sqlite3.connect(plain) as copy:  # the backup is the untouched 0001 file
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT count(*) FROM person").fetchone() == (3,)
    people = PeopleService(db).list()
    assert [p.full_name for p in people] == ["Lò Thị Hoà", "Giàng A Páo", "Nguyễn Thị Thuỷ"]
    people_family_first = PeopleService(db).list(given_first=False)
    assert [p.full_name for p in people_family_first][0] == "Giàng A Páo"
    with db.read() as session:
        from da8desktop.core.db.models import Person
        hoa = session.get(Person, people[0].id)
        assert hoa.sort_key_family == name_sort_key("Lò", "Thị", "Hoà", given_first=False)
    db.close()
    # Opening again is a no-op: no second backup.
    again = Database.open(old)
    assert again.migration.backup is None and again.migration.from_revision == again.migration.to_revision
    again.close()


def test_a_file_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(FIXTURE, newer)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = hashlib.sha256(newer.read_bytes()).hexdigest()
    with pytest.raises(SchemaTooNew) as refused:
        Database.open(newer)
    assert "9999" in refused.value.message()
    assert "newer version" in refused.value.message()
    assert hashlib.sha256(newer.read_bytes()).hexdigest() == before
    assert not (tmp_path / "backups").exists()


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    from da8desktop.core.errors import DatabaseUnavailable

    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is a spreadsheet, not a database" * 100)
    with pytest.raises(DatabaseUnavailable) as refused:
        Database.open(junk)
    assert "damaged" in refused.value.message()
    assert junk.read_bytes().startswith(b"this is a spreadsheet")
