"""One declaration of every user-entered field's limits and form (issue #18, item 2).

The same rules are checked by the services (forms), the Excel import and the sync decoder, so
what a commune accepts the province accepts. Maximum lengths are the SQLAlchemy columns'
String(N) (tests/core/test_fields.py checks each one against its column); no column is widened
here. A rule answers with a translatable Issue naming the field in plain words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text

TOO_LONG = QT_TRANSLATE_NOOP("Fields", "{field} is longer than {length} characters.")
BAD_PHONE = QT_TRANSLATE_NOOP(
    "Fields", "{field}: write one or two phone numbers of 8 to 11 digits (for example "
    "0912 345 678, or 0912345678 / 0987654321); put any other number in the note.")
BAD_CCCD = QT_TRANSLATE_NOOP("Fields", "{field}: a CCCD number has 12 digits (an old CMND has 9).")
BAD_YEAR = QT_TRANSLATE_NOOP("Fields", "{field} must be between {low} and {high}.")
BAD_CODES = QT_TRANSLATE_NOOP("Fields", "{field}: choose from the list (no text of your own).")

# One number: an optional +84 (or 84) then 8 to 11 digits, spaces or dots inside.
_NUMBER = r"(?:\+?84[ .]?)?\d(?:[ .]?\d){7,10}"
_PHONE = re.compile(rf"{_NUMBER}(?:(?: ?[/,] ?| - ){_NUMBER})?")
_ID_NUMBER = re.compile(r"\d{9}|\d{12}")
FIRST_YEAR = 1900


@dataclass(frozen=True)
class FieldRule:
    table: str
    name: str
    label: Text
    max_length: int | None = None
    form: str | None = None  # phone, cccd, year

    def problem(self, value: Any) -> Issue | None:
        """The Issue for a value this field may not hold, or None. None and "" are left to the
        column's own required/nullable rules."""
        if value is None or value == "":
            return None
        if isinstance(value, str) and self.max_length is not None and len(value) > self.max_length:
            return Issue(self.name, TOO_LONG, {"field": self.label.render(),
                                               "length": self.max_length})
        check = _FORMS.get(self.form or "")
        return check(self, value) if check else None


def _phone(rule: FieldRule, value: Any) -> Issue | None:
    if isinstance(value, str) and _PHONE.fullmatch(value):
        return None
    return Issue(rule.name, BAD_PHONE, {"field": rule.label.render()})


def _cccd(rule: FieldRule, value: Any) -> Issue | None:
    if isinstance(value, str) and _ID_NUMBER.fullmatch(value):
        return None
    return Issue(rule.name, BAD_CCCD, {"field": rule.label.render()})


def _year(rule: FieldRule, value: Any) -> Issue | None:
    high = dt.date.today().year
    if type(value) is int and FIRST_YEAR <= value <= high:
        return None
    return Issue(rule.name, BAD_YEAR, {"field": rule.label.render(), "low": FIRST_YEAR,
                                       "high": high})


def _bounded(low: int, high: int) -> Callable[[FieldRule, Any], Issue | None]:
    """A whole number typed by hand (cases, owners): a typo of 10,000 is caught at entry and
    refused in a bundle, the same limit on both sides."""
    def check(rule: FieldRule, value: Any) -> Issue | None:
        if type(value) is int and low <= value <= high:
            return None
        return Issue(rule.name, BAD_YEAR, {"field": rule.label.render(), "low": low, "high": high})
    return check


# Support given to a trusted address's cases: catalogue codes only, never free text, where a
# victim's name could be written (domain.md §6).
_CASE_SUPPORT = re.compile(r"case_support:[A-Z0-9_]{1,40}(?:,case_support:[A-Z0-9_]{1,40}){0,5}")


def _case_support(rule: FieldRule, value: Any) -> Issue | None:
    if isinstance(value, str) and _CASE_SUPPORT.fullmatch(value):
        return None
    return Issue(rule.name, BAD_CODES, {"field": rule.label.render()})


_FORMS: dict[str, Callable[[FieldRule, Any], Issue | None]] = {
    "phone": _phone, "cccd": _cccd, "year": _year,
    "cases": _bounded(1, 999), "headcount": _bounded(0, 9999), "case_support": _case_support}


def _rules(table: str, *specs: tuple[str, Text, int | None, str | None]) -> list[FieldRule]:
    return [FieldRule(table, name, label, length, form) for name, label, length, form in specs]


RULES: tuple[FieldRule, ...] = tuple([
    *_rules("village",
            ("name", QT_TRANSLATE_NOOP("Fields", "Village name"), 120, None),
            ("kind", QT_TRANSLATE_NOOP("Fields", "Kind of village"), 20, None),
            ("difficulty_decision", QT_TRANSLATE_NOOP(
                "Fields", "Decision on difficult villages"), 120, None)),
    *_rules("person",
            ("full_name", QT_TRANSLATE_NOOP("Fields", "Full name"), 200, None),
            ("family_name", QT_TRANSLATE_NOOP("Fields", "Family name"), 60, None),
            ("middle_name", QT_TRANSLATE_NOOP("Fields", "Middle name"), 80, None),
            ("given_name", QT_TRANSLATE_NOOP("Fields", "Given name"), 60, None),
            ("religion", QT_TRANSLATE_NOOP("Fields", "Religion"), 60, None),
            ("cccd", QT_TRANSLATE_NOOP("Fields", "CCCD number"), 12, "cccd"),
            ("phone", QT_TRANSLATE_NOOP("Fields", "Phone number"), 20, "phone"),
            ("birth_year", QT_TRANSLATE_NOOP("Fields", "Birth year"), None, "year"),
            ("school", QT_TRANSLATE_NOOP("Fields", "School"), 120, None),
            ("guardian_name", QT_TRANSLATE_NOOP("Fields", "Guardian's name"), 120, None),
            ("guardian_phone", QT_TRANSLATE_NOOP(
                "Fields", "Guardian's phone number"), 20, "phone")),
    *_rules("community_group",
            ("name", QT_TRANSLATE_NOOP("Fields", "Group name"), 200, None),
            ("subtype", QT_TRANSLATE_NOOP("Fields", "Kind of group"), 40, None),
            ("founding_decision_no", QT_TRANSLATE_NOOP(
                "Fields", "Founding decision number"), 60, None),
            ("founding_issuer", QT_TRANSLATE_NOOP("Fields", "Issued by"), 120, None),
            ("host_location", QT_TRANSLATE_NOOP("Fields", "Host location"), 200, None),
            ("registration_no", QT_TRANSLATE_NOOP("Fields", "Registration number"), 60, None),
            ("field_of_activity", QT_TRANSLATE_NOOP("Fields", "Field of activity"), 200, None),
            ("hotline", QT_TRANSLATE_NOOP("Fields", "Hotline"), 60, None),
            ("grades", QT_TRANSLATE_NOOP("Fields", "Grades"), 20, None),
            ("facilitators", QT_TRANSLATE_NOOP("Fields", "Facilitator teachers"), 200, None),
            ("women_owners", QT_TRANSLATE_NOOP("Fields", "Women owners"), None, "headcount"),
            ("women_co_owners", QT_TRANSLATE_NOOP("Fields", "Women co-owners"), None,
             "headcount")),
    *_rules("group_support",
            ("item", QT_TRANSLATE_NOOP("Fields", "Support item"), 200, None)),
    *_rules("group_status_change",
            ("note", QT_TRANSLATE_NOOP("Fields", "Note on the status change"), 300, None)),
    *_rules("activity",
            ("title", QT_TRANSLATE_NOOP("Fields", "Activity title"), 300, None),
            ("place", QT_TRANSLATE_NOOP("Fields", "Place"), 200, None),
            ("facilitator", QT_TRANSLATE_NOOP("Fields", "Facilitator"), 120, None),
            ("organiser", QT_TRANSLATE_NOOP("Fields", "Organiser"), 200, None),
            ("chair_name", QT_TRANSLATE_NOOP("Fields", "Chaired by"), 120, None),
            ("chair_position", QT_TRANSLATE_NOOP("Fields", "Position of the chair"), 120, None),
            ("funding_source", QT_TRANSLATE_NOOP("Fields", "Funding source"), 120, None)),
    *_rules("safe_delivery_support",
            ("voucher_no", QT_TRANSLATE_NOOP("Fields", "Voucher number"), 60, None)),
    *_rules("trusted_address_case",
            ("support_given", QT_TRANSLATE_NOOP("Fields", "Support given"), 200, "case_support"),
            ("case_count", QT_TRANSLATE_NOOP("Fields", "Number of cases"), None, "cases")),
    *_rules("attachment",
            ("file_name", QT_TRANSLATE_NOOP("Fields", "File name"), 260, None),
            ("caption", QT_TRANSLATE_NOOP("Fields", "Caption"), 300, None)),
])

BY_TABLE: dict[str, dict[str, FieldRule]] = {}
for _rule in RULES:
    BY_TABLE.setdefault(_rule.table, {})[_rule.name] = _rule


def rule(table: str, name: str) -> FieldRule | None:
    return BY_TABLE.get(table, {}).get(name)


def problems(table: str, values: dict[str, Any]) -> list[Issue]:
    """Every declared field of `table` in `values` that breaks its rule, in declaration order."""
    found = []
    for name, declared in BY_TABLE.get(table, {}).items():
        if name in values:
            issue = declared.problem(values[name])
            if issue is not None:
                found.append(issue)
    return found
