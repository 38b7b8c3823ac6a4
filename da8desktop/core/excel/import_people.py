"""Importing existing member lists from Excel (.xlsx, .xls) or .csv: find the header row among
merged title rows, recognise the usual Vietnamese column names, read every row (date cells,
text dd/mm/yyyy, a year; names tidied; ethnic names on a folded key), mark each row new /
matches an existing person / same as an earlier row / refused with its reason, list the rows
that are not people (totals, signatures) and the villages the import would create, and write
nothing until the officer confirms; then everything accepted goes in one transaction.

The preview runs the same checks as the commit (PeopleService's own, on the same values), so
a commit after a clean preview never refuses (issue 19). Row rules live in import_rows.py,
reading the formats in import_sources.py.

Text typed in the old TCVN3 (.VnTime) or VNI fonts is recognised by the cell's font, or by its
typical characters when the font was lost, and converted to Unicode (core/legacy_text.py); the
preview shows the converted text and says which cells were converted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from da8desktop.core.faults import fault
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import CatalogueItem, Person
from da8desktop.core.domain import AuditAction
from da8desktop.core.errors import Issue, UserFacingError
from da8desktop.core.excel.import_rows import (SUBHEADER_ROW, birth_problem, digits, not_a_person,
                                               read_birth, sex_of, starts_signature, tidy_name)
from da8desktop.core.excel.import_options import (ImportOptions, remember_options,  # noqa: F401
                                                  remembered_options, store_options)
from da8desktop.core.excel.import_sources import read_grid
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.choices import catalogue_choices, ethnic_lookup
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
    "to/nhom": "group", "to, nhom": "group", "to nhom": "group", "ten to/nhom": "group",
    "nhom": "group", "ten nhom": "group", "vai tro": "role", "vai tro trong to": "role",
}
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
    "group": QT_TRANSLATE_NOOP("Import", "Group"),
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
    status: str = "new"  # new | match | duplicate | error
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    existing_id: uuid.UUID | None = None
    duplicate_of: int | None = None  # the earlier row of the same file
    group_id: uuid.UUID | None = None
    role_key: str | None = None
    village_in_list: str | None = None  # before the officer's mapping to an existing village


@dataclass(frozen=True)
class SkippedRow:
    number: int
    text: str
    reason: str


@dataclass
class ImportPreview:
    path: Path
    sheet: str
    sheets: list[str]
    header_row: int
    mapping: dict[int, str]  # column index -> field
    rows: list[ImportRow]
    skipped: list[SkippedRow] = field(default_factory=list)
    # Villages of the list the commune does not have (on any row): those of rows the commit
    # writes are created unless the officer mapped them to an existing one (village_map).
    new_villages: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # DEFAULTABLE fields the sheet has no column for
    options: ImportOptions = field(default_factory=ImportOptions)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def villages_to_create(self) -> list[str]:
        """The new villages the commit creates: those of rows it writes, not mapped."""
        mapped = {fold(old) for old in self.options.village_map}
        used = {fold(r.village_in_list) for r in self.rows
                if r.status in ("new", "match") and r.village_in_list}
        return [name for name in self.new_villages
                if fold(name) not in mapped and fold(name) in used]


DEFAULTABLE = ("sex", "village", "group", "role", "ethnic")


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


def sheet_layout(path: Path, sheet: str | None = None, header_row: int | None = None
                 ) -> SheetLayout:
    """The columns under `header_row` (or the recognised header, or the first filled row)."""
    from openpyxl.utils import get_column_letter

    grid = read_grid(Path(path), sheet)
    raw = grid.rows
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
    return SheetLayout(grid.sheet, index + 1, columns, mapping)


class _Context:
    """Everything the rows are checked against, loaded once: catalogues, villages, groups, and
    the keys of every registered person (one query, not one per row: issue 19)."""

    def __init__(self, db: Database, options: ImportOptions) -> None:
        from da8desktop.core.services.groups_query import list_groups
        from da8desktop.core.services.villages import VillagesService

        self.db = db
        self.held: list[Any] = []  # rows kept alive in the preview's session
        self.ethnic = ethnic_lookup(db)
        self.roles: dict[str, str] = {}
        for text, key, extra in catalogue_choices(db, "role"):
            for name in [text, *extra.split(), key]:
                self.roles.setdefault(fold(name), key)
        self.villages = {fold(v.name): v for v in VillagesService(db).list()}
        self.groups = {fold(g.name): g.id for g in list_groups(db)}
        self.by_name: dict[str, list[tuple[int | None, uuid.UUID]]] = {}
        self.by_cccd: dict[str, uuid.UUID] = {}
        self.order: dict[uuid.UUID, int] = {}
        with db.read() as session:
            rows = session.execute(select(Person.id, Person.search_key, Person.birth_year,
                                          Person.cccd).where(Person.deleted.is_(False))
                                   .order_by(Person.sort_key, Person.id))
            for position, (pid, key, year, cccd) in enumerate(rows):
                self.order[pid] = position
                self.by_name.setdefault(key, []).append((year, pid))
                if cccd:
                    self.by_cccd.setdefault(cccd, pid)
            from da8desktop.core.db.models import Installation

            inst = session.get(Installation, 1)
            self.commune_key = inst.commune_key if inst else None
        self.village_map: dict[str, Any] = {}
        for old, existing in options.village_map.items():
            village = self.villages.get(fold(existing))
            if village is None:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Import", "There is no village \"{name}\" to use instead of \"{old}\". "
                    "Choose one of the commune's villages."), name=existing, old=old)
            self.village_map[fold(old)] = village

    def existing(self, full_name: str, year: int | None, cccd: str | None) -> uuid.UUID | None:
        """The first person people_query.possible_duplicates would name, from memory."""
        found = []
        if full_name:
            for stored_year, pid in self.by_name.get(fold(full_name), ()):
                if year is None or stored_year is None or stored_year == year:
                    found.append(pid)
        if cccd and cccd in self.by_cccd:
            found.append(self.by_cccd[cccd])
        return min(found, key=self.order.__getitem__) if found else None


def _defaults(ctx: _Context, options: ImportOptions) -> dict[str, Any]:
    """The officer's defaults checked once: a wrong one refuses the preview, not every row."""
    unknown = set(options.defaults) - set(DEFAULTABLE)
    if unknown:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Import", "\"{field}\" cannot have a default. Defaults exist for: {fields}."),
            field=", ".join(sorted(unknown)), fields=", ".join(DEFAULTABLE))
    out: dict[str, Any] = {}
    for name, value in options.defaults.items():
        value = (nfc(str(value)) or "").strip()
        if not value:
            continue
        if name == "sex":
            if fold(value) in ("ask", "hoi"):
                continue
            out["sex"] = sex_of(value)
            if out["sex"] is None:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Import", "The default sex \"{value}\" is neither Nữ nor Nam."), value=value)
        elif name == "group":
            if fold(value) not in ctx.groups:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Import", "There is no group \"{name}\" for the default group."), name=value)
            out["group"] = value
        elif name == "role":
            if fold(value) not in ctx.roles:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Import", "There is no role \"{name}\" for the default role."), name=value)
            out["role"] = value
        elif name == "ethnic":
            if fold_compact(value) not in ctx.ethnic:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Import", "There is no ethnic group \"{name}\" for the default."), name=value)
            out["ethnic"] = value
        else:
            out[name] = value
    return out


def preview_import(db: Database, path: Path, sheet: str | None = None, *,
                   header_row: int | None = None, mapping: dict[int, str] | None = None,
                   options: ImportOptions | None = None) -> ImportPreview:
    """Every row checked, nothing written. `header_row` (1-based) and `mapping` (column index ->
    field of FIELD_LABELS) come from the manual mapping screen when the header was not
    recognised or was recognised wrongly. Each row goes through check_row, the very check the
    commit's services run, so the commit never refuses a row the preview accepted."""
    path = Path(path)
    options = options or ImportOptions()
    grid = read_grid(path, sheet)
    raw, converted = grid.rows, grid.converted
    if mapping:
        if "full_name" not in mapping.values() or not set(mapping.values()) <= set(FIELD_LABELS):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Import", "Choose which column holds the full name."))
        header = max((header_row or 1) - 1, 0)
    else:
        header, mapping = _find_header(raw)
    ctx = _Context(db, options)
    defaults = _defaults(ctx, options)
    mapped = set(mapping.values())
    missing = [f for f in DEFAULTABLE if f not in mapped
               and not (f == "sex" and mapped & {"year_if_male", "year_if_female"})]
    birth_columns = {c for c, f in mapping.items() if f in ("birth", "year_if_male",
                                                           "year_if_female")}
    # Columns whose words never make a row a total or a signature: "Cống" is an ethnic group,
    # "Chủ tịch" a role.
    skip_columns = {c for c, f in mapping.items() if f in ("role", "note", "group", "ethnic")}
    preview = ImportPreview(path, grid.sheet, grid.sheets, header + 1, dict(mapping), [],
                            missing=missing, options=options)
    seen_names: dict[tuple[str, int | None], int] = {}
    seen_cccd: dict[str, int] = {}
    new_villages: dict[str, str] = {}
    in_signature = False
    from da8desktop.core.services.people import PeopleService

    service = PeopleService(db)
    with db.read() as session:
        # Held for the whole preview so that the service's session.get(CatalogueItem, …) of
        # every row finds them in the identity map instead of querying (issue 19).
        ctx.held = list(session.scalars(select(CatalogueItem)).all())
        for index in range(header + 1, len(raw)):
            cells = raw[index]
            if all(v is None or str(v).strip() == "" for v in cells):
                continue
            shown = " | ".join(str(v) for v in cells if v not in (None, ""))[:120]
            if index == header + 1 and {f for f in mapping.values() if f.startswith("year_if")} \
                    and all(fold(str(cells[c] or "")) in ("nam", "nu", "") for c in mapping):
                preview.skipped.append(SkippedRow(index + 1, shown, SUBHEADER_ROW.render()))
                continue
            why = not_a_person(cells, birth_columns, skip_columns, len(preview.rows),
                               in_signature)
            if why is not None:
                in_signature = in_signature or starts_signature(why)
                preview.skipped.append(SkippedRow(index + 1, shown, why.render()))
                continue
            values = {name: cells[column] if column < len(cells) else None
                      for column, name in mapping.items()}
            row = ImportRow(index + 1, values)
            for column in sorted(c for c in mapping if (index, c) in converted):
                encoding, original = converted[(index, column)]
                row.warnings.append(QT_TRANSLATE_NOOP(
                    "Import", "Converted from the old {encoding} font: \"{before}\" → "
                    "\"{after}\"; check it.").render(encoding=encoding, before=original,
                                                     after=cells[column]))
            check_row(ctx, service, session, row, defaults, options)
            if row.status != "error":
                _mark_duplicate(row, seen_names, seen_cccd, options)
            village = row.village_in_list
            if village and fold(village) not in ctx.villages:  # refused rows too: the
                # officer's mapping stays on screen while she fixes the row
                new_villages.setdefault(fold(village), village)
            preview.rows.append(row)
    preview.new_villages = sorted(new_villages.values(), key=fold)
    return preview


def check_row(ctx: _Context, service: Any, session: Any, row: ImportRow,
              defaults: dict[str, Any], options: ImportOptions) -> None:
    """Read one row into the person the commit would create and give it its status. The checks
    are PeopleService's own (declared field limits, CCCD of a child, phone form, ethnic key)
    on the very values the commit passes to it."""
    values = row.values
    full = tidy_name(values.get("full_name"))
    person: dict[str, Any] = {"full_name": full}
    reasons, warnings = row.reasons, row.warnings
    if not full:
        reasons.append(QT_TRANSLATE_NOOP("Import", "The full name is missing.").render())
    born = values.get("birth")
    if values.get("year_if_male") not in (None, ""):
        born, person["sex"] = values["year_if_male"], "M"
    elif values.get("year_if_female") not in (None, ""):
        born, person["sex"] = values["year_if_female"], "F"
    try:
        person["birth_date"], person["birth_year"] = read_birth(born)
        problem = birth_problem(person["birth_date"], person["birth_year"])
        if problem:
            reasons.append(problem)
        birth_said = problem is not None
    except (ValueError, OverflowError):
        birth_said = True
        person["birth_date"] = person["birth_year"] = None
        if isinstance(born, (int, float)):  # an Excel serial number outside a date cell
            reasons.append(QT_TRANSLATE_NOOP(
                "Import", "The birth cell holds the number {value}, which is neither a year nor "
                "in a cell formatted as a date: write the year, or format the cell as a "
                "date.").render(value=born))
        else:
            reasons.append(QT_TRANSLATE_NOOP(
                "Import", "The birth date \"{value}\" cannot be read (dd/mm/yyyy or a "
                "year).").render(value=born))
    if "sex" not in person:
        person["sex"] = sex_of(values.get("sex")) or options.row_sex.get(row.number) \
            or defaults.get("sex")
        if person["sex"] is None:
            reasons.append(QT_TRANSLATE_NOOP(
                "Import", "The sex is missing (Nam or Nữ): choose a default or the sex of this "
                "row.").render())
    ethnic = values.get("ethnic") or defaults.get("ethnic")
    if ethnic:
        key = ctx.ethnic.get(fold_compact(str(ethnic)))
        if key is None:
            warnings.append(QT_TRANSLATE_NOOP(
                "Import", "The ethnic group \"{name}\" is not in the list; left empty.").render(
                    name=ethnic))
        person["ethnic_key"] = key
    for name in ("phone", "cccd"):
        if values.get(name) not in (None, ""):
            person[name], warning = digits(values[name], name)
            if warning:
                warnings.append(warning)
    if values.get("note") not in (None, ""):
        person["note"] = nfc(str(values["note"]))
    village = values.get("village") or defaults.get("village")
    if village not in (None, ""):
        village = row.village_in_list = " ".join((nfc(str(village)) or "").split())
        person["village_name"] = getattr(ctx.village_map.get(fold(village)), "name", village)
    group = values.get("group") or defaults.get("group")
    if group not in (None, ""):
        row.group_id = ctx.groups.get(fold(str(group)))
        if row.group_id is None:
            warnings.append(QT_TRANSLATE_NOOP(
                "Import", "There is no group \"{name}\"; the person is imported without joining "
                "a group.").render(name=group))
    role = values.get("role") or defaults.get("role")
    if role not in (None, ""):
        row.role_key = ctx.roles.get(fold(str(role)))
        if row.role_key is None:
            warnings.append(QT_TRANSLATE_NOOP(
                "Import", "The role \"{name}\" is not in the list; recorded as a member.").render(
                    name=role))
    row.values = person
    if full:
        errors, cautions = _service_check(ctx, service, session, person)
        said = {"birth_year"} if birth_said else set()  # their reasons are given above
        if person.get("sex") is None:
            said.add("sex")
        reasons.extend(issue.message() for issue in errors if issue.field not in said)
        warnings.extend(issue.message() for issue in cautions)
    if reasons:
        row.status = "error"
        return
    same = ctx.existing(full, person.get("birth_year"), person.get("cccd"))
    if same is not None:
        row.status, row.existing_id = "match", same


def _service_check(ctx: _Context, service: Any, session: Any, person: dict[str, Any]
                   ) -> tuple[list[Issue], list[Issue]]:
    """PeopleService.create's own normalising, deriving and checking, without writing."""
    values = service._normalise({k: v for k, v in person.items() if k != "village_name"})
    values["commune_key"] = ctx.commune_key
    village = person.get("village_name")
    if village and fold(village) in ctx.villages:
        values["village_id"] = ctx.villages[fold(village)].id
    values.update(service.derive(values))
    errors, warnings = service.checked(session, values, None)
    if village and fold(village) not in ctx.villages:
        from da8desktop.core import fields

        errors = [*errors, *fields.problems("village", {"name": village})]
    return errors, warnings


def _mark_duplicate(row: ImportRow, seen_names: dict[tuple[str, int | None], int],
                    seen_cccd: dict[str, int], options: ImportOptions) -> None:
    person = row.values
    key = (fold(person["full_name"]), person.get("birth_year"))
    earlier = seen_names.get(key)
    cccd = person.get("cccd")
    if earlier is None and cccd:
        earlier = seen_cccd.get(cccd)
    if earlier is None:
        seen_names[key] = row.number
        if cccd:
            seen_cccd[cccd] = row.number
        return
    row.duplicate_of = earlier
    text = QT_TRANSLATE_NOOP("Import", "Same person as row {row}.").render(row=earlier)
    if options.keep_duplicates:
        row.warnings.append(text)
    else:
        row.status = "duplicate"
        row.reasons.append(text)


@dataclass(frozen=True)
class ImportResult:
    created: int
    matched: int
    rejected: int
    memberships: int
    villages: int = 0
    duplicates: int = 0


def commit_import(db: Database, preview: ImportPreview, group_id: uuid.UUID | None = None
                  ) -> ImportResult:
    """Everything accepted in one transaction: any refusal rolls the whole import back. Rows
    are written with the values the preview checked; a row's own group (column or default)
    comes before `group_id` (the dialog's "also add everyone to")."""
    from da8desktop.core.services.groups import MembershipsService
    from da8desktop.core.services.people import PeopleService
    from da8desktop.core.services.villages import VillagesService

    created = matched = memberships = new_villages = 0
    if db.file is not None and (preview.count("new") or preview.count("match")):
        from da8desktop.core.db.backup import backup_sqlite

        backup_sqlite(db.file, "before-excel-import")  # a restore point before a bulk import
    with db.write() as uow:
        villages = {fold(v.name): v.id for v in VillagesService(db).list()}
        members: dict[uuid.UUID, set[uuid.UUID]] = {}
        for row in preview.rows:
            if row.status in ("error", "duplicate"):
                continue
            values = dict(row.values)
            village = values.pop("village_name", None)
            if village:
                if fold(village) not in villages:
                    villages[fold(village)] = VillagesService(db).create(name=village).id
                    new_villages += 1
                values["village_id"] = villages[fold(village)]
            if row.status == "match":
                person_id = row.existing_id
                matched += 1
            else:
                person_id = PeopleService(db).create(**values).id
                created += 1
            group = row.group_id or group_id
            if group is not None and person_id is not None:
                if group not in members:
                    from da8desktop.core.services.groups_query import group_members

                    members[group] = {m.person_id for m in group_members(db, group)}
                if person_id not in members[group]:
                    MembershipsService(db).create(group_id=group, person_id=person_id,
                                                  role_key=row.role_key or "role:THANH_VIEN")
                    members[group].add(person_id)
                    memberships += 1
        uow.audit(AuditAction.IMPORT.value, None, f"{preview.path.name} [{preview.sheet}]",
                  {"created": created, "matched": matched, "rejected": preview.count("error"),
                   "duplicates": preview.count("duplicate"), "villages": new_villages},
                  entity="person")
        if preview.options.defaults or preview.options.village_map or \
                preview.options.keep_duplicates:
            store_options(uow.session, preview.path, preview.options)
        fault("people-import-before-commit", uow.session.flush)  # tests/cli/test_kill.py
    return ImportResult(created, matched, preview.count("error"), memberships, new_villages,
                        preview.count("duplicate"))


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
    labels = {"new": "Mới", "match": "Đã có", "error": "Từ chối", "duplicate": "Ghi hai lần"}
    for row in preview.rows:
        if row.status in ("error", "duplicate") or row.warnings:
            sheet.append(text_row(sheet, [row.number, labels[row.status],
                                          row.values.get("full_name") or "",
                                          " ".join(row.reasons + row.warnings)]))
    for column, width in zip("ABCD", (8, 12, 30, 90)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    from da8desktop.core.excel.export import save_workbook

    save_workbook(workbook, Path(path))
    return Path(path)
