"""The commune's person registry: names, NFC, search and collation keys, CCCD rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from da8desktop.core import fields as declared
from da8desktop.core.db.models import CatalogueItem, Person, Village
from da8desktop.core.domain import ADULT_AGE, Sex
from da8desktop.core.errors import Issue
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.people_query import PeopleFilter, PersonRow, people_page
from da8desktop.core.services.records import RecordService, required
from da8desktop.core.text import fold, name_sort_key, split_full_name


def age_in(year: int, birth_year: int | None) -> int | None:
    return None if birth_year is None else year - birth_year


def cccd_warnings(cccd: str, sex: str | None, birth_year: int | None) -> list[Issue]:
    """Digit 4 encodes century and sex, digits 5-6 the birth year (domain.md §5). A mismatch is a
    warning: old 9-digit CMND numbers and typing slips both exist, and the officer decides."""
    if len(cccd) != 12 or sex not in (Sex.FEMALE, Sex.MALE) or birth_year is None:
        return []
    century_sex = int(cccd[3])
    expected_century = 1900 if century_sex in (0, 1) else 2000 if century_sex in (2, 3) else None
    expected_sex = Sex.MALE if century_sex % 2 == 0 else Sex.FEMALE
    year_matches = expected_century is not None and expected_century + int(cccd[4:6]) == birth_year
    if expected_sex != sex or not year_matches:
        return [Issue("cccd", QT_TRANSLATE_NOOP(
            "People", "The CCCD number does not match the sex or birth year entered. Please check "
            "both; the record was saved as typed."))]
    return []


# Vietnamese numbers: 0 then 9 or 10 digits (mobiles 10 in all, landlines 11), or +84 for the 0;
# spaces, dots and dashes between groups are allowed and kept as typed.


class PeopleService(RecordService[Person]):
    model = Person

    def label(self, values: dict[str, Any]) -> str:
        return values.get("full_name") or ""

    def derive(self, values: dict[str, Any]) -> dict[str, Any]:
        derived: dict[str, Any] = {}
        if values.get("full_name") and not values.get("given_name"):
            parts = split_full_name(values["full_name"])
            derived.update(family_name=parts.family, middle_name=parts.middle,
                           given_name=parts.given)
        family = derived.get("family_name", values.get("family_name")) or ""
        middle = derived.get("middle_name", values.get("middle_name"))
        given = derived.get("given_name", values.get("given_name")) or ""
        full = " ".join(p for p in (family, middle, given) if p)
        derived.update(family_name=family, full_name=full, search_key=fold(full),
                       sort_key=name_sort_key(family, middle, given, given_first=True),
                       sort_key_family=name_sort_key(family, middle, given, given_first=False))
        birth_date = values.get("birth_date")
        if isinstance(birth_date, dt.date):
            derived["birth_year"] = birth_date.year
        if values.get("cccd"):
            derived["cccd"] = values["cccd"].replace(" ", "").replace(".", "")
        return derived

    def check(self, session: Session, values: dict[str, Any], row: Person | None
              ) -> tuple[list[Issue], list[Issue]]:
        errors: list[Issue] = []
        warnings: list[Issue] = []
        if row is not None and row.redacted:
            errors.append(Issue("full_name", QT_TRANSLATE_NOOP(
                "People", "The personal data of this person was erased for good; the record "
                "cannot be edited. Register the person again if needed.")))
            return errors, warnings
        required(values, "given_name", errors)
        if values.get("sex") not in (Sex.FEMALE.value, Sex.MALE.value):
            errors.append(Issue("sex", QT_TRANSLATE_NOOP("People", "Choose female or male.")))
        # The year range and the CCCD's form are declared in core/fields.py (checked by
        # RecordService.checked, as at the province); what follows needs the whole row.
        year = values.get("birth_year")
        this_year = dt.date.today().year
        cccd = values.get("cccd")
        if cccd and declared.rule("person", "cccd").problem(cccd) is None:  # type: ignore[union-attr]
            age = age_in(this_year, year)
            if age is not None and age < ADULT_AGE:
                errors.append(Issue("cccd", QT_TRANSLATE_NOOP(
                    "People", "Children's ID numbers are not recorded. Leave the CCCD empty.")))
            else:
                warnings.extend(cccd_warnings(cccd, values.get("sex"), year))
        # The phone's form is declared once, in core/fields.py (the same at the province).
        if values.get("ethnic_key") and session.get(CatalogueItem, values["ethnic_key"]) is None:
            errors.append(Issue("ethnic_key", QT_TRANSLATE_NOOP(
                "People", "Unknown ethnic group. Choose one from the list.")))
        village_id = values.get("village_id")
        if village_id is not None:
            village = session.get(Village, village_id)
            if village is None or village.deleted or village.commune_key != values["commune_key"]:
                errors.append(Issue("village_id", QT_TRANSLATE_NOOP(
                    "People", "Choose a village of this commune.")))
        return errors, warnings

    # -- reading ------------------------------------------------------------------------------
    def list(self, search: str | None = None, given_first: bool = True, limit: int | None = None
             ) -> list[PersonRow]:
        """People of the registry in Vietnamese order; `search` is accent-free, word by word."""
        return people_page(self.db, PeopleFilter(search=search or "", given_first=given_first),
                           0, limit)
