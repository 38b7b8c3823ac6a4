"""`report periodic` and `print sign-in` for any activity kind and blank sheets, through the real
command: the JSON, the workbook (openpyxl) and the PDF's text hold the hand-counted figures."""

import json

from openpyxl import load_workbook

from da8desktop.core.db.database import Database
from da8desktop.core.domain import Role
from da8desktop.core.services.site import set_up_installation
from tests.cli.test_cli import run
from tests.core.test_periodic_report import EXPECTED_Q3, EXPECTED_YEAR, build_counted, check_every_cell
from tests.core.test_print_and_export import pdf_text


def _counted_file(tmp_path, template_file):
    path = tmp_path / "x.sqlite"
    path.write_bytes(template_file.read_bytes())
    db = Database.open(path)
    set_up_installation(db, Role.COMMUNE, "11", "03325")
    ids = build_counted(db)
    db.close()
    return path, ids


def test_periodic_report_json_xlsx_and_pdf(tmp_path, template_file):
    db, _ids = _counted_file(tmp_path, template_file)
    done = run("--db", db, "report", "periodic", "--year", "2026", "--quarter", "3", "--json",
               "--xlsx", tmp_path / "q3.xlsx", "--pdf", tmp_path / "q3.pdf")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    check_every_cell(data, EXPECTED_Q3)
    year = run("--db", db, "report", "periodic", "--year", "2026", "--json")
    check_every_cell(json.loads(year.stdout), EXPECTED_YEAR)

    ws = load_workbook(tmp_path / "q3.xlsx").active
    header = [c.value for c in ws[5]]
    assert header[:9] == ["STT", "Nội dung, nhóm hoạt động", "Số cuộc/buổi", "Lượt người", "Nữ",
                          "Nam", "DTTS", "Nữ DTTS", "Trẻ em"]
    by_code = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
               for r in range(6, ws.max_row + 1)}
    names = {"sessions": 3, "participants": 4, "women": 5, "men": 6, "minority": 7,
             "women_minority": 8, "children": 9}
    for row in data["rows"]:
        cells = by_code[row["activity_group"]]
        for name, column in names.items():
            assert cells[column - 1] == row[name], (row["activity_group"], name)
        for key, n in {**row["by_ethnic"], **{f"v:{k}": v for k, v in row["by_village"].items()}}.items():
            title = f"Thôn/bản: {key[2:]}" if key.startswith("v:") else f"Dân tộc: {key}"
            assert cells[header.index(title)] == n
    assert by_code["III"][2:4] == [3, 63]  # content 3: subtotal of 3.1 and 3.4 (2 + 1, 43 + 20)
    assert not any(isinstance(c.value, str) and c.value.startswith("=")
                   for r in ws.iter_rows() for c in r)

    text = " ".join(" ".join(pdf_text(tmp_path / "q3.pdf")).split())
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN DỰ ÁN 8 QUÝ 3 NĂM 2026" in text
    assert "XÁC NHẬN CỦA UBND XÃ" in text
    assert "3.1 Đối thoại chính sách 2 43 28 15 33 3 1" in text
    assert "4.1 Trang bị kiến thức bình đẳng giới, kỹ năng lồng ghép giới" in text


def test_periodic_report_refuses_plainly(tmp_path, template_file):
    db, _ids = _counted_file(tmp_path, template_file)
    for args in (["--year", "2019"], ["--year", "2026", "--quarter", "2", "--half", "1"],
                 ["--year", "2026", "--commune", "99999"]):
        done = run("--db", db, "report", "periodic", *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, (args, done.stderr)


def test_sign_in_for_any_activity_kind_and_a_blank_sheet(tmp_path, template_file):
    db, ids = _counted_file(tmp_path, template_file)
    listed = run("--db", db, "print", "sign-in", "--meeting", ids["A"], "--pdf", tmp_path / "a.pdf")
    assert listed.returncode == 0, listed.stderr
    text = " ".join(" ".join(pdf_text(tmp_path / "a.pdf")).split())
    assert "Giàng A Páo" in text and "Lò Thị A" in text
    assert text.count("Khách mời") == 1  # the guest only: a training has no members
    counted = run("--db", db, "print", "sign-in", "--meeting", ids["C"], "--blank", "12",
                  "--pdf", tmp_path / "c.pdf")  # a dialogue recorded by counts: blank rows
    assert counted.returncode == 0, counted.stderr
    assert "ĐỐI THOẠI CHÍNH SÁCH" in " ".join(" ".join(pdf_text(tmp_path / "c.pdf")).split())
    blank = run("--db", db, "print", "sign-in", "--blank", "30", "--title", "Tập huấn kỹ năng",
                "--pdf", tmp_path / "blank.pdf")
    assert blank.returncode == 0, blank.stderr
    text = " ".join(" ".join(pdf_text(tmp_path / "blank.pdf")).split())
    assert "TẬP HUẤN KỸ NĂNG" in text and " 30 " in f" {text} " and " 31 " not in f" {text} "
    for args in (["--blank", "5"], ["--blank", "0", "--title", "x"],
                 ["--meeting", ids["A"], "--title", "x"]):
        refused = run("--db", db, "print", "sign-in", *args, "--pdf", tmp_path / "r.pdf")
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, (args, refused.stderr)
