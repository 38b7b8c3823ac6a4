"""The national tier (issue 21, item 6), through the real command: a central installation
enrols two provinces, each province exports its aggregates bundle, the centre imports both; the
centre's figures equal each province's own; no byte of the province -> centre bundle nor of the
centre's data file holds a person's name or CCCD; a province sending another province's commune
is refused (exit 3, the centre unchanged); a catalogue version sent down arrives at the province."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pyrage
import pytest

from da8desktop.core.text import fold
from tests.cli.test_enrolment_cli import ENV, cli, fingerprint_in, no_crash, ok


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def central_keys(db: Path, monkeypatch: pytest.MonkeyPatch):
    from da8desktop.core.sync import keys

    monkeypatch.setenv("DA8_KEY_PASSPHRASE", ENV["DA8_KEY_PASSPHRASE"])
    monkeypatch.setenv("DA8_KEYRING", "off")
    [(wrapped,)] = rows(db, "SELECT keys_wrapped FROM installation")
    return keys.unwrap(json.loads(wrapped))


def plain_members(bundle: Path, identity) -> dict[str, bytes]:
    data = pyrage.decrypt(bundle.read_bytes(), [identity.box])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return {"(zip)": data, **members}


def province_with_a_commune(tmp_path: Path, db: Path, code: str, commune: str,
                            new_file) -> None:
    """A province with one confirmed commune laptop whose demo records it has imported."""
    stick = tmp_path / f"usb{code}"
    fp = fingerprint_in(ok(tmp_path, "--db", db, "province", "init", "--province-code", code))
    setup = ok(tmp_path, "--db", db, "province", "enroll", "--commune-code", commune,
               "--out", stick).strip()
    laptop = new_file(f"xa{commune}.sqlite")
    laptop_fp = ok(tmp_path, "--db", laptop, "commune", "init", "--setup", setup,
                   "--province-fingerprint", fp).strip()
    ok(tmp_path, "--db", laptop, "demo", "--people", "50")
    bundle = ok(tmp_path, "--db", laptop, "sync", "export", "--out", stick / "up").strip()
    cli(tmp_path, "--db", db, "sync", "import", bundle)  # registers the laptop
    ok(tmp_path, "--db", db, "province", "confirm", "--commune-code", commune,
       "--fingerprint", laptop_fp)
    ok(tmp_path, "--db", db, "sync", "import", bundle)


def province_figures(tmp_path: Path, db: Path, *period: str) -> dict[tuple[str, str], float]:
    report = json.loads(ok(tmp_path, "--db", db, "report", "indicators", "--json", *period))
    return {(c["code"], row["code"]): float(c["achieved"]) for row in report["indicators"]
            for c in row["communes"] if c["achieved"]}


def central_figures(db: Path, province: str, period: str) -> dict[tuple[str, str], float]:
    return {(commune.rsplit(":", 1)[1], code): value for commune, code, value in rows(
        db, "SELECT commune_key, indicator_code, value FROM central_figure "
            f"WHERE province_key = '2025:province:{province}' AND period = '{period}'")}


def aggregates_bundle(written: str) -> Path:
    [path] = [Path(p) for p in written.split() if "-to-tw-" in p]
    return path


def snapshot(db: Path) -> list:
    return rows(db, "SELECT * FROM central_figure ORDER BY 1, 2, 3, 4") + \
        rows(db, "SELECT * FROM central_target ORDER BY 1, 2, 3, 4")


def test_two_provinces_send_figures_only_and_the_centre_sends_a_catalogue_down(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_file):
    centre, p11, p01 = new_file("tw.sqlite"), new_file("tinh11.sqlite"), new_file("tinh01.sqlite")
    stick = tmp_path / "usb"
    ok(tmp_path, "--db", p11, "province", "init", "--province-code", "11")
    ok(tmp_path, "--db", p11, "demo", "--people", "50")  # 3 communes that sent bundles, targets
    province_with_a_commune(tmp_path, p01, "01", "00004", new_file)

    centre_fp = fingerprint_in(ok(tmp_path, "--db", centre, "central", "init"))
    setups = {code: ok(tmp_path, "--db", centre, "central", "enroll", "--province-code", code,
                       "--out", stick).strip() for code in ("11", "01")}
    wrong = cli(tmp_path, "--db", p11, "province", "connect-central", "--setup", setups["11"],
                "--central-fingerprint", "12345 12345 12345 12345 12345 12345")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    other = cli(tmp_path, "--db", p11, "province", "connect-central", "--setup", setups["01"],
                "--central-fingerprint", centre_fp)
    assert other.returncode == 3 and "Traceback" not in other.stderr  # the other province's file
    fps = {code: ok(tmp_path, "--db", db, "province", "connect-central", "--setup", setups[code],
                    "--central-fingerprint", centre_fp).strip()
           for code, db in (("11", p11), ("01", p01))}

    bundles = {code: aggregates_bundle(ok(tmp_path, "--db", db, "sync", "export", "--out",
                                          stick / f"from{code}"))
               for code, db in (("11", p11), ("01", p01))}
    held = cli(tmp_path, "--db", centre, "sync", "import", bundles["11"])
    assert held.returncode == 3 and "central confirm" in held.stdout, held.stdout
    assert snapshot(centre) == []
    assert cli(tmp_path, "--db", centre, "sync", "import", bundles["01"]).returncode == 3
    for code in ("11", "01"):
        ok(tmp_path, "--db", centre, "central", "confirm", "--province-code", code,
           "--fingerprint", fps[code])
    ok(tmp_path, "--db", centre, "sync", "import", bundles["11"], bundles["01"])

    year = str(dt.date.today().year)
    for code, db in (("11", p11), ("01", p01)):
        mine = province_figures(tmp_path, db)
        assert mine, code  # the demo records count for something
        assert central_figures(centre, code, year) == pytest.approx(mine)
        phase = "2026-2030" if int(year) >= 2026 else "2021-2025"
        assert central_figures(centre, code, phase) == \
            pytest.approx(province_figures(tmp_path, db, "--phase", phase))
    targets_11 = rows(p11, "SELECT a.code, c.code, t.period, t.value FROM target t JOIN "
                      "admin_unit a ON a.key = t.commune_key JOIN catalogue_item c ON "
                      "c.key = t.indicator_key WHERE NOT t.deleted")
    assert targets_11 and sorted(targets_11) == sorted(rows(
        centre, "SELECT replace(commune_key, '2025:commune:', ''), indicator_code, period, value "
                "FROM central_target WHERE province_key = '2025:province:11'"))

    # Not a byte names a person: the decrypted bundle, every member, the centre's data file.
    people = rows(p11, "SELECT full_name, cccd, phone FROM person") + \
        rows(p01, "SELECT full_name, cccd, phone FROM person")
    # Exact (UTF-8) and accent-free (compared with the bytes lower-cased); CCCD and phones.
    needles = {n for name, cccd, phone in people for n in (name, fold(name), cccd, phone)
               if n and len(n) >= 6}
    assert len(needles) > 100
    identity = central_keys(centre, monkeypatch)
    for code, bundle in bundles.items():
        for member, data in plain_members(bundle, identity).items():
            found = [n for n in needles if n.encode("utf-8") in data
                     or n.encode("utf-8") in data.lower()]
            assert found == [], (code, member, found[:3])
    fresh = tmp_path / "fresh.sqlite"  # what a centre holds before any province (place names)
    ok(tmp_path, "--db", fresh, "central", "init")
    ok(tmp_path, "--db", centre, "audit", "list")  # a read: the WAL is checkpointed on close
    reference = b"".join(p.read_bytes() for p in tmp_path.glob("fresh.sqlite*"))
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("tw.sqlite*"))
    stored, reference = stored + stored.lower(), reference + reference.lower()
    found = [n for n in needles if n.encode("utf-8") in stored
             and n.encode("utf-8") not in reference]
    assert found == []

    # A catalogue version made at the centre arrives at the province.
    sheet = tmp_path / "catalogue.xlsx"
    ok(tmp_path, "--db", centre, "catalogue", "export", sheet)
    _rename_first_indicator(sheet, "Số tổ truyền thông (theo hướng dẫn mới)")
    ok(tmp_path, "--db", centre, "catalogue", "import", sheet)
    centre_version = json.loads(ok(tmp_path, "--db", centre, "catalogue", "status", "--json"))
    down = ok(tmp_path, "--db", centre, "sync", "export", "--out", stick / "down").split()
    assert len(down) == 2 and all("-tw-to-tinh" in p for p in down)
    [to11] = [p for p in down if "-to-tinh11-" in p]
    ok(tmp_path, "--db", p11, "sync", "import", to11)
    at_province = json.loads(ok(tmp_path, "--db", p11, "catalogue", "status", "--json"))
    assert at_province["indicators"] == centre_version["indicators"] != "2026.4"
    assert rows(p11, "SELECT count(*) FROM catalogue_item WHERE name = "
                     "'Số tổ truyền thông (theo hướng dẫn mới)' AND active")[0][0] == 1
    again = json.loads(cli(tmp_path, "--db", p11, "sync", "import", to11, "--json").stdout)
    assert again[0]["status"] == "duplicate"
    # Once the centre has answered, the province stops asking to be registered.
    assert rows(p11, "SELECT count(*) FROM setting WHERE key = 'central:enrolment_code'") == [(0,)]
    assert no_crash(tmp_path)


def _rename_first_indicator(sheet: Path, name: str) -> None:
    from openpyxl import load_workbook

    book = load_workbook(sheet)
    first = next(book.worksheets[0].iter_rows(min_row=3))  # code, name, … (test_catalogue_cli)
    first[1].value = name
    book.save(sheet)
