"""`sync conflicts [--json]` and `sync conflicts resolve ID --keep winner|loser` through the real
command (issue 21, item 5): the losing laptop sees who and when, restores its value, and the
province ends with it."""

from __future__ import annotations

import json

import pytest

from da8desktop.core.db.models import Person
from tests.cli.test_enrolment_cli import cli, no_crash
from tests.core.test_sync import get
from tests.core.test_sync_conflicts_named import _concurrent_phone_edit


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the command opens the file itself


def test_a_conflict_seen_and_resolved_at_the_commune_reaches_the_province(world, tmp_path):
    hoa = _concurrent_phone_edit(world)
    world.round()
    a1_file = world.dbs["A1"].file
    world.dbs["A1"].close()

    listed = cli(tmp_path, "--db", a1_file, "--lang", "en", "sync", "conflicts", "--json")
    assert listed.returncode == 0, listed.stderr
    [conflict] = json.loads(listed.stdout)
    assert (conflict["kept"], conflict["lost"], conflict["from_province"]) == (
        "0922222222", "0911111111", True)
    assert conflict["lost_by"].startswith("Xã Mường Phăng (") and conflict["lost_at"]
    assert conflict["kept_by"] != conflict["lost_by"]
    text = cli(tmp_path, "--db", a1_file, "--lang", "en", "sync", "conflicts").stdout
    assert f"#{conflict['id']} Lò Thị Hoa / phone" in text and conflict["kept_by"] in text

    wrong = cli(tmp_path, "--db", a1_file, "--lang", "en", "sync", "conflicts", "resolve",
                "999", "--keep", "loser")
    assert wrong.returncode == 2 and "no open conflict" in wrong.stderr
    done = cli(tmp_path, "--db", a1_file, "--lang", "en", "sync", "conflicts", "resolve",
               str(conflict["id"]), "--keep", "loser")
    assert done.returncode == 0 and "travels with the next bundle" in done.stdout
    assert json.loads(cli(tmp_path, "--db", a1_file, "sync", "conflicts", "--json").stdout) == []
    assert no_crash(tmp_path)

    world.reopen("A1")
    world.round()
    assert get(world.dbs["P"], Person, hoa).phone == "0911111111"
