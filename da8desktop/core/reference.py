"""Reference data: administrative units (extracted from `vietnam-provinces`) and catalogues,
both shipped in resources/.

Seeded at open and refreshed when a shipped catalogue's version changes. Catalogue rows are
upserted, never deleted: old records keep pointing at codes a newer catalogue dropped
(those are marked inactive instead).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from da8desktop.core.db.models import AdminSuccession, AdminUnit, CatalogueItem, Setting
from da8desktop.core.domain import AdminLevel, AdminScheme
from da8desktop.core.paths import resource_path
from da8desktop.core.text import fold

if TYPE_CHECKING:
    from da8desktop.core.db.database import Database

REFORM_DATE = dt.date(2025, 7, 1)


def ensure_reference_data(db: "Database") -> None:
    with db.read() as session, session.begin():
        if not session.scalar(select(func.count()).select_from(AdminUnit)
                              .where(AdminUnit.scheme == AdminScheme.TWO_TIER_2025.value)):
            seed_admin_units_2025(session)
        if not session.scalar(select(func.count()).select_from(AdminUnit)
                              .where(AdminUnit.scheme == AdminScheme.THREE_TIER_PRE_2025.value)):
            seed_admin_units_pre2025(session)
        for path in catalogue_files():
            # Only a newer shipped version replaces what is loaded: a catalogue the province
            # edited (or sent) carries a higher version and stays (issue 21, item 1).
            load_catalogue(session, read_catalogue(path), only_newer=True)


def catalogue_files() -> list[Path]:
    """Shipped catalogues, the programme structure first (other catalogues point into it)."""
    return sorted(resource_path("catalogues").glob("*.json"),
                  key=lambda p: (p.stem != "programme", p.stem))


def _admin_data() -> dict[str, Any]:
    return json.loads(resource_path("admin_units", "admin_units.json").read_text("utf-8"))


def seed_admin_units_2025(session: Session) -> int:
    """34 provinces and 3,321 communes of the 2025 two-tier scheme, valid from 1/7/2025."""
    data = _admin_data()
    scheme = AdminScheme.TWO_TIER_2025.value
    rows = []
    for code, name, kind in data["current_provinces"]:
        rows.append(dict(key=AdminUnit.make_key(scheme, "province", code), scheme=scheme,
                         level=AdminLevel.PROVINCE.value, code=f"{code:02d}", name=name,
                         division_type=kind, name_fold=fold(name), parent_key=None,
                         valid_from=REFORM_DATE, valid_to=None))
    for code, name, kind, province in data["current_communes"]:
        rows.append(dict(key=AdminUnit.make_key(scheme, "commune", code), scheme=scheme,
                         level=AdminLevel.COMMUNE.value, code=f"{code:05d}", name=name,
                         division_type=kind, name_fold=fold(name),
                         parent_key=AdminUnit.make_key(scheme, "province", province),
                         valid_from=REFORM_DATE, valid_to=None))
    session.execute(insert(AdminUnit), rows)
    return len(rows)


def seed_admin_units_pre2025(session: Session) -> int:
    """63 provinces, 696 districts, 10,051 communes valid until 30/6/2025, and the old -> new
    succession (resources/admin_units/admin_units.json, extracted from vietnam-provinces 2026.x
    by da8desktop.devtools.admin_units). A split old commune gets one row per new commune."""
    data = _admin_data()
    old, new = AdminScheme.THREE_TIER_PRE_2025.value, AdminScheme.TWO_TIER_2025.value
    effective = dt.date.fromisoformat(data["effective"])
    ends = effective - dt.timedelta(days=1)

    def unit(level: str, code: int, name: str, kind: str, parent: str | None) -> dict[str, Any]:
        return dict(key=AdminUnit.make_key(old, level, code), scheme=old, level=level,
                    code=AdminUnit.make_key(old, level, code).rsplit(":", 1)[1], name=name,
                    division_type=kind, name_fold=fold(name), parent_key=parent,
                    valid_from=None, valid_to=ends)

    rows = [unit("province", c, n, k, None) for c, n, k in data["provinces"]]
    rows += [unit("district", c, n, k, AdminUnit.make_key(old, "province", p))
             for c, n, k, p in data["districts"]]
    rows += [unit("commune", c, n, k, AdminUnit.make_key(old, "district", d))
             for c, n, k, d in data["communes"]]
    session.execute(insert(AdminUnit), rows)
    existing = set(session.scalars(select(AdminUnit.key)))
    successions: list[dict[str, Any]] = []
    for level, pairs in (("province", data["province_succession"]),
                         ("commune", data["commune_succession"])):
        olds_of_new: dict[int, int] = {}
        for _old_code, new_codes in pairs:
            for code in new_codes:
                olds_of_new[code] = olds_of_new.get(code, 0) + 1
        for old_code, new_codes in pairs:
            for code in new_codes:
                old_key = AdminUnit.make_key(old, level, old_code)
                new_key = AdminUnit.make_key(new, level, code)
                if old_key not in existing or new_key not in existing:
                    continue  # the two lists disagree on a code: keep both units, no guessed link
                kind = ("split" if len(new_codes) > 1 else
                        "merge" if olds_of_new[code] > 1 else "rename")
                successions.append(dict(old_key=old_key, new_key=new_key, kind=kind, effective=effective))
    session.execute(insert(AdminSuccession), successions)
    return len(rows)


@dataclass(frozen=True)
class CatalogueFile:
    name: str
    version: str
    items: list[dict[str, Any]]


def read_catalogue(path: Path) -> CatalogueFile:
    data = json.loads(path.read_text("utf-8"))
    return CatalogueFile(data["catalogue"], data["version"], data["items"])


def version_tuple(version: str) -> tuple[int, ...]:
    """'2026.1' -> (2026, 1); an unreadable version sorts first."""
    try:
        return tuple(int(p) for p in version.replace("-", ".").split("."))
    except (ValueError, AttributeError):
        return ()


def loaded_catalogue_version(session: Session, name: str) -> str | None:
    loaded = session.get(Setting, f"catalogue_version:{name}")
    return None if loaded is None else str(loaded.value)


def load_catalogue_file(session: Session, path: Path) -> bool:
    """Upsert one shipped catalogue when its version differs from the loaded one."""
    return load_catalogue(session, read_catalogue(path))


def load_catalogue(session: Session, catalogue: CatalogueFile, *, only_newer: bool = False) -> bool:
    """Upsert one catalogue when its version differs from the loaded one (or, for catalogues
    the province sends, only when it is newer: a replayed old bundle must not roll it back).
    True if loaded."""
    setting_key = f"catalogue_version:{catalogue.name}"
    loaded = session.get(Setting, setting_key)
    if loaded is not None and loaded.value == catalogue.version:
        return False
    if only_newer and loaded is not None and \
            version_tuple(catalogue.version) <= version_tuple(str(loaded.value)):
        return False
    seen: set[str] = set()
    kinds: set[str] = set()
    for order, item in enumerate(catalogue.items):
        scheme = item.get("scheme", "")
        key = CatalogueItem.make_key(item["kind"], item["code"], scheme)
        seen.add(key)
        kinds.add(item["kind"])
        values = dict(kind=item["kind"], scheme=scheme, code=item["code"], name=item["name"],
                      name_en=item.get("name_en"), parent_key=item.get("parent"),
                      alt_names=item.get("alt_names", []), props=item.get("props", {}),
                      sort_order=item.get("sort", order), active=True,
                      catalogue_version=catalogue.version)
        row = session.get(CatalogueItem, key)
        if row is None:
            session.add(CatalogueItem(key=key, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
        session.flush()  # parents are listed before children; keep FKs satisfied in order
    for row in session.scalars(select(CatalogueItem).where(CatalogueItem.kind.in_(kinds))):
        if row.key not in seen:
            row.active = False
    if loaded is None:
        session.add(Setting(key=setting_key, value=catalogue.version))
    else:
        loaded.value = catalogue.version
    return True
