"""Property test (sync.md §6): random creates, edits, deletes, undeletes and erasures at four sites, bundles
dropped, duplicated and delivered in random order: once everything is delivered, every site
holds the same canonical state of each commune's data."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st

from da8desktop.core.db.models import Person
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.redact import redact_person
from da8desktop.core.services.targets import TargetsService
from tests.core.sync_world import COMMUNE_A, COMMUNE_B, addressed_to, dump, open_world

COMMUNES = {"A1": COMMUNE_A, "A2": COMMUNE_A, "B1": COMMUNE_B}
PHONES = ["0911111111", "0922222222", "0933333333"]

step = st.one_of(
    st.tuples(st.just("create"), st.sampled_from(list(COMMUNES)), st.integers(0, 99)),
    st.tuples(st.just("edit"), st.sampled_from(list(COMMUNES)), st.integers(0, 99)),
    st.tuples(st.just("delete"), st.sampled_from(list(COMMUNES)), st.integers(0, 99)),
    st.tuples(st.just("undelete"), st.sampled_from(list(COMMUNES)), st.integers(0, 99)),
    st.tuples(st.just("redact"), st.sampled_from(list(COMMUNES)), st.integers(0, 99)),
    st.tuples(st.just("target"), st.just("P"), st.integers(0, 99)),
    st.tuples(st.just("send"), st.sampled_from(["P", *COMMUNES]), st.integers(0, 99)),
    st.tuples(st.just("deliver"), st.just("-"), st.integers(0, 99)),
)


def people_of(db):
    with db.read() as session:
        return sorted((p.id, p.deleted) for p in session.query(Person))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(step, min_size=5, max_size=25), seed=st.integers(0, 2**16))
def test_random_edits_drops_duplicates_and_orders_converge(tmp_path_factory, sync_world_files,
                                                           steps, seed):
    world = open_world(tmp_path_factory.mktemp("conv"), sync_world_files)
    rng = random.Random(seed)
    mailbag: list[tuple[str, object]] = []  # (receiver, path); dropped bundles never come out
    try:
        for action, site, n in steps:
            db = world.dbs[site] if site != "-" else None
            if action == "create":
                PeopleService(db).create(full_name=f"Lò Thị {n}", sex="F", birth_year=1990)
            elif action in ("edit", "delete", "undelete", "redact"):
                people = people_of(db)
                if not people:
                    continue
                person_id, deleted = people[n % len(people)]
                service = PeopleService(db)
                if action == "edit" and not deleted:
                    service.update(person_id, phone=PHONES[n % 3])
                elif action == "delete" and not deleted:
                    service.delete(person_id)
                elif action == "undelete" and deleted:
                    service.restore(person_id)
                elif action == "redact" and n % 3 == 0:  # rarer: it is for good
                    redact_person(db, person_id)
            elif action == "target":
                commune = COMMUNE_A if n % 2 else COMMUNE_B
                TargetsService(db).set("indicator:I.TTCD", "2026", n, commune_key=f"2025:commune:{commune}")
            elif action == "send":
                for path in world.send(site):
                    for receiver in ("P", *COMMUNES):
                        if receiver != site and addressed_to(world, path, receiver):
                            if rng.random() < 0.8:  # 20% of bundles are lost on the road
                                mailbag.append((receiver, path))
                            if rng.random() < 0.3:  # and some are carried twice
                                mailbag.append((receiver, path))
            elif action == "deliver" and mailbag:
                receiver, path = mailbag.pop(n % len(mailbag))
                assert world.receive(receiver, path).ok
        rng.shuffle(mailbag)
        for receiver, path in mailbag:
            assert world.receive(receiver, path).ok
        for _ in range(2):  # then everything is delivered
            world.round()
        p = world.dbs["P"]
        assert dump(world.dbs["A1"], COMMUNE_A) == dump(world.dbs["A2"], COMMUNE_A) == dump(p, COMMUNE_A)
        assert dump(world.dbs["B1"], COMMUNE_B) == dump(p, COMMUNE_B)
        assert dump(world.dbs["A1"], COMMUNE_B)["person"] == []
    finally:
        world.close()
