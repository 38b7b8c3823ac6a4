"""Targets as the seeds write them, through the real commands (issue 20 item 6, issue 21): the
province's own total (540 teams) set, split over its 45 communes with a preview, a split that
does not add up refused whole, and a percentage indicator's targets in % from a sheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli.test_enrolment_cli import cli, no_crash, ok
from tests.cli.test_targets_sheet_cli import _sheet, targets

SHARE_ROW = ["II.DTCS_NU", "Tỷ lệ nữ tham gia đối thoại", "", "%", "2026-2030", "commune",
             "share", '{"of": "participants", "kind": "policy_dialogue", "part": "women"}', "x"]


@pytest.fixture
def province(tmp_path: Path, new_file) -> Path:
    db = new_file("p.sqlite")
    ok(tmp_path, "--db", db, "province", "init", "--province-code", "11")
    return db


def split(tmp_path, db, *options):
    return cli(tmp_path, "--db", db, "--lang", "en", "targets", "split", "--indicator",
               "II.TTCD", "--period", "2026", *options)


def test_a_province_total_split_evenly_over_45_communes(tmp_path, province):
    refused = split(tmp_path, province, "--by", "even")
    assert refused.returncode == 2 and "no total for II.TTCD" in refused.stderr
    ok(tmp_path, "--db", province, "targets", "set", "--indicator", "II.TTCD", "--period", "2026",
       "--province", "540")
    assert [(t["commune"], t["value"], t.get("whole_province")) for t in targets(tmp_path, province)
            ] == [("11", 540.0, True)]

    dry = json.loads(split(tmp_path, province, "--by", "even", "--dry-run", "--json").stdout)
    assert (dry["total"], dry["allocated"], dry["remainder"], dry["saved"]) == (540, 540, 0, None)
    assert len(dry["communes"]) == 45 and {c["after"] for c in dry["communes"]} == {12}
    assert len(targets(tmp_path, province)) == 1  # the preview saved nothing

    done = split(tmp_path, province, "--by", "even", "--total", "541")
    assert done.returncode == 0 and "46 targets saved" in done.stdout
    held = targets(tmp_path, province)
    communes = [t["value"] for t in held if not t.get("whole_province")]
    assert sum(communes) == 541 and sorted(set(communes)) == [12, 13] and communes.count(13) == 1
    assert [t["value"] for t in held if t.get("whole_province")] == [541]

    # typed by hand: what does not add up is refused whole, and names the difference
    before = targets(tmp_path, province)
    wrong = split(tmp_path, province, "--by", "typed", "--value", "03325=500",
                  "--value", "03158=40")
    assert wrong.returncode == 2 and "a difference of 1" in wrong.stderr
    assert "Traceback" not in wrong.stderr and targets(tmp_path, province) == before
    right = json.loads(split(tmp_path, province, "--by", "typed", "--value", "03325=500",
                             "--value", "03158=41", "--json").stdout)
    assert right["remainder"] == 0 and right["saved"] == 45  # 43 removed, 2 changed
    assert {t["commune"]: t["value"] for t in targets(tmp_path, province)} == {
        "11": 541, "03325": 500, "03158": 41}
    assert no_crash(tmp_path)


def test_percentage_targets_from_a_sheet_and_the_province_row(tmp_path, province):
    book_path = tmp_path / "catalogue.xlsx"
    ok(tmp_path, "--db", province, "catalogue", "export", book_path)
    book = load_workbook(book_path)
    book.worksheets[0].append(SHARE_ROW)
    book.save(book_path)
    ok(tmp_path, "--db", province, "catalogue", "import", book_path)

    blank = tmp_path / "blank.xlsx"
    ok(tmp_path, "--db", province, "targets", "export", blank, "--period", "2026")
    sheet = load_workbook(blank).active
    codes = [c.value for c in sheet[3]]
    assert "II.DTCS_NU" in codes and sheet.cell(sheet.max_row, 1).value == "11"

    filled = _sheet(tmp_path / "pct.xlsx", [
        ["Năm", 2026],
        ["Mã xã", "Xã", "II.DTCS_NU", "II.TTCD"],
        ["03325", "Xã Mường Phăng", "80%", 12],
        ["03158", "Xã Sín Thầu", 120, 8],
        ["", "Toàn tỉnh", 80, 540],
    ])
    preview = json.loads(ok(tmp_path, "--db", province, "--lang", "en", "targets", "import",
                            filled, "--dry-run", "--json"))
    assert [(r["kind"], r["cell"]) for r in preview["refused"]] == [("not_a_percentage", "C4")]
    assert {(c["commune"], c["indicator"], c["after"]) for c in preview["new"]} == {
        ("03325", "II.DTCS_NU", 80.0), ("03325", "II.TTCD", 12.0), ("03158", "II.TTCD", 8.0),
        ("11", "II.DTCS_NU", 80.0), ("11", "II.TTCD", 540.0)}
    refused = cli(tmp_path, "--db", province, "--lang", "en", "targets", "import", filled)
    assert refused.returncode == 2 and "is a percentage, from 0 to 100" in refused.stdout
    assert targets(tmp_path, province) == []

    wrong = cli(tmp_path, "--db", province, "--lang", "en", "targets", "set", "--indicator",
                "II.DTCS_NU", "--period", "2026", "--commune", "03325", "101")
    assert wrong.returncode == 2 and "enter a target from 0 to 100" in wrong.stderr
    ok(tmp_path, "--db", province, "targets", "set", "--indicator", "II.DTCS_NU", "--period",
       "2026", "--commune", "11", "80")  # the province's own code: the whole province
    shown = json.loads(ok(tmp_path, "--db", province, "report", "indicators", "--year", "2026",
                          "--json"))
    row = next(i for i in shown["indicators"] if i["code"] == "II.DTCS_NU")
    assert (row["target"], row["province_target"], row["is_percent"]) == (80, 80, True)
    no_split = split(tmp_path, province, "--by", "even")  # (II.TTCD has no total: refused)
    assert no_split.returncode == 2
    pct = cli(tmp_path, "--db", province, "--lang", "en", "targets", "split", "--indicator",
              "II.DTCS_NU", "--period", "2026", "--by", "even")
    assert pct.returncode == 2 and "is not split" in pct.stderr
    assert no_crash(tmp_path)
