"""`sync status` at a commune names the records the province refused, with their reasons
(issue #18, item 2)."""

from __future__ import annotations

import json

from tests.cli.test_cli import run
from tests.core.test_refused_records import exchange, stored_over_long

ENV = {"DA8_KEY_PASSPHRASE": "test passphrase", "DA8_KEYRING": "off"}


def test_sync_status_lists_the_records_the_province_refused(world):
    _na_pha, far, mai, hoa, _fine = stored_over_long(world)
    exchange(world)
    a1 = world.dbs["A1"].file
    world.close()

    shown = run("--db", a1, "sync", "status", env_extra=ENV)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    mai_line = next(line for line in lines if "Lò Thị Mai (Bản Nà Phá)" in line)
    assert "20" in mai_line  # the reason, with the limit
    assert any("Lò Thị Hoa (Bản Nà Phá Thượng" in line for line in lines)
    assert any(": 3." in line or " 3 " in line for line in lines)  # how many, before the list

    data = json.loads(run("--db", a1, "sync", "status", "--json", env_extra=ENV).stdout)
    refused = {entry["id"]: entry for entry in data["rejected_by_province"]}
    assert set(refused) == {str(far), str(mai), str(hoa)}
    assert refused[str(mai)]["label"] == "Lò Thị Mai (Bản Nà Phá)" and refused[str(mai)]["reason"]
