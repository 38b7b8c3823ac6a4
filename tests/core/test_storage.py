"""One writer per file, and a full disk or a read-only file said in plain words (issue 10)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from da8desktop.core.db.database import Database, StorageFull, StorageReadOnly
from da8desktop.core.db.lock import AlreadyOpen, WriterLock
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_count


def test_a_second_window_on_the_same_file_is_told_who_has_it(db_file):
    first = WriterLock(db_file).acquire()
    with pytest.raises(AlreadyOpen) as second:
        WriterLock(db_file).acquire()
    message = second.value.message()
    assert str(db_file) in message and "since" in message
    first.release()
    WriterLock(db_file).acquire().release()  # free again once the first window closed


@pytest.mark.sqlite_only  # a SQLite file on disk
def test_a_full_disk_loses_nothing_and_says_what_to_do(demo_db):
    before = people_count(demo_db, PeopleFilter())
    demo_db.engine.dispose()

    @event.listens_for(demo_db.engine, "connect")
    def no_more_pages(dbapi_connection, _record):  # as if the disk were full
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(StorageFull) as full:
        for n in range(2000):
            PeopleService(demo_db).create(full_name=f"Người Thứ {n} " + "x" * 40, sex="F",
                                          birth_year=1990, note="y" * 2000)
    assert "full" in full.value.message()
    event.remove(demo_db.engine, "connect", no_more_pages)
    demo_db.engine.dispose()
    assert people_count(demo_db, PeopleFilter()) >= before  # every earlier save is intact
    with demo_db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_a_read_only_file_opens_and_refuses_writes_plainly(demo_db_file):
    Database.open(demo_db_file).close()
    db = Database.open(f"sqlite:///file:{demo_db_file}?mode=ro&uri=true")
    assert people_count(db, PeopleFilter()) > 0  # reading works
    with pytest.raises(StorageReadOnly) as refused:
        PeopleService(db).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    assert "read-only media" in refused.value.message()
    db.close()
    assert sqlite3.connect(demo_db_file).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
