"""Indicator definitions, read from the catalogue table (shipped in resources/catalogues/
indicators.json, replaceable by a newer catalogue from the province)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem

# Stock measures are read on one day (how many teams exist); flow measures add up over a span
# (how many dialogues were held). A quarter's chart bar means something different for each.
STOCK_MEASURES = {"groups", "group_members"}
# A percentage (issue 20 item 6, "80 % of women reached") is the share of a people-based
# measure's figure that one breakdown makes up: numerator and denominator from the same records.
SHARE_OF = ("participants", "group_members", "safe_delivery_women")
SHARE_PARTS = ("women", "men", "minority", "children")
PERCENT_UNIT = "%"


@dataclass(frozen=True)
class Indicator:
    key: str
    code: str
    name: str
    name_en: str
    unit: str
    phase: str
    level: str
    compute: dict[str, Any]

    @property
    def measure(self) -> str:
        return str(self.compute.get("measure", ""))

    @property
    def is_stock(self) -> bool:
        if self.is_percent:
            return str(self.compute.get("of", "")) in STOCK_MEASURES
        return self.measure in STOCK_MEASURES

    @property
    def is_percent(self) -> bool:
        """Targets and achieved values in %, bounded 0-100, never summed over communes."""
        return self.measure == "share"


def load_indicators(session: Session, phase: str | None = None) -> list[Indicator]:
    """The active indicators, of one phase if given, in catalogue order."""
    items = session.scalars(select(CatalogueItem).where(
        CatalogueItem.kind == "indicator", CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.sort_order, CatalogueItem.code))
    result = []
    for item in items:
        props = item.props or {}
        indicator = Indicator(item.key, item.code, item.name, item.name_en or item.name,
                              str(props.get("unit", "")), str(props.get("phase", "")),
                              str(props.get("level", "commune")), dict(props.get("compute") or {}))
        if phase is None or indicator.phase == phase:
            result.append(indicator)
    return result


def indicators_of(db: Database, phase: str | None = None) -> list[Indicator]:
    with db.read() as session:
        return load_indicators(session, phase)
