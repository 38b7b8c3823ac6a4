"""Issue 19's "Done when": the officer's quarter (domain.md §7) walked on the real widgets with
the window on a 1366×768 screen at 125 % scaling.

Why a child process: a screen's size and scale cannot change inside a running Qt application,
and the pytest-qt application is already made at the default offscreen size. As test_fit.py
does, the walk (tests/gui/quarter_walk.py) runs in its own process with
`QT_QPA_PLATFORM=offscreen:configfile=…` (the 1366×728 free area above a 40 px taskbar) and
`QT_SCALE_FACTOR=1.25`, and prints what it saw as JSON; this test asserts on it. The walk checks
every window and dialog it opens with the fit probe's own `problems_of`.

The walk, on a commune freshly set up from a real province setup file (so it can send): a
communication team typed from a paper list of nine by keyboard only (name, Tab, year, sex,
ethnic group, role, Enter); three meetings with one member unticked each time; last year's list
imported from a sheet with a title, no sex column (the women's default), a duplicate, a future
year, a total row and a numeric CCCD, the preview's "new" rows being exactly the people the
commit stores; the member list and a sign-in sheet saved as PDF from their buttons and read back;
the bundle for the province written to the stick. Waiting is on the background task's
`finished` signal, never a sleep."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from da8desktop.core.db.database import Database
from da8desktop.core.sync.enrol import commune_init, enroll, province_init
from tests.gui.test_entry_keys import EXPECTED

ROOT = Path(__file__).resolve().parents[2]


def fresh_commune(folder: Path, template: Path) -> Path:
    """A commune laptop set up from the province's setup file, nothing recorded yet."""
    province = Database.open(shutil.copyfile(template, folder / "tinh.sqlite"))
    _identity, fingerprint = province_init(province, "11")
    setup = enroll(province, "03325", folder / "setup")
    province.close()
    path = shutil.copyfile(template, folder / "xa.sqlite")
    commune = Database.open(path)
    commune_init(commune, setup.path, fingerprint)
    commune.close()
    return Path(path)


def test_the_officers_quarter_at_1366x768_and_125_percent(tmp_path, template_file, monkeypatch):
    monkeypatch.setenv("DA8_KEY_PASSPHRASE", "test passphrase")
    monkeypatch.setenv("DA8_KEYRING", "off")
    commune = fresh_commune(tmp_path, template_file)
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": True,
                                  "windowFrameMargins": False,
                                  "screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366,
                                               "height": 728, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "QT_SCALE_FACTOR": "1.25",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([sys.executable, "-m", "tests.gui.quarter_walk", str(commune), str(work)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])

    width, height, ratio = seen["screen"]
    assert (width, height, ratio) == (1093, 582, 1.25)  # 1366×728 free at 125 %
    assert seen["fit"] == [], "\n".join(seen["fit"])

    team = seen["team"]
    assert team["errors"] == []
    assert {name: tuple(v[:3]) for name, v in team["stored"].items()} == EXPECTED
    assert team["stored"]["Lò Thị Hoa"][3] == "Tổ trưởng"
    assert team["rows_on_screen"] == 9
    assert team["entry_visible"]

    assert seen["meetings_saved"] == [True] * 3 and seen["meetings"] == 3
    assert all(c.startswith("8/9") for c in seen["meeting_counts"])
    assert seen["attendance"] == [[8, 1]] * 3  # the ticks are what was stored
    # The suggested title names the meeting's month, not the month it was typed in.
    assert [t.split()[-1] for t in seen["meeting_titles"]] == ["1/2026", "2/2026", "3/2026"]

    # No sex column: the preview offers Nữ; "ask for each row" leaves no one new until chosen.
    assert seen["sex_offered"] == "F" and seen["asked_new"] == 0
    rows = {int(r[0]): r[1:] for r in seen["preview"]}
    assert rows[4][:2] == ["Mới", "Lò Thị Pảnh"]  # "  lò   thị  PẢNH " tidied
    assert rows[5][:2] == ["Mới", "Tòng Thị Ánh"]  # a family name, not a total row
    assert rows[7][0] == "Ghi hai lần" and "dòng 4" in rows[7][2]
    assert rows[8][0] == "Từ chối" and "2090" in rows[8][2]
    assert rows[12][:2] == ["Không phải người", "Tổng cộng"]
    assert "011190012345" in rows[5][2]  # the CCCD's lost 0, said as a warning
    assert 1 not in rows and 2 not in rows  # the title rows are no data
    assert seen["import_errors"] == ""
    # The preview shows exactly what the commit does: its new rows are the people stored.
    assert seen["stored_new"] == seen["preview_new"]
    assert seen["import_result"]["created"] == len(seen["preview_new"])
    assert seen["stored_values"] == seen["preview_values"]  # sex, CCCD, phone as previewed
    assert seen["stored_values"]["Tòng Thị Ánh"][1] == "011190012345"
    assert all(v[0] == "F" for v in seen["stored_values"].values())
    assert set(seen["preview_villages"]) <= set(seen["villages"])
    assert seen["shown"][0][1].startswith(f"Đã thêm {seen['preview_counts']['new']} người")
    assert f"{seen['preview_counts']['error']} dòng bị từ chối" in seen["shown"][0][1]

    member_list, sign_in = seen["pdfs"]
    for pdf, title in ((member_list, "DANH SÁCH THÀNH VIÊN TỔ TRUYỀN THÔNG"),
                       (sign_in, "DANH SÁCH KÝ NHẬN THAM DỰ: SINH HOẠT THÁNG 3/2026 Ngày 05/03/2026")):
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
        assert title in text
        for number, name in enumerate(sorted(EXPECTED), start=1):
            assert name in text, (pdf, name)  # every member, one numbered row each
            assert f" {number} " in text
        assert " 10 " not in text.split("NGƯỜI LẬP BIỂU")[0]

    # The quarter's periodic report: three meetings of eight (1.1), the figure double-clicked
    # lists the three meetings adding up to it; the workbook saved holds the same numbers.
    assert seen["periodic_cells"][:2] == ["3", "24"]
    assert [value for _label, value in seen["periodic_records"]] == [8, 8, 8]
    assert seen["periodic_saved"]
    from openpyxl import load_workbook

    sheet = load_workbook(work / "bao-cao-quy-1.xlsx").active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "1.1")
    assert list(row[2:5]) == [3, 24, int(seen["periodic_cells"][2])]  # women: as on screen

    assert seen["export_done"]
    [bundle] = seen["bundles"]
    assert bundle.startswith("da8-xa03325-") and (work / "usb" / bundle).stat().st_size > 0
