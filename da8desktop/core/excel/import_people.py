"""Importing existing member lists from Excel: find the header row among merged title rows,
recognise the usual Vietnamese column names, read every row (Excel serial dates, text
dd/mm/yyyy, year only; NFC; ethnic names on a folded key), mark each row new / matches an
existing person / error with its reason, and write nothing until the officer confirms; then
everything accepted goes in one transaction.

Text typed in the old TCVN3 (.VnTime) or VNI fonts is recognised by the cell's font, or by its
typical characters when the font was lost, and converted to Unicode (core/legacy_text.py); the
preview shows the converted text and says which cells were converted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel import safe_read
from da8desktop.core.formats import parse_date
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.legacy_text import detect, font_encoding, to_unicode
from da8desktop.core.services.choices import catalogue_choices, ethnic_lookup
from da8desktop.core.services.people_query import possible_duplicates
from da8desktop.core.text import fold, fold_compact, nfc

# Folded header text -> field. "nam"/"nu" are the two sub-columns of "Năm sinh" in many lists:
# the year goes in the column of the person's sex.
HEADERS = {
    "ho va ten": "full_name", "ho ten": "full_name", "ho va ten thanh vien": "full_name",
    "ten thanh vien": "full_name", "nam sinh": "birth", "ngay sinh": "birth",
    "ngay thang nam sinh": "birth", "ngay, thang, nam sinh": "birth", "gioi tinh": "sex",
    "nam": "year_if_male", "nu": "year_if_female", "dan toc": "ethnic", "thon/ban": "village",
    "thon, ban": "village", "thon": "village", "ban": "village", "thon/ban/to": "village",
    "dia chi": "village", "chuc vu": "role", "chuc danh": "role", "sdt": "phone",
    "so dien thoai": "phone", "dien thoai": "phone", "so dt": "phone", "cccd": "cccd",
    "so cccd": "cccd", "so cccd/cmnd": "cccd", "cmnd": "cccd", "ghi chu": "note",
}
TOTAL_WORDS = ("tong", "cong", "tong cong", "tong so")
# What a column can be mapped to on the manual mapping screen, in the order it offers them.
FIELD_LABELS = {
    "full_name": QT_TRANSLATE_NOOP("Import", "Full name"),
    "birth": QT_TRANSLATE_NOOP("Import", "Date or year of birth"),
    "year_if_male": QT_TRANSLATE_NOOP("Import", "Year of birth (men's column)"),
    "year_if_female": QT_TRANSLATE_NOOP("Import", "Year of birth (women's column)"),
    "sex": QT_TRANSLATE_NOOP("Import", "Sex"),
    "ethnic": QT_TRANSLATE_NOOP("Import", "Ethnic group"),
    "village": QT_TRANSLATE_NOOP("Import", "Village"),
    "role": QT_TRANSLATE_NOOP("Import", "Role in the group"),
    "phone": QT_TRANSLATE_NOOP("Import", "Phone"),
    "cccd": QT_TRANSLATE_NOOP("Import", "CCCD"),
    "note": QT_TRANSLATE_NOOP("Import", "Note"),
}


class HeaderNotFound(UserFacingError):
    """No header row was recognised: the officer maps the columns by hand."""


@dataclass(frozen=True)
class SheetColumn:
    index: int
    letter: str
    header: str
    samples: list[str]


@dataclass(frozen=True)
class SheetLayout:
    """What the mapping screen shows: the header row, each column with a few values under it,
    and the mapping recognised so far (empty when nothing was)."""

    sheet: str
    header_row: int  # 1-based, as Excel shows it
    columns: list[SheetColumn]
    mapping: dict[int, str]


@dataclass
class ImportRow:
    number: int  # the row number in the sheet, as the officer sees it
    values: dict[str, Any]
    status: str = "new"  # new | match | error
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: uuid.UUID | None = None


@dataclass
class ImportPreview:
    path: Path
    sheet: str
    sheets: list[str]
    header_row: int
    mapping: dict[int, str]  # column index -> field
    rows: list[ImportRow]

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)


def _cells(path: Path, sheet: str | None):  # noqa: ANN202
    # Size, rows, columns and cell length are checked before and while reading (safe_read).
    return safe_read.open_sheet(path, sheet)


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]]:
    for index, row in enumerate(rows[:20]):
        mapping = {}
        for column, value in enumerate(row):
            key = fold(str(value)) if value is not None else ""
            key = " ".join(key.replace(":", "").split())
            if key in HEADERS:
                mapping[column] = HEADERS[key]
        fields = set(mapping.values())
        if "full_name" in fields and len(fields) >= 2:
            # A merged "Năm sinh" header over "Nam | Nữ" sub-columns: the year sits in the
            # column of the person's sex, so those two columns replace the birth column.
            if index + 1 < len(rows):
                split = {column: HEADERS[key] for column, value in enumerate(rows[index + 1])
                         if (key := fold(str(value)) if value is not None else "") in ("nam", "nu")}
                if len(split) == 2:
                    mapping = {c: f for c, f in mapping.items() if f != "birth"} | split
            return index, mapping
    raise HeaderNotFound(QT_TRANSLATE_NOOP(
        "Import", "No header row was found (a row with \"Họ và tên\" and at least one other "
        "known column such as \"Năm sinh\" or \"Dân tộc\"). Nothing was imported; choose the "
        "columns by hand."))


def _unicode_cells(ws: Any, path: Path
                   ) -> tuple[list[list[Any]], dict[tuple[int, int], tuple[str, str]]]:
    """Cell values with legacy-font text converted; (row, column) -> (encoding, original)."""
    raw: list[list[Any]] = []
    converted: dict[tuple[int, int], tuple[str, str]] = {}
    for r, row in enumerate(safe_read.rows(ws, path)):
        values = []
        for c, cell in enumerate(row):
            value = cell.value
            if isinstance(value, str):
                encoding, capitals = font_encoding(cell.font.name if cell.font else None)
                encoding = encoding or detect(value)
                if encoding:
                    text = nfc(to_unicode(value, encoding, capitals))
                    if text != value:
                        converted[(r, c)] = (encoding, value)
                        value = text
            values.append(value)
        raw.append(values)
    # Streaming rows end at their last filled cell; the rules below expect a rectangle.
    width = max((len(r) for r in raw), default=0)
    for values in raw:
        values.extend([None] * (width - len(values)))
    return raw, converted


def _birth(value: Any) -> tuple[dt.date | None, int | None]:
    if value is None or value == "":
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), value.year
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, (int, float)):
        number = int(value)
        if 1900 <= number <= dt.date.today().year:
            return None, number
        from openpyxl.utils.datetime import from_excel

        if not 1 <= value <= 80000:  # an Excel serial date is a day after 1900, before 2119
            raise ValueError(value)
        day = from_excel(value)
        if not isinstance(day, dt.datetime):
            raise ValueError(value)
        return day.date(), day.year
    text = str(value).strip()
    if text.isdigit() and len(text) == 4:
        return None, int(text)
    day = parse_date(text)
    return day, day.year


def _sex(value: Any) -> str | None:
    key = fold(str(value or ""))
    return {"nu": "F", "f": "F", "nam": "M", "m": "M"}.get(key)


def sheet_layout(path: Path, sheet: str | None = None, header_row: int | None = None
                 ) -> SheetLayout:
    """The columns under `header_row` (or the recognised header, or the first filled row)."""
    from openpyxl.utils import get_column_letter

    ws, _names = _cells(Path(path), sheet)
    raw, _converted = _unicode_cells(ws, Path(path))
    mapping: dict[int, str] = {}
    if header_row is None:
        try:
            index, mapping = _find_header(raw)
        except HeaderNotFound:
            index = next((i for i, row in enumerate(raw)
                          if sum(v not in (None, "") for v in row) >= 2), 0)
    else:
        index = max(header_row - 1, 0)
    width = max((len(r) for r in raw), default=0)
    columns = []
    for column in range(width):
        header = raw[index][column] if index < len(raw) and column < len(raw[index]) else None
        samples = [str(r[column]) for r in raw[index + 1:index + 12]
                   if column < len(r) and r[column] not in (None, "")][:3]
        columns.append(SheetColumn(column, get_column_letter(column + 1),
                                   "" if header is None else str(header), samples))
    return SheetLayout(ws.title, index + 1, columns, mapping)


def preview_import(db: Database, path: Path, sheet: str | None = None, *,
                   header_row: int | None = None, mapping: dict[int, str] | None = None
                   ) -> ImportPreview:
    """Every row checked, nothing written. `header_row` (1-based) and `mapping` (column index ->
    field of FIELD_LABELS) come from the manual mapping screen when the header was not
    recognised or was recognised wrongly."""
    path = Path(path)
    ws, names = _cells(path, sheet)
    title = ws.title
    raw, converted = _unicode_cells(ws, path)
    if mapping:
        if "full_name" not in mapping.values() or not set(mapping.values()) <= set(FIELD_LABELS):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Import", "Choose which column holds the full name."))
        header = max((header_row or 1) - 1, 0)
    else:
        header, mapping = _find_header(raw)
    ethnic = ethnic_lookup(db)
    roles = {fold(text): key for text, key, _extra in catalogue_choices(db, "role")}
    rows: list[ImportRow] = []
    for index in range(header + 1, len(raw)):
        cells = raw[index]
        if all(v is None or str(v).strip() == "" for v in cells):
            continue
        if index == header + 1 and {f for c, f in mapping.items() if f.startswith("year_if")} \
                and all(fold(str(cells[c] or "")) in ("nam", "nu", "") for c in mapping):
            continue  # the "Nam | Nữ" sub-header row
        values: dict[str, Any] = {}
        row = ImportRow(index + 1, values)
        for column, name in mapping.items():
            values[name] = cells[column] if column < len(cells) else None
        full = nfc(str(values.get("full_name") or ""))
        if full and fold(full).startswith(TOTAL_WORDS):
            continue  # "Tổng cộng: 12 người"
        for column in sorted(c for c in mapping if (index, c) in converted):
            encoding, original = converted[(index, column)]
            row.warnings.append(QT_TRANSLATE_NOOP(
                "Import", "Converted from the old {encoding} font: \"{before}\" → \"{after}\"; "
                "check it.").render(encoding=encoding, before=original, after=cells[column]))
        person: dict[str, Any] = {"full_name": full}
        if not full:
            row.reasons.append(QT_TRANSLATE_NOOP("Import", "The full name is missing.").render())
        born = values.get("birth")
        if values.get("year_if_male") not in (None, ""):
            born, person["sex"] = values["year_if_male"], "M"
        elif values.get("year_if_female") not in (None, ""):
            born, person["sex"] = values["year_if_female"], "F"
        try:
            person["birth_date"], person["birth_year"] = _birth(born)
        except (ValueError, OverflowError):
            row.reasons.append(QT_TRANSLATE_NOOP(
                "Import", "The birth date \"{value}\" cannot be read (dd/mm/yyyy or a year).").render(
                    value=born))
        if "sex" not in person:
            person["sex"] = _sex(values.get("sex"))
            if person["sex"] is None:
                row.reasons.append(QT_TRANSLATE_NOOP(
                    "Import", "The sex is missing (Nam or Nữ).").render())
        if values.get("ethnic"):
            key = ethnic.get(fold_compact(str(values["ethnic"])))
            if key is None:
                row.warnings.append(QT_TRANSLATE_NOOP(
                    "Import", "The ethnic group \"{name}\" is not in the list; left empty.").render(
                        name=values["ethnic"]))
            person["ethnic_key"] = key
        for name in ("phone", "cccd", "note"):
            if values.get(name) not in (None, ""):
                person[name] = nfc(str(values[name]).split(".")[0] if name != "note"
                                   else str(values[name]))
        if values.get("village"):
            person["village_name"] = nfc(str(values["village"]))
        if values.get("role"):
            person["role_key"] = roles.get(fold(str(values["role"])))
        row.values = person
        row.reasons.extend(field_problems(person))
        if row.reasons:
            row.status = "error"
        else:
            same = possible_duplicates(db, full, person.get("birth_year"), person.get("cccd"))
            if same:
                row.status, row.existing_id = "match", same[0].id
        rows.append(row)
    mapping_named = {column: name for column, name in mapping.items()}
    return ImportPreview(path, title, names, header + 1, mapping_named, rows)


def field_problems(person: dict[str, Any]) -> list[str]:
    """The declared limits (core/fields.py) of the person as the service will store it, and of
    a new village's name: a row the province would refuse is refused here, by name."""
    from da8desktop.core import fields
    from da8desktop.core.text import split_full_name

    values = {k: v for k, v in person.items() if k != "village_name"}
    if values.get("full_name"):  # the parts as PeopleService.derive makes them (not its sort
        parts = split_full_name(values["full_name"])  # keys: a fifth of a row's time)
        values.update(family_name=parts.family, middle_name=parts.middle, given_name=parts.given)
    if values.get("cccd"):
        values["cccd"] = values["cccd"].replace(" ", "").replace(".", "")
    found = fields.problems("person", values)
    if person.get("village_name"):
        found += fields.problems("village", {"name": person["village_name"]})
    return [issue.message() for issue in found]


@dataclass(frozen=True)
class ImportResult:
    created: int
    matched: int
    rejected: int
    memberships: int


def commit_import(db: Database, preview: ImportPreview, group_id: uuid.UUID | None = None
                  ) -> ImportResult:
    """Everything accepted in one transaction: any refusal rolls the whole import back."""
    from da8desktop.core.services.groups import MembershipsService
    from da8desktop.core.services.people import PeopleService
    from da8desktop.core.services.villages import VillagesService

    created = matched = memberships = 0
    if db.file is not None and (preview.count("new") or preview.count("match")):
        from da8desktop.core.db.backup import backup_sqlite

        backup_sqlite(db.file, "before-excel-import")  # a restore point before a bulk import
    with db.write() as uow:
        villages = {fold(v.name): v.id for v in VillagesService(db).list()}
        for row in preview.rows:
            if row.status == "error":
                continue
            values = dict(row.values)
            village = values.pop("village_name", None)
            role_key = values.pop("role_key", None) or "role:THANH_VIEN"
            if village:
                if fold(village) not in villages:
                    villages[fold(village)] = VillagesService(db).create(name=village).id
                values["village_id"] = villages[fold(village)]
            if row.status == "match":
                person_id = row.existing_id
                matched += 1
            else:
                person_id = PeopleService(db).create(**values).id
                created += 1
            if group_id is not None:
                from da8desktop.core.services.groups_query import group_members

                if person_id not in {m.person_id for m in group_members(db, group_id)}:
                    MembershipsService(db).create(group_id=group_id, person_id=person_id,
                                                  role_key=role_key)
                    memberships += 1
        uow.audit(AuditAction.IMPORT.value, None, f"{preview.path.name} [{preview.sheet}]",
                  {"created": created, "matched": matched, "rejected": preview.count("error")},
                  entity="person")
    return ImportResult(created, matched, preview.count("error"), memberships)


def save_report(preview: ImportPreview, path: Path) -> Path:
    """The refused rows with their reasons (and warnings), as a workbook the officer can fix
    from and send on."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from da8desktop.core.excel.cells import text_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả nhập"
    sheet.append(["Dòng", "Kết quả", "Họ và tên", "Lý do"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = {"new": "Mới", "match": "Đã có", "error": "Từ chối"}
    for row in preview.rows:
        if row.status == "error" or row.warnings:
            sheet.append(text_row(sheet, [row.number, labels[row.status],
                                          row.values.get("full_name") or "",
                                          " ".join(row.reasons + row.warnings)]))
    for column, width in zip("ABCD", (8, 12, 30, 90)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    from da8desktop.core.excel.export import save_workbook

    save_workbook(workbook, Path(path))
    return Path(path)
