"""Issue 17 (items 3, 4, 6, 7): a bundle is authenticated on its small, bounded manifest before
any entry is decompressed; every number and size of the manifest is typed and bounded; the
commit applies exactly the file that was previewed; a restore point is made only for a bundle
about to be applied."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from da8desktop.core.db.backup import backup_dir_for
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import container, keys as keymod
from da8desktop.core.sync.importer import import_file, import_paths
from tests.core.test_sync_attacks import (_raw_zip, assert_refused, forge, keys_of, plain_bundle,
                                          rezip, state)

pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name")


@pytest.fixture
def entry_reads(monkeypatch):
    """Names of the ZIP members decompressed (the manifest and its signature excepted)."""
    seen: list[str] = []
    original = container._read

    def counting(archive, info, limit, file, sha256=None):
        if info.filename not in (container.MANIFEST, container.SIGNATURE):
            seen.append(info.filename)
        return original(archive, info, limit, file, sha256)

    monkeypatch.setattr(container, "_read", counting)
    return seen


def _bomb_entries(entries):
    """The real entries, plus a 64 MiB zip bomb whose listed hash is wrong."""
    bomb = b"\n" * (64 << 20)
    return entries + [("attachment.ndjson", bomb)], {
        "path": "attachment.ndjson", "sha256": "0" * 64, "bytes": len(bomb), "records": 1}


def stranger_bundle(world, tmp_path: Path, name: str = "stranger.da8") -> Path:
    """A bundle from a laptop nobody registered, encrypted to the real province, with a zip
    bomb and a wrong hash inside."""
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    stranger = keymod.generate()
    manifest["source"]["sign_public"] = stranger.sign_public
    manifest.pop("enrolment", None)
    entries, listed = _bomb_entries(entries)
    manifest["entries"].append(listed)
    path = tmp_path / name
    import pyrage

    path.write_bytes(pyrage.encrypt(_raw_zip(manifest, entries, stranger),
                                    [keys_of(world.dbs["P"]).box.to_public()]))
    return path


# -- authentication before work -----------------------------------------------------------------
def test_an_unknown_sender_is_refused_before_any_entry_is_decompressed(world, tmp_path,
                                                                        entry_reads):
    path = stranger_bundle(world, tmp_path)
    assert_refused(world, "P", path, "unknown_sender")
    assert entry_reads == []  # neither the bomb nor the real entries were read


def test_a_revoked_sender_is_refused_before_any_entry_is_decompressed(world, entry_reads):
    from da8desktop.core.sync.enrol import peers, revoke

    path, _plain = plain_bundle(world, "A1", "P")
    a1_key = keys_of(world.dbs["A1"]).sign_public
    [peer] = [p for p in peers(world.dbs["P"]) if p.sign_public == a1_key]
    revoke(world.dbs["P"], peer.id)
    assert_refused(world, "P", path, "revoked")
    assert entry_reads == []


def test_a_forged_signature_is_refused_before_any_entry_is_decompressed(world, tmp_path,
                                                                         entry_reads):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    entries, listed = _bomb_entries(entries)
    manifest["entries"].append(listed)
    path = forge(world, "B1", "P", manifest, entries, tmp_path, raw_entries=True)  # claims A1
    assert_refused(world, "P", path, "signature")
    assert entry_reads == []


def test_an_authenticated_bomb_is_still_refused_while_read(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    entries, listed = _bomb_entries(entries)
    manifest["entries"].append(listed)
    path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=True)
    assert_refused(world, "P", path, "damaged")


def test_a_file_over_the_size_limit_is_refused_without_being_read(world, tmp_path, monkeypatch):
    huge = tmp_path / "huge.da8"
    with huge.open("wb") as handle:  # sparse: 2 GiB + 1 byte that take no room on the disk
        handle.truncate(container.MAX_FILE + 1)
    opened: list[object] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    assert_refused(world, "P", huge, "too_large")
    assert not [a for a in opened if str(a[0]) == str(huge)]


@pytest.mark.parametrize("delta, refused", [(0, False), (-1, True)])
def test_size_limit_of_the_file_just_under_and_over(world, monkeypatch, delta, refused):
    path, _plain = plain_bundle(world, "A1", "P")
    monkeypatch.setattr(container, "MAX_FILE", path.stat().st_size + delta)
    if refused:
        assert_refused(world, "P", path, "too_large")
    else:
        assert import_file(world.dbs["P"], path).status == "applied"


@pytest.mark.parametrize("limit", ["MAX_MANIFEST", "MAX_TOTAL"])
@pytest.mark.parametrize("delta, refused", [(0, False), (-1, True)])
def test_manifest_and_total_limits_just_under_and_over(world, monkeypatch, limit, delta, refused):
    path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    size = (len(container.codec.dumps(manifest).encode()) if limit == "MAX_MANIFEST"
            else sum(e["bytes"] for e in manifest["entries"]))
    monkeypatch.setattr(container, limit, size + delta)
    if refused:
        assert_refused(world, "P", path, "damaged")
    else:
        assert import_file(world.dbs["P"], path).status == "applied"


def test_too_many_members_are_refused_before_the_directory_is_read(world, monkeypatch):
    path, _plain = plain_bundle(world, "A1", "P")
    monkeypatch.setattr(container, "MAX_MEMBERS", 2)  # the manifest, its signature, no entry
    assert_refused(world, "P", path, "damaged")


# -- the first pass: the manifest from the file's start -----------------------------------------
class _ZeroTail:
    """A reader of `head` then `size` zero bytes, never held in memory whole."""

    def __init__(self, head: bytes, size: int) -> None:
        self.head, self.left = head, size

    def read(self, n: int = -1) -> bytes:
        n = 1 << 20 if n is None or n < 0 else n
        if self.head:
            out, self.head = self.head[:n], self.head[n:]
            return out
        out = bytes(min(n, self.left))
        self.left -= len(out)
        return out


def test_a_strangers_huge_bundle_is_refused_from_its_first_mebibytes(world, tmp_path,
                                                                     monkeypatch):
    """250 MB from a key nobody registered: only the start is decrypted, in memory; the full
    pass (and its temporary copy) never runs."""
    import io
    import zipfile

    import pyrage

    _path, plain = plain_bundle(world, "A1", "P")
    manifest, _entries = rezip(plain, lambda m, e: None)
    stranger = keymod.generate()
    manifest["source"]["sign_public"] = stranger.sign_public
    manifest.pop("enrolment", None)
    small = _raw_zip(manifest, [], stranger)
    head = small[:zipfile.ZipFile(io.BytesIO(small)).start_dir]  # the two local members
    size = 250 << 20
    path = tmp_path / "huge-stranger.da8"
    with path.open("wb") as out:
        pyrage.encrypt_io(_ZeroTail(head, size), out,
                          [keys_of(world.dbs["P"]).box.to_public()])
    assert path.stat().st_size > size
    full_passes: list[object] = []
    monkeypatch.setattr(container, "decrypt_whole",
                        lambda *a, **k: full_passes.append(a) or pytest.fail("full pass"))
    read = [0]
    real_read = container._CappedReader.read

    def counting(self, n=-1):
        data = real_read(self, n)
        read[0] += len(data)
        return data

    monkeypatch.setattr(container._CappedReader, "read", counting)
    assert_refused(world, "P", path, "unknown_sender")
    assert full_passes == []
    assert read[0] < container.HEAD_CAP + (8 << 20)  # the start only, never the 250 MB


def test_a_bundle_whose_first_member_is_not_the_manifest_is_refused(world, tmp_path,
                                                                     entry_reads):
    import io
    import zipfile

    import pyrage

    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    body = container.codec.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # a real A1 signature, entries first
        for name, data in entries:
            archive.writestr(name, data)
        archive.writestr("manifest.json", body)
        archive.writestr("manifest.sig", keys_of(world.dbs["A1"]).sign(body))
    path = tmp_path / "reordered.da8"
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [keys_of(world.dbs["P"]).box.to_public()]))
    before = state(world.dbs["P"])
    report = import_file(world.dbs["P"], path)
    assert (report.status, report.reason) == ("rejected", "damaged")
    assert "manifest is not the first file" in report.message
    assert state(world.dbs["P"]) == before
    assert entry_reads == []


def test_a_second_different_manifest_in_the_directory_is_refused(world, tmp_path):
    """The first pass authenticates the manifest at the start; the central directory points to
    another one, also signed: two manifests in one file is an attack, not a choice."""
    import io
    import zipfile

    import pyrage

    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, lambda m, e: None)
    other = dict(manifest, seq=manifest["seq"] + 1)
    a1 = keys_of(world.dbs["A1"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for doc in (manifest, None, other):
            if doc is None:
                for name, data in entries:
                    archive.writestr(name, data)
                continue
            body = container.codec.dumps(doc).encode()
            archive.writestr("manifest.json", body)
            archive.writestr("manifest.sig", a1.sign(body))
        del archive.filelist[:2]  # the directory lists only the second manifest
    path = tmp_path / "two-manifests.da8"
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [keys_of(world.dbs["P"]).box.to_public()]))
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as check:  # zipfile sees only the 2nd
        assert b'"seq":%d' % other["seq"] in check.read("manifest.json").replace(b" ", b"")
    before = state(world.dbs["P"])
    report = import_file(world.dbs["P"], path)
    assert (report.status, report.reason) == ("rejected", "damaged"), report.message
    assert "two different manifests" in report.message
    assert state(world.dbs["P"]) == before


# -- the manifest: typed and bounded ------------------------------------------------------------
SITE = "01900000-0000-7000-8000-000000000001"


def _set(path: str, value):
    def change(manifest, _entries):
        *parents, last = path.split(".")
        target = manifest
        for key in parents:
            target = target[key]
        if value is KeyError:
            del target[last]
        else:
            target[last] = value

    return change


@pytest.mark.parametrize("change", [
    _set("seq", 0), _set("seq", 2**53), _set("seq", 2**64), _set("seq", -1), _set("seq", True),
    _set("seq", 1.0), _set("seq", "2"),
    _set("knowledge", {SITE: 2**64}), _set("knowledge", {SITE: -1}), _set("knowledge", {SITE: True}),
    _set("knowledge", {"not-a-uuid": 1}),
    _set("ranges", {SITE: [5, 2]}), _set("ranges", {SITE: [0, 2**64]}), _set("ranges", {SITE: [0]}),
    _set("schema", "00x5"), _set("schema", "5"), _set("min_reader_schema", KeyError),
    _set("min_reader_schema", 5), _set("created_at", "yesterday"),
    _set("created_at", "1900-01-01T00:00:00"), _set("created_at", 1764000000),
    _set("created_at", "2026-11-23T13:02:11+07:00"),
    _set("bundle_id", "x"), _set("kind", "setup"), _set("app_version", "1" * 41),
    _set("source.label", "x" * 201), _set("source.province", "1"), _set("source.commune", "3325"),
    _set("source.sign_public", "A" * 64), _set("source.role", "admin"),
    _set("enrolment.box_public", "ssh-rsa AAAA"), _set("enrolment.code", 1234567890),
    _set("summaries", [{"bundle_id": SITE, "seq": 1, "imported_at": "2026-11-23T13:02:11",
                        "counts": {}, "rejected": []}] * 51),
    _set("summaries", [{"bundle_id": SITE, "seq": 1, "imported_at": "2026-11-23T13:02:11",
                        "counts": {"new": 2**64}, "rejected": []}]),
    _set("surprise", "an unknown field"), _set("entries", KeyError),
], ids=lambda c: "")
def test_out_of_range_manifests_signed_by_a_real_key_are_refused(world, tmp_path, change,
                                                                  entry_reads):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, change)
    path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=True)
    assert_refused(world, "P", path, "damaged")
    assert entry_reads == []


def test_a_bundle_from_a_newer_version_says_update_not_damaged(world, tmp_path):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, _set("min_reader_schema", "9999"))
    manifest["a_field_of_the_future"] = {"anything": 1}
    path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=True)
    assert_refused(world, "P", path, "schema_newer")


def test_the_largest_sequence_number_is_accepted(world, tmp_path, entry_reads):
    _path, plain = plain_bundle(world, "A1", "P")
    manifest, entries = rezip(plain, _set("seq", 2**53 - 1))
    path = forge(world, "A1", "P", manifest, entries, tmp_path, raw_entries=True)
    assert import_file(world.dbs["P"], path).status == "applied"
    assert "person.ndjson" in entry_reads  # the counter sees entries once a sender is known


def test_a_record_with_giant_numbers_is_rejected_not_crashed(world, tmp_path):
    import json

    _path, plain = plain_bundle(world, "A1", "P")

    def giant(manifest, entries):
        lines = [json.loads(line) for line in dict(entries)["person.ndjson"].splitlines()]
        site = next(iter(lines[0]["c"]))
        lines[0]["c"][site] = 2**64
        field = next(iter(lines[0]["s"]))
        lines[0]["s"][field][1] = 2**64
        data = "".join(json.dumps(line) + "\n" for line in lines).encode()
        return manifest, [(n, data if n == "person.ndjson" else d) for n, d in entries]

    manifest, entries = rezip(plain, giant)
    path = forge(world, "A1", "P", manifest, entries, tmp_path)
    report = import_file(world.dbs["P"], path)
    assert report.status == "applied" and report.counts["rejected"] == 1
    [rejected] = [o for o in report.outcomes if o.action == "rejected"]
    assert "stamp" in rejected.reason


def test_the_writer_checks_its_manifest_with_the_readers_model(world, monkeypatch):
    from pydantic import ValidationError

    from da8desktop.core.sync import export

    monkeypatch.setattr(export, "party_label", lambda *a: "x" * 300)
    out = world.folder / "bad-writer"
    with pytest.raises(ValidationError):
        export.export_bundles(world.dbs["A1"], out)
    assert not list(out.glob("*.da8"))


# -- the preview is the commit, restore points --------------------------------------------------
def test_a_file_changed_since_its_preview_is_refused(world, tmp_path):
    path, _plain = plain_bundle(world, "A1", "P")
    preview = import_file(world.dbs["P"], path, dry_run=True)
    assert preview.status == "dry_run"
    assert preview.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    PeopleService(world.dbs["A1"]).create(full_name="Lò Văn Páo", sex="M", birth_year=1985)
    [other] = world.send("A1", "P", full=True)  # a valid bundle, but not the one previewed
    shutil.copyfile(other, path)
    before = state(world.dbs["P"])
    report = import_file(world.dbs["P"], path, expect_sha256=preview.sha256)
    assert report.status == "rejected" and report.reason == "changed", report
    assert "preview" in report.message
    assert state(world.dbs["P"]) == before
    fresh = import_file(world.dbs["P"], path, dry_run=True)
    assert import_file(world.dbs["P"], path, expect_sha256=fresh.sha256).status == "applied"


@pytest.mark.sqlite_only  # restore points are copies of a SQLite file
def test_no_restore_point_for_refused_duplicate_or_previewed_files(world, tmp_path):
    province = world.dbs["P"]
    backups = backup_dir_for(province.file)
    made = lambda: sorted(p for p in backups.glob("*before-sync-import*")  # noqa: E731
                          if not p.name.endswith(".about")) if backups.exists() else []
    stranger = stranger_bundle(world, tmp_path)
    good, _plain = plain_bundle(world, "A1", "P")
    assert [r.status for r in import_paths(province, [stranger, good], dry_run=True)] == \
        ["rejected", "dry_run"]
    assert [r.reason for r in import_paths(province, [stranger])] == ["unknown_sender"]
    assert made() == []
    assert [r.status for r in import_paths(province, [stranger, good])] == ["rejected", "applied"]
    assert len(made()) == 1
    assert [r.status for r in import_paths(province, [good])] == ["duplicate"]
    assert len(made()) == 1


def test_the_temporary_copy_is_removed_after_a_refusal(world, tmp_path, monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert_refused(world, "P", stranger_bundle(world, tmp_path), "unknown_sender")
    good, _plain = plain_bundle(world, "A1", "P")
    assert import_file(world.dbs["P"], good).status == "applied"
    assert list((tmp_path / "tmp").iterdir()) == []


def test_exported_lines_match_the_declared_line_shape_and_its_bounds(world):
    from pydantic import ValidationError

    from da8desktop.core.sync import codec
    from da8desktop.core.sync.manifest import MAX_SEQ, Line

    _path, plain = plain_bundle(world, "A1", "P")
    _manifest, entries = rezip(plain, lambda m, e: None)
    lines = [line for name, data in entries if name.endswith(".ndjson") and name != "catalogue.ndjson"
             for line in data.splitlines()]
    assert lines
    for line in lines:
        Line.model_validate_json(line)
    for seq in (MAX_SEQ + 1, -1, True):  # the declared shape and codec agree on the bounds
        stamp = [SITE, seq, 0]
        with pytest.raises(ValidationError):
            Line.model_validate_json(codec.dumps({"id": SITE, "v": {}, "s": {"x": stamp}, "c": {}}))
        with pytest.raises(codec.BadRecord):
            codec._stamp(stamp)
    assert codec._stamp([SITE, MAX_SEQ, 2**63 - 1])[1] == MAX_SEQ


def test_one_strange_stamp_among_equal_ones_refuses_the_record(world):
    """Most rows have every field stamped by one write, checked at once (codec._stamps): a
    single field's stamp written as true, 1.0 or with a fourth number is still refused, as
    when the stamps differ."""
    from da8desktop.core.sync import codec
    from da8desktop.core.sync.partition import MODELS_BY_TABLE

    _path, plain = plain_bundle(world, "A1", "P")
    _manifest, entries = rezip(plain, lambda m, e: None)
    data = dict(entries)["person.ndjson"]
    record = codec.loads(data.splitlines()[0])
    model = MODELS_BY_TABLE["person"]
    stamps = record["s"]
    assert len({codec.dumps(s) for s in stamps.values()}) == 1  # one write stamped every field
    row_id, _values, decoded, _context = codec.decode_row(model, record)
    assert len(set(decoded.values())) == 1
    site, seq, hlc = next(iter(stamps.values()))
    field = sorted(stamps)[-1]
    for strange in ([site, float(seq), hlc], [site, seq, float(hlc)], [site, seq, hlc, 0],
                    [site, seq], (site, seq, hlc)):
        changed = {**record, "s": {**stamps, field: strange}}
        with pytest.raises(codec.BadRecord, match="malformed stamp"):
            codec.decode_row(model, changed)
    ones = {**record, "s": {f: [site, 1, hlc] for f in stamps}}
    assert codec.decode_row(model, ones)[2][field] == (site, 1, hlc)
    with pytest.raises(codec.BadRecord, match="malformed stamp"):
        codec.decode_row(model, {**ones, "s": {**ones["s"], field: [site, True, hlc]}})
    assert row_id == codec.decode_row(model, record)[0]
