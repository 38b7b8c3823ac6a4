"""`targets export` / `targets import` through the real command (issue 21, item 2): a whole
province's allocation from one sheet, a preview of a sheet with errors that writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tests.cli.test_enrolment_cli import cli, no_crash, ok


@pytest.fixture
def province(tmp_path: Path, new_file) -> Path:
    db = new_file("p.sqlite")
    ok(tmp_path, "--db", db, "province", "init", "--province-code", "11")
    return db


def targets(tmp_path: Path, db: Path, period: str = "2026") -> list[dict]:
    return json.loads(ok(tmp_path, "--db", db, "targets", "list", "--period", period, "--json"))


def test_45_communes_by_every_indicator_from_one_sheet_in_one_command(tmp_path, province):
    blank = tmp_path / "blank.xlsx"
    ok(tmp_path, "--db", province, "targets", "export", blank, "--period", "2026")
    book = load_workbook(blank)
    sheet = book.active
    rows = list(sheet.iter_rows(min_row=4))
    assert rows[-1][0].value == "11"  # the row of the province's own totals, left empty here
    rows = rows[:-1]
    indicators = sum(1 for cell in sheet[3][2:] if cell.value)  # the commune indicators
    assert len(rows) == 45 and indicators >= 11
    cells = 45 * indicators
    for r, row in enumerate(rows):
        for c, cell in enumerate(row[2:]):
            cell.value = 100 * r + c
    full = tmp_path / "full.xlsx"
    book.save(full)

    dry = json.loads(ok(tmp_path, "--db", province, "targets", "import", full, "--dry-run", "--json"))
    assert (len(dry["new"]), len(dry["refused"]), dry["saved"]) == (cells, 0, None)
    assert targets(tmp_path, province) == []
    done = ok(tmp_path, "--db", province, "--lang", "en", "targets", "import", full)
    assert f"{cells} targets saved" in done
    held = {(t["commune"], t["indicator"]): t["value"] for t in targets(tmp_path, province)}
    assert len(held) == cells
    assert held[(rows[3][0].value, sheet.cell(3, 4).value)] == 301

    # Exported again, the sheet reads back unchanged: the same shape both ways.
    again = tmp_path / "again.xlsx"
    ok(tmp_path, "--db", province, "targets", "export", again, "--period", "2026")
    same = json.loads(ok(tmp_path, "--db", province, "targets", "import", again, "--json"))
    assert (same["unchanged"], same["new"], same["changed"]) == (cells, [], [])


def _sheet(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_a_sheet_with_errors_is_previewed_with_reasons_and_writes_nothing(tmp_path, province):
    ok(tmp_path, "--db", province, "targets", "set", "--indicator", "II.TTCD", "--period",
       "2026-2030", "--commune", "03325", "4")
    sheet = _sheet(tmp_path / "bad.xlsx", [
        ["Chỉ tiêu giai đoạn", "2026-2030"],
        ["STT", "Xã", "ii.ttcd", "II.CLB", "II.NOPE"],
        [1, "xa tua chua", "7", "1.200", 3],     # a name without accents, Vietnamese thousands
        [2, "Xã Nowhere", 1, 1, 1],
        [3, "03325", 9, "nhiều", None],
        [4, "Xã Tủa Chùa", 1, None, None],         # the same commune twice
    ])
    preview = json.loads(ok(tmp_path, "--db", province, "--lang", "en", "targets", "import",
                            sheet, "--dry-run", "--json"))
    assert preview["period"] == "2026-2030"
    kinds = sorted((r["kind"], r["cell"]) for r in preview["refused"])
    assert kinds == [("not_a_number", "D5"), ("twice", "C6"), ("unknown_commune", "A4"),
                     ("unknown_indicator", "E2")]
    assert {(c["commune_name"], c["indicator"], c["after"]) for c in preview["new"]} == {
        ("Xã Tủa Chùa", "II.TTCD", 7.0), ("Xã Tủa Chùa", "II.CLB", 1200.0)}
    assert [(c["commune"], c["before"], c["after"]) for c in preview["changed"]] == [
        ("03325", 4.0, 9.0)]

    refused = cli(tmp_path, "--db", province, "--lang", "en", "targets", "import", sheet)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "4 cells of the sheet were refused, so no target was saved" in refused.stderr
    assert "not a number" in refused.stdout
    assert [t["value"] for t in targets(tmp_path, province, "2026-2030")] == [4.0]
    assert no_crash(tmp_path)


def test_plain_refusals_of_a_file_that_is_not_a_targets_sheet(tmp_path, province):
    no_table = _sheet(tmp_path / "people.xlsx", [["Họ và tên", "Năm sinh"], ["Lò Thị Mai", 1990]])
    refused = cli(tmp_path, "--db", province, "--lang", "en", "targets", "import", no_table,
                  "--period", "2026")
    assert refused.returncode == 2 and "No table of targets was found" in refused.stderr
    no_period = _sheet(tmp_path / "np.xlsx", [["Xã", "II.TTCD"], ["03325", 1]])
    refused = cli(tmp_path, "--db", province, "--lang", "en", "targets", "import", no_period)
    assert refused.returncode == 2 and "--period" in refused.stderr
    # The sheet turned round (communes across) reads the same way.
    turned = _sheet(tmp_path / "turned.xlsx", [["", "03325", "Xã Tủa Thàng"], ["II.TTCD", 2, 3]])
    ok(tmp_path, "--db", province, "targets", "import", turned, "--period", "2026")
    assert sorted(t["value"] for t in targets(tmp_path, province)) == [2.0, 3.0]
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_bytes(b"not a workbook")
    refused = cli(tmp_path, "--db", province, "--lang", "en", "targets", "import", not_xlsx)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert no_crash(tmp_path)
