"""`report indicators` and `targets`, through the real command."""

import json
import shutil

from openpyxl import load_workbook

from tests.cli.test_cli import run


def test_report_indicators_json_xlsx_and_pdf(tmp_path, demo_db_file):
    db = tmp_path / "x.sqlite"
    shutil.copyfile(demo_db_file, db)
    report = run("--db", db, "report", "indicators", "--year", "2026", "--json",
                 "--xlsx", tmp_path / "r.xlsx", "--pdf", tmp_path / "r.pdf")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout[report.stdout.index("{"):])
    assert data["scope"] == "commune" and data["period"]["target_period"] == "2026"
    rows = {i["code"]: i for i in data["indicators"]}
    assert set(rows) >= {"II.TTCD", "II.CLB_TV", "II.DTCS", "II.SDAT"}
    assert rows["II.TTCD"]["target"] == 12 and rows["II.TTCD"]["achieved"] > 0
    assert {"code", "name", "target", "achieved"} <= set(rows["II.TTCD"])
    ws = load_workbook(tmp_path / "r.xlsx").active
    for r in range(6, 6 + len(rows)):
        assert ws.cell(r, 6).value == rows[ws.cell(r, 2).value]["achieved"]
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")

    text = run("--db", db, "report", "indicators", "--quarter", "2")
    assert text.returncode == 0 and "quý 2/" in text.stdout and "II.TTCD" in text.stdout


def test_targets_set_list_and_plain_refusals(tmp_path, demo_db_file):
    db = tmp_path / "x.sqlite"
    shutil.copyfile(demo_db_file, db)
    assert run("--db", db, "targets", "set", "--indicator", "II.CB_NU", "--period", "2026",
               "25").returncode == 0
    listed = json.loads(run("--db", db, "targets", "list", "--period", "2026", "--json").stdout)
    assert {"indicator": "II.CB_NU", "commune": "03325", "value": 25.0,
            "set_by_province": False} in listed
    wrong = run("--db", db, "targets", "set", "--indicator", "II.NOPE", "--period", "2026", "1")
    assert wrong.returncode != 0 and "II.NOPE" in wrong.stderr + wrong.stdout
    early = run("--db", db, "report", "indicators", "--year", "2019")
    assert early.returncode != 0 and "2019" in early.stderr + early.stdout
    assert "Traceback" not in early.stderr + wrong.stderr
