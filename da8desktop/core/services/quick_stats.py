"""`da8desktop stats` without SQLAlchemy (issue 23 item 6): the same counts as
services/stats.collect(), read with the standard library's sqlite3 from a data file opened
read-only, so a province script asking thirty files for their counts waits for SQLite only.

Opening a file the full way (Database.open) also looks after it: an interrupted restore is
finished, the schema is upgraded, shipped catalogues and admin units are loaded, a copied file
takes a new site id, a wrong clock is reported and future stamps re-dated, the search index is
repaired. This reader does none of that. It answers only when none of it has anything to do
(or, for the search index, nothing the counts depend on), and returns None otherwise: the
caller then opens the file the full way, which does the work and prints the same counts. The
constants it shares with modules that import SQLAlchemy are repeated here and checked equal by
tests/cli/test_stats_fast.py."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import uuid
from pathlib import Path
from typing import Any

from da8desktop.core import hlc
from da8desktop.core.domain import AdminScheme, Participation
from da8desktop.core.paths import resource_path, user_data_dir
from da8desktop.core.private_files import make_private

SCHEMA_HEAD = "0013"  # core/db/migrate.py SCHEMA_HEAD
CHECK_AT_OPEN_LIMIT = 512 * 2**20  # core/db/database.py: a quick check at open below this size
RESTORE_SUFFIXES = (".restore-aside", ".restore-part")  # core/db/backup.py: a restore half done
REDATE_MARGIN_MS = 12 * 3600 * 1000  # core/db/unit_of_work.py
# core/sync/clock.py: the bounds inside which clock_problem() has nothing to say
DAY_MS = 24 * 3600 * 1000
BEHIND_TOLERANCE_MS = DAY_MS
AHEAD_LIMIT_MS = 366 * DAY_MS
EARLIEST_PLAUSIBLE_MS = int(dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)

_LIVE_COUNTS = {  # Stats field -> the query services/stats.py runs through the ORM
    "villages": "SELECT count(*) FROM village WHERE deleted IS 0",
    "people": "SELECT count(*) FROM person WHERE deleted IS 0",
    "groups": "SELECT count(*) FROM community_group WHERE deleted IS 0",
    "memberships": "SELECT count(*) FROM membership WHERE deleted IS 0",
    "attendance_rows": "SELECT count(*) FROM attendance WHERE deleted IS 0",
    "safe_delivery_supports": "SELECT count(*) FROM safe_delivery_support WHERE deleted IS 0",
    "trusted_address_cases": "SELECT count(*) FROM trusted_address_case WHERE deleted IS 0",
    "targets": "SELECT count(*) FROM target WHERE deleted IS 0",
}
# The four counts of activities, in one pass as stats.py counts them (meetings, meetings with
# attendance, other activities, other activities with counts)
_ACTIVITY_FIELDS = ("meetings", "meetings_with_attendance", "activities", "activities_with_counts")
_COUNTS_IN_ORDER = ("villages", "people", "groups", "memberships", "meetings",
                    "meetings_with_attendance", "attendance_rows", "activities",
                    "activities_with_counts", "safe_delivery_supports", "trusted_address_cases",
                    "targets")
_ACTIVITY_COUNTS = (
    "SELECT " + ", ".join(f"coalesce(sum(CASE WHEN {when} THEN 1 ELSE 0 END), 0)" for when in (
        "kind = 'group_meeting'",
        f"kind = 'group_meeting' AND participation = '{Participation.ATTENDANCE}'",
        "kind != 'group_meeting'",
        f"kind != 'group_meeting' AND participation = '{Participation.COUNTS}'"))
    + " FROM activity WHERE deleted IS 0")
_DELETED_TABLES = ("person", "community_group", "membership", "activity", "village")
_GROUPS_OF_TYPE = "SELECT count(*) FROM community_group WHERE deleted IS 0 AND type_key = ?"
_MEMBERS_OF_TYPE = (
    "SELECT count(*) FROM membership JOIN community_group ON community_group.id = "
    "membership.group_id WHERE membership.deleted IS 0 AND community_group.type_key = ? AND "
    "community_group.deleted IS 0 AND membership.left_on IS NULL")
# clock.reference_ms(): each sender's latest bundle by its own numbering
_LATEST_PER_SENDER = (
    "SELECT max(b.created_at) FROM sync_bundle b JOIN (SELECT peer_id, max(seq) AS seq "
    "FROM sync_bundle WHERE direction = 'in' GROUP BY peer_id) n "
    "ON b.peer_id = n.peer_id AND b.seq = n.seq WHERE b.direction = 'in' GROUP BY b.peer_id")


def quick_stats(file: Path) -> dict[str, Any] | None:
    """Stats.as_json() of the data file at `file`, or None when it must be opened the full way
    (missing, not writable here, half restored, older schema, damaged, anything to load,
    re-date or say at open)."""
    try:
        if not file.is_file() or any(Path(f"{file}{s}").exists() for s in RESTORE_SUFFIXES):
            return None
        if not (os.access(file, os.W_OK) and os.access(file.parent, os.W_OK)):
            return None  # read-only media: Database.open knows how to read those
        size = file.stat().st_size
        connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        with connection:
            make_private(file)  # as Database.open does at every open
            return _read(connection, file, check=size <= CHECK_AT_OPEN_LIMIT)
    except sqlite3.Error:
        return None  # damaged, locked, not a data file: the full way says so in plain words
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, file: Path, *, check: bool) -> dict[str, Any] | None:
    one = lambda sql, *params: connection.execute(sql, params).fetchone()  # noqa: E731
    if one("SELECT version_num FROM alembic_version") != (SCHEMA_HEAD,):
        return None  # an upgrade is due (or a newer application's file: refused the full way)
    if check and [row[0] for row in connection.execute("PRAGMA quick_check")] != ["ok"]:
        return None
    if not _reference_loaded(connection):
        return None
    site = _site(connection, file)
    if site is False:
        return None
    data: dict[str, Any] = {"site": site}
    for name in ("villages", "people", "groups"):
        data[name] = one(_LIVE_COUNTS[name])[0]
    data["groups_by_type"] = [
        {"code": code, "name": name, "groups": one(_GROUPS_OF_TYPE, key)[0],
         "members": one(_MEMBERS_OF_TYPE, key)[0]}
        for key, code, name in connection.execute(
            "SELECT key, code, name FROM catalogue_item WHERE kind = 'group_type' "
            "ORDER BY sort_order").fetchall()]
    activity = dict(zip(_ACTIVITY_FIELDS, one(_ACTIVITY_COUNTS)))
    for name in _COUNTS_IN_ORDER:  # the order of stats.Stats: the JSON is the same text
        if name not in data:
            data[name] = activity[name] if name in activity else one(_LIVE_COUNTS[name])[0]
    data["deleted_records"] = sum(
        one(f"SELECT count(*) FROM {table} WHERE deleted IS 1")[0] for table in _DELETED_TABLES)
    return data


def _reference_loaded(connection: sqlite3.Connection) -> bool:
    """reference.ensure_reference_data() would load nothing: both admin unit schemes are there,
    and no shipped catalogue is newer than the loaded one."""
    for scheme in (AdminScheme.TWO_TIER_2025.value, AdminScheme.THREE_TIER_PRE_2025.value):
        if not connection.execute("SELECT 1 FROM admin_unit WHERE scheme = ? LIMIT 1",
                                  (scheme,)).fetchone():
            return False
    loaded = {key.removeprefix("catalogue_version:"): value for key, value in connection.execute(
        "SELECT key, value FROM setting WHERE key LIKE 'catalogue_version:%'")}
    for path in resource_path("catalogues").glob("*.json"):
        shipped = json.loads(path.read_text("utf-8"))
        if shipped["catalogue"] not in loaded:
            return False
        have = json.loads(loaded[shipped["catalogue"]])
        if have != shipped["version"] and \
                _version_tuple(shipped["version"]) > _version_tuple(str(have)):
            return False
    return True


def _version_tuple(version: str) -> tuple[int, ...]:  # reference.version_tuple()
    try:
        return tuple(int(p) for p in version.replace("-", ".").split("."))
    except (ValueError, AttributeError):
        return ()


def _site(connection: sqlite3.Connection, file: Path) -> dict[str, Any] | None | bool:
    """services/site.identity() as JSON; None for a file not set up; False when opening it the
    full way would change or say something (a copied file, a wrong clock, stamps to re-date)."""
    inst = connection.execute(
        "SELECT site_id, role, is_demo, organisation_name, province_key, commune_key, seq, hlc, "
        "install_token FROM installation WHERE id = 1").fetchone()
    if inst is None:
        return None
    site_id, role, is_demo, organisation, province_key, commune_key, seq, stamp, token = inst
    site_id = str(uuid.UUID(bytes=site_id) if isinstance(site_id, bytes) else uuid.UUID(site_id))
    if not _same_file_record(file, token, site_id, seq) or not _clock_quiet(connection, stamp):
        return False
    unit = lambda key: connection.execute(  # noqa: E731
        "SELECT code, name FROM admin_unit WHERE key = ?", (key,)).fetchone()
    province = unit(province_key)
    commune = unit(commune_key) if commune_key else None
    if province is None or (commune_key and commune is None):
        return False
    return {"site_id": site_id, "role": role, "is_demo": bool(is_demo),
            "organisation_name": organisation, "province_code": province[0],
            "province_name": province[1], "commune_code": commune[0] if commune else None,
            "commune_name": commune[1] if commune else None, "seq": seq}


def _same_file_record(file: Path, token: str, site_id: str, seq: int) -> bool:
    """site.ensure_own_site_id() would keep the site id: this computer's record of the install
    token names this very file, and the file did not go back in time."""
    try:
        known = json.loads((user_data_dir() / "sites" / f"{token}.json").read_text("utf-8"))
        return known.get("path") == str(file.resolve()) and not (
            known.get("site") == site_id and int(known.get("sent_seq", 0)) > seq)
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _clock_quiet(connection: sqlite3.Connection, stamp: int) -> bool:
    """clock.check_clock() would say nothing and re-date nothing. Its reference time is one of
    the senders' latest bundles: when all of them lie in the window it accepts, so does it."""
    wall = hlc.wall_millis()
    if wall < EARLIEST_PLAUSIBLE_MS or hlc.unpack(stamp)[0] > wall + REDATE_MARGIN_MS:
        return False
    for (created,) in connection.execute(_LATEST_PER_SENDER):
        if created is None:
            continue
        moment = dt.datetime.fromisoformat(created).replace(tzinfo=dt.timezone.utc)
        millis = int(moment.timestamp() * 1000)
        if wall < millis - BEHIND_TOLERANCE_MS or wall > millis + AHEAD_LIMIT_MS:
            return False
    return True

