"""Issue 18 item 4: an erased person leaves no byte behind under either data folder, backups
(monthly ones and restore points before imports) and merged duplicates included."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import zstandard

from da8desktop.core.db import backup_files, search_index
from da8desktop.core.db.backup import create_backup, list_backups
from da8desktop.core.db.models import Person
from da8desktop.core.services.merge_people import merge_people
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.redact import redact_person
from da8desktop.core.sync.importer import import_paths
from da8desktop.core.text import fold

pytestmark = pytest.mark.sqlite_only

KEPT = {"full_name": "Hoàng Thị Quỳnh Xoan", "cccd": "001190012345", "phone": "0912000111"}
DUPLICATE = {"full_name": "Hoàng Thị Quỳnh Xoan Trùng", "cccd": "001190054321",
             "phone": "0912000222"}


def _needles() -> list[bytes]:
    found = []
    for person in (KEPT, DUPLICATE):
        for value in (person["full_name"], fold(person["full_name"]), person["cccd"],
                      person["phone"]):
            found += [value.encode(), json.dumps(value)[1:-1].encode()]
    return sorted(set(found))


def _plain_bytes(path: Path) -> bytes:
    """A compressed backup is searched in what it holds, not in its compressed bytes."""
    data = path.read_bytes()
    if data[:4] == backup_files.ZSTD_MAGIC:
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return data


def _plain_copy(path: Path, tmp: Path) -> Path:
    copy = tmp / (path.name + ".sqlite")
    copy.write_bytes(_plain_bytes(path))
    return copy


def _leaks(folder: Path) -> list[tuple[str, bytes]]:
    return [(str(path.relative_to(folder)), needle)
            for path in sorted(folder.rglob("*")) if path.is_file()
            for needle in _needles() if needle in _plain_bytes(path)]


def _import_with_restore_point(world, target: str, source: str) -> None:
    paths = [p for p in world.send(source) if _for(world, p, target)]
    assert paths
    assert all(r.ok for r in import_paths(world.dbs[target], paths))


def _for(world, path: Path, name: str) -> bool:
    from tests.core.sync_world import addressed_to

    return addressed_to(world, path, name)


def _monthly(db_file: Path) -> Path:
    """A backup kept forever as the newest of an old month (rotation never removes it)."""
    made = create_backup(db_file, "daily").path
    stamp = made.name.split("-", 1)[1][:22]
    old = made.with_name(made.name.replace(stamp, "20250115-080000-000000"))
    made.rename(old)
    backup_files.about_path(made).rename(backup_files.about_path(old))
    return old


def test_erasure_reaches_every_byte_at_commune_and_province(world, tmp_path):
    a1, p = world.dbs["A1"], world.dbs["P"]
    people = PeopleService(a1)
    kept = people.create(full_name=KEPT["full_name"], sex="F", birth_year=1990,
                         phone=KEPT["phone"]).id
    duplicate = people.create(full_name=DUPLICATE["full_name"], sex="F", birth_year=1990,
                              cccd=DUPLICATE["cccd"], phone=DUPLICATE["phone"]).id
    people.update(kept, cccd=KEPT["cccd"])
    _import_with_restore_point(world, "P", "A1")  # P's restore point before: nothing yet
    monthly_a1, monthly_p = _monthly(a1.file), _monthly(p.file)
    merge_people(a1, kept, duplicate)
    _import_with_restore_point(world, "P", "A1")  # a restore point holding both records
    world.round()
    assert _leaks(world.folder), "the scan must see the values before the erasure"

    result = redact_person(a1, kept)
    assert result.people == 2  # the duplicate merged into her is erased with her
    assert result.backups_cleaned >= 1 and result.backups_dropped == 0
    assert "backup" in result.message() and "1 duplicate" in result.message()
    _import_with_restore_point(world, "P", "A1")  # the erasure reaches the province
    world.round()
    world.round()

    for name in ("A1", "A2", "P"):
        with world.dbs[name].read() as session:
            for person_id in (kept, duplicate):
                row = session.get(Person, person_id)
                assert row.redacted and row.full_name == "—" and row.cccd is None, name
    assert monthly_a1.exists() and monthly_p.exists()  # rewritten, not lost
    for backup in (monthly_a1, monthly_p):  # still a whole database, its search index in step
        connection = sqlite3.connect(_plain_copy(backup, tmp_path))
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        connection.execute(search_index.check_statement())
        connection.close()
    assert any(b.reason == "before-sync-import" for b in list_backups(p.file))
    world.close()
    assert _leaks(world.folder) == []


def test_a_backup_that_cannot_be_rewritten_is_removed_and_counted(world):
    a1 = world.dbs["A1"]
    person = PeopleService(a1).create(full_name=KEPT["full_name"], sex="F", birth_year=1990,
                                      cccd=KEPT["cccd"]).id
    good = create_backup(a1.file, "manual").path
    damaged = create_backup(a1.file, "manual").path
    data = bytearray(damaged.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page is gone, the rows are not
    damaged.write_bytes(bytes(data))

    result = redact_person(a1, person)
    assert (result.backups_cleaned, result.backups_dropped) == (1, 1)
    assert good.exists() and not damaged.exists()
    assert KEPT["cccd"].encode() not in _plain_bytes(good)


def test_a_backup_without_the_person_is_left_untouched(world):
    a1 = world.dbs["A1"]
    before = create_backup(a1.file, "manual").path
    content = before.read_bytes()
    person = PeopleService(a1).create(full_name=KEPT["full_name"], sex="F", birth_year=1990).id
    assert redact_person(a1, person).backups_cleaned == 0
    assert before.read_bytes() == content


def test_scrub_leaves_no_temporary_copy(world):
    a1 = world.dbs["A1"]
    person = PeopleService(a1).create(full_name=KEPT["full_name"], sex="F", birth_year=1990).id
    backup = create_backup(a1.file, "manual").path
    stale = backup.with_name(backup.name + ".scrub-tmp")
    shutil.copyfile(backup, stale)  # a rewrite killed half-way last time
    redact_person(a1, person)
    assert not stale.exists()
    assert not list(backup.parent.glob("*.scrub-tmp*"))
