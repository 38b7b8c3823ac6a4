"""Issue 17, items 5 and 6, through the real command: a new commune computer is sent nothing
personal until `province confirm` with the fingerprint read out by phone; `commune init` trusts
the province's key only with the province's fingerprint; malformed, attacker-signed and
oversized setup files are refused with exit 3, a plain message, no traceback, no crash log."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from da8desktop.core.sync import codec
from tests.cli.test_cli import run

ENV = {"DA8_KEY_PASSPHRASE": "a province passphrase", "DA8_KEYRING": "off"}


def cli(tmp_path: Path, *args):
    # Crash logs land under the test's own folder, so "no new crash-log entry" can be checked.
    return run(*args, env_extra={**ENV, "XDG_STATE_HOME": str(tmp_path / "state"),
                                 "XDG_CACHE_HOME": str(tmp_path / "state")})


def ok(tmp_path: Path, *args) -> str:
    result = cli(tmp_path, *args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def fingerprint_in(text: str) -> str:
    return " ".join(re.findall(r"\b\d{5}\b", text)[-6:])


def people(tmp_path: Path, db: Path) -> int:
    return json.loads(ok(tmp_path, "--db", db, "stats", "--json"))["people"]


def no_crash(tmp_path: Path) -> bool:
    return not list((tmp_path / "state").rglob("crash.log"))


def test_a_new_computer_gets_the_communes_data_only_after_province_confirm(tmp_path: Path,
                                                                           new_file):
    p, a1, a2 = new_file("tinh.sqlite"), new_file("a1.sqlite"), new_file("a2.sqlite")
    stick = tmp_path / "usb"
    province_fp = fingerprint_in(ok(tmp_path, "--db", p, "province", "init", "--province-code", "11"))
    setup1 = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03325", "--out", stick).strip()
    a1_fp = ok(tmp_path, "--db", a1, "commune", "init", "--setup", setup1,
               "--province-fingerprint", province_fp).strip()
    ok(tmp_path, "--db", a1, "demo", "--people", "50")
    first_a1 = ok(tmp_path, "--db", a1, "sync", "export", "--out", stick / "a1").strip()
    waiting = cli(tmp_path, "--db", p, "sync", "import", first_a1)
    # Registered but held: an unconfirmed laptop changes nothing at the province (exit 3).
    assert waiting.returncode == 3 and "province confirm" in waiting.stdout, waiting.stdout
    assert "Traceback" not in waiting.stderr and people(tmp_path, p) == 0
    ok(tmp_path, "--db", p, "province", "confirm", "--commune-code", "03325", "--fingerprint", a1_fp)
    ok(tmp_path, "--db", p, "sync", "import", first_a1)  # the same file, once confirmed
    held = people(tmp_path, p)
    assert held > 0

    # A second (replacement) computer of the same commune.
    setup2 = ok(tmp_path, "--db", p, "province", "enroll", "--commune-code", "03325", "--out", stick).strip()
    a2_fp = ok(tmp_path, "--db", a2, "commune", "init", "--setup", setup2,
               "--province-fingerprint", province_fp.replace(" ", "")).strip()
    first = ok(tmp_path, "--db", a2, "sync", "export", "--out", stick / "a2").strip()
    answer = cli(tmp_path, "--db", p, "sync", "import", first, "--json")
    report = json.loads(answer.stdout)[0]
    assert answer.returncode == 3 and report["reason"] == "unconfirmed"
    assert report["enrolled_fingerprint"] == a2_fp == report["fingerprint"]
    status = json.loads(ok(tmp_path, "--db", p, "province", "status", "--json"))
    assert {c["status"] for c in status["communes"] if c["fingerprint"] == a2_fp} == \
        {"awaiting_confirmation"}
    assert "waiting for confirmation" in ok(tmp_path, "--db", p, "--lang", "en", "province", "status")

    def to_a2(folder: str) -> str:
        written = ok(tmp_path, "--db", p, "sync", "export", "--commune", "03325", "--out", stick / folder).split()
        [mine] = [w for w in written if f"-{_key(a2)[:4]}-" in Path(w).name]
        return mine

    ok(tmp_path, "--db", a2, "sync", "import", to_a2("p1"))
    assert people(tmp_path, a2) == 0  # nothing personal before the confirmation

    wrong = cli(tmp_path, "--db", p, "province", "confirm", "--commune-code", "03325",
                "--fingerprint", "11111 " + a2_fp[6:])
    assert wrong.returncode == 2 and "11111" in wrong.stderr and "Traceback" not in wrong.stderr
    unknown = cli(tmp_path, "--db", p, "province", "confirm", "--commune-code", "99999",
                  "--fingerprint", a2_fp)
    assert unknown.returncode == 2 and "99999" in unknown.stderr
    ok(tmp_path, "--db", p, "province", "confirm", "--commune-code", "03325",
       "--fingerprint", a2_fp.replace(" ", ""))
    ok(tmp_path, "--db", a2, "sync", "import", to_a2("p2"))
    assert people(tmp_path, a2) == held
    assert no_crash(tmp_path)


def _key(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as c:
        return c.execute("SELECT sign_public FROM installation").fetchone()[0]


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """A province and one of its genuine setup files, made once."""
    folder = tmp_path_factory.mktemp("province")
    p = folder / "tinh.sqlite"
    made = ok(folder, "--db", p, "province", "init", "--province-code", "11")
    setup = Path(ok(folder, "--db", p, "province", "enroll", "--commune-code", "03325",
                    "--out", folder / "usb").strip())
    return p, setup, fingerprint_in(made)


def province_keys(db: Path):
    import sqlite3

    from da8desktop.core.sync.keys import unwrap

    os.environ.update(ENV)
    with sqlite3.connect(db) as c:
        return unwrap(json.loads(c.execute("SELECT keys_wrapped FROM installation").fetchone()[0]))


def resigned(province, tmp_path: Path, change, raw_entries=None) -> Path:
    """The genuine setup file, changed by `change(manifest, entries)` and signed again with the
    province's real key (the worst case: an attacker holding that key, or a bug at the writer)."""
    db, setup, _fp = province
    archive = zipfile.ZipFile(setup)
    manifest = json.loads(archive.read("manifest.json"))
    entries = {n: archive.read(n) for n in archive.namelist() if not n.startswith("manifest")}
    change(manifest, entries)
    import hashlib

    if raw_entries is None:
        manifest["entries"] = [{"path": n, "sha256": hashlib.sha256(d).hexdigest(),
                                "bytes": len(d), "records": d.count(b"\n")} for n, d in entries.items()]
    manifest_bytes = codec.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", manifest_bytes)
        out.writestr("manifest.sig", province_keys(db).sign(manifest_bytes))
        for name, data in entries.items():
            out.writestr(name, data)
    path = tmp_path / "bad.da8setup"
    path.write_bytes(buffer.getvalue())
    return path


def _target_line(entries: dict, **values) -> None:
    lines = [json.loads(line) for line in entries["target.ndjson"].decode().splitlines()]
    lines[0]["v"].update(values)
    entries["target.ndjson"] = "".join(codec.dumps(x) + "\n" for x in lines).encode()


BAD = {
    "no_min_reader_schema": lambda m, e: m.pop("min_reader_schema"),
    "garbage_min_reader_schema": lambda m, e: m.update(min_reader_schema="garbage"),
    "schema_00x5": lambda m, e: m.update(schema="00x5"),
    "bad_site_id": lambda m, e: m["source"].update(site="../../etc"),
    "bad_box_key": lambda m, e: m["source"].update(box_public="age1" + "x" * 500),
    "bad_code": lambda m, e: m["enrolment"].update(code=12),
    "commune_of_another_province": lambda m, e: m["commune"].update(code="03394"),
    "unknown_province": lambda m, e: m["source"].update(province="99"),
    "huge_created_at": lambda m, e: m.update(created_at="99999-01-01T00:00:00"),
    "negative_target": lambda m, e: _target_line(e, value=-5),
    "garbage_target_period": lambda m, e: _target_line(e, period="20x6"),
    "target_not_a_row": lambda m, e: e.update({"target.ndjson": b"[1, 2, 3]\n"}),
    "garbage_catalogue": lambda m, e: e.update({"catalogue.ndjson": b'{"catalogue": "../x", "version": "9", "items": []}\n'}),
    "catalogue_item_without_code": lambda m, e: e.update({"catalogue.ndjson": b'{"catalogue": "roles", "version": "9999.1", "items": [{"kind": "role", "name": "x"}]}\n'}),
    "catalogue_parent_missing": lambda m, e: e.update({"catalogue.ndjson": b'{"catalogue": "roles", "version": "9999.1", "items": [{"kind": "role", "code": "X", "name": "x", "parent": "nowhere:1"}]}\n'}),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_malformed_or_re_signed_setup_file_is_refused_with_exit_3(province, tmp_path, case,
                                                                    new_file):
    db, _setup, fp = province
    if "target" in case:
        _ensure_target(db)
        fresh_setup = Path(ok(db.parent, "--db", db, "province", "enroll", "--commune-code",
                              "03325", "--out", tmp_path / "usb").strip())
        province = (db, fresh_setup, fp)
    bad = resigned(province, tmp_path, BAD[case])
    commune = new_file("xa.sqlite")
    refused = cli(tmp_path, "--db", commune, "commune", "init", "--setup", bad,
                  "--province-fingerprint", fp)
    assert refused.returncode == 3, (case, refused.stdout, refused.stderr)
    assert "Traceback" not in refused.stderr and refused.stderr.strip()
    assert no_crash(tmp_path)
    # Nothing was set up: the data file is still blank, and a genuine file still works.
    assert "set_up\": false" in ok(tmp_path, "--db", commune, "sync", "status", "--json")


def _ensure_target(db: Path) -> None:
    import sqlite3

    with sqlite3.connect(db) as c:
        if c.execute("SELECT count(*) FROM target").fetchone()[0]:
            return
    from da8desktop.core.db.database import Database
    from da8desktop.core.services.targets import TargetsService

    opened = Database.open(db)
    TargetsService(opened).set("indicator:II.TTCD", "2026", 10, "2025:commune:03325")
    opened.close()


def test_oversize_setup_files_and_entries_are_refused_before_reading(province, tmp_path,
                                                                      new_file):
    db, setup, fp = province
    big = tmp_path / "big.da8setup"
    big.write_bytes(setup.read_bytes() + os.urandom((8 << 20) + 1))
    bomb = resigned(province, tmp_path, lambda m, e: e.update(
        {"catalogue.ndjson": b"\n" * ((4 << 20) + 1)}))
    for bad in (big, bomb):
        refused = cli(tmp_path, "--db", new_file(f"{bad.stem}.sqlite"), "commune", "init",
                      "--setup", bad, "--province-fingerprint", fp)
        assert refused.returncode == 3 and "Traceback" not in refused.stderr, refused.stderr
    assert no_crash(tmp_path)


def test_commune_init_needs_the_provinces_fingerprint(province, tmp_path, new_file):
    db, setup, fp = province
    commune = new_file("xa.sqlite")
    silent = cli(tmp_path, "--db", commune, "commune", "init", "--setup", setup)  # no terminal
    assert silent.returncode == 2 and "--province-fingerprint" in silent.stderr
    other_db = new_file("other.sqlite")
    other_fp = fingerprint_in(ok(tmp_path, "--db", other_db, "province", "init", "--province-code", "11"))
    forged = ok(tmp_path, "--db", other_db, "province", "enroll", "--commune-code", "03325",
                "--out", tmp_path / "forged").strip()
    refused = cli(tmp_path, "--db", commune, "commune", "init", "--setup", forged,
                  "--province-fingerprint", fp)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "set_up\": false" in ok(tmp_path, "--db", commune, "sync", "status", "--json")
    assert other_fp != fp
    ok(tmp_path, "--db", commune, "commune", "init", "--setup", setup, "--province-fingerprint", fp)
    assert no_crash(tmp_path)


def test_at_a_terminal_commune_init_shows_the_fingerprint_and_asks_for_it(province, tmp_path,
                                                                          monkeypatch, capsys):
    from da8desktop.cli.main import main

    _db, setup, fp = province
    monkeypatch.setenv("DA8_KEY_PASSPHRASE", ENV["DA8_KEY_PASSPHRASE"])
    monkeypatch.setenv("DA8_KEYRING", "off")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    typed = iter(["00000 00000 00000 00000 00000 00000", fp.replace(" ", "")])
    monkeypatch.setattr("builtins.input", lambda _prompt="": next(typed))
    commune = tmp_path / "xa.sqlite"
    assert main(["--db", str(commune), "--lang", "en", "commune", "init", "--setup", str(setup)]) == 2
    shown = capsys.readouterr().err
    assert fp in shown and "Nothing was set up" in shown  # the file's fingerprint, then the refusal
    assert main(["--db", str(commune), "commune", "init", "--setup", str(setup)]) == 0
