"""A file of every released schema opens in today's application with its data (issue 22,
item 8): tests/fixtures/schema_NNNN.sqlite, made once per migration by
tests/fixtures/make_schema_fixtures.py, is upgraded to head and read back: people, the group
and its members, the meeting's attendance, a person found by search (the index built for the
old rows), and the sync state (row versions, what this site knows, the province's registration,
the bundle log) as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import head_revision
from da8desktop.core.services.people_query import PeopleFilter, people_count, people_page
from tests.fixtures.make_schema_fixtures import PEER, SITE

pytestmark = pytest.mark.sqlite_only

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
REVISIONS = sorted(p.stem.removeprefix("schema_") for p in FIXTURES.glob("schema_*.sqlite")
                   if p.stem != "schema_0001")  # 0001 has its own test (test_migrations.py)


def test_every_released_migration_has_its_fixture():
    from da8desktop.core.db.migrate import known_revisions

    assert set(REVISIONS) | {"0001"} == known_revisions()


@pytest.mark.parametrize("revision", REVISIONS)
def test_an_old_file_opens_at_head_with_its_data(tmp_path, revision):
    old = tmp_path / "xa.sqlite"
    shutil.copyfile(FIXTURES / f"schema_{revision}.sqlite", old)
    db = Database.open(old)
    try:
        assert (db.migration.from_revision, db.migration.to_revision) == (revision,
                                                                          head_revision())
        # (the newest fixture is at head until the next migration: nothing to back up then)
        assert revision == head_revision() or db.migration.backup.exists()
        assert people_count(db, PeopleFilter()) == 4
        [found] = people_page(db, PeopleFilter(search="quang mai"))  # accent-free, indexed
        assert found.full_name == "Quàng Thị Mai"
        assert [p.full_name for p in people_page(db, PeopleFilter(search="Thuỷ"))] == [
            "Nguyễn Thị Thuỷ"]
    finally:
        db.close()
    connection = sqlite3.connect(old)
    try:
        def one(sql: str):
            return connection.execute(sql).fetchone()

        assert one("PRAGMA integrity_check") == ("ok",)
        assert one("SELECT count(*) FROM community_group WHERE deleted = 0") == (1,)
        assert one("SELECT count(*) FROM membership WHERE deleted = 0") == (3,)
        assert one("SELECT count(*), sum(present) FROM attendance") == (3, 2)
        assert one("SELECT count(*) FROM row_version WHERE site_idx = 1") == (13,)
        # A file copied to this computer takes a new site id at open (sync.md §2); what the
        # old site wrote stays known under its own number.
        # Since 0013 ids are 16 bytes (a blob literal), see core/db/column_types.py.
        assert one(f"SELECT idx FROM sync_site WHERE site_id = x'{SITE.hex}'") == (1,)
        if revision >= "0004":  # what this site knows, the province's registration and the
            assert one(f"SELECT known_seq FROM sync_site WHERE site_id = x'{SITE.hex}'") == (9,)
            # bundle log, as they were
            peer = one(f"SELECT status, acked FROM sync_peer WHERE id = x'{PEER.hex}'")
            assert peer[0] == "enrolled" and f'"{SITE.hex}": 7' in peer[1]
            assert one("SELECT count(*) FROM sync_bundle") == (2,)
    finally:
        connection.close()
