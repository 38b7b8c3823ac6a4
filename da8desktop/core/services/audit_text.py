"""What an audit line says, in the officer's language: written at read time from the record it
names (a membership is its person and group, a target its indicator's name), so older lines
read well too and nothing internal (ids, catalogue keys, ISO dates, English) reaches the
screen (issue 19, item 6)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from da8desktop.core.db.models import (AuditEntry, CatalogueItem, Group, Membership, Person,
                                       SafeDeliverySupport, Target, TrustedAddressCase)
from da8desktop.core.formats import format_date, format_figure
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

ERASED = "—"  # redact.ERASED_LABEL: an erased person's lines stay as they are
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

SAFE_DELIVERY = {"normal": QT_TRANSLATE_NOOP("Audit", "Normal delivery"),
                 "caesarean": QT_TRANSLATE_NOOP("Audit", "Caesarean"),
                 "other": QT_TRANSLATE_NOOP("Audit", "Other support")}
# Lines written with fixed English words (before this module, or by the CLI).
FIXED = {"new site id (copied or restored data file)": QT_TRANSLATE_NOOP(
             "Audit", "New identity for this computer (a copied or restored data file)"),
         "personal data erased for good": QT_TRANSLATE_NOOP(
             "Audit", "Personal data erased for good"),
         "print settings": QT_TRANSLATE_NOOP("Audit", "Settings of printed documents")}
PREFIXED = [("setup file ", QT_TRANSLATE_NOOP("Audit", "Setup file {rest}")),
            ("set up from ", QT_TRANSLATE_NOOP("Audit", "Set up from {rest}")),
            ("confirmed ", QT_TRANSLATE_NOOP("Audit", "Computer confirmed: {rest}")),
            ("revoked ", QT_TRANSLATE_NOOP("Audit", "Computer revoked: {rest}"))]
OUTPUTS = {"people": QT_TRANSLATE_NOOP("Audit", "People list"),
           "groups and activities": QT_TRANSLATE_NOOP("Audit", "Groups and activities"),
           "audit": QT_TRANSLATE_NOOP("Audit", "Audit trail"),
           "indicator report": QT_TRANSLATE_NOOP("Audit", "Progress report")}


def _id(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _rows(session: Any, model: Any, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, Any]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {r.id: r for r in session.scalars(select(model).where(model.id.in_(wanted)))}


def describe_all(session: Any, entries: list[AuditEntry]) -> list[str]:
    """One plain description per entry; a few queries for the whole list, not one per line."""
    by_entity: dict[str, list[uuid.UUID | None]] = {}
    for entry in entries:
        by_entity.setdefault(entry.entity, []).append(_id(entry.entity_id))
    memberships = _rows(session, Membership, by_entity.get("membership", []))
    people = _rows(session, Person, [m.person_id for m in memberships.values()])
    groups = _rows(session, Group, [m.group_id for m in memberships.values()])
    targets = _rows(session, Target, by_entity.get("target", []))
    names = {item.key: item.name for item in session.scalars(select(CatalogueItem).where(
        CatalogueItem.key.in_({t.indicator_key for t in targets.values()})))} if targets else {}
    deliveries = _rows(session, SafeDeliverySupport, by_entity.get("safe_delivery_support", []))
    cases = _rows(session, TrustedAddressCase, by_entity.get("trusted_address_case", []))

    def one(entry: AuditEntry) -> str:
        if entry.summary == ERASED:
            return entry.summary
        key = _id(entry.entity_id)
        if entry.entity == "membership" and key in memberships:
            m = memberships[key]
            person, group = people.get(m.person_id), groups.get(m.group_id)
            if person is not None and group is not None:
                return QT_TRANSLATE_NOOP("Audit", "{person} in {group}").render(
                    person=person.full_name, group=group.name)
        if entry.entity == "target" and key in targets:
            t = targets[key]
            return QT_TRANSLATE_NOOP("Audit", "{indicator}, {period}: {value}").render(
                indicator=names.get(t.indicator_key, ""), period=t.period,
                value=format_figure(t.value))
        if entry.entity == "safe_delivery_support" and key in deliveries:
            d = deliveries[key]
            kind = SAFE_DELIVERY.get(d.support_type)
            return f"{kind.render() if kind else ''}, {format_date(d.given_on)}"
        if entry.entity == "trusted_address_case" and key in cases:
            c = cases[key]
            return QT_TRANSLATE_NOOP("Audit", "{count} cases, reported on {date}").render(
                count=c.case_count, date=format_date(c.reported_on))
        return plain(entry.summary, entry.entity)

    return [one(entry) for entry in entries]


def plain(summary: str, entity: str = "") -> str:  # kept for callers
    """A stored summary with its fixed English words translated and dates as dd/mm/yyyy."""
    if summary in FIXED:
        return FIXED[summary].render()
    for prefix, text in PREFIXED:
        if summary.startswith(prefix):
            return text.render(rest=summary[len(prefix):])
    if " -> " in summary:  # "people -> danh-sach.xlsx": what was printed or exported, and where
        what, _arrow, where = summary.partition(" -> ")
        known = OUTPUTS.get(what)
        summary = f"{known.render() if known else what} → {where}"
    return ISO_DATE.sub(_date, summary)


def _date(match: re.Match) -> str:
    try:
        return format_date(dt.date(*map(int, match.groups())))
    except ValueError:  # not a real date: left as written
        return match.group(0)
