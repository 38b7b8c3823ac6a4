"""The rules for one row of a member list: which rows are not people at all (totals, signature
blocks) — recognised by their shape, never by the first syllable of a name — how a birth cell,
a name, a CCCD or a phone written as a number is read."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text
from da8desktop.core.text import fold, nfc

OLDEST_AGE = 110  # a birth year older than this is a typing slip (or a serial number)

# A cell that reads as a total as a whole: "Tổng cộng", "Cộng:", "Tổng số: 12 người".
_TOTAL = re.compile(r"(tong cong|tong so|tong|cong)\s*:?\s*(\d+\s*(nguoi|thanh vien|hoi vien)?)?"
                    r"\.?")
# Words a signature block opens with (folded, at the start of a cell).
_SIGNER = re.compile(r"(nguoi lap( bieu| danh sach)?|(pho )?chu tich|xac nhan|t/m|tm\.|"
                     r"thu truong|ky ten|ky,? ghi ro|ban chap hanh|uy ban nhan dan|ubnd)\b")
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")

TOTAL_ROW = QT_TRANSLATE_NOOP("Import", "A total row, not a person.")
SIGNATURE_ROW = QT_TRANSLATE_NOOP("Import", "Part of the signature block, not a person.")
DATE_ROW = QT_TRANSLATE_NOOP("Import", "A place and date line, not a person.")
SUBHEADER_ROW = QT_TRANSLATE_NOOP("Import", "Column titles (\"Nam\" / \"Nữ\"), not a person.")


def not_a_person(cells: list[Any], birth_columns: set[int], skip_columns: set[int],
                 people_so_far: int, in_signature: bool) -> Text | None:
    """Why a row without birth data is not a person, or None. A row with birth data is always
    read as a person (and refused by name if it is not one)."""
    if any(_birth_data(cells[c]) for c in birth_columns if c < len(cells)):
        return None
    texts = [fold(str(v)) for c, v in enumerate(cells)
             if isinstance(v, str) and v.strip() and c not in skip_columns]
    numbers = [v for v in cells if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if any(_TOTAL.fullmatch(" ".join(t.split())) for t in texts):
        return TOTAL_ROW
    if numbers and people_so_far and people_so_far in numbers and all(
            _TOTAL.fullmatch(" ".join(t.split())) for t in texts):
        return TOTAL_ROW
    if any(_SIGNER.match(t) for t in texts):
        return SIGNATURE_ROW
    if any(_DATE_LINE.search(t) for t in texts):
        return DATE_ROW
    if in_signature:
        return SIGNATURE_ROW
    return None


def _birth_data(value: Any) -> bool:
    """A year, a date or text: not a small count ("Tổng cộng | 3 | 5" under "Nam | Nữ")."""
    if value in (None, ""):
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value >= 1000
    return True


def starts_signature(reason: Text | None) -> bool:
    return reason is SIGNATURE_ROW or reason is DATE_ROW


def tidy_name(value: Any) -> str:
    """"  lò   văn  PẢNH " -> "Lò Văn Pảnh": NFC, single spaces, each syllable capitalised
    (also after an apostrophe: H'Hen)."""
    words = (nfc(str(value or "")) or "").split()
    return " ".join("'".join(p[:1].upper() + p[1:].lower() for p in w.split("'")) for w in words)


def read_birth(value: Any) -> tuple[dt.date | None, int | None]:
    """(date, year). A whole number 1000-9999 (or such text) is a year; a date cell is a date;
    any other number is refused (an unformatted serial number is not a date). ValueError when
    unreadable."""
    from da8desktop.core.formats import parse_date

    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1000 <= value <= 9999:
            return None, int(value)
        raise ValueError(value)
    text = str(value).strip()
    if text.isdigit() and len(text) == 4:
        return None, int(text)
    day = parse_date(text)
    return day, day.year


def birth_problem(day: dt.date | None, year: int | None) -> str | None:
    today = dt.date.today()
    if year is None:
        return None
    if year > today.year or (day is not None and day > today):
        return QT_TRANSLATE_NOOP("Import", "The birth year {year} is in the future.").render(
            year=year)
    if year < today.year - OLDEST_AGE:
        return QT_TRANSLATE_NOOP(
            "Import", "The birth year {year} is more than {age} years ago; check it.").render(
                year=year, age=OLDEST_AGE)
    return None


def digits(value: Any, field: str) -> tuple[str, str | None]:
    """(text, warning) of a CCCD or phone cell. Written as a number, Excel dropped its leading
    0: an 11-digit CCCD or a 9-digit phone gets it back, with a warning."""
    from da8desktop.core import fields

    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = nfc(str(value).strip()) or ""
    short = {"cccd": 11, "phone": 9}[field]
    if (isinstance(value, int) or text.isdigit()) and len(text) == short:
        return "0" + text, QT_TRANSLATE_NOOP(
            "Import", "{field} {value} was stored as a number and lost its leading 0; read as "
            "{fixed}.").render(field=fields.rule("person", field).label.render(),  # type: ignore[union-attr]
                               value=text, fixed="0" + text)
    return text, None


def sex_of(value: Any) -> str | None:
    key = fold(str(value or "")).strip()
    return {"nu": "F", "f": "F", "nam": "M", "m": "M", "female": "F", "male": "M"}.get(key)
