"""Reference data: administrative units from `vietnam-provinces`, catalogues from resources/.

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

from da8desktop.core.db.models import AdminUnit, CatalogueItem, Setting
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
        for path in catalogue_files():
            load_catalogue_file(session, path)


def catalogue_files() -> list[Path]:
    """Shipped catalogues, the programme structure first (other catalogues point into it)."""
    return sorted(resource_path("catalogues").glob("*.json"),
                  key=lambda p: (p.stem != "programme", p.stem))


def seed_admin_units_2025(session: Session) -> int:
    """34 provinces and 3,321 communes of the 2025 two-tier scheme, valid from 1/7/2025."""
    import vietnam_provinces

    divisions = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text("utf-8"))
    scheme = AdminScheme.TWO_TIER_2025.value
    provinces: list[dict[str, Any]] = []
    communes: list[dict[str, Any]] = []
    for province in divisions:
        pkey = AdminUnit.make_key(scheme, "province", province["code"])
        provinces.append(dict(key=pkey, scheme=scheme, level=AdminLevel.PROVINCE.value,
                              code=f"{province['code']:02d}", name=province["name"],
                              division_type=province["division_type"],
                              name_fold=fold(province["name"]), parent_key=None,
                              valid_from=REFORM_DATE, valid_to=None))
        for ward in province["wards"]:
            communes.append(dict(key=AdminUnit.make_key(scheme, "commune", ward["code"]),
                                 scheme=scheme, level=AdminLevel.COMMUNE.value,
                                 code=f"{ward['code']:05d}", name=ward["name"],
                                 division_type=ward["division_type"], name_fold=fold(ward["name"]),
                                 parent_key=pkey, valid_from=REFORM_DATE, valid_to=None))
    session.execute(insert(AdminUnit), provinces)
    session.execute(insert(AdminUnit), communes)
    return len(provinces) + len(communes)


@dataclass(frozen=True)
class CatalogueFile:
    name: str
    version: str
    items: list[dict[str, Any]]


def read_catalogue(path: Path) -> CatalogueFile:
    data = json.loads(path.read_text("utf-8"))
    return CatalogueFile(data["catalogue"], data["version"], data["items"])


def load_catalogue_file(session: Session, path: Path) -> bool:
    """Upsert one catalogue when its version differs from the loaded one. True if loaded."""
    catalogue = read_catalogue(path)
    setting_key = f"catalogue_version:{catalogue.name}"
    loaded = session.get(Setting, setting_key)
    if loaded is not None and loaded.value == catalogue.version:
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
