"""A province on a PostgreSQL server shared by several officers (issue #9): imports of different
communes run side by side, imports of one commune take turns, and nobody else waits for an
import — neither a reader nor another officer saving a target."""

from __future__ import annotations

import threading
import time

import pytest

from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_count
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.sync import importer
from tests.core.sync_world import COMMUNE_A, COMMUNE_B, dump


# The server itself is the subject: an id of [sqlite] here would still run on PostgreSQL.
pytestmark = pytest.mark.postgresql_only


def add_people(db, prefix: str, n: int) -> None:
    people = PeopleService(db)
    for i in range(n):
        people.create(full_name=f"{prefix} Thị {i}", sex="F", birth_year=1980 + i % 20)


class Paused:
    """Holds the import of one file just before it finishes (its transaction open, its rows
    written) until released."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, file_name: str) -> None:
        self.reached, self.release = threading.Event(), threading.Event()
        self.entered: list[str] = []  # the files whose import reached this point
        original = importer._finish

        def finish(db, session, uow, manifest, opened, peer, merger, outcomes, bundle_id, name,
                   *rest):
            self.entered.append(name)
            if name == file_name:
                self.reached.set()
                assert self.release.wait(60)
            return original(db, session, uow, manifest, opened, peer, merger, outcomes,
                            bundle_id, name, *rest)

        monkeypatch.setattr(importer, "_finish", finish)


def waiting_for_a_lock(db, within: float = 60) -> int:
    """How many sessions wait for an advisory lock, once one does (`within` only bounds a
    failure: it returns as soon as the server shows the wait)."""
    from sqlalchemy import text

    deadline = time.monotonic() + within
    while True:
        with db.engine.connect() as connection:
            waiting = connection.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar_one()
        if waiting or time.monotonic() > deadline:
            return waiting
        time.sleep(0.05)


def run_import(db, path, results: dict) -> threading.Thread:
    def work() -> None:
        results[path.name] = importer.import_file(db, path)

    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_two_communes_import_side_by_side_and_both_commit(world, monkeypatch):
    p = world.dbs["P"]
    add_people(world.dbs["A1"], "Lò", 120)
    add_people(world.dbs["B1"], "Vì", 80)
    [from_a] = world.send("A1", "P")
    [from_b] = world.send("B1", "P")
    before = people_count(p, PeopleFilter())
    paused = Paused(monkeypatch, from_a.name)
    results: dict = {}
    slow = run_import(p, from_a, results)
    assert paused.reached.wait(60)  # A's rows are written, its transaction still open

    # A stays open until released below, so whatever finishes now did not wait for A (a wait
    # would never end: the joins' time limits only bound a failure).
    assert people_count(p, PeopleFilter()) == before  # a reader does not wait, sees the past
    TargetsService(p).set("indicator:II.TTCD", "2026", 40, set_by_province=True,
                          commune_key=f"2025:commune:{COMMUNE_B}")  # another officer saves
    quick = run_import(p, from_b, results)
    quick.join(60)
    assert not quick.is_alive() and results[from_b.name].status == "applied"
    assert not paused.release.is_set() and slow.is_alive()  # A was still open all along

    paused.release.set()
    slow.join(60)
    assert results[from_a.name].status == "applied"
    assert people_count(p, PeopleFilter()) == before + 200
    assert dump(p, COMMUNE_A) == dump(world.dbs["A1"], COMMUNE_A)
    assert dump(p, COMMUNE_B)["person"] == dump(world.dbs["B1"], COMMUNE_B)["person"]


def test_two_imports_from_one_commune_take_turns(world, monkeypatch):
    p = world.dbs["P"]
    add_people(world.dbs["A1"], "Lò", 30)
    add_people(world.dbs["A2"], "Quàng", 20)
    [first] = world.send("A1", "P")
    [second] = world.send("A2", "P")
    paused = Paused(monkeypatch, first.name)
    merging: list[str] = []  # the files whose merge has begun
    merge_all = importer._merge_all

    def watched_merge(session, bundle, *args, **kw):
        merging.append(bundle.name)
        return merge_all(session, bundle, *args, **kw)

    monkeypatch.setattr(importer, "_merge_all", watched_merge)
    results: dict = {}
    one = run_import(p, first, results)
    assert paused.reached.wait(60)
    two = run_import(p, second, results)
    # The second laptop of the same commune waits for the first: its import is seen waiting
    # on the commune's lock on the server (pg_locks), and has not begun its merge (a lock
    # taken only after the merge would let it merge against what the first has not committed).
    assert waiting_for_a_lock(p) == 1
    assert two.is_alive() and merging == [first.name] and second.name not in paused.entered
    paused.release.set()
    one.join(60)
    two.join(60)
    assert results[first.name].status == results[second.name].status == "applied"
    assert people_count(p, PeopleFilter(commune_key=f"2025:commune:{COMMUNE_A}")) == 50


def test_a_database_that_would_sort_names_wrongly_is_refused(pg):
    from da8desktop.core.db.database import Database

    server, reason = pg
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({reason})")
    from sqlalchemy import text

    with server.admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "da8_wrong_collation"'))
        connection.execute(text("CREATE DATABASE da8_wrong_collation TEMPLATE template0 "
                                "ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"))
    # C.UTF-8 is byte order too: accepted. A language collation is refused before any write.
    Database.open(server.url_of("da8_wrong_collation")).close()
    server.drop("da8_wrong_collation")
    # This server has no language locale to make a wrongly sorted database with (Debian's
    # minimal image); the check itself is given the answer such a database gives
    # (tests/core/test_collation.py has the other cases).
    from da8desktop.core.db.dialect import PROBE, collation_problem

    assert collation_problem({"datlocprovider": "c", "datcollate": "vi_VN.UTF-8"},
                             sorted(PROBE, key=str.casefold)) == "vi_VN.UTF-8"
