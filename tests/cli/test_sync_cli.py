"""Issue 4, done when: a province and two communes, scripted only through the CLI, exchange
bundles in every order, twice, with one lost, and end with identical data; tampered, truncated,
misaddressed and replayed files are refused with nothing written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from da8desktop.core.db.backup import contents, list_backups
from da8desktop.core.paths import backup_dir_for
from tests.cli.test_cli import run

ENV = {"DA8_KEY_PASSPHRASE": "a province passphrase", "DA8_KEYRING": "off"}


def cli(*args):
    return run(*args, env_extra=ENV)


def ok(*args) -> str:
    result = cli(*args)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


def counts(db: Path) -> dict:
    data = json.loads(ok("--db", db, "stats", "--json"))
    return {k: data[k] for k in ("people", "groups", "memberships", "attendance_rows")}


def test_province_and_two_communes_through_the_cli(tmp_path: Path, new_file):
    p, a, b = new_file("tinh.sqlite"), new_file("xa_a.sqlite"), new_file("xa_b.sqlite")
    stick = tmp_path / "usb"
    made = ok("--db", p, "--lang", "en", "province", "init", "--province-code", "11")
    assert "Fingerprint" in made
    province_fingerprint = " ".join(re.findall(r"\b\d{5}\b", made)[-6:])
    setup_a = Path(ok("--db", p, "province", "enroll", "--commune-code", "03325", "--out", stick).strip())
    setup_b = Path(ok("--db", p, "province", "enroll", "--commune-code", "03158", "--out", stick).strip())
    assert setup_a.exists() and "03325" in setup_a.name
    fingerprint_a = ok("--db", a, "commune", "init", "--setup", setup_a,
                       "--province-fingerprint", province_fingerprint).strip()
    assert len(fingerprint_a.split()) == 6 and all(len(g) == 5 for g in fingerprint_a.split())
    fingerprint_b = ok("--db", b, "commune", "init", "--setup", setup_b,
                       "--province-fingerprint", province_fingerprint.replace(" ", "")).strip()
    ok("--db", a, "demo", "--people", "50")
    ok("--db", b, "demo", "--people", "50", "--seed", "2")

    # Round 1: A's first bundle is lost on the road; its second arrives first.
    lost = Path(ok("--db", a, "sync", "export", "--out", tmp_path / "lost").strip())
    ok("--db", a, "demo", "--people", "50", "--seed", "3")  # more work at A before the next trip
    a2 = Path(ok("--db", a, "sync", "export", "--out", stick / "a").strip())
    b1 = Path(ok("--db", b, "sync", "export", "--out", stick / "b").strip())
    assert "Nguyễn" not in a2.name and a2.name.endswith(".da8")
    previewed = cli("--db", p, "sync", "import", b1, a2, "--dry-run", "--json")
    preview = json.loads(previewed.stdout)  # new laptops: importing registers them
    assert previewed.returncode == 3 and all(r["reason"] == "unconfirmed" for r in preview)
    assert counts(p)["people"] == 0  # the dry run wrote nothing
    first = cli("--db", p, "sync", "import", stick / "b", stick / "a", "--json")
    registered = json.loads(first.stdout)
    # Both laptops registered; their data held until confirmed (exit 3, nothing applied).
    assert first.returncode == 3 and [r["reason"] for r in registered] == ["unconfirmed"] * 2
    assert counts(p)["people"] == 0
    fingerprints = {r["enrolled_fingerprint"] for r in registered}
    assert fingerprint_a in fingerprints  # both sides show the same number
    # The officer confirms each laptop after comparing the numbers by phone, then imports.
    ok("--db", p, "province", "confirm", "--commune-code", "03325", "--fingerprint", fingerprint_a)
    ok("--db", p, "province", "confirm", "--commune-code", "03158", "--fingerprint", fingerprint_b)
    imported = json.loads(ok("--db", p, "sync", "import", stick / "b", stick / "a", "--json"))
    assert [r["status"] for r in imported] == ["applied", "applied"]
    # The restore point, made plain so that the import began at once, was compressed after
    # the report: only compressed backups are left, each with its note.
    points = list_backups(p)
    assert {b.reason for b in points} == {"before-sync-import"}
    assert all(b.compressed for b in points)
    assert sorted(f.name for f in backup_dir_for(p).iterdir() if f.name.startswith("tinh-")) \
        == sorted(n for b in points for n in (b.name, b.name + ".about"))
    assert contents(points[0].path).people == 0  # the province before this import
    assert counts(p)["people"] == counts(a)["people"] + counts(b)["people"]

    # Twice: the same files again are "already imported", exit 0.
    again = cli("--db", p, "sync", "import", stick / "a", stick / "b")
    assert again.returncode == 0 and again.stdout.count("đã nhập") == 2

    # Province -> communes, delivered in reverse order of writing.
    to_communes = ok("--db", p, "sync", "export", "--out", stick / "p").split()
    assert len(to_communes) == 2
    for path in reversed(to_communes):
        target = a if "xa03325" in Path(path).name else b
        ok("--db", target, "sync", "import", path)
    status_a = json.loads(ok("--db", a, "sync", "status", "--json"))
    assert status_a["unconfirmed"] == 0 and status_a["confirmed_until"]

    # The lost bundle turns up late: nothing changes.
    late = json.loads(ok("--db", p, "sync", "import", lost, "--json"))
    assert late[0]["status"] == "applied" and late[0]["counts"]["new"] == 0
    # A full re-send changes nothing either.
    full = Path(ok("--db", a, "sync", "export", "--out", tmp_path / "full", "--full").strip())
    resent = json.loads(ok("--db", p, "sync", "import", full, "--json"))[0]["counts"]
    assert resent["new"] == resent["updated"] == resent["conflict"] == 0

    # Refused, exit non-zero, nothing written: truncated, tampered, misaddressed.
    before = (counts(p), p.stat().st_size)
    truncated = tmp_path / "truncated.da8"
    truncated.write_bytes(full.read_bytes()[:-100])
    tampered = tmp_path / "tampered.da8"
    data = bytearray(full.read_bytes())
    data[len(data) // 2] ^= 0x10
    tampered.write_bytes(bytes(data))
    for bad in (truncated, tampered):
        refused = cli("--db", p, "sync", "import", bad)
        assert refused.returncode == 3 and "BỊ TỪ CHỐI" in refused.stdout, refused.stdout
    wrong = cli("--db", b, "sync", "import", to_communes[0] if "xa03325" in to_communes[0] else to_communes[1])
    assert wrong.returncode == 3 and "03325" in wrong.stdout
    assert (counts(p), p.stat().st_size) == before

    # Province status: who sent what, what is missing.
    status = json.loads(ok("--db", p, "sync", "status", "--json"))
    rows = {c["commune_code"]: c for c in status["communes"] if c["status"] != "not_enrolled"}
    assert rows["03325"]["received"] == 3 and rows["03325"]["missing"] == []
    assert rows["03158"]["received"] == 1
    assert sum(1 for c in status["communes"] if c["status"] == "not_enrolled") > 40
    # stats at the province count every commune it holds
    assert counts(p)["people"] == counts(a)["people"] + counts(b)["people"]
    # The audit trail names every bundle imported, for scripts and as a workbook.
    imports = json.loads(ok("--db", p, "audit", "list", "--action", "import", "--json"))
    assert {e["summary"] for e in imports} >= {a2.name, b1.name}
    ok("--db", p, "audit", "export", tmp_path / "nhat-ky.xlsx", "--action", "import")
    assert (tmp_path / "nhat-ky.xlsx").stat().st_size > 0
    # B's laptop is lost: revoked at the province, its bundles refused from then on.
    ok("--db", p, "province", "revoke", "--commune-code", "03158")
    later_b = Path(ok("--db", b, "sync", "export", "--out", tmp_path / "after").strip())
    refused = cli("--db", p, "sync", "import", later_b)
    assert refused.returncode == 3 and "thu hồi" in refused.stdout
    shutil.rmtree(tmp_path / "lost")


def _forged(p: Path, a: Path, bundle: Path, change, out: Path) -> Path:
    """`bundle` (from A to P) with its manifest changed, signed again with A's real key."""
    import io
    import os
    import zipfile

    import pyrage

    from da8desktop.core.db.database import Database
    from da8desktop.core.db.models import Installation
    from da8desktop.core.sync import codec
    from da8desktop.core.sync.keys import unwrap

    os.environ.update(ENV)
    keys = {}
    for name, path in (("p", p), ("a", a)):
        db = Database.open(path)
        with db.read() as session:
            keys[name] = unwrap(session.get(Installation, 1).keys_wrapped)
        db.close()
    archive = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(bundle.read_bytes(), [keys["p"].box])))
    manifest = json.loads(archive.read("manifest.json"))
    change(manifest)
    body = codec.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as forged:
        forged.writestr("manifest.json", body)
        forged.writestr("manifest.sig", keys["a"].sign(body))
        for name in archive.namelist():
            if not name.startswith("manifest"):
                forged.writestr(name, archive.read(name))
    out.write_bytes(pyrage.encrypt(buffer.getvalue(), [keys["p"].box.to_public()]))
    return out


def test_preview_then_commit_of_the_same_bytes_and_hostile_manifests(tmp_path: Path, new_file):
    """Issue 17: the preview prints the file's SHA-256 and the commit can require it; signed
    manifests with numbers out of range are refused (exit 3), no traceback, no crash log."""
    import hashlib

    p, a = new_file("tinh.sqlite"), new_file("xa_a.sqlite")
    logs = {"XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def call(*args):
        return run(*args, env_extra={**ENV, **logs})

    made = ok("--db", p, "province", "init", "--province-code", "11")
    province_fingerprint = " ".join(re.findall(r"\b\d{5}\b", made)[-6:])
    setup = Path(ok("--db", p, "province", "enroll", "--commune-code", "03325", "--out",
                    tmp_path / "usb").strip())
    fingerprint_a = ok("--db", a, "commune", "init", "--setup", setup,
                       "--province-fingerprint", province_fingerprint).strip()
    ok("--db", a, "demo", "--people", "50")
    bundle = Path(ok("--db", a, "sync", "export", "--out", tmp_path / "usb").strip())
    sha = hashlib.sha256(bundle.read_bytes()).hexdigest()
    # The laptop is registered by its first file (held) and confirmed by phone: the hostile
    # files below are signed by a laptop the province trusts.
    assert call("--db", p, "sync", "import", bundle).returncode == 3
    ok("--db", p, "province", "confirm", "--commune-code", "03325", "--fingerprint", fingerprint_a)

    hostile = {
        "knowledge": lambda m: m["knowledge"].update({next(iter(m["knowledge"])): 2**64}),
        "schema": lambda m: m.update(schema="00x5"),
        "created_at": lambda m: m.update(created_at="hôm qua"),
        "min_reader_schema": lambda m: m.pop("min_reader_schema"),
        "seq": lambda m: m.update(seq=True),
    }
    before = (counts(p), p.read_bytes())
    for name, change in hostile.items():
        path = _forged(p, a, bundle, change, tmp_path / f"{name}.da8")
        refused = call("--db", p, "sync", "import", path)
        assert refused.returncode == 3, (name, refused.stdout, refused.stderr)
        assert "BỊ TỪ CHỐI" in refused.stdout and "Traceback" not in refused.stderr, name
    assert (counts(p), p.read_bytes()) == before

    preview = json.loads(ok("--db", p, "sync", "import", bundle, "--dry-run", "--json"))
    assert preview[0]["status"] == "dry_run" and preview[0]["sha256"] == sha
    assert sha in ok("--db", p, "sync", "import", bundle, "--dry-run")
    changed = call("--db", p, "sync", "import", bundle, "--expect-sha256", "0" * 64, "--json")
    assert changed.returncode == 3 and json.loads(changed.stdout)[0]["reason"] == "changed"
    folder = call("--db", p, "sync", "import", tmp_path / "usb", "--expect-sha256", sha)
    assert folder.returncode == 2 and "Traceback" not in folder.stderr
    assert counts(p) == before[0]
    done = json.loads(ok("--db", p, "sync", "import", bundle, "--expect-sha256", sha.upper(),
                         "--json"))
    assert done[0]["status"] == "applied" and done[0]["sha256"] == sha
    assert counts(p)["people"] == counts(a)["people"]
    assert not list(tmp_path.glob("state/**/crash.log")) + list(tmp_path.glob("cache/**/crash.log"))
