"""Review of issues #17 and #18 at the real command line: hostile files a careless or malicious
sender can hand an office, each refused plainly (exit 2 or 3), never a traceback."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.cli.test_cli import run

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def far_right_cells(path: Path, rows: int) -> Path:
    """A small workbook (about 6 kB per 1,000 rows) whose rows each end with a formatted but
    empty cell in the last column Excel has (XFD): a reader pads every row to 16,384 cells."""
    cells = "".join(f'<row r="{i}"><c r="XFD{i}" s="0"/></row>' for i in range(2, rows + 2))
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c></row>'
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/></Types>'),
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" Type="{_DOC}/'
                       'officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets><sheet name="DS" '
                           'sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
                                      f'Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
                                      '</Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}"><sheetData>{header}{cells}'
                                    '</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "demo.sqlite"
    assert run("--db", db, "demo", "--people", "50").returncode == 0
    return db


def test_rows_padded_to_the_last_column_are_refused_not_scanned(demo_file, tmp_path):
    """200,000 such rows are a 1 MB file that took about ten minutes to preview (each padded
    row scanned cell by cell): the cells a sheet makes the reader build are counted too."""
    sheet = far_right_cells(tmp_path / "wide.xlsx", 1_000)
    assert sheet.stat().st_size < 20_000
    result = run("--lang", "en", "--db", demo_file, "people", "import", sheet, "--dry-run")
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "was not read" in result.stderr, result.stderr
