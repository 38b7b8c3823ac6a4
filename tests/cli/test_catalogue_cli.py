"""The province edits its catalogue (issue 21, item 1), through the real command: it adds an
indicator and retires one in a workbook, the commune receives the new version with the next
bundle and computes the new indicator; an unknown rule is refused at the province."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from da8desktop.core.paths import resource_path

from tests.cli.test_enrolment_cli import cli, fingerprint_in, no_crash, ok


def _codes(report: dict) -> dict[str, dict]:
    return {row["code"]: row for row in report["indicators"]}


def test_an_edited_catalogue_travels_and_the_commune_computes_it(tmp_path: Path, new_file):
    p, xa = new_file("tinh.sqlite"), new_file("xa.sqlite")
    fp = fingerprint_in(ok(tmp_path, "--db", p, "province", "init", "--province-code", "11"))
    setup = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03325",
               "--out", tmp_path / "stick").strip()
    ok(tmp_path, "--db", xa, "demo", "--people", "60")
    xa_fp = ok(tmp_path, "--db", xa, "commune", "init", "--setup", setup,
               "--province-fingerprint", fp)
    ok(tmp_path, "--db", xa, "sync", "export", "--out", tmp_path / "first")
    held = cli(tmp_path, "--db", p, "sync", "import", tmp_path / "first")  # registered, held
    assert held.returncode == 3
    ok(tmp_path, "--db", p, "province", "confirm", "--commune-code", "03325",
       "--fingerprint", fingerprint_in(xa_fp))
    ok(tmp_path, "--db", p, "sync", "import", tmp_path / "first")

    book_path = tmp_path / "danh-muc.xlsx"
    ok(tmp_path, "--db", p, "catalogue", "export", book_path)
    book = load_workbook(book_path)
    sheet = book.worksheets[0]  # "Chỉ tiêu" in Vietnamese
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=3)}
    rows["II.SINHKE"][8].value = "không"  # retired
    sheet.append(["II.CLB_MOI", "Số CLB được duy trì (hướng dẫn mới)", "Clubs kept (new guidance)",
                  "CLB", "2026-2030", "commune", "groups", '{"group_type": "CLB"}', "x"])
    book.save(book_path)
    bad = tmp_path / "sai.xlsx"
    sheet.append(["II.MOI2", "Chỉ tiêu theo quy tắc mới", "", "người", "2026-2030", "commune",
                  "dem_moi", "", "x"])
    book.save(bad)

    preview = json.loads(ok(tmp_path, "--db", p, "--lang", "en", "catalogue", "import", bad,
                            "--dry-run", "--json"))
    [refusal] = preview["refused"]
    assert "dem_moi" in refusal and "Update the communes' program first" in refusal
    refused = cli(tmp_path, "--db", p, "--lang", "en", "catalogue", "import", bad)
    assert refused.returncode == 2 and "catalogue was not changed" in refused.stderr
    shipped = json.loads(ok(tmp_path, "--db", p, "catalogue", "status", "--json"))["indicators"]
    assert shipped == json.loads(resource_path("catalogues", "indicators.json").read_text(
        encoding="utf-8"))["version"]  # unchanged by the refused file

    done = json.loads(ok(tmp_path, "--db", p, "catalogue", "import", book_path, "--json"))
    assert (done["added"], done["retired"], done["saved"]) == (
        ["II.CLB_MOI"], ["II.SINHKE"], {"indicators": f"{shipped}.1"})
    not_here = cli(tmp_path, "--db", xa, "--lang", "en", "catalogue", "import", book_path)
    assert not_here.returncode == 2 and "Only the province" in not_here.stderr

    out = tmp_path / "to-xa"
    ok(tmp_path, "--db", p, "sync", "export", "--out", out)
    ok(tmp_path, "--db", xa, "sync", "import", out)
    assert json.loads(ok(tmp_path, "--db", xa, "catalogue", "status", "--json"))["indicators"] \
        == f"{shipped}.1"  # kept when the file is opened again (the shipped one is older)
    report = _codes(json.loads(ok(tmp_path, "--db", xa, "report", "indicators", "--phase",
                                  "2026-2030", "--json")))
    assert "II.SINHKE" not in report and "II.CLB_MOI" in report
    assert report["II.CLB_MOI"]["achieved"] >= report["II.CLB"]["achieved"] > 0
    assert no_crash(tmp_path)
