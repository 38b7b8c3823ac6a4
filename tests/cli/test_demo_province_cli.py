"""`demo` on a province file (issue 21, item 4), through the real command: a province with
three demo communes that sent real bundles, targets, a conflict and a refused record."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_enrolment_cli import cli, no_crash, ok


def test_demo_on_a_province_file_builds_a_province_to_learn_on(tmp_path: Path, new_file):
    p = new_file("tinh.sqlite")
    ok(tmp_path, "--db", p, "province", "init", "--province-code", "11")
    made = ok(tmp_path, "--db", p, "--lang", "en", "demo", "--people", "50")
    assert "3 communes sent" in made
    status = json.loads(ok(tmp_path, "--db", p, "province", "status", "--json"))
    rows = status["communes"]
    assert {r["commune_code"] for r in rows if r["last_bundle_at"]} == {"03325", "03158", "03217"}
    assert all(r["status"] == "enrolled" for r in rows if r["last_bundle_at"])
    assert sum(r["rejected_records"] for r in rows) >= 1  # the refused record, with its reason
    [conflict] = json.loads(ok(tmp_path, "--db", p, "sync", "conflicts", "--json"))
    assert conflict["field"] == "phone" and conflict["kept_by"] != conflict["lost_by"]
    report = json.loads(ok(tmp_path, "--db", p, "report", "indicators", "--json"))
    communes = {c["code"] for row in report["indicators"] for c in row["communes"]
                if c["target"]}
    assert communes == {"03325", "03158", "03217"}
    people = json.loads(ok(tmp_path, "--db", p, "stats", "--json"))["people"]
    assert people >= 149  # 3 x 50, less the one refused
    again = ok(tmp_path, "--db", p, "--lang", "en", "demo")
    assert "already holds the demo province" in again
    other = new_file("tinh2.sqlite")
    ok(tmp_path, "--db", other, "province", "init", "--province-code", "01")
    refused = cli(tmp_path, "--db", other, "--lang", "en", "demo")
    assert refused.returncode == 2 and "new data file" in refused.stderr
    assert no_crash(tmp_path)
