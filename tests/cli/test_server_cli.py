"""A province moves from its SQLite file to PostgreSQL with the real command, then goes on
working there: import, export, reports — all through --database-url."""

import json
import shutil

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.export import export_bundles
from tests.cli.test_cli import run


@pytest.fixture
def server(pg):
    found, reason = pg
    if found is None:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({reason})")
    return found


def test_a_province_moves_to_the_server_and_goes_on_working_there(tmp_path, sync_world_files,
                                                                     server):
    province = tmp_path / "tinh.sqlite"
    commune = tmp_path / "xa.sqlite"
    shutil.copyfile(sync_world_files["P"], province)
    shutil.copyfile(sync_world_files["A1"], commune)
    url = server.create()
    before = json.loads(run("--db", province, "stats", "--json").stdout)

    moved = run("--db", province, "--lang", "en", "migrate-to", url)
    assert moved.returncode == 0, moved.stderr
    assert "every count matches" in moved.stdout
    after = json.loads(run("--database-url", url, "stats", "--json").stdout)
    assert after == before  # same site, same registry, same numbers
    again = run("--db", province, "--lang", "en", "migrate-to", url)
    assert again.returncode != 0 and "already holds data" in again.stderr

    # The commune sends as before; the server province imports, reports and answers.
    laptop = Database.open(commune)
    PeopleService(laptop).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [bundle] = export_bundles(laptop, tmp_path / "usb")
    imported = run("--database-url", url, "--lang", "en", "sync", "import", bundle.path, "--json")
    assert imported.returncode == 0, imported.stderr
    [report] = json.loads(imported.stdout)
    assert report["status"] == "applied" and report["counts"]["new"] == 1
    indicators = run("--database-url", url, "report", "indicators", "--year", "2026", "--json")
    assert indicators.returncode == 0, indicators.stderr
    assert json.loads(indicators.stdout[indicators.stdout.index("{"):])["scope"] == "province"
    answer = run("--database-url", url, "sync", "export", "--out", tmp_path / "back")
    assert answer.returncode == 0, answer.stderr
    back = sorted((tmp_path / "back").glob("*.da8"))
    assert back and any(f"-{_key(laptop)[:4]}-" in p.name for p in back)
    from da8desktop.core.sync.importer import import_file

    assert all(import_file(laptop, p).ok for p in back if f"-{_key(laptop)[:4]}-" in p.name)
    laptop.close()
    server.drop(url)


def _key(db: Database) -> str:
    from da8desktop.core.db.models import Installation

    with db.read() as session:
        return session.get(Installation, 1).sign_public


def test_a_wrong_or_unreachable_address_is_told_plainly_and_changes_nothing(tmp_path,
                                                                             sync_world_files):
    province = tmp_path / "tinh.sqlite"
    shutil.copyfile(sync_world_files["P"], province)
    before = json.loads(run("--db", province, "stats", "--json").stdout)
    typo = run("--db", province, "migrate-to", "postgres//can_bo@may-chu/da8")
    assert typo.returncode == 2 and "không phải địa chỉ cơ sở dữ liệu máy chủ" in typo.stderr
    away = run("--db", province, "migrate-to", "postgresql+psycopg://can_bo:bi_mat@127.0.0.1:1/da8")
    assert away.returncode == 2 and "Không kết nối được tới" in away.stderr
    assert "bi_mat" not in away.stderr  # the password is never printed
    assert json.loads(run("--db", province, "stats", "--json").stdout) == before
    assert not any("postgres" in p.name for p in tmp_path.rglob("*"))  # no file made of a URL
