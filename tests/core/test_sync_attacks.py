"""Integrity, authenticity, addressing, clocks, crashes and privacy (sync.md §6): every bad file
is refused before any write, with a clear message, and the database is left as it was."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pyrage
import pytest
from sqlalchemy import event

from da8desktop.core.db.models import Installation
from da8desktop.core.hlc import pack
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import codec, container
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.keys import unwrap
from tests.core.sync_world import COMMUNE_A, dump


def keys_of(db):
    with db.read() as session:
        return unwrap(session.get(Installation, 1).keys_wrapped)


def state(db):
    """Everything a rejected import must leave alone, bookkeeping included."""
    from sqlalchemy import inspect

    with db.engine.connect() as c:
        tables = sorted(inspect(c).get_table_names())  # every table, on any backend
        return {t: c.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                for t in tables if t != "audit_log"}


def plain_bundle(world, source: str, target: str) -> tuple[Path, bytes]:
    PeopleService(world.dbs[source]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
    [path] = world.send(source, target)
    return path, pyrage.decrypt(path.read_bytes(), [keys_of(world.dbs[target]).box])


def rezip(plain: bytes, change) -> tuple[dict, list[tuple[str, bytes]]]:
    archive = zipfile.ZipFile(io.BytesIO(plain))
    manifest = json.loads(archive.read("manifest.json"))
    entries = [(n, archive.read(n)) for n in archive.namelist() if not n.startswith("manifest")]
    return change(manifest, entries) or (manifest, entries)


def forge(world, signer: str, target: str, manifest: dict, entries: list[tuple[str, bytes]],
          tmp_path: Path, name: str = "forged.da8", raw_entries: bool = False) -> Path:
    """A bundle signed with `signer`'s real key and encrypted to `target`."""
    keys = keys_of(world.dbs[signer])
    if raw_entries:
        data = _raw_zip(manifest, entries, keys)
    else:
        manifest = {k: v for k, v in manifest.items() if k not in ("entries",)}
        data = container.build_zip(manifest, [container.Entry(n, d, len(d.splitlines()))
                                              for n, d in entries], keys)
    box = keys_of(world.dbs[target]).box.to_public()
    path = tmp_path / name
    path.write_bytes(pyrage.encrypt(data, [box]))
    return path


def _raw_zip(manifest, entries, keys) -> bytes:
    body = codec.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", body)
        archive.writestr("manifest.sig", keys.sign(body))
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def assert_refused(world, target: str, path: Path, reason: str | None = None) -> None:
    before = state(world.dbs[target])
    report = import_file(world.dbs[target], path)
    assert report.status == "rejected", report
    assert report.message and "Traceback" not in report.message
    if reason:
        assert report.reason == reason, report.message
    assert state(world.dbs[target]) == before


# -- integrity ----------------------------------------------------------------------------------
def test_truncated_and_bit_flipped_files_are_refused(world, tmp_path):
    path, _plain = plain_bundle(world, "A1", "P")
    data = path.read_bytes()
    rng = random.Random(8)
    cuts = sorted({len(data) - 1, len(data) // 2, 200, 40} | {rng.randrange(1, len(data)) for _ in range(4)})
    for cut in cuts:
        broken = tmp_path / f"cut{cut}.da8"
        broken.write_bytes(data[:cut])
        assert_refused(world, "P", broken, "damaged")
    for offset in [rng.randrange(len(data)) for _ in range(6)]:
        flipped = bytearray(data)
        flipped[offset] ^= 1 << rng.randrange(8)
        broken = tmp_path / f"flip{offset}.da8"
        broken.write_bytes(bytes(flipped))
        report = import_file(world.dbs["P"], broken)
        assert report.status == "rejected"  # header bits may read as "not addressed": still refused
    assert import_file(world.dbs["P"], path).status == "applied"  # the good file still works


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize("attack", [
    "dotdot", "absolute", "drive", "duplicate", "unlisted", "symlink", "lying_size",
    "count", "invalid_utf8", "nan", "duplicate_key", "deep", "long_line", "swapped_entry", "bomb",
])
def test_hostile_archives_signed_by_a_real_key_are_refused(world, tmp_path, attack):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    person = dict(entries)["person.ndjson"]
    raw = False
    if attack in ("dotdot", "absolute", "drive", "duplicate", "unlisted", "symlink", "lying_size",
                  "bomb"):
        raw = True
        name = {"dotdot": "../person.ndjson", "absolute": "/etc/person.ndjson",
                "drive": "C:/person.ndjson"}.get(attack, "person.ndjson")
        if attack in ("dotdot", "absolute", "drive"):
            entries = [(name, person)]
        elif attack == "duplicate":
            entries = entries + [("person.ndjson", person)]
        elif attack == "unlisted":
            entries = entries + [("extra.ndjson", b"{}\n")]
        elif attack == "lying_size":
            for entry in manifest["entries"]:
                entry["bytes"] = 10
        elif attack == "bomb":
            bomb = b"\n" * (200 << 20)
            entries = [("person.ndjson", bomb)]
            for entry in manifest["entries"]:
                if entry["path"] == "person.ndjson":
                    entry["bytes"], entry["sha256"] = len(bomb), "0" * 64
    else:
        bad = {
            "count": person + person.splitlines(keepends=True)[0],
            "invalid_utf8": person + b"\xff\xfe\n",
            "nan": person + b'{"id": NaN}\n',
            "duplicate_key": person + b'{"id": "x", "id": "y"}\n',
            "deep": person + b"[" * 100000 + b"]" * 100000 + b"\n",
            "long_line": person + b'"' + b"a" * (codec.MAX_LINE + 10) + b'"\n',
            "swapped_entry": person,
        }[attack]
        entries = [(n, bad if n == "person.ndjson" else d) for n, d in entries]
        if attack == "count":  # the data says one thing, the manifest another
            raw = True
            manifest["entries"] = [dict(e, sha256=__import__("hashlib").sha256(bad).hexdigest(),
                                        bytes=len(bad)) if e["path"] == "person.ndjson" else e
                                   for e in manifest["entries"]]
        if attack == "swapped_entry":  # a valid entry of another bundle, old manifest kept
            raw = True
            other = b'{"c":{},"id":"01900000-0000-7000-8000-000000000000","s":{},"v":{}}\n'
            entries = [(n, other if n == "person.ndjson" else d) for n, d in entries]
    if attack == "symlink":
        path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=True)
        plain2 = pyrage.decrypt(path.read_bytes(), [keys_of(world.dbs["P"]).box])
        archive = zipfile.ZipFile(io.BytesIO(plain2))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for info in archive.infolist():
                if info.filename == "person.ndjson":
                    info.external_attr = 0o120777 << 16
                out.writestr(info, archive.read(info.filename))
        path.write_bytes(pyrage.encrypt(buffer.getvalue(), [keys_of(world.dbs["P"]).box.to_public()]))
    else:
        path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=raw)
    assert_refused(world, "P", path, "damaged")


# -- authenticity and addressing ----------------------------------------------------------------
def test_unknown_signer_is_refused(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    stranger = __import__("da8desktop.core.sync.keys", fromlist=["generate"]).generate()
    manifest["source"]["sign_public"] = stranger.sign_public
    used_code = manifest.pop("enrolment")  # with the (already used) code: refused as well
    data = container.build_zip({k: v for k, v in manifest.items() if k != "entries"},
                               [container.Entry(n, d, len(d.splitlines())) for n, d in entries],
                               stranger)
    path = tmp_path / "stranger.da8"
    path.write_bytes(pyrage.encrypt(data, [keys_of(world.dbs["P"]).box.to_public()]))
    assert_refused(world, "P", path, "unknown_sender")
    manifest["enrolment"] = used_code
    data = container.build_zip({k: v for k, v in manifest.items() if k != "entries"},
                               [container.Entry(n, d, len(d.splitlines())) for n, d in entries],
                               stranger)
    path.write_bytes(pyrage.encrypt(data, [keys_of(world.dbs["P"]).box.to_public()]))
    assert_refused(world, "P", path, "enrolment_code")


def test_a_commune_claiming_to_be_another_is_refused(world, tmp_path):
    _path, plain = plain_bundle(world, "B1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    manifest["source"]["commune"] = COMMUNE_A  # B1 signs, but says it is Mường Phăng
    assert_refused(world, "P", forge(world, "B1", "P", manifest, entries, tmp_path), "impostor")


def test_a_signature_by_another_enrolled_key_is_refused(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)  # claims A1, signed by B1
    assert_refused(world, "P", forge(world, "B1", "P", manifest, entries, tmp_path), "signature")


def test_a_commune_bundle_with_another_communes_rows_is_refused(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")

    def move(manifest, entries):
        data = dict(entries)["person.ndjson"].replace(b"2025:commune:03325", b"2025:commune:03158")
        return manifest, [(n, data if n == "person.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, move)
    assert_refused(world, "P", forge(world, "A1", "P", manifest, entries, tmp_path), "partition")


def test_a_commune_bundle_touching_targets_is_refused(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    entries.append(("target.ndjson", b""))
    assert_refused(world, "P", forge(world, "A1", "P", manifest, entries, tmp_path), "ownership")


def test_wrong_computer_and_reencrypted_bundles_are_refused(world, tmp_path):
    path, plain = plain_bundle(world, "A1", "P")
    assert_refused(world, "B1", path, "not_addressed")  # cannot even be decrypted there
    for_a1 = world.send("P", "A1")[0]
    plain_a1 = pyrage.decrypt(for_a1.read_bytes(), [keys_of(world.dbs["A1"]).box])
    stolen = tmp_path / for_a1.name  # someone with A1's key re-encrypts it to B1
    stolen.write_bytes(pyrage.encrypt(plain_a1, [keys_of(world.dbs["B1"]).box.to_public()]))
    report = import_file(world.dbs["B1"], stolen)
    assert report.status == "rejected" and report.reason == "not_addressed"
    assert "Xã Mường Phăng" in report.message


def test_a_revoked_laptop_is_refused(world):
    from da8desktop.core.sync.enrol import peers, revoke

    path, _plain = plain_bundle(world, "A1", "P")
    a1_key = keys_of(world.dbs["A1"]).sign_public
    [peer] = [p for p in peers(world.dbs["P"]) if p.sign_public == a1_key]
    revoke(world.dbs["P"], peer.id)
    assert_refused(world, "P", path, "revoked")


def test_wrong_or_reused_enrolment_code_is_refused(world, tmp_path, template_file):
    import shutil

    from da8desktop.core.db.database import Database
    from da8desktop.core.sync.enrol import commune_init, enroll, own_fingerprint
    from da8desktop.core.sync.export import ENROLMENT_CODE_KEY, export_bundles
    from da8desktop.core.db.models import Setting

    setup = enroll(world.dbs["P"], COMMUNE_A, tmp_path / "setup")
    shutil.copyfile(template_file, tmp_path / "new.sqlite")
    laptop = Database.open(tmp_path / "new.sqlite")
    commune_init(laptop, setup.path, own_fingerprint(world.dbs["P"]))
    with laptop.write() as uow:
        uow.session.get(Setting, ENROLMENT_CODE_KEY).value = "0000000000"
    [bad] = export_bundles(laptop, tmp_path / "bad")
    assert_refused(world, "P", bad.path, "enrolment_code")
    with laptop.write() as uow:
        uow.session.get(Setting, ENROLMENT_CODE_KEY).value = setup.code
    [good] = export_bundles(laptop, tmp_path / "good")
    assert import_file(world.dbs["P"], good.path).enrolled_fingerprint
    laptop.close()


# -- schema and clocks --------------------------------------------------------------------------
def test_a_bundle_from_a_newer_version_asks_to_update_first(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    manifest["schema"] = manifest["min_reader_schema"] = "9999"
    path = forge(world, "A1", "P", manifest, entries, tmp_path)
    assert_refused(world, "P", path, "schema_newer")
    assert path.exists()  # the file is kept


def test_a_clock_in_2035_is_quarantined_and_1990_keeps_order(world, tmp_path):
    import datetime as dt

    _path, plain = plain_bundle(world, "A1", "P")
    future = pack(int(dt.datetime(2035, 1, 1).timestamp() * 1000), 0)

    def to_2035(manifest, entries):
        lines = [json.loads(x) for x in dict(entries)["person.ndjson"].splitlines()]
        for line in lines:
            line["s"] = {f: [s[0], s[1], future] for f, s in line["s"].items()}
        data = "".join(codec.dumps(x) + "\n" for x in lines).encode()
        return manifest, [(n, data if n == "person.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, to_2035)
    report = import_file(world.dbs["P"], forge(world, "A1", "P", manifest, entries, tmp_path))
    assert report.status == "applied" and report.counts["rejected"] == 1
    assert "clock" in report.records[0]["reason"]
    with world.dbs["P"].read() as session:
        assert session.get(Installation, 1).hlc < future  # the clock was not poisoned


def test_a_failure_after_the_clock_moved_rolls_everything_back(world, monkeypatch):
    path, _plain = plain_bundle(world, "A1", "P")
    p = world.dbs["P"]
    before = state(p)
    from da8desktop.core.sync import importer

    def boom(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer, "_store_file", boom)
    monkeypatch.setattr(importer.SyncBundle, "__init__", lambda *a, **k: boom())
    with pytest.raises(OSError):
        import_file(p, path)
    assert state(p) == before  # HLC, data, receipts: all rolled back


# -- crashes and privacy ------------------------------------------------------------------------
def test_a_crash_after_any_statement_leaves_nothing_or_everything(world):
    path, _plain = plain_bundle(world, "A1", "P")
    p = world.dbs["P"]
    before = state(p)
    count = {"n": 0}

    def counter(*_args):
        count["n"] += 1

    event.listen(p.engine, "before_cursor_execute", counter)
    dry = import_file(p, path, dry_run=True)
    event.remove(p.engine, "before_cursor_execute", counter)
    total = count["n"]
    assert dry.status == "dry_run" and total > 20
    for stop in sorted({1, 2, 5, total // 3, total // 2, total - 3, total - 1}):
        seen = {"n": 0}

        def crash(*_args, stop=stop, seen=seen):
            seen["n"] += 1
            if seen["n"] == stop:
                raise KeyboardInterrupt("power cut")

        event.listen(p.engine, "before_cursor_execute", crash)
        try:
            import_file(p, path)
        except KeyboardInterrupt:
            pass
        finally:
            event.remove(p.engine, "before_cursor_execute", crash)
        assert state(p) == before, stop
    assert import_file(p, path).status == "applied"


def test_export_killed_mid_write_leaves_no_final_file(world, tmp_path, monkeypatch):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)

    def pulled_out(*_args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(container.os, "replace", pulled_out)
    from da8desktop.core.sync.export import export_bundles

    from da8desktop.core.disk_errors import MediaGone

    with pytest.raises(MediaGone):  # said plainly (issue 18, item 7), and nothing left behind
        export_bundles(world.dbs["A1"], tmp_path / "stick")
    assert list((tmp_path / "stick").iterdir()) == []


def test_no_personal_data_on_the_stick_and_no_other_commune_in_a_bundle(world, tmp_path):
    canary_a, canary_b = "Canary Xyzzyquux", "Canary Plughfrob"
    PeopleService(world.dbs["A1"]).create(full_name=canary_a, sex="F", birth_year=1990,
                                         phone="0987654321")
    PeopleService(world.dbs["B1"]).create(full_name=canary_b, sex="F", birth_year=1990)
    stick = tmp_path / "stick"
    world.round()
    world.round()
    for name in ("A1", "B1", "P"):
        from da8desktop.core.sync.export import export_bundles

        export_bundles(world.dbs[name], stick, full=True)
    files = list(stick.iterdir())
    assert files
    for file in files:
        data = file.read_bytes()
        for needle in ("Xyzzyquux", "Plughfrob", "0987654321", "Xyzzy", "Plugh"):
            assert needle.encode() not in data and needle.encode("utf-16-le") not in data
        assert "-to-" in file.name and "Canary" not in file.name
    # Decrypted with A1's own key, the province's bundle for A1 holds no Sín Thầu row.
    for file in files:
        if "-to-xa03325-" in file.name:
            try:
                plain = pyrage.decrypt(file.read_bytes(), [keys_of(world.dbs["A1"]).box])
            except pyrage.DecryptError:
                continue  # for the other laptop of the commune
            archive = zipfile.ZipFile(io.BytesIO(plain))
            text = b"".join(archive.read(n) for n in archive.namelist())
            assert b"Plughfrob" not in text and b"03158" not in text
    assert dump(world.dbs["A1"], "03158")["person"] == []


def test_one_bad_record_is_skipped_and_reported_the_rest_applies(world, tmp_path):
    for n in range(3):
        PeopleService(world.dbs["A1"]).create(full_name=f"Lò Thị {n}", sex="F", birth_year=1990)
    [path] = world.send("A1", "P")
    plain = pyrage.decrypt(path.read_bytes(), [keys_of(world.dbs["P"]).box])

    def break_one(manifest, entries):
        lines = [json.loads(x) for x in dict(entries)["person.ndjson"].splitlines()]
        lines[1]["v"]["grade"] = 13  # a CHECK of the table, found only when written
        data = "".join(codec.dumps(x) + "\n" for x in lines).encode()
        return manifest, [(n, data if n == "person.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, break_one)
    report = import_file(world.dbs["P"], forge(world, "A1", "P", manifest, entries, tmp_path))
    assert report.status == "applied"
    assert report.counts["rejected"] == 1 and report.counts["new"] == 2
    [bad] = [r for r in report.records if r["action"] == "rejected"]
    assert "rule of the data" in bad["reason"]


def test_a_missing_file_a_setup_file_and_a_bundle_as_setup_are_told_apart(world, tmp_path):
    from da8desktop.core.db.database import Database
    from da8desktop.core.sync.container import BundleRejected
    from da8desktop.core.sync.enrol import commune_init, enroll

    gone = import_file(world.dbs["P"], tmp_path / "rut-usb-giua-chung.da8")
    assert gone.status == "rejected" and gone.reason == "unreadable"
    setup = enroll(world.dbs["P"], COMMUNE_A, tmp_path / "setup")
    assert_refused(world, "A1", setup.path, "setup_file")
    path, _plain = plain_bundle(world, "A1", "P")
    fresh = Database.open(tmp_path / "fresh.sqlite")
    with pytest.raises(BundleRejected) as refused:
        commune_init(fresh, path, "")
    assert refused.value.reason == "not_setup" and ".da8setup" in refused.value.message()
    fresh.close()


def test_a_bundle_or_a_huge_file_given_as_the_centres_setup_file_speaks_of_the_centre(
        world, tmp_path):
    """The province reads the centre's setup file with the same reader as a commune reads its
    province's: the refusal names the centre and this province, not a commune."""
    from da8desktop.core.sync.central_file import read_central_setup
    from da8desktop.core.sync.container import BundleRejected
    from da8desktop.core.sync.setup_file import MAX_SETUP_FILE

    path, _plain = plain_bundle(world, "A1", "P")
    huge = tmp_path / "huge.da8setup"
    with huge.open("wb") as handle:
        handle.truncate(MAX_SETUP_FILE + 1)
    for given in (path, huge):
        with pytest.raises(BundleRejected) as refused:
            read_central_setup(given)
        said = refused.value.message()
        assert refused.value.reason == "not_setup"
        assert "centre" in said and "province" in said and "commune" not in said, said


def test_a_hostile_ethnic_split_of_counts_is_rejected_and_the_report_still_adds_up(world, tmp_path):
    import datetime as dt

    from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
    from da8desktop.core.services.activities import ActivitiesService

    for n in range(4):
        ActivitiesService(world.dbs["A1"]).create(
            kind="policy_dialogue", title=f"Đối thoại {n}", date_start=dt.date(2026, 8, 1 + n),
            count_total=10, count_by_ethnic={"ethnic:2008:03": 4})
    [path] = world.send("A1", "P")
    plain = pyrage.decrypt(path.read_bytes(), [keys_of(world.dbs["P"]).box])

    def break_three(manifest, entries):
        lines = [json.loads(x) for x in dict(entries)["activity.ndjson"].splitlines()]
        for line, bad in zip(lines, (["ethnic:2008:03"], {"ethnic:2008:03": 11},
                                     {"ethnic:2008:03": -1})):
            line["v"]["count_by_ethnic"] = bad
        data = "".join(codec.dumps(x) + "\n" for x in lines).encode()
        return manifest, [(n, data if n == "activity.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, break_three)
    report = import_file(world.dbs["P"], forge(world, "A1", "P", manifest, entries, tmp_path))
    assert report.status == "applied" and report.counts["rejected"] == 3, report.counts
    [row] = [r for r in compute_periodic(world.dbs["P"], ReportSpan.choose(2026, 3)).rows
             if r.activity_group == "3.1"]
    assert (row.sessions, row.participants, row.by_ethnic) == (1, 10, {"Thái": 4, "Không rõ": 6})
