"""People search over the trigram index (migration 0007) finds exactly the people a plain
"contains" finds, stays in step with every write, and mends itself if it falls out of step."""

from __future__ import annotations

import random
import sqlite3

import pytest

from da8desktop.core.db import search_index
from da8desktop.core.db.database import Database
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.people_query import PeopleFilter, people_count, people_page
from da8desktop.core.services.redact import redact_person
from da8desktop.core.text import fold


def _everyone(db: Database) -> list:
    return people_page(db, PeopleFilter())


def _found(db: Database, search: str) -> list:
    return [p.id for p in people_page(db, PeopleFilter(search=search))]


def _expected(people: list, search: str) -> list:
    words = fold(search).split()
    return [p.id for p in people if all(w in fold(p.full_name) for w in words)]


@pytest.mark.parametrize("sparse", [1, 10**9], ids=["from-the-index", "walking-the-list"])
def test_search_finds_what_a_plain_contains_finds(demo_db: Database, sparse: int,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Both ways of finding people (search_index.worth_using decides by how rare the words are).
    monkeypatch.setattr(search_index, "SPARSE", sparse)
    people = _everyone(demo_db)
    assert len(people) > 100
    rng = random.Random(8)
    searches = ["a", "th", "thi", "Thị", "ngu", "van tien", "xyz", "lo v", "%", "a_b", "hoa hoa"]
    for p in rng.sample(people, 15):  # pieces of real names, of every length
        key = fold(p.full_name)
        start = rng.randrange(len(key))
        searches.append(key[start:start + rng.randint(1, 8)])
    for search in searches:
        expected = _expected(people, search)
        assert _found(demo_db, search) == expected, search
        assert people_count(demo_db, PeopleFilter(search=search)) == len(expected), search


def test_the_index_follows_edits_and_erasure(commune_db: Database,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "SPARSE", 1)  # always from the index
    service = PeopleService(commune_db)
    hoa = service.create(full_name="Lò Thị Hoa", sex="F", birth_year=1990).id
    service.create(full_name="Hà Văn Mạnh", sex="M", birth_year=1985)
    assert _found(commune_db, "hoa") == [hoa]
    service.update(hoa, full_name="Lò Thị Xuân", given_name="Xuân")
    assert _found(commune_db, "hoa") == [] and _found(commune_db, "xuan") == [hoa]
    redact_person(commune_db, hoa)  # erased for good: the name can no longer be found
    assert _found(commune_db, "xuan") == [] and _found(commune_db, "lo thi") == []
    assert len(_found(commune_db, "manh")) == 1


@pytest.mark.sqlite_only
def test_an_index_out_of_step_is_rebuilt_at_open(demo_db_file,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_index, "SPARSE", 1)
    db = Database.open(demo_db_file)
    people = _everyone(db)
    db.close()
    # Another tool changes names behind the index's back (as a VACUUM renumbering rows would).
    raw = sqlite3.connect(demo_db_file)
    raw.execute("DROP TRIGGER person_search_update")
    raw.execute("UPDATE person SET search_key = 'zzq ' || search_key")
    raw.commit()
    raw.close()
    db = Database.open(demo_db_file)
    assert len(_found(db, "zzq")) == len(people)
    db.close()
