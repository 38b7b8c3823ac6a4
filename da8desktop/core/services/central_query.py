"""What the centre's page shows (issue 21, item 6): every province's figures per indicator for a
period, and one province's communes. Read only: the figures are the provinces' own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (AdminUnit, CatalogueItem, CentralFigure, CentralTarget,
                                       Setting, SyncBundle, SyncPeer)
from da8desktop.core.domain import Role
from da8desktop.core.text import collation_key


@dataclass
class Row:
    """A province (or a commune of one): value and target per indicator code."""

    code: str
    name: str
    values: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    last_bundle: dt.datetime | None = None


@dataclass
class CentralGrid:
    periods: list[str]
    period: str | None
    indicators: list[tuple[str, str]]  # (code, name)
    rows: list[Row]


def _periods(session) -> list[str]:  # noqa: ANN001
    found = set(session.scalars(select(CentralFigure.period).distinct()))
    found |= set(session.scalars(select(CentralTarget.period).distinct()))
    return sorted(found, key=lambda p: (len(p) > 4, p), reverse=True)  # years first, newest


def _names(session) -> dict[str, str]:  # noqa: ANN001
    """Indicator names: the provinces' catalogues, then the centre's own (which wins)."""
    names: dict[str, str] = {}
    for setting in session.scalars(select(Setting).where(Setting.key.like("central:indicators:%"))):
        for item in setting.value or []:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                names.setdefault(item["code"], str(item.get("name", ""))[:300])
    for code, name in session.execute(select(CatalogueItem.code, CatalogueItem.name).where(
            CatalogueItem.kind == "indicator")):
        names[code] = name
    return names


def central_grid(db: Database, period: str | None = None, province: str | None = None
                 ) -> CentralGrid:
    """Provinces x indicators for `period` (the newest year by default); with `province` (its
    code), that province's communes instead."""
    with db.read() as session:
        periods = _periods(session)
        period = period if period in periods else (periods[0] if periods else None)
        by_key: dict[str, Row] = {}
        if province is None:
            last = dict(session.execute(
                select(SyncPeer.province_key, func.max(SyncBundle.processed_at))
                .join(SyncBundle, SyncBundle.peer_id == SyncPeer.id)
                .where(SyncBundle.direction == "in").group_by(SyncPeer.province_key)).all())
            for peer in session.scalars(select(SyncPeer).where(
                    SyncPeer.role == Role.PROVINCE.value, SyncPeer.status != "revoked")):
                unit = session.get(AdminUnit, peer.province_key)
                if unit is not None and unit.key not in by_key:
                    by_key[unit.key] = Row(unit.code, unit.name, last_bundle=last.get(unit.key))
        else:
            key = f"2025:province:{province}"
        codes: set[str] = set()
        for model in (CentralFigure, CentralTarget):
            column = model.province_key if province is None else model.commune_key
            query = select(column, model.indicator_code, func.sum(model.value)).where(
                model.period == period).group_by(column, model.indicator_code)
            if province is not None:
                query = query.where(model.province_key == key)
            for unit_key, code, value in session.execute(query):
                if unit_key not in by_key:
                    unit = session.get(AdminUnit, unit_key)
                    by_key[unit_key] = Row(unit.code if unit else "?", unit.name if unit else "?")
                row = by_key[unit_key]
                (row.values if model is CentralFigure else row.targets)[code] = float(value or 0)
                codes.add(code)
        names = _names(session)
        indicators = sorted((c, names.get(c, c)) for c in codes)
        rows = sorted(by_key.values(), key=lambda r: collation_key(r.name))
        return CentralGrid(periods, period, indicators, rows)
