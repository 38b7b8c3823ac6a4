"""The real `da8desktop` command, run as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from da8desktop.core.formats import format_size


def run(*args, env_extra=None, cwd=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "da8desktop", *map(str, args)],
                          capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def test_demo_then_stats_json(tmp_path: Path):
    db = tmp_path / "x.sqlite"
    made = run("--db", db, "demo")
    assert made.returncode == 0, made.stderr
    assert "Đã thêm dữ liệu mẫu" in made.stdout  # Vietnamese by default
    stats = run("--db", db, "stats", "--json")
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert data["site"]["role"] == "commune" and data["site"]["is_demo"] is True
    assert data["people"] >= 300
    assert sum(1 for t in data["groups_by_type"] if t["groups"] > 0) >= 4
    assert data["meetings_with_attendance"] > 0 and data["attendance_rows"] > 0
    assert data["activities_with_counts"] > 0
    again = run("--db", db, "demo")
    assert again.returncode == 0 and "đã có" in again.stdout
    more = run("--db", db, "demo", "--seed", "2", "--people", "60")
    assert more.returncode == 0
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == data["people"] + 60


def test_demo_without_db_fills_its_own_file_never_the_default_one(tmp_path: Path):
    """The README's run command (`demo && da8desktop`): the window opens the demo, from a
    separate file; the officer's own default file is not even created (issue 19, item 3)."""
    data_home, config_home = tmp_path / "data-home", tmp_path / "config-home"
    env = {"XDG_DATA_HOME": str(data_home), "XDG_CONFIG_HOME": str(config_home)}
    made = run("demo", "--people", "50", env_extra=env)
    assert made.returncode == 0, made.stderr
    demo = next(data_home.rglob("demo.sqlite"))
    assert str(demo) in made.stdout
    assert not list(data_home.rglob("da8desktop.sqlite"))
    settings = json.loads(next(config_home.rglob("settings.json")).read_text("utf-8"))
    assert Path(settings["data_file"]) == demo.resolve() and "real_data_file" not in settings
    stats = run("--db", demo, "stats", "--json", env_extra=env)
    assert json.loads(stats.stdout)["site"]["is_demo"] is True


def test_stats_text_in_english_when_asked(tmp_path: Path):
    db = tmp_path / "y.sqlite"
    assert run("--db", db, "demo", "--people", "60").returncode == 0
    out = run("--db", db, "--lang", "en", "stats")
    assert out.returncode == 0 and "People" in out.stdout and "Xã Mường Phăng" in out.stdout


def test_version_and_help_in_plain_vietnamese():
    from da8desktop import __version__

    version = run("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    help_text = run("--help")
    assert help_text.returncode == 0
    assert "cách dùng:" in help_text.stdout and "tệp dữ liệu cần dùng" in help_text.stdout


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path):
    data_home = tmp_path / "data-home"
    out = run("stats", "--json", env_extra={"XDG_DATA_HOME": str(data_home)})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["site"] is None
    assert list(data_home.rglob("da8desktop.sqlite"))


def test_user_mistakes_give_a_clear_message_and_no_traceback(tmp_path: Path):
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database " * 100)
    out = run("--db", junk, "stats")
    assert out.returncode == 2
    assert "Không mở được" in out.stderr and "Traceback" not in out.stderr
    unknown = run("frobnicate")
    assert unknown.returncode == 2 and "Lỗi:" in unknown.stderr and "Traceback" not in unknown.stderr
    few = run("--db", tmp_path / "z.sqlite", "demo", "--people", "3")
    assert few.returncode == 2 and "Traceback" not in few.stderr


def test_people_list_in_the_order_of_the_people_page(tmp_path: Path):
    from da8desktop.core.db.database import Database
    from da8desktop.core.services.people_query import PeopleFilter, people_page

    db_file = tmp_path / "p.sqlite"
    assert run("--db", db_file, "demo").returncode == 0
    listed = run("--db", db_file, "people", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    cli_ids = [row["id"] for row in json.loads(listed.stdout)]
    db = Database.open(db_file)
    assert cli_ids == [str(r.id) for r in people_page(db, PeopleFilter())]
    searched = json.loads(run("--db", db_file, "people", "list", "--search", "lo thi",
                              "--json").stdout)
    assert searched and all(r["full_name"].startswith("Lò Thị") for r in searched)
    group = json.loads(run("--db", db_file, "stats", "--json").stdout)["groups"]
    assert group > 0
    members = run("--db", db_file, "people", "list", "--group", "to tiet kiem")
    assert members.returncode == 0 and len(members.stdout.splitlines()) >= 12
    missing = run("--db", db_file, "people", "list", "--group", "không có tổ này")
    assert missing.returncode == 2 and "Không có tổ/nhóm" in missing.stderr
    db.close()


def test_backup_commands_and_a_damaged_file(tmp_path: Path):
    db = tmp_path / "b.sqlite"
    assert run("--db", db, "demo", "--people", "60").returncode == 0
    made = run("--db", db, "backup", "create")
    assert made.returncode == 0 and Path(made.stdout.strip()).exists()
    assert made.stdout.strip().endswith(".sqlite.zst")  # compressed (issue 23)
    listed = run("--db", db, "backup", "list")
    assert "60 người" in listed.stdout
    size = format_size(Path(made.stdout.strip()).stat().st_size)
    assert f"  {size}  " in listed.stdout.splitlines()[0]  # each backup's size
    assert format_size(db.stat().st_size) in listed.stdout.splitlines()[-1]  # beside the file's
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 2, len(data), 4096 * 3):
        data[offset:offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    broken = run("--db", db, "stats")
    assert broken.returncode == 2 and "bị hỏng" in broken.stderr and "Traceback" not in broken.stderr
    restored = run("--db", db, "backup", "restore", "--latest")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == 60


def test_people_import_dry_run_then_for_real(tmp_path: Path):
    from tests.core.test_import_people import ugly_sheet

    db = tmp_path / "i.sqlite"
    assert run("--db", db, "demo", "--people", "60").returncode == 0
    sheet = ugly_sheet(tmp_path / "ds.xlsx")
    before = json.loads(run("--db", db, "stats", "--json").stdout)["people"]
    dry = run("--db", db, "people", "import", sheet, "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    summary = json.loads(dry.stdout)
    assert len(summary["accepted"]) == 6 and len(summary["rejected"]) == 2
    assert any("TCVN3" in w for r in summary["accepted"] for w in r["warnings"])
    assert all(r["reasons"] for r in summary["rejected"])
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == before
    real = run("--db", db, "people", "import", sheet)
    assert real.returncode == 0 and "6" in real.stdout
    assert json.loads(run("--db", db, "stats", "--json").stdout)["people"] == before + 6
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Tên người", "Sinh năm", "Nam/Nữ"])
    wb.active.append(["Cà Thị Xuân", 1991, "Nữ"])
    wb.save(tmp_path / "la.xlsx")
    unknown = run("--db", db, "people", "import", tmp_path / "la.xlsx", "--dry-run")
    assert unknown.returncode == 2 and "--column" not in unknown.stderr and "bằng tay" in unknown.stderr
    mapped = run("--db", db, "people", "import", tmp_path / "la.xlsx", "--header-row", "1",
                 "--column", "A=full_name", "--column", "B=birth", "--column", "C=sex", "--json")
    assert mapped.returncode == 0, mapped.stderr
    assert [r["full_name"] for r in json.loads(mapped.stdout)["accepted"]] == ["Cà Thị Xuân"]
    bad = run("--db", db, "people", "import", tmp_path / "missing.xlsx")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    wrong_sheet = run("--db", db, "people", "import", sheet, "--sheet", "Không có")
    assert wrong_sheet.returncode == 2 and "DS tổ TT" in wrong_sheet.stderr
