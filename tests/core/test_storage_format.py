"""The lean storage format (migration 0013, issue #23): a province file and a commune laptop
written by the previous version (schema 0009: hex ids, JSON stamps; tests/fixtures/world_0009,
made by tests/fixtures/make_world_0009.py) are converted with nothing lost, and still sync."""

from __future__ import annotations

import datetime as dt
import json
import lzma
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from da8desktop.core.db import stamp_codec
from da8desktop.core.db.backup import list_backups
from da8desktop.core.db.database import Database
from da8desktop.core.db.engine import make_engine, sqlite_url
from da8desktop.core.db.migrate import current_revision, upgrade_to_head
from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from tests.core.sync_world import COMMUNE_A, World, addressed_to, dump

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "world_0009"
SKIPPED = ("alembic_version", "person_search")  # the search index is rebuilt from person


def _unpacked(name: str, folder: Path) -> Path:
    target = folder / f"{name}.sqlite"
    target.write_bytes(lzma.decompress((FIXTURES / f"{name}.sqlite.xz").read_bytes()))
    return target


def canonical(path: Path, like: Path | None = None) -> dict[str, list[str]]:
    """Every table's rows, read with sqlite3 alone: ids as UUID strings, stamps as dicts,
    whichever format the file is in. With `like`, only the tables and columns (and stamped
    fields) that file has: later migrations (0010-0012) add columns, stamps and tables beside
    what 0009 held, which must not hide a change to what it held."""
    kept = None if like is None else {t: [n for n, _k in _columns(like, t)] for t in _tables(like)}
    connection = sqlite3.connect(path)
    result: dict[str, list[str]] = {}
    try:
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for table in tables:
            if table.startswith(SKIPPED) or (kept is not None and table not in kept):
                continue
            columns = [(r[1], r[2].upper()) for r in connection.execute(f'PRAGMA table_info("{table}")')]
            if kept is not None:
                columns = [(n, t) for n, t in columns if n in kept[table]]
            fields = [n for n, _t in columns if n not in ("id", "stamps")]
            names = ", ".join(f'"{n}"' for n, _t in columns)
            rows = []
            for raw in connection.execute(f'SELECT {names} FROM "{table}"'):
                rows.append(json.dumps([_plain(name, kind, value, fields, kept is not None)
                                        for (name, kind), value in zip(columns, raw, strict=True)],
                                       sort_keys=True, ensure_ascii=False))
            result[table] = sorted(rows)
    finally:
        connection.close()
    return result


def _tables(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    finally:
        connection.close()


def _columns(path: Path, table: str) -> list[tuple[str, str]]:
    return list(_declared(path, table).items())


def _plain(name: str, kind: str, value: Any, fields: list[str], only: bool = False) -> Any:
    if value is None:
        return None
    if name == "stamps":
        stamps = stamp_codec.decode_any(value, fields)
        return {k: v for k, v in stamps.items() if k in fields or k == "deleted"} if only \
            else stamps
    if kind == "CHAR(32)":
        return str(uuid.UUID(value))
    if kind == "BLOB":  # every binary column of the schema is an id
        return str(uuid.UUID(bytes=value))
    return value


def _declared(path: Path, table: str) -> dict[str, str]:
    connection = sqlite3.connect(path)
    try:
        return {r[1]: r[2].upper() for r in connection.execute(f'PRAGMA table_info("{table}")')}
    finally:
        connection.close()


@pytest.fixture
def old_world(tmp_path: Path) -> dict[str, Path]:
    return {name: _unpacked(name, tmp_path) for name in ("P", "A2")}


def test_the_fixture_is_a_real_0009_file(old_world):
    declared = _declared(old_world["P"], "person")
    assert declared["id"] == "CHAR(32)" and declared["stamps"] == "JSON"
    connection = sqlite3.connect(old_world["P"])
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0009"
    connection.close()


def test_a_0009_province_is_converted_with_every_row_kept(old_world):
    path = old_world["P"]
    before = canonical(path)
    size_before = path.stat().st_size
    engine = make_engine(sqlite_url(path))  # the upgrade alone (opening also checks identity)
    try:
        result = upgrade_to_head(engine, path)
        assert current_revision(engine) == "0013"
    finally:
        engine.dispose()
    assert (result.from_revision, result.to_revision) == ("0009", "0013")
    assert result.backup is not None and result.backup in [b.path for b in list_backups(path)]
    backup = result.backup
    if backup.suffix == ".zst":  # backups are compressed (issue 23 item 2)
        from da8desktop.core.db import backup_files

        backup = path.with_name("backup-0009.sqlite")
        backup_files.decompress(result.backup, backup)
    assert canonical(backup) == before  # the backup is the untouched 0009 file
    declared = _declared(path, "attendance")
    assert declared["id"] == declared["person_id"] == declared["stamps"] == "BLOB"
    assert _declared(path, "sync_site")["site_id"] == "BLOB"
    after = canonical(path, like=backup)
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert path.stat().st_size < size_before
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        # Rows written in one go keep one stamp: the whole row in a few bytes.
        longest = connection.execute("SELECT max(length(stamps)) FROM attendance").fetchone()[0]
        assert longest <= 16
    finally:
        connection.close()


def test_the_people_search_still_finds_people_after_the_conversion(old_world):
    from da8desktop.core.db import search_index

    db = Database.open(old_world["P"])
    try:
        with db.read() as session:
            from sqlalchemy import select

            from da8desktop.core.db.models import Person

            person = session.scalars(select(Person).where(Person.deleted.is_(False)).limit(1)).one()
            word = person.search_key.split()[-1]
            where = search_index.contains_words([word])
            assert where is not None
            found = set(session.scalars(select(Person.id).where(where)))
            assert person.id in found
    finally:
        db.close()


def test_converted_files_sync_and_agree(old_world, tmp_path):
    world = World({name: Database.open(path) for name, path in old_world.items()}, tmp_path)
    try:
        from sqlalchemy import select

        from da8desktop.core.db.models import Person

        with world.dbs["A2"].write() as uow:
            person = uow.session.scalars(select(Person).where(Person.deleted.is_(False))
                                         .order_by(Person.id).limit(1)).one()
            uow.update(person, {"phone": "0912345678"})
            changed = person.id
        sent = world.send("A2", "P")
        assert sent and all(world.receive("P", path).ok for path in sent)
        for path in world.send("P"):
            if addressed_to(world, path, "A2"):
                assert world.receive("A2", path).ok
        with world.dbs["P"].read() as session:
            assert session.get(Person, changed).phone == "0912345678"
            stamps = session.get(Person, changed).stamps
            assert stamps["phone"] != stamps["full_name"]  # a field newer than its row
        assert dump(world.dbs["P"], COMMUNE_A) == dump(world.dbs["A2"], COMMUNE_A)
    finally:
        world.close()


@pytest.mark.parametrize("stamps", [
    {}, {"a": [1, 2, 3]}, {"a": [1, 2, 3], "b": [1, 2, 3], "c": [4, 5, 2**62]},
    {"a": [0, 0, 0], "b": [7, 1, 9]}])
def test_stamps_round_trip_in_both_modes(stamps):
    fields = list(stamps)
    assert stamp_codec.decode(stamp_codec.encode(stamps, fields), fields) == stamps
    assert stamp_codec.decode(stamp_codec.encode(stamps)) == stamps
    assert stamp_codec.decode(stamp_codec.encode(stamps, [*fields, "x"])) == stamps


def test_a_damaged_stamps_value_is_refused_not_misread():
    good = stamp_codec.encode({"a": [1, 2, 3], "b": [4, 5, 6]})
    for bad in (good[:-1], good + b"\x00", b"\x07" + good[1:], b"\x00\x01"):
        with pytest.raises(ValueError):
            stamp_codec.decode(bad)


def test_the_conversion_undone_gives_the_0009_rows_back(old_world):
    """Its own downgrade (used by tests that rebuild older schemas) restores hex and JSON."""
    from alembic import command

    from da8desktop.core.db.migrate import _alembic_config

    path = old_world["A2"]
    before = canonical(path)
    original = path.with_name("A2-0009.sqlite")
    original.write_bytes(path.read_bytes())
    engine = make_engine(sqlite_url(path))
    try:
        upgrade_to_head(engine, path)
        with engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            with connection.begin():
                config = _alembic_config()
                config.attributes["connection"] = connection
                command.downgrade(config, "0009")
    finally:
        engine.dispose()
    assert _declared(path, "person")["id"] == "CHAR(32)"
    assert _declared(path, "person")["stamps"] == "JSON"
    # (0010 and 0011 stamped their new fields; going back drops the columns, not those stamps)
    assert canonical(path, like=original) == before


def test_postgresql_stamps_become_bytes_with_every_row_kept(request):
    """On PostgreSQL ids stay native uuid; the JSON stamps are converted row by row."""
    from sqlalchemy import text

    from tests.conftest import _pg

    server = _pg(request)
    url = server.create()
    request.addfinalizer(lambda: server.drop(url))
    engine = make_engine(url)
    village, successor = uuid.uuid4(), uuid.uuid4()
    whole = {f: [1, 2, 300] for f in ("commune_key", "name", "name_fold", "kind", "deleted")}
    mixed = {**whole, "name": [2, 7, 400]}
    try:
        upgrade_to_head(engine, None, revision="0009")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO admin_unit (key, scheme, level, code, name, name_fold) "
                "VALUES ('2025:commune:1', '2025', 'commune', '1', 'Xã Một', 'xa mot')"))
            for row_id, stamps, next_id in ((successor, whole, None), (village, mixed, successor)):
                connection.execute(text(
                    "INSERT INTO village (id, deleted, stamps, commune_key, name, name_fold, "
                    "extremely_difficult, successor_id) VALUES (:id, false, :stamps, "
                    "'2025:commune:1', 'Bản', 'ban', false, :next)"),
                    {"id": row_id, "stamps": json.dumps(stamps), "next": next_id})
        upgrade_to_head(engine, None)
        with engine.connect() as connection:
            kind = connection.execute(text(
                "SELECT data_type FROM information_schema.columns WHERE table_name = 'village' "
                "AND column_name = 'stamps'")).scalar()
            stored = dict(connection.execute(text("SELECT id, stamps FROM village")).all())
            fields = [r[0] for r in connection.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'village' "
                "AND column_name NOT IN ('id', 'stamps') ORDER BY ordinal_position"))]
    finally:
        engine.dispose()
    assert kind == "bytea"
    assert stamp_codec.decode(bytes(stored[village]), fields) == mixed
    assert stamp_codec.decode(bytes(stored[successor]), fields) == whole


# -- the figures the officers read, before and after the conversion --------------------------

FIGURES_TODAY = dt.date(2026, 12, 31)  # each year's figures as at its end
A_KEY = f"2025:commune:{COMMUNE_A}"
STATUS_AT = """CASE WHEN EXISTS (SELECT 1 FROM group_status_change c
                              WHERE c.group_id = g.id AND c.deleted = 0)
  THEN COALESCE((SELECT c.status FROM group_status_change c WHERE c.group_id = g.id
                 AND c.deleted = 0 AND c.changed_on <= :day
                 ORDER BY c.changed_on DESC, c.id DESC LIMIT 1), 'active')
  ELSE g.status END"""
LIVE_GROUPS = f"""g.deleted = 0 AND g.commune_key = :commune AND g.type_key = :type
  AND COALESCE(g.launch_date, g.founding_decision_date, '') <= :day AND {STATUS_AT} = 'active'"""
COUNTED = "(p.deleted = 0 OR p.redacted = 1)"


def _query(connection: sqlite3.Connection, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return connection.execute(sql, params).fetchall()


def _sessions_and_participants(path: Path, start: dt.date, end: dt.date) -> dict[str, int]:
    """Commune A's activities held from `start` to `end` and their participant-times by sex,
    counted with sqlite3 alone on the file as it is (ticked attendance of a counted person,
    typed counts where no list was kept): what the periodic report adds up."""
    connection = sqlite3.connect(path)
    try:
        span = {"commune": A_KEY, "start": start.isoformat(), "end": end.isoformat()}
        held = ("act.deleted = 0 AND act.commune_key = :commune "
                "AND act.date_start BETWEEN :start AND :end")
        [(sessions,)] = _query(connection, f"SELECT count(*) FROM activity act WHERE {held}",
                               **span)
        by_sex = dict(_query(connection, f"""SELECT p.sex, count(*) FROM attendance a
            JOIN activity act ON act.id = a.activity_id JOIN person p ON p.id = a.person_id
            WHERE {held} AND act.participation = 'attendance' AND a.deleted = 0
            AND a.present = 1 AND {COUNTED} GROUP BY p.sex""", **span))
        [(total, women, men)] = _query(connection, f"""SELECT COALESCE(sum(count_total), 0),
            COALESCE(sum(count_women), 0), COALESCE(sum(count_men), 0) FROM activity act
            WHERE {held} AND act.participation = 'counts'""", **span)
    finally:
        connection.close()
    return {"sessions": sessions, "participants": sum(by_sex.values()) + total,
            "women": by_sex.get("F", 0) + women, "men": by_sex.get("M", 0) + men}


def _indicator_by_hand(path: Path, spec: dict[str, Any], start: dt.date, end: dt.date,
                       day: dt.date) -> tuple[int, int, int] | None:
    """(total, women, men) of one of commune A's indicators, counted with sqlite3 alone on the
    file as it is, for the measures simple enough to count by hand (None for the others)."""
    options = set(spec) - {"measure"}
    measure = spec["measure"]
    connection = sqlite3.connect(path)
    try:
        if measure in ("activities", "participants") and options <= {"kind", "training_type"}:
            params = {"commune": A_KEY, "start": start.isoformat(), "end": end.isoformat(),
                      "kind": spec.get("kind"),
                      "type": f"training_type:{spec.get('training_type')}"}
            held = """act.deleted = 0 AND act.commune_key = :commune AND act.kind = :kind
                AND act.date_start BETWEEN :start AND :end""" + (
                " AND act.training_type_key = :type" if "training_type" in spec else "")
            if measure == "activities":
                [(n,)] = _query(connection, f"SELECT count(*) FROM activity act WHERE {held}",
                                **params)
                return n, 0, 0
            by_sex = dict(_query(connection, f"""SELECT p.sex, count(*) FROM attendance a
                JOIN activity act ON act.id = a.activity_id JOIN person p ON p.id = a.person_id
                WHERE {held} AND act.participation = 'attendance' AND a.deleted = 0
                AND a.present = 1 GROUP BY p.sex""", **params))
            [(total, women, men)] = _query(connection, f"""SELECT COALESCE(sum(count_total), 0),
                COALESCE(sum(count_women), 0), COALESCE(sum(count_men), 0) FROM activity act
                WHERE {held} AND act.participation = 'counts'""", **params)
            return (sum(by_sex.values()) + total, by_sex.get("F", 0) + women,
                    by_sex.get("M", 0) + men)
        params = {"commune": A_KEY, "type": f"group_type:{spec.get('group_type')}",
                  "day": day.isoformat()}
        if measure == "groups" and options == {"group_type", "status"} \
                and spec["status"] == ["active"]:
            [(n,)] = _query(connection,
                            f"SELECT count(*) FROM community_group g WHERE {LIVE_GROUPS}", **params)
            return n, 0, 0
        if measure == "group_members" and options == {"group_type"}:
            by_sex = dict(_query(connection, f"""SELECT p.sex, count(*) FROM membership m
                JOIN community_group g ON g.id = m.group_id JOIN person p ON p.id = m.person_id
                WHERE {LIVE_GROUPS} AND m.deleted = 0 AND {COUNTED}
                AND COALESCE(m.joined_on, '') <= :day
                AND (m.left_on IS NULL OR m.left_on > :day) GROUP BY p.sex""", **params))
            return sum(by_sex.values()), by_sex.get("F", 0), by_sex.get("M", 0)
    finally:
        connection.close()
    return None


def _progress(db: Database, year: int, commune_key: str | None) -> dict[str, Any]:
    report = compute_progress(db, Period.choose(year), FIGURES_TODAY, commune_key=commune_key)
    # (the split by village is the commune's own page's, not the province's)
    return {row.indicator.code: (row.indicator.compute, row.cell.achieved,
                                 {k: v for k, v in row.cell.figure.as_json().items()
                                  if k != "villages"}) for row in report.rows}


def _periodic_total(db: Database, year: int, commune_key: str | None) -> dict[str, int]:
    report = compute_periodic(db, ReportSpan.choose(year), commune_key=commune_key)
    return {name: sum(getattr(row, name) for row in report.rows)
            for name in ("sessions", "participants", "women", "men")}


def test_a_converted_province_reports_the_figures_its_0009_file_held(old_world):
    """The province's progress figures and periodic report for commune A, after the
    conversion, are the commune laptop's own (converted apart) and the counts made by hand
    with sqlite3 on the 0009 files before the conversion: sessions, participant-times by sex,
    live groups and their members by sex. A row lost or an id mangled (an attendance no longer
    joining its person) by the conversion changes one of them."""
    years = (2025, 2026)
    periodic_by_hand = {year: _sessions_and_participants(
        old_world["P"], dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years}
    assert periodic_by_hand == {year: _sessions_and_participants(
        old_world["A2"], dt.date(year, 1, 1), dt.date(year, 12, 31)) for year in years}
    old = old_world["P"].with_name("P-0009-kept.sqlite")  # counted by hand below
    old.write_bytes(old_world["P"].read_bytes())
    province = Database.open(old_world["P"])  # converted here, at the first open
    try:
        assert compute_progress(province, Period.choose(2026), FIGURES_TODAY).scope == "province"
        progress = {year: _progress(province, year, A_KEY) for year in years}
        periodic = {year: _periodic_total(province, year, A_KEY) for year in years}
    finally:
        province.close()
    commune = Database.open(old_world["A2"])
    try:
        assert {year: _progress(commune, year, None) for year in years} == progress
        assert {year: _periodic_total(commune, year, None) for year in years} == periodic
    finally:
        commune.close()
    assert periodic == periodic_by_hand
    assert all(n["sessions"] and n["women"] and n["men"] for n in periodic_by_hand.values())
    assert _declared(old, "person")["id"] == "CHAR(32)"  # the 0009 file, never opened
    by_hand: dict[tuple[int, str], tuple[int, int, int]] = {}
    for year in years:
        period = Period.choose(year)
        for code, (spec, achieved, figure) in progress[year].items():
            counted = _indicator_by_hand(old, spec, period.start, period.end,
                                         period.as_at(FIGURES_TODAY))
            if counted is not None:
                by_hand[(year, code)] = counted
                shown = (achieved, figure.get("women", 0), figure.get("men", 0))
                assert shown == counted, (year, code, figure)
    measures = {progress[year][code][0]["measure"] for year, code in by_hand}
    assert measures == {"activities", "participants", "groups", "group_members"}
    assert all(by_hand[(year, code)][0] for year, code in by_hand
               if progress[year][code][0]["measure"] in ("groups", "group_members")
               and code.endswith(("TTCD", "TTCD_TV"))), by_hand
