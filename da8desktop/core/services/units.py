"""Which unit a record belongs to (issue 20 items 7 and 8).

Every record is stamped with the installation's own unit: its 2025 commune, or, at the province,
the province itself (the province's own trainings and conferences: they count in the province's
figures, never in a commune's, and never travel to a commune). A record of a commune formed by
merging can also carry the pre-2025 commune it happened in (`legacy_unit_key`): one of the old
communes the admin reference data says went into this one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, AdminSuccession, AdminUnit, Installation,
                                       SafeDeliverySupport, Setting)
from da8desktop.core.domain import AdminLevel, AdminScheme, Role
from da8desktop.core.errors import Issue, UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.reference import REFORM_DATE

ASKED_KEY = "legacy_unit_asked"  # setting: the officer was asked once (answered or declined)
# The dated records that can carry a legacy unit, with the column that dates them.
DATED: tuple[tuple[Any, Any], ...] = ((Activity, Activity.date_start),
                                      (SafeDeliverySupport, SafeDeliverySupport.given_on))


def own_unit_key(inst: Installation) -> str:
    """The unit this installation's records are stamped with."""
    return inst.commune_key or inst.province_key


def is_province_key(key: str | None) -> bool:
    return bool(key) and f":{AdminLevel.PROVINCE.value}:" in str(key)


@dataclass(frozen=True)
class LegacyUnit:
    key: str
    code: str
    name: str
    district: str  # the old district's name, which tells two same-named communes apart

    @property
    def label(self) -> str:
        return f"{self.name} ({self.district})" if self.district else self.name


def old_units(session: Session, commune_key: str | None) -> list[LegacyUnit]:
    """The pre-2025 communes that went (whole or in part) into `commune_key`."""
    if not commune_key:
        return []
    units = session.scalars(select(AdminUnit).where(AdminUnit.key.in_(
        select(AdminSuccession.old_key).where(AdminSuccession.new_key == commune_key)),
        AdminUnit.scheme == AdminScheme.THREE_TIER_PRE_2025.value,
        AdminUnit.level == AdminLevel.COMMUNE.value)).all()
    districts = {u.key: u.name for u in session.scalars(select(AdminUnit).where(
        AdminUnit.key.in_({u.parent_key for u in units if u.parent_key})))}
    return sorted((LegacyUnit(u.key, u.code, u.name, districts.get(u.parent_key or "", ""))
                   for u in units), key=lambda u: u.code)


def legacy_unit_problem(session: Session, values: dict[str, Any]) -> Issue | None:
    """A record's legacy unit must be one of the old communes merged into its commune."""
    key = values.get("legacy_unit_key")
    if not key:
        return None
    if key not in {u.key for u in old_units(session, values.get("commune_key"))}:
        return Issue("legacy_unit_key", QT_TRANSLATE_NOOP(
            "Units", "Choose one of the former communes that were merged into this commune."))
    return None


def province_only_own(session: Session, values: dict[str, Any]) -> Issue | None:
    """At the province an activity is the province's own: it never edits a commune's."""
    inst = session.get(Installation, 1)
    if inst is not None and inst.role == Role.PROVINCE.value \
            and values.get("commune_key") != inst.province_key:
        return Issue("commune_key", QT_TRANSLATE_NOOP(
            "Units", "The province records only its own activities; a commune's records are "
                     "changed by the commune."))
    return None


# -- a commune formed by merging: which old commune its earlier records belong to -------------
def installation_commune(session: Session) -> str | None:
    inst = session.get(Installation, 1)
    return inst.commune_key if inst is not None and inst.role == Role.COMMUNE.value else None


def unassigned_count(session: Session, before: dt.date) -> int:
    commune = installation_commune(session)
    if commune is None:
        return 0
    return sum(len(session.scalars(select(model.id).where(
        model.commune_key == commune, model.deleted.is_(False), model.legacy_unit_key.is_(None),
        column < before)).all()) for model, column in DATED)


def units_to_ask(db: Database) -> list[LegacyUnit]:
    """The old communes to choose from when the question is still to be asked: this commune
    was formed by merging (two or more old communes), phase-I records (before the reform) carry
    no legacy unit, and the officer was not asked before. Empty: nothing to ask."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if session.get(Setting, ASKED_KEY) is not None or inst is None or inst.is_demo:
            return []  # asked before, or the demo (not an officer's records)
        units = old_units(session, installation_commune(session))
        if len(units) < 2 or unassigned_count(session, REFORM_DATE) == 0:
            return []
        return units


def mark_asked(db: Database) -> None:
    with db.write() as uow:
        if uow.session.get(Setting, ASKED_KEY) is None:
            uow.session.add(Setting(key=ASKED_KEY, value=True))


def resolve_unit(session: Session, code_or_key: str) -> LegacyUnit:
    """An old commune of this commune named by its code (pre-2025) or its key."""
    units = old_units(session, installation_commune(session))
    wanted = code_or_key.strip()
    for unit in units:
        if wanted in (unit.key, unit.code) or (wanted.isdigit() and unit.code.isdigit()
                                               and int(wanted) == int(unit.code)):
            return unit
    raise UserFacingError(QT_TRANSLATE_NOOP(
        "Units", "{code} is not one of the former communes merged into this commune ({codes})."),
        code=wanted, codes=", ".join(f"{u.code} {u.name}" for u in units) or "-")


def assign_legacy_unit(db: Database, code_or_key: str, before: dt.date = REFORM_DATE) -> int:
    """Every record of this commune dated before `before` with no legacy unit yet is stamped
    with the old commune chosen; one transaction. Returns how many records changed."""
    with db.write() as uow:
        unit = resolve_unit(uow.session, code_or_key)
        commune = installation_commune(uow.session)
        changed = 0
        for model, column in DATED:
            for row in uow.session.scalars(select(model).where(
                    model.commune_key == commune, model.deleted.is_(False),
                    model.legacy_unit_key.is_(None), column < before)):
                uow.update(row, {"legacy_unit_key": unit.key})
                changed += 1
        if uow.session.get(Setting, ASKED_KEY) is None:
            uow.session.add(Setting(key=ASKED_KEY, value=True))
        return changed


@dataclass(frozen=True)
class FormScope:
    """What a form offers here: at the province its own unit (its people, no villages), at a
    commune formed by merging the former communes a record can carry."""

    province_key: str | None
    former: list[LegacyUnit]


def form_scope(db: Database) -> FormScope:
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return FormScope(None, [])
        if inst.role == Role.PROVINCE.value:
            return FormScope(inst.province_key, [])
        units = old_units(session, inst.commune_key)
        return FormScope(None, units if len(units) > 1 else [])
