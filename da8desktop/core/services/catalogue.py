"""The province edits the indicator catalogue and the activity groups (issue 21, item 1).

A province may follow new national guidance (phase II indicators are not settled) without a new
program: it adds, edits and retires indicators (code, name, unit, phase, level, the computation
rule chosen from the rules this program knows, with its parameters) and activity groups. Each
saved edit is a new version of that catalogue ("2026.2" -> "2026.2.1"), loaded here in one
transaction and sent to the communes with the next bundles (export.catalogue_entry), where it
replaces an older version. A rule this program does not know is refused at the province:
communes run the same program, so they would not know it either."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem, Installation
from da8desktop.core.domain import Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.reference import (CatalogueFile, catalogue_files, load_catalogue,
                                       loaded_catalogue_version, read_catalogue, version_tuple)

# The computation rules of core/indicators/measures.py (Measurer._<rule>).
KNOWN_RULES = ("groups", "group_members", "activities", "participants", "safe_delivery_women",
               "share", "cases", "people_reached")
PHASES = ("2021-2025", "2026-2030")
LEVELS = ("commune", "village")
CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,39}$")
PARAM_NAME = re.compile(r"^[a-z_]{1,40}$")
MAX_ITEMS = 500
EDITABLE = {"indicator": "indicators", "activity_group": "programme"}  # kind -> catalogue


@dataclass(frozen=True)
class EditedItem:
    kind: str
    item: dict[str, Any]


@dataclass
class CatalogueChange:
    """What a sheet would change, before anything is saved."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    unchanged: int = 0
    refused: list[str] = field(default_factory=list)  # "sheet row: reason"
    items: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # kind -> kept items
    versions: dict[str, str] = field(default_factory=dict)  # catalogue -> new version
    edited_kinds: set[str] = field(default_factory=set)  # kinds with something to save

    def as_json(self) -> dict[str, Any]:
        return {"added": self.added, "changed": self.changed, "retired": self.retired,
                "unchanged": self.unchanged, "refused": self.refused, "versions": self.versions}


def known_rules() -> tuple[str, ...]:
    from da8desktop.core.indicators.measures import Measurer

    return tuple(rule for rule in KNOWN_RULES if hasattr(Measurer, f"_{rule}"))


def versions(db: Database) -> dict[str, str | None]:
    """Each catalogue's version held here; a commune shows the one its province sent."""
    with db.read() as session:
        return {read_catalogue(p).name: loaded_catalogue_version(session, read_catalogue(p).name)
                for p in catalogue_files()}


def current_items(session: Session, kind: str) -> list[dict[str, Any]]:
    """The active items of one kind, as a catalogue file lists them."""
    rows = session.scalars(select(CatalogueItem).where(
        CatalogueItem.kind == kind, CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.sort_order, CatalogueItem.code))
    items = []
    for row in rows:
        item: dict[str, Any] = {"kind": row.kind, "code": row.code, "name": row.name}
        if row.name_en:
            item["name_en"] = row.name_en
        if row.scheme:
            item["scheme"] = row.scheme
        if row.parent_key:
            item["parent"] = row.parent_key
        if row.alt_names:
            item["alt_names"] = list(row.alt_names)
        if row.props:
            item["props"] = dict(row.props)
        item["sort"] = row.sort_order
        items.append(item)
    return items


def catalogue_from_db(session: Session, shipped: CatalogueFile) -> CatalogueFile | None:
    """The catalogue as this database holds it, when it is not the shipped version (edited at
    this province, or received from it); None when the shipped file says it all."""
    loaded = loaded_catalogue_version(session, shipped.name)
    if loaded is None or loaded == shipped.version:
        return None
    kinds = list(dict.fromkeys(item["kind"] for item in shipped.items))
    return CatalogueFile(shipped.name, loaded, [i for k in kinds for i in current_items(session, k)])


def _refuse_unless_province(session: Session) -> None:
    inst = session.get(Installation, 1)
    if inst is None or inst.role not in (Role.PROVINCE.value, Role.CENTRAL.value):  # the centre too
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Catalogue", "Only the province edits the catalogue; a commune receives it with the "
            "province's bundles."))


def parse_parameters(text: Any) -> dict[str, Any]:
    """The rule's parameters: a JSON object of names to text, numbers, yes/no or lists of text."""
    if text in (None, ""):
        return {}
    try:
        value = json.loads(str(text))
    except ValueError:
        raise ValueError("not JSON") from None
    if not isinstance(value, dict) or len(value) > 10:
        raise ValueError("not an object")
    for name, item in value.items():
        ok = (isinstance(item, (str, bool, int, float)) and len(str(item)) <= 100) or (
            isinstance(item, list) and len(item) <= 20
            and all(isinstance(v, str) and len(v) <= 100 for v in item))
        if not PARAM_NAME.match(name) or name == "measure" or not ok:
            raise ValueError(name)
    return value


def plan_edit(db: Database, edited: dict[str, list[tuple[str, dict[str, Any]]]]) -> CatalogueChange:
    """Compare the edited lists (kind -> [(sheet row, item)]) with what is held; every list
    given is the whole list of its kind (an item left out is retired)."""
    change = CatalogueChange()
    rules = known_rules()
    with db.read() as session:
        _refuse_unless_province(session)
        for kind, rows in edited.items():
            held = {i["code"]: i for i in current_items(session, kind)}
            before_count = len(change.added) + len(change.changed)
            kept: list[dict[str, Any]] = []
            seen: set[str] = set()
            for number, item in rows[:MAX_ITEMS]:
                problem = _problem(kind, item, rules, seen, session)
                if problem:
                    change.refused.append(f"{number}: {problem}")
                    continue
                seen.add(item["code"])
                if not item.pop("_active", True):
                    continue  # retired below
                item["sort"] = len(kept)
                kept.append(item)
                before = held.get(item["code"])
                if before is None:
                    change.added.append(item["code"])
                elif _differs(before, item):
                    change.changed.append(item["code"])
                else:
                    change.unchanged += 1
            retired = [code for code in held if code not in {i["code"] for i in kept}]
            change.retired += retired
            change.items[kind] = kept
            if retired or len(change.added) + len(change.changed) > before_count:
                change.edited_kinds.add(kind)
                name = EDITABLE[kind]
                loaded = loaded_catalogue_version(session, name) or "0"
                change.versions[name] = _next_version(loaded)
    return change


def _differs(before: dict[str, Any], after: dict[str, Any]) -> bool:
    fields = ("name", "name_en", "parent", "props")
    return any(before.get(f) != after.get(f) for f in fields)


def _next_version(loaded: str) -> str:
    parts = list(version_tuple(loaded)) or [0]
    if len(parts) < 3:
        parts += [0] * (3 - len(parts))
    parts[-1] += 1
    return ".".join(str(p) for p in parts)


def _problem(kind: str, item: dict[str, Any], rules: tuple[str, ...], seen: set[str],
             session: Session) -> str | None:
    code = item.get("code") or ""
    if not CODE.match(code):
        return QT_TRANSLATE_NOOP("Catalogue", "the code \"{code}\" is not a code (capital "
                                 "letters, digits, dots; at most 40).").render(code=code)
    if code in seen:
        return QT_TRANSLATE_NOOP("Catalogue", "the code {code} is listed twice.").render(code=code)
    if not item.get("name") or len(item["name"]) > 300:
        return QT_TRANSLATE_NOOP("Catalogue", "{code} needs a name of at most 300 characters."
                                 ).render(code=code)
    if kind == "activity_group":
        parent = item.get("parent")
        if session.get(CatalogueItem, parent or "") is None:
            return QT_TRANSLATE_NOOP("Catalogue", "{code}: no programme content has the code "
                                     "{parent}.").render(code=code, parent=str(parent or "")
                                                         .split(":")[-1])
        return None
    props = item["props"]
    if props.get("phase") not in PHASES:
        return QT_TRANSLATE_NOOP("Catalogue", "{code}: the phase is 2021-2025 or 2026-2030."
                                 ).render(code=code)
    if props.get("level") not in LEVELS:
        return QT_TRANSLATE_NOOP("Catalogue", "{code}: the level is commune or village."
                                 ).render(code=code)
    if not props.get("unit") or len(str(props["unit"])) > 40:
        return QT_TRANSLATE_NOOP("Catalogue", "{code} needs a unit (at most 40 characters)."
                                 ).render(code=code)
    rule = props["compute"].get("measure")
    if rule not in rules:
        return QT_TRANSLATE_NOOP(
            "Catalogue", "{code}: this program does not know the rule \"{rule}\" (it knows: "
            "{rules}). Update the communes' program first, then use the new rule.").render(
                code=code, rule=rule, rules=", ".join(rules))
    return _share_problem(code, props)


def _share_problem(code: str, props: dict[str, Any]) -> str | None:
    """A percentage is the `share` rule in %, and only it: a count in % would be summed."""
    from da8desktop.core.indicators.catalogue import PERCENT_UNIT, SHARE_OF, SHARE_PARTS

    compute = props["compute"]
    is_share = compute.get("measure") == "share"
    if is_share != (str(props["unit"]).strip() == PERCENT_UNIT):
        return QT_TRANSLATE_NOOP(
            "Catalogue", "{code}: a percentage has the unit % and the rule share, and the rule "
            "share has the unit %.").render(code=code)
    if is_share and (compute.get("of") not in SHARE_OF or compute.get("part") not in SHARE_PARTS):
        return QT_TRANSLATE_NOOP(
            "Catalogue", "{code}: the rule share needs the parameters \"of\" ({measures}) and "
            "\"part\" ({parts}).").render(code=code, measures=", ".join(SHARE_OF),
                                          parts=", ".join(SHARE_PARTS))
    return None


def apply_edit(db: Database, change: CatalogueChange) -> dict[str, str]:
    """Save the new versions in one transaction. Returns catalogue -> version saved."""
    if change.refused:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Catalogue", "{count} rows of the sheet were refused, so the catalogue was not "
            "changed. Correct them and import the sheet again."), count=len(change.refused))
    if not (change.added or change.changed or change.retired):
        return {}
    saved = {}
    with db.write() as uow:
        _refuse_unless_province(uow.session)
        for kind, items in change.items.items():
            if kind not in change.edited_kinds:
                continue
            name = EDITABLE[kind]
            shipped = next(read_catalogue(p) for p in catalogue_files()
                           if read_catalogue(p).name == name)
            kinds = list(dict.fromkeys(i["kind"] for i in shipped.items))
            whole = [i for k in kinds
                     for i in (items if k == kind else current_items(uow.session, k))]
            load_catalogue(uow.session, CatalogueFile(name, change.versions[name], whole))
            saved[name] = change.versions[name]
        uow.audit("update", None, "catalogue " + ", ".join(f"{k} {v}" for k, v in saved.items()),
                  {"added": change.added, "changed": change.changed, "retired": change.retired},
                  entity="catalogue", entity_id=",".join(saved))
    return saved


def current_items_of(db: Database) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(indicators, activity groups) in use, for the catalogue page."""
    with db.read() as session:
        return current_items(session, "indicator"), current_items(session, "activity_group")


def received_catalogue_problem(session: Session, name: str, version: str,
                               items: list[dict[str, Any]]) -> str | None:
    """Why a newer catalogue received from another computer (the centre's, to a province)
    cannot be loaded here, in the officer's language, or None. The same rules as an edit made
    here (`_problem`: known rules, phases, units, percentages), and one more: it may not retire
    an indicator this computer's targets use — their figures would leave every report without
    anyone having decided it here."""
    loaded = loaded_catalogue_version(session, name)
    if loaded is not None and version_tuple(version) <= version_tuple(loaded):
        return None  # not loaded (a replayed or older version): nothing to check
    rules = known_rules()
    seen: set[str] = set()
    for item in items:
        if item.get("kind") != "indicator":
            continue
        props = item.get("props")
        if not isinstance(props, dict) or not isinstance(props.get("compute"), dict):
            return QT_TRANSLATE_NOOP("Catalogue", "{code}: the indicator has no computation "
                                     "rule.").render(code=str(item.get("code"))[:40])
        problem = _problem("indicator", dict(item), rules, seen, session)
        if problem:
            return problem
        seen.add(item["code"])
    if not any(item.get("kind") == "indicator" for item in items):
        return None
    from da8desktop.core.db.models import Target

    kept = {CatalogueItem.make_key(i["kind"], i["code"], i.get("scheme", "")) for i in items}
    used = sorted(set(session.scalars(
        select(CatalogueItem.code).join(Target, Target.indicator_key == CatalogueItem.key).where(
            Target.deleted.is_(False), CatalogueItem.active.is_(True),
            CatalogueItem.key.not_in(kept)))))
    if used:
        return QT_TRANSLATE_NOOP(
            "Catalogue", "it would retire indicators that this province's targets use "
            "({codes}); their figures would disappear from the reports. Ask the centre, or "
            "remove those targets first.").render(codes=", ".join(used[:10]))
    return None
