"""The province sees its link to the centre in `sync status` (issue 21, item 6): not connected,
then connected and waiting until the centre has taken its figures, then confirmed, with when its
last figures bundle was written and the catalogue versions the centre sent."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_central_cli import aggregates_bundle
from tests.cli.test_enrolment_cli import cli, fingerprint_in, no_crash, ok


def link(tmp_path: Path, db: Path) -> dict:
    return json.loads(ok(tmp_path, "--db", db, "sync", "status", "--json"))["central"]


def test_the_province_sees_its_link_to_the_centre(tmp_path: Path, new_file):
    centre, province, stick = new_file("tw.sqlite"), new_file("tinh.sqlite"), tmp_path / "usb"
    ok(tmp_path, "--db", province, "province", "init", "--province-code", "11")
    assert link(tmp_path, province)["state"] == "not_connected"
    assert "not connected" in ok(tmp_path, "--lang", "en", "--db", province, "sync", "status")
    assert "chưa kết nối" in ok(tmp_path, "--lang", "vi", "--db", province, "sync", "status")

    centre_fp = fingerprint_in(ok(tmp_path, "--db", centre, "central", "init"))
    setup = ok(tmp_path, "--db", centre, "central", "enroll", "--province-code", "11",
               "--out", stick).strip()
    mine = ok(tmp_path, "--db", province, "province", "connect-central", "--setup", setup,
              "--central-fingerprint", centre_fp).strip()
    waiting = link(tmp_path, province)
    assert waiting["state"] == "waiting" and waiting["last_aggregates_at"] is None
    assert waiting["central_fingerprint"] == centre_fp and waiting["catalogues"] == {}

    up = aggregates_bundle(ok(tmp_path, "--db", province, "sync", "export", "--out",
                              stick / "up"))
    after_export = link(tmp_path, province)
    assert after_export["last_aggregates_at"] and after_export["last_aggregates_file"] == up.name
    assert after_export["state"] == "waiting"
    cli(tmp_path, "--db", centre, "sync", "import", up)  # held: not confirmed yet
    down = ok(tmp_path, "--db", centre, "sync", "export", "--out", stick / "down0").split()
    ok(tmp_path, "--db", province, "sync", "import", *down)
    answered = link(tmp_path, province)
    assert answered["state"] == "waiting"  # the centre answered, but has not taken the figures
    assert answered["catalogues"] and answered["last_from_centre_at"]

    ok(tmp_path, "--db", centre, "central", "confirm", "--province-code", "11",
       "--fingerprint", mine)
    ok(tmp_path, "--db", centre, "sync", "import", up)
    down = ok(tmp_path, "--db", centre, "sync", "export", "--out", stick / "down1").split()
    ok(tmp_path, "--db", province, "sync", "import", *down)
    confirmed = link(tmp_path, province)
    assert confirmed["state"] == "confirmed"
    versions = json.loads(ok(tmp_path, "--db", centre, "catalogue", "status", "--json"))
    assert confirmed["catalogues"]["indicators"] == versions["indicators"]
    text = ok(tmp_path, "--lang", "en", "--db", province, "sync", "status")
    assert "confirmed" in text and versions["indicators"] in text
    assert no_crash(tmp_path)
