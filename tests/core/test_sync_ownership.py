"""Issue #17, items 1 and 2: a bundle validly signed by an enrolled commune laptop cannot make
the province read a file outside its attachments folder, nor rewrite, move, delete, erase or
receive another commune's rows. Attacks are built as in test_sync_attacks: A1's real key signs
lines taken from what the province holds of commune B, changed and stamped to win the merge."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from sqlalchemy import inspect, select

from da8desktop.core.db.models import (
    Activity, Attachment, Attendance, Group, GroupSupport, Installation, Membership, Person)
from da8desktop.core.hlc import pack, wall_millis
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.attachments import (
    UnsafeAttachment, add_attachment, list_attachments, stored_path)
from da8desktop.core.services.groups import GroupsService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync import codec, container
from da8desktop.core.sync.export import export_bundles, row_lines
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.state import Sites
from tests.core.sync_world import COMMUNE_A, COMMUNE_B
from tests.core.test_sync_attacks import keys_of

KEY_A, KEY_B = f"2025:commune:{COMMUNE_A}", f"2025:commune:{COMMUNE_B}"
TABLE_OF = {m.__tablename__: m for m in (Person, Group, Membership, Activity, Attendance,
                                         GroupSupport, Attachment)}


def snapshot(db) -> dict[str, list[Any]]:
    """Every table's rows, in a stable order (the audit log included)."""
    with db.engine.connect() as c:
        tables = sorted(inspect(c).get_table_names())
        return {t: c.exec_driver_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}


# -- building the world and the attacks ---------------------------------------------------------
def commune_data(db, village_name: str, tmp_path: Path) -> dict[str, Any]:
    """A person, a group she belongs to, a meeting she attended and a scan of the group."""
    person = PeopleService(db).create(full_name=f"Lò Thị {village_name}", sex="F",
                                      birth_year=1990, phone="0912345678").id
    group = GroupsService(db).create(type_key="group_type:SINHKE", name=f"Tổ {village_name}").id
    member = MembershipsService(db).create(group_id=group, person_id=person,
                                           role_key="role:THANH_VIEN").id
    meeting = ActivitiesService(db).record_meeting(group, dt.date(2026, 3, 1), "Họp tổ",
                                                   present=[person]).id
    scan = tmp_path / f"scan-{village_name}.jpg"
    scan.write_bytes(f"scan of {village_name}".encode() * 50)
    attachment = add_attachment(db, "community_group", group, scan).id
    with db.write() as uow:
        support = GroupSupport(group_id=group, item="Máy khâu")
        uow.add(support, audit="Máy khâu")
        support_id = support.id
    return {"person": person, "community_group": group, "membership": member,
            "activity": meeting, "attendance": Attendance.make_id(meeting, person),
            "attachment": attachment, "group_support": support_id,
            "sha": hashlib.sha256(scan.read_bytes()).hexdigest()}


@pytest.fixture
def both(world, tmp_path):
    """Both communes' data at the province (and each at home)."""
    a = commune_data(world.dbs["A1"], "Nà Nhạn", tmp_path)
    b = commune_data(world.dbs["B1"], "Sín Thầu", tmp_path)
    world.round()
    return a, b


def stored_line(db, table: str, row_id) -> dict[str, Any]:
    """The line the province itself would send for one of its rows."""
    model = TABLE_OF[table]
    with db.read() as session:
        [line] = row_lines(session, Sites(session), model, model.id == row_id, None)
    return line


def site_of(db) -> str:
    with db.read() as session:
        return str(session.get(Installation, 1).site_id)


def winning(line: dict[str, Any], site: str, **changes: Any) -> dict[str, Any]:
    """`line` changed and stamped by `site` as having seen everything: it would win the merge
    of every field unless refused."""
    line = copy.deepcopy(line)
    line["v"].update({k: codec.encode_value(v) for k, v in changes.items()})
    seq, hlc = 1_000_000, pack(wall_millis(), 0)
    line["s"] = {f: [site, seq, hlc] for f in line["v"]}
    line["c"] = dict(line["c"], **{site: seq})
    return line


def new_line(world, table: str, row_id, **values: Any) -> dict[str, Any]:
    """A new row born at A1 (stamps of A1): a copy of one of A's rows at the province with a
    new id and `values` changed."""
    model = TABLE_OF[table]
    with world.dbs["P"].read() as session:
        query = select(model.id)
        if not hasattr(model, "commune_key"):
            query = query.join(*_to_commune(model))
        template = session.scalars(query.where(_commune_col(model) == KEY_A).limit(1)).first()
    line = stored_line(world.dbs["P"], table, template)
    site = site_of(world.dbs["A1"])
    line["id"] = str(row_id)
    line["v"].update({k: codec.encode_value(v) for k, v in values.items()})
    line["s"] = {f: [site, 900_000, pack(wall_millis(), 0)] for f in line["v"]}
    line["c"] = {site: 900_000}
    return line


def _to_commune(model) -> tuple:
    if hasattr(model, "commune_key"):
        return ()
    if model is Attachment:
        return (Group, Group.id == Attachment.owner_id)
    if model is Attendance:
        return (Activity, Activity.id == Attendance.activity_id)
    return (Group, Group.id == model.group_id)


def _commune_col(model):
    if hasattr(model, "commune_key"):
        return model.commune_key
    return Activity.commune_key if model is Attendance else Group.commune_key


def a1_bundle(world, tmp_path: Path, lines: dict[str, list[dict[str, Any]]],
              name: str = "hostile.da8", files: dict[str, bytes] | None = None) -> Path:
    """A bundle to the province signed by A1's real key, holding exactly `lines`."""
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Mai", sex="F", birth_year=1991)
    [genuine] = world.send("A1", "P")
    plain = pyrage.decrypt(genuine.read_bytes(), [keys_of(world.dbs["P"]).box])
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(plain)).read("manifest.json"))
    manifest.pop("entries", None)
    entries = [container.Entry(f"{table}.ndjson",
                               "".join(codec.dumps(x) + "\n" for x in rows).encode(), len(rows))
               for table, rows in lines.items()]
    entries += [container.Entry(f"files/{sha}", data, 1) for sha, data in (files or {}).items()]
    data = container.build_zip(manifest, entries, keys_of(world.dbs["A1"]))
    path = tmp_path / name
    path.write_bytes(pyrage.encrypt(data, [keys_of(world.dbs["P"]).box.to_public()]))
    return path


def refused_whole(world, path: Path) -> str:
    before = snapshot(world.dbs["P"])
    for dry_run in (True, False):
        report = import_file(world.dbs["P"], path, dry_run=dry_run)
        assert report.status == "rejected" and report.reason == "partition", report
        assert not report.outcomes and "Traceback" not in report.message
    assert snapshot(world.dbs["P"]) == before
    return report.message


def names_in_bundle_for(world, name: str, tmp_path: Path) -> tuple[bytes, set[str]]:
    """Every byte and every entry name of the province's full bundle for laptop `name`."""
    out = tmp_path / f"to-{name}"
    [path] = [b.path for b in export_bundles(world.dbs["P"], out, full=True)
              if f"-{sign_tag(world.dbs[name])}-" in b.path.name]
    archive = zipfile.ZipFile(io.BytesIO(pyrage.decrypt(path.read_bytes(),
                                                        [keys_of(world.dbs[name]).box])))
    return b"".join(archive.read(n) for n in archive.namelist()), set(archive.namelist())


def sign_tag(db) -> str:
    return keys_of(db).sign_public[:4]


# -- item 2: another commune's rows ---------------------------------------------------------------
def test_rewriting_moving_erasing_or_deleting_another_communes_rows_is_refused(
        world, both, tmp_path):
    a, b = both
    p, a1 = world.dbs["P"], site_of(world.dbs["A1"])
    person_b = stored_line(p, "person", b["person"])
    group_b = stored_line(p, "community_group", b["community_group"])
    attacks = {
        "rewrite": {"person": [winning(person_b, a1, full_name="Kẻ Mạo Danh",
                                       phone="0999999999")]},
        "move_to_a": {"community_group": [winning(group_b, a1, commune_key=KEY_A)]},
        "move_person_to_a": {"person": [winning(person_b, a1, commune_key=KEY_A)]},
        "erase": {"person": [winning(person_b, a1, redacted=True)]},
        "delete_membership": {"membership": [winning(stored_line(p, "membership", b["membership"]),
                                                     a1, deleted=True)]},
        "delete_attachment": {"attachment": [winning(stored_line(p, "attachment", b["attachment"]),
                                                     a1, deleted=True)]},
        # A's own membership moved under B's group: its commune link changes.
        "reparent_own_child": {"membership": [winning(stored_line(p, "membership", a["membership"]),
                                                      a1, group_id=b["community_group"])]},
        "reparent_own_attendance": {"attendance": [winning(stored_line(
            p, "attendance", a["attendance"]), a1, activity_id=b["activity"])]},
        "reparent_own_attachment": {"attachment": [winning(stored_line(
            p, "attachment", a["attachment"]), a1, owner_id=b["community_group"])]},
        # A's own attachment moved under one of A's activities: its parent changes all the same.
        "own_attachment_to_own_activity": {"attachment": [winning(stored_line(
            p, "attachment", a["attachment"]), a1, owner_table="activity",
            owner_id=a["activity"])]},
    }
    for attack, lines in attacks.items():
        message = refused_whole(world, a1_bundle(world, tmp_path, lines, f"{attack}.da8"))
        assert "Kẻ Mạo Danh" not in message and "Sín Thầu" not in message, attack
    with p.read() as session:
        stored = session.get(Person, b["person"])
        assert stored.commune_key == KEY_B and stored.full_name == "Lò Thị Sín Thầu"
        assert not stored.redacted and stored.phone == "0912345678"


def test_new_rows_hung_on_another_communes_rows_are_refused(world, both, tmp_path):
    a, b = both
    attacks = {
        "member_of_b_group": {"membership": [new_line(
            world, "membership", _id(1), group_id=b["community_group"], person_id=a["person"],
            role_key="role:THANH_VIEN")]},
        "b_person_in_a_group": {"membership": [new_line(
            world, "membership", _id(2), group_id=a["community_group"], person_id=b["person"],
            role_key="role:THANH_VIEN")]},
        "attendance_at_b_meeting": {"attendance": [new_line(
            world, "attendance", _id(3), activity_id=b["activity"], person_id=a["person"],
            present=True, is_guest=False)]},
        "attachment_on_b_group": {"attachment": [new_line(
            world, "attachment", _id(4), owner_table="community_group",
            owner_id=b["community_group"], file_name="a.jpg", sha256="ab" * 32, size_bytes=1,
            added_on=dt.date(2026, 1, 1))]},
        "support_for_b_group": {"group_support": [new_line(
            world, "group_support", _id(5), group_id=b["community_group"], item="Máy dệt")]},
        # A new group of B's commune sent by A, with a child in the same bundle.
        "new_row_of_b": {"community_group": [new_line(
            world, "community_group", _id(6), commune_key=KEY_B, name="Tổ giả")],
            "membership": [new_line(world, "membership", _id(7), group_id=_id(6),
                                    person_id=a["person"], role_key="role:THANH_VIEN")]},
    }
    for attack, lines in attacks.items():
        refused_whole(world, a1_bundle(world, tmp_path, lines, f"{attack}.da8"))


def test_a_child_of_a_new_own_parent_in_the_same_bundle_is_accepted(world, both, tmp_path):
    a, _b = both
    group = new_line(world, "community_group", _id(8), name="Tổ mới")
    member = new_line(world, "membership", _id(9), group_id=_id(8), person_id=a["person"],
                      role_key="role:THANH_VIEN")
    report = import_file(world.dbs["P"], a1_bundle(
        world, tmp_path, {"community_group": [group], "membership": [member]}))
    assert report.status == "applied" and report.counts["new"] == 2, report.records


def test_the_provinces_bundle_for_a_holds_none_of_bs_rows_or_files(world, both, tmp_path):
    a, b = both
    p, a1 = world.dbs["P"], site_of(world.dbs["A1"])
    for n, lines in enumerate((
            {"community_group": [winning(stored_line(p, "community_group", b["community_group"]),
                                         a1, commune_key=KEY_A)]},
            {"attachment": [winning(stored_line(p, "attachment", b["attachment"]), a1,
                                    owner_id=a["community_group"])]},
            {"activity": [winning(stored_line(p, "activity", b["activity"]), a1,
                                  commune_key=KEY_A)]})):
        refused_whole(world, a1_bundle(world, tmp_path, lines, f"receive{n}.da8"))
    text, names = names_in_bundle_for(world, "A1", tmp_path)
    for key in ("person", "community_group", "membership", "activity", "attendance",
                "attachment"):
        assert str(b[key]).encode() not in text, key
        assert str(a[key]).encode() in text, key
    assert f"files/{b['sha']}" not in names and f"files/{a['sha']}" in names
    assert b"Sin Thau" not in text and "Sín Thầu".encode() not in text


# -- item 1: paths from data --------------------------------------------------------------------
def _pad(path: str) -> str:
    """A path stretched to exactly 64 characters with './' (the column's length rule)."""
    head = "./" * ((64 - len(path)) // 2)
    return (head + path).rjust(64, "/") if path.startswith("/") else (head + path).ljust(64, "_")


BAD_HASHES = {
    "absolute": "/" * 54 + "etc/passwd",  # 64 characters: the length rule holds
    "dotdot": _pad("../P.sqlite"),
    "dot_slashes": "./././../" + "P" * 55,
    "drive": "C:\\Windows\\win.ini".ljust(64, "x"),
    "unc": "\\\\server\\share\\data.sqlite".ljust(64, "x"),
    "65_hex": "a" * 65,
    "uppercase_hex": "AB" * 32,
    "63_hex": "a" * 63,
}


@pytest.mark.parametrize("attack", [*BAD_HASHES, "long_extension", "name_with_folder",
                                    "owner_table"])
def test_attachment_fields_that_would_become_paths_are_refused_at_decode(
        world, both, tmp_path, attack):
    a, _b = both
    values: dict[str, Any] = dict(
        owner_table="community_group", owner_id=a["community_group"], file_name="scan.jpg",
        sha256="cd" * 32, size_bytes=10, added_on=dt.date(2026, 1, 1))
    if attack in BAD_HASHES:
        values["sha256"] = BAD_HASHES[attack]
    elif attack == "long_extension":
        values["file_name"] = "scan." + "x" * 200
    elif attack == "name_with_folder":
        values["file_name"] = "../../P.sqlite"
    else:
        values["owner_table"] = "sync_peer"
    p = world.dbs["P"]
    before = snapshot(p)["attachment"]
    report = import_file(p, a1_bundle(world, tmp_path, {"attachment": [
        new_line(world, "attachment", _id(10), **values)]}))
    [refused] = [r for r in report.records if r["action"] == "rejected"]
    # The sender's own new row: labelled by what it sent of its own, never by B's names.
    assert "Sín Thầu" not in refused["label"], refused
    if attack in BAD_HASHES:
        assert refused["label"] == "scan.jpg (Tổ Nà Nhạn)"
    assert any(word in refused["reason"]
               for word in ("sha256", "file_name", "owner_table")), refused
    assert snapshot(p)["attachment"] == before
    _text, names = names_in_bundle_for(world, "A1", tmp_path)
    assert all(len(n) == len("files/") + 64 for n in names if n.startswith("files/"))


def test_a_refused_record_with_another_communes_id_is_never_labelled_by_name(
        world, both, tmp_path):
    """Item 7: a record that fails to decode but reuses the id of B's person (or points at B's
    group) is refused on its own; its label, shown in the preview and sent back to A in the
    receipt, holds neither the name A chose nor any name stored for B."""
    a, b = both
    p = world.dbs["P"]
    a1_site = site_of(world.dbs["A1"])
    bad_person = winning(stored_line(p, "person", b["person"]), a1_site,
                         full_name="Tên do kẻ gửi đặt")
    bad_person["v"]["birth_year"] = "not a year"  # fails at decode: refused alone
    bad_member = new_line(world, "membership", _id(11), group_id=b["community_group"],
                          person_id=a["person"])
    bad_member["v"]["role_key"] = 12  # wrong type: refused at decode
    before = snapshot(p)
    report = import_file(p, a1_bundle(world, tmp_path, {"person": [bad_person],
                                                        "membership": [bad_member]}))
    labels = {r["id"]: r["label"] for r in report.records if r["action"] == "rejected"}
    assert labels[str(b["person"])] == f"person {str(b['person'])[:8]}"
    text = " ".join(labels.values())
    assert "Tên do kẻ gửi đặt" not in text and "Sín Thầu" not in text, labels
    after = snapshot(p)
    for table in ("person", "membership", "community_group"):
        assert after[table] == before[table]


def test_a_bad_row_already_stored_names_no_file(world, both, tmp_path):
    """Rows stored before the decode check (or written behind the application's back) cannot
    be used to read or write outside the folder either."""
    a, _b = both
    p = world.dbs["P"]
    folder = p.file.parent if p.file else tmp_path
    escape = "./././../"
    secret = folder / ("bi-mat" + "_" * (64 - len(escape) - 6))
    secret.write_text("CANARY province secret")
    for n, sha in enumerate((escape + secret.name, BAD_HASHES["absolute"])):
        assert len(sha) == 64
        with p.write() as uow:
            uow.session.add(Attachment(
                id=_id(20 + n), owner_table="community_group", owner_id=a["community_group"],
                file_name="bi-mat", sha256=sha, size_bytes=1, added_on=dt.date(2026, 1, 1)))
        with pytest.raises(UnsafeAttachment):
            stored_path(p, sha, "bi-mat")
    assert len(list_attachments(p, "community_group", a["community_group"])) == 1  # the good one
    text, names = names_in_bundle_for(world, "A1", tmp_path)
    assert b"CANARY" not in text and b"root:" not in text
    assert {n for n in names if n.startswith("files/")} == {f"files/{a['sha']}"}


@pytest.mark.parametrize("name", ["scan." + "x" * 200, "a:b.jpg", "a\\b.jpg", "a\tb.jpg"])
def test_attaching_a_file_with_an_unusable_name_is_refused_plainly(commune_db, tmp_path, name):
    from da8desktop.core.errors import UserFacingError

    group = GroupsService(commune_db).create(type_key="group_type:SINHKE", name="Tổ dệt").id
    source = tmp_path / name
    source.write_bytes(b"x")
    with pytest.raises(UserFacingError) as refused:
        add_attachment(commune_db, "community_group", group, source)
    assert "Rename" in refused.value.text.source
    assert list_attachments(commune_db, "community_group", group) == []


def test_the_stored_extension_is_short_and_plain(commune_db):
    from da8desktop.core.services.attachments import file_name_problem, stored_suffix
    from da8desktop.core.sync.export import _key_tag

    assert stored_suffix("Biên bản.PDF") == ".pdf"
    assert stored_suffix("ảnh") == "" and stored_suffix("a.tar.gz") == ".gz"
    assert stored_suffix("a.ảnh") == "" and stored_suffix("a.x y") == ""
    assert file_name_problem("Họp ngày 12.3 tại nhà văn hoá thôn Nà Nhạn") is None
    assert file_name_problem("scan." + "x" * 17) and file_name_problem("scan." + "x" * 16) is None
    assert _key_tag("AB/C d..ef") == "abcd" and _key_tag(None) == "0"
    path = stored_path(commune_db, "ab" * 32, "x." + "y" * 12)
    assert path.name == "ab" * 32 and path.parent.name == "ab"


# -- through the real CLI ------------------------------------------------------------------------
@pytest.mark.sqlite_only
def test_the_cli_refuses_another_communes_rows_with_exit_3_and_no_crash(world, both, tmp_path):
    from tests.cli.test_cli import run

    _a, b = both
    p, a1 = world.dbs["P"], site_of(world.dbs["A1"])
    bundles = [
        a1_bundle(world, tmp_path, {"person": [winning(stored_line(p, "person", b["person"]), a1,
                                                       redacted=True)]}, "erase.da8"),
        a1_bundle(world, tmp_path, {"community_group": [winning(stored_line(
            p, "community_group", b["community_group"]), a1, commune_key=KEY_A)]}, "move.da8"),
    ]
    path_attack = a1_bundle(world, tmp_path, {"attachment": [new_line(
        world, "attachment", _id(30), owner_table="community_group",
        owner_id=_a["community_group"], file_name="x", sha256=BAD_HASHES["dotdot"],
        size_bytes=1, added_on=dt.date(2026, 1, 1))]}, "path.da8")
    before = snapshot(p)
    p_file = p.file
    p.close()
    state = tmp_path / "state"
    env = {"XDG_STATE_HOME": str(state), "DA8_KEY_PASSPHRASE": "test passphrase",
           "DA8_KEYRING": "off"}
    for bundle in bundles:
        result = run("--db", p_file, "--lang", "en", "sync", "import", bundle, env_extra=env)
        assert result.returncode == 3, (result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
        assert "not its commune's" in result.stdout and "Nothing was imported" in result.stdout
    after = snapshot(world.reopen("P"))
    assert {t: r for t, r in after.items() if t != "audit_log"} == \
        {t: r for t, r in before.items() if t != "audit_log"}
    world.dbs["P"].close()
    # A path in a hash is refused at decode: that record alone, under a neutral label.
    result = run("--db", p_file, "--lang", "en", "sync", "import", path_attack, "--json",
                 env_extra=env)
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    [report] = json.loads(result.stdout)
    [refused] = report["rejected"]
    assert refused["label"] == "x (Tổ Nà Nhạn)" and "sha256" in refused["reason"]
    assert not any(state.rglob("crash.log"))
    assert snapshot(world.reopen("P"))["attachment"] == before["attachment"]


def _id(n: int):
    import uuid

    return uuid.UUID(int=(0x0190_0000_0000_7000_8000 << 48) + n)




def test_a_former_unit_not_merged_into_the_senders_commune_is_refused(world, both, tmp_path):
    """Review: a commune's record filed under a former commune merged into another commune
    (or none) would count in another commune's phase-I figures at the province."""
    from da8desktop.core.db.models import AdminSuccession, AdminUnit

    with world.dbs["P"].read() as session:
        foreign = session.scalar(select(AdminUnit.key).where(
            AdminUnit.key.like("pre2025:commune:%"), AdminUnit.key.not_in(
                select(AdminSuccession.old_key).where(AdminSuccession.new_key == KEY_A)))
            .limit(1))
    assert foreign is not None
    line = new_line(world, "activity", _id(30), legacy_unit_key=foreign)
    path = a1_bundle(world, tmp_path, {"activity": [line]}, "legacy.da8")
    import_file(world.dbs["P"], path, dry_run=False)
    with world.dbs["P"].read() as session:
        stored = session.get(Activity, _id(30))
    assert stored is None or stored.legacy_unit_key != foreign
