"""Lists for pickers: (text shown, value stored, extra words to match: alternative names)."""

from __future__ import annotations

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem, Installation
from da8desktop.core.services.groups_query import list_groups
from da8desktop.core.services.villages import VillagesService

Choice = tuple[str, object, str]


def catalogue_choices(db: Database, kind: str, scheme: str = "") -> list[Choice]:
    with db.read() as session:
        items = session.scalars(select(CatalogueItem).where(
            CatalogueItem.kind == kind, CatalogueItem.scheme == scheme,
            CatalogueItem.active.is_(True)).order_by(CatalogueItem.sort_order))
        return [(i.name, i.key, " ".join(i.alt_names or [])) for i in items]


def ethnic_choices(db: Database) -> list[Choice]:
    """The code list the province chose (2008 by default), with alternative names (Mèo, Mán…)."""
    with db.read() as session:
        inst = session.get(Installation, 1)
    return catalogue_choices(db, "ethnic", inst.ethnic_scheme if inst else "2008")


def village_choices(db: Database) -> list[Choice]:
    return [(v.name, v.id, "") for v in VillagesService(db).list()]


def group_choices(db: Database) -> list[Choice]:
    return [(g.name, g.id, g.type_short) for g in list_groups(db)]


def ethnic_lookup(db: Database) -> dict[str, str]:
    """Folded name or alternative name -> catalogue key, for the chosen code list: "Hmông",
    "H'Mông", "Mèo" and "Mông" all find Mông."""
    from da8desktop.core.text import fold_compact

    with db.read() as session:
        inst = session.get(Installation, 1)
        scheme = inst.ethnic_scheme if inst else "2008"
        items = session.scalars(select(CatalogueItem).where(
            CatalogueItem.kind == "ethnic", CatalogueItem.scheme == scheme))
        lookup: dict[str, str] = {}
        for item in items:
            for name in [item.name, *(item.alt_names or [])]:
                lookup.setdefault(fold_compact(name), item.key)
        return lookup
