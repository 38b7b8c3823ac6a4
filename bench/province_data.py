"""Province-scale data for the benchmarks: N enrolled commune laptops, each with a commune's worth
of records, and the real bundles they send to the province.

Why rows are written in bulk and not through the services: the services stamp, check and audit
one record per call (about 550 rows/s), so 150 communes of 34,000 rows would take hours to make.
Here every row gets exactly what `UnitOfWork.add` gives it (field stamps, a row version, one dot
for the whole load, as a single Excel import would), and the people's values come from the demo
generator (`person_values`) and the people service's own `derive`, so names, search keys and sort
keys are the ones the application would have written. Deterministic for a seed: the same ids and
the same records every run (keys, and so the bundles' bytes, are new each run).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, AdminUnit, Attendance, Group, Membership, Person,
                                       RowVersion, Village)
from da8desktop.core.demo import DEMO_END, person_values
from da8desktop.core.demo_names import SCHOOLS, VILLAGE_NAMES
from da8desktop.core.domain import ActivityKind, Participation
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                        own_fingerprint, province_init, unlock)
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.keys import UnlockedKeys
from da8desktop.core.text import fold

PROVINCE = "38"  # Tỉnh Thanh Hóa: 166 communes and wards after the 2025 reform, so 150 fit

# (group type, how many of the 60, members each): about 19 members a group on average.
GROUP_PLAN = (("TTCD", 20, (7, 12)), ("CLB", 10, (21, 32)), ("SINHKE", 15, (21, 32)),
              ("TKVV", 12, (21, 32)), ("DCTC", 3, (5, 5)))
TOPICS = ("topic:BDG", "topic:TAO_HON", "topic:BLGD", "topic:SKSS", "topic:DKG")


@dataclass(frozen=True)
class Size:
    people: int = 2000
    groups: int = 60
    meetings: int = 1500

    @classmethod
    def quick(cls) -> "Size":
        return cls(people=300, groups=12, meetings=150)


@dataclass
class CommuneFiles:
    code: str
    name: str
    data_file: Path
    bundle: Path
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ProvinceFiles:
    province_file: Path  # enrolled communes, no records yet: every import run starts from a copy
    template_file: Path  # migrated, reference data, no identity
    communes: list[CommuneFiles]


def make_template(folder: Path) -> Path:
    path = folder / "template.sqlite"
    if not path.exists():
        Database.open(path).close()
    return path


def make_province(folder: Path, communes: int, seed: int, size: Size,
                  report=print) -> ProvinceFiles:  # noqa: ANN001 - a print-like callable
    """Enrol `communes` commune laptops at one province, fill each, write each one's bundle."""
    folder.mkdir(parents=True, exist_ok=True)
    template = make_template(folder)
    province_file = folder / "province.sqlite"
    shutil.copyfile(template, province_file)
    province = Database.open(province_file)
    unlocked = UnlockedKeys()  # each file's keys kept from its set-up: no Argon2id per bundle
    _identity, province_fingerprint = province_init(province, PROVINCE, unlocked=unlocked)
    province_keys = unlock(province, unlocked=unlocked)
    with province.read() as session:
        units = session.execute(select(AdminUnit.code, AdminUnit.name).where(
            AdminUnit.parent_key == f"2025:province:{PROVINCE}",
            AdminUnit.level == "commune").order_by(AdminUnit.code)).all()
    if communes > len(units):
        raise SystemExit(f"the province has {len(units)} communes; asked for {communes}")
    made = []
    for number, (code, name) in enumerate(units[:communes]):
        data_file = folder / "communes" / f"{code}.sqlite"
        data_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, data_file)
        commune = Database.open(data_file)
        setup = enroll(province, code, folder / "setup", keys=province_keys)
        commune_init(commune, setup.path, province_fingerprint, unlocked=unlocked)
        commune_keys = unlock(commune, unlocked=unlocked)
        # Registered and confirmed by fingerprint before its records are made, as in the field
        # (an unconfirmed laptop's data is held at the province): its data bundle then applies.
        for first in export_bundles(commune, folder / "enrol" / code, keys=commune_keys):
            import_file(province, first.path, keys=province_keys)
        confirm_commune_computer(province, code, own_fingerprint(commune) or "")
        counts = fill_commune(commune, random.Random(seed * 100_003 + number), size)
        bundles = export_bundles(commune, folder / "bundles", keys=commune_keys)
        commune.close()
        made.append(CommuneFiles(code, name, data_file, bundles[0].path, counts))
        report(f"  commune {number + 1}/{communes} {code} {name}: "
               f"{sum(counts.values()):,} rows, bundle {bundles[0].path.stat().st_size:,} bytes")
    province.close()
    shutil.rmtree(folder / "setup", ignore_errors=True)
    shutil.rmtree(folder / "enrol", ignore_errors=True)
    return ProvinceFiles(province_file, template, made)


# -- one commune's records --------------------------------------------------------------------
class _Ids:
    """UUIDv7-shaped ids from the seeded generator: the same ids every run."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.ms = int(dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)

    def __call__(self) -> uuid.UUID:
        self.ms += 1
        value = (self.ms << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64) \
            | (0b10 << 62) | self.rng.getrandbits(62)
        return uuid.UUID(int=value)


class _Rows:
    """Rows per table, stamped the way `UnitOfWork.add` stamps them."""

    def __init__(self, dot: tuple[int, int, int]) -> None:
        self.dot = list(dot)
        self.tables: dict[type, list[dict[str, Any]]] = {}

    def add(self, model: type, values: dict[str, Any]) -> dict[str, Any]:
        values.setdefault("deleted", False)
        values["stamps"] = {f: self.dot for f in model.data_fields()}
        self.tables.setdefault(model, []).append(values)
        return values

    def write(self, session: Any) -> dict[str, int]:
        counts = {}
        versions = []
        for model, rows in self.tables.items():
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start:start + 5000])
            versions += [{"table_name": model.__tablename__, "row_id": r["id"],
                          "site_idx": self.dot[0], "seq": self.dot[1]} for r in rows]
            counts[model.__tablename__] = len(rows)
        for start in range(0, len(versions), 5000):
            session.execute(insert(RowVersion), versions[start:start + 5000])
        return counts


def fill_commune(db: Database, rng: random.Random, size: Size) -> dict[str, int]:
    """People, villages, groups with members, and meetings with attendance, in one transaction."""
    new_id = _Ids(rng)
    people_svc, groups_svc, activities_svc = PeopleService(db), GroupsService(db), ActivitiesService(db)
    with db.write() as uow:
        commune_key = uow.installation().commune_key
        rows = _Rows(uow.dot())
        villages = []
        for name in rng.sample(VILLAGE_NAMES, min(len(VILLAGE_NAMES), rng.randint(10, 20))):
            villages.append(rows.add(Village, dict(
                id=new_id(), commune_key=commune_key, name=name, name_fold=fold(name),
                kind=name.split()[0].lower(), extremely_difficult=rng.random() < 0.4))["id"])
        schools = [s.format(place=f"số {i + 1}") for i, s in enumerate(SCHOOLS)]
        adults, children = [], []
        for _ in range(size.people):
            values = person_values(rng, villages, schools)
            values.update(people_svc.derive(values))
            person = rows.add(Person, dict(id=new_id(), commune_key=commune_key, **values))
            (children if values["school"] else adults).append(person)
        groups = _groups(rows, new_id, rng, size, commune_key, villages, adults, children,
                         groups_svc)
        _meetings(rows, new_id, rng, size, commune_key, groups, activities_svc)
        return rows.write(uow.session)


def _groups(rows: _Rows, new_id: _Ids, rng: random.Random, size: Size, commune_key: str,
            villages: list[uuid.UUID], adults: list[dict], children: list[dict],
            groups_svc: GroupsService) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    plan = [(t, max(1, round(n * size.groups / 60)), sizes) for t, n, sizes in GROUP_PLAN]
    made = []
    for type_code, count, (low, high) in plan:
        pool = children if type_code == "CLB" else adults
        for number in range(count):
            launch = DEMO_END - dt.timedelta(days=rng.randint(400, 1400))
            name = f"{type_code} {number + 1} – {rng.choice(VILLAGE_NAMES)}"
            values = dict(type_key=f"group_type:{type_code}", name=name, launch_date=launch,
                          village_id=rng.choice(villages), props={})
            values.update(groups_svc.derive(values))
            group = rows.add(Group, dict(id=new_id(), commune_key=commune_key, **values))
            members = [p["id"] for p in rng.sample(pool, min(len(pool), rng.randint(low, high)))]
            for person_id in members:
                rows.add(Membership, dict(id=new_id(), group_id=group["id"], person_id=person_id,
                                          role_key="role:THANH_VIEN", joined_on=launch))
            made.append((group["id"], members))
    return made


def _meetings(rows: _Rows, new_id: _Ids, rng: random.Random, size: Size, commune_key: str,
              groups: list[tuple[uuid.UUID, list[uuid.UUID]]],
              activities_svc: ActivitiesService) -> None:
    """`size.meetings` meetings spread over the groups through the year, each with the group's
    members ticked present (82 %) or absent, as the demo records them."""
    for number in range(size.meetings):
        group_id, members = groups[number % len(groups)]
        day = DEMO_END - dt.timedelta(days=rng.randint(0, 364))
        values = dict(kind=ActivityKind.GROUP_MEETING.value, group_id=group_id, date_start=day,
                      title=f"Sinh hoạt lần {number // len(groups) + 1}",
                      participation=Participation.ATTENDANCE.value,
                      topic_keys=[rng.choice(TOPICS)], content_key="content:ND1",
                      form_key="form:SINH_HOAT")
        values.update(activities_svc.derive(values))
        activity = rows.add(Activity, dict(id=new_id(), commune_key=commune_key, **values))
        for person_id in members:
            rows.add(Attendance, dict(id=Attendance.make_id(activity["id"], person_id),
                                      activity_id=activity["id"], person_id=person_id,
                                      present=rng.random() < 0.82, is_guest=False))
