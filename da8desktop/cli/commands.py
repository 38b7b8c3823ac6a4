"""Sub-commands. Each one opens the database through the core and prints plain text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.paths import default_database_path

if TYPE_CHECKING:  # SQLAlchemy and the models are imported by the commands that open a file:
    from da8desktop.core.db.database import Database  # --help and --version stay light
    from da8desktop.core.services.groups_query import GroupRow


def open_database(args: argparse.Namespace) -> Database:
    from da8desktop.core.db.database import Database

    db = Database.open(args.database_url or args.db or default_database_path())
    from da8desktop.core.services.notices import startup_notices

    for notice in startup_notices(db):  # a wrong clock, a restore finished: said, not blocked
        print(notice, file=sys.stderr)
    return db


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    demo = sub.add_parser("demo", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "fill the data file with a realistic demo commune (or add demo data to it)").render(),
        description=QT_TRANSLATE_NOOP(
            "Cli", "Without --db, fills the separate demo file (demo.sqlite in your data folder, "
            "never your own data file) and the window opens it next. On a new data file, sets "
            "it up as a stand-alone demo commune (Xã Mường Phăng, Điện Biên) and fills it. On a "
            "file already set up for a commune, adds demo data for that commune. Run again with "
            "another --seed to add more.").render())
    demo.add_argument("--seed", type=int, default=1, help=QT_TRANSLATE_NOOP(
        "Cli", "the same seed always gives the same data (default 1)").render())
    demo.add_argument("--people", type=int, default=None, help=QT_TRANSLATE_NOOP(
        "Cli", "how many people to create (default 400)").render())
    demo.add_argument("--province", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "a demo province (Tỉnh Điện Biên) with three demo communes that sent bundles, "
        "targets, a conflict and a refused record; also what demo does on a province file")
        .render())
    demo.set_defaults(handler=run_demo)

    stats = sub.add_parser("stats", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "show who this data file belongs to and how many records it holds").render())
    stats.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts instead of text").render())
    stats.set_defaults(handler=run_stats)

    backup = sub.add_parser("backup", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "make, list and restore backups of the data file").render())
    backup_sub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    backup_sub.add_parser("create", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "make a backup now").render()).set_defaults(handler=run_backup_create)
    backup_sub.add_parser("list", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "list the backups, newest first, with what they contain").render()
    ).set_defaults(handler=run_backup_list)
    restore = backup_sub.add_parser("restore", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "put a backup in place of the data file (the current file is kept aside)").render())
    which_backup = restore.add_mutually_exclusive_group(required=True)
    which_backup.add_argument("--latest", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "the newest backup that can be read").render())
    which_backup.add_argument("name", nargs="?", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "a backup name shown by: backup list").render())
    restore.set_defaults(handler=run_backup_restore)

    selftest = sub.add_parser("selftest", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "check that this installation works (temporary files only)").render())
    selftest.set_defaults(handler=run_selftest_command)

    people = sub.add_parser("people", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "the person registry").render())
    people_sub = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    listing = people_sub.add_parser("list", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "list people in the same order as the People page").render())
    listing.add_argument("--search", metavar="TEXT", default="", help=QT_TRANSLATE_NOOP(
        "Cli", "only people whose name contains these words (accents optional)").render())
    listing.add_argument("--group", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "only members of this group").render())
    listing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts instead of text").render())
    listing.set_defaults(handler=run_people_list)
    export = people_sub.add_parser("export", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "write people to an Excel workbook (.xlsx)").render())
    export.add_argument("file", metavar="FILE.xlsx")
    export.add_argument("--group", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "only members of this group").render())
    export.set_defaults(handler=run_people_export)
    importing = people_sub.add_parser("import", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "add people from an existing list (.xlsx, .xls or .csv)").render())
    importing.add_argument("file", metavar="FILE")
    importing.add_argument("--sheet", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "the sheet to read (default: the active one)").render())
    importing.add_argument("--group", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "also make everyone imported a member of this group").render())
    importing.add_argument("--dry-run", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "only show what would be imported; write nothing").render())
    importing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts instead of text").render())
    importing.add_argument("--header-row", type=int, metavar="N", help=QT_TRANSLATE_NOOP(
        "Cli", "with --column: the row number of the column titles").render())
    importing.add_argument("--column", action="append", metavar="LETTER=FIELD", help=QT_TRANSLATE_NOOP(
        "Cli", "map a column by hand when the titles are not recognised, e.g. B=full_name "
        "(fields: full_name, birth, year_if_male, year_if_female, sex, ethnic, village, role, "
        "phone, cccd, note, group); may be repeated").render())
    importing.add_argument("--default", action="append", metavar="FIELD=VALUE", help=QT_TRANSLATE_NOOP(
        "Cli", "a value for a column the sheet lacks or a cell left empty, e.g. sex=Nữ or "
        "village=\"Bản Nà Phá\" (fields: sex, village, group, role, ethnic); may be repeated"
        ).render())
    importing.add_argument("--map-village", action="append", metavar="NEW=EXISTING",
                           help=QT_TRANSLATE_NOOP(
        "Cli", "put the people of a village the commune does not have into an existing one "
        "instead of creating it, e.g. \"Ban Na Pha=Bản Nà Phá\"; may be repeated").render())
    importing.add_argument("--keep-duplicates", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "import a person written twice in the file twice (default: the later row is "
        "skipped)").render())
    importing.set_defaults(handler=run_people_import)

    printing = sub.add_parser("print", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "print member lists and sign-in sheets to PDF").render())
    print_sub = printing.add_subparsers(dest="print_command", metavar="WHAT", required=True)
    members = print_sub.add_parser("members", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "the member list of a group, or of every group").render())
    which = members.add_mutually_exclusive_group(required=True)
    which.add_argument("--group", metavar="NAME", help=QT_TRANSLATE_NOOP(
        "Cli", "the group, by name (accents optional)").render())
    which.add_argument("--all", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "every active group, one section each").render())
    members.add_argument("--pdf", metavar="FILE", required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the PDF file to write").render())
    members.add_argument("--with-cccd", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "add the CCCD column (personal data: only when needed)").render())
    members.add_argument("--with-phone", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "add the phone column").render())
    members.set_defaults(handler=run_print_members)
    sign_in = print_sub.add_parser("sign-in", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "the sign-in sheet of a meeting").render())
    sign_in.add_argument("--meeting", metavar="ID", help=QT_TRANSLATE_NOOP(
        "Cli", "the id of the meeting, training, dialogue or event (shown by the GUI and in "
        "exports)").render())
    sign_in.add_argument("--blank", metavar="N", type=int, help=QT_TRANSLATE_NOOP(
        "Cli", "N empty rows: with --title for an activity not recorded yet, or for an "
        "activity with no list").render())
    sign_in.add_argument("--title", metavar="TEXT", help=QT_TRANSLATE_NOOP(
        "Cli", "the title of a blank sheet").render())
    sign_in.add_argument("--pdf", metavar="FILE", required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the PDF file to write").render())
    sign_in.set_defaults(handler=run_print_sign_in)


def run_demo(args: argparse.Namespace) -> int:
    from da8desktop.core.demo import load_demo
    from da8desktop.core.paths import demo_database_path, demo_province_path, remember_data_file

    from da8desktop.core.db.database import Database
    from da8desktop.core.services.site import identity

    own_file = not (args.db or args.database_url)
    if own_file:  # the demo lives in a file of its own, never the officer's real file
        db = Database.open(demo_province_path() if args.province else demo_database_path())
    else:
        db = open_database(args)
    site = identity(db)
    if args.province or (site is not None and site.role == "province"):
        return _run_demo_province(db, args)
    summary = load_demo(db, seed=args.seed, people=args.people or 400)
    if summary.already_loaded:
        print(QT_TRANSLATE_NOOP("Cli", "Demo data for seed {seed} is already in this file; "
                                "nothing was added.").render(seed=args.seed))
    else:
        print(QT_TRANSLATE_NOOP("Cli", "Demo data added (seed {seed}): {people} people, {groups} "
                                "groups, {meetings} meetings, {activities} other activities.")
              .render(seed=args.seed, people=summary.counts.get("people", 0),
                      groups=sum(v for k, v in summary.counts.items() if k.startswith("groups_")),
                      meetings=summary.counts.get("meetings", 0),
                      activities=summary.counts.get("activities", 0)))
    print(db.file or db.url)
    if own_file and db.file is not None:
        remember_data_file(db.file)
        print(QT_TRANSLATE_NOOP("Cli", "This is a separate demo file; your own data file is not "
                                "touched. `da8desktop` now opens the demo; File › Leave the demo "
                                "goes back to your own file.").render())
    return 0


def _run_demo_province(db: Database, args: argparse.Namespace) -> int:
    from da8desktop.core.demo_province import load_demo_province

    summary = load_demo_province(db, seed=args.seed, people=args.people or 80)
    if summary.already_loaded:
        print(QT_TRANSLATE_NOOP("Cli", "This data file already holds the demo province; "
                                "nothing was added.").render())
    else:
        print(QT_TRANSLATE_NOOP(
            "Cli", "Demo province made: {communes} communes sent {bundles} bundles; {targets} "
            "targets allocated; {conflicts} conflict(s) and {refused} refused record(s) to look "
            "at.").render(communes=len(summary.communes), bundles=summary.bundles,
                          targets=summary.targets, conflicts=summary.conflicts,
                          refused=summary.refused))
    print(db.file or db.url)
    return 0


def run_stats(args: argparse.Namespace) -> int:
    stats = None
    if not args.database_url:  # a data file: counted with sqlite3 alone when nothing is due at open
        from da8desktop.core.services.quick_stats import quick_stats

        stats = quick_stats(Path(args.db or default_database_path()).expanduser())
    if stats is None:  # a server, or a file to upgrade, repair or warn about: the full way
        from da8desktop.core.services.stats import collect

        stats = collect(open_database(args)).as_json()
    if args.json:
        json.dump(stats, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    site = stats["site"]
    if site is None:
        print(QT_TRANSLATE_NOOP("Cli", "This data file is not set up yet.").render())
    else:
        print(QT_TRANSLATE_NOOP("Cli", "{organisation} — {unit}, {province} (site {site})").render(
            organisation=site["organisation_name"], unit=site["commune_name"] or "-",
            province=site["province_name"], site=site["site_id"]))
    rows = [
        (QT_TRANSLATE_NOOP("Cli", "Villages"), stats["villages"]),
        (QT_TRANSLATE_NOOP("Cli", "People"), stats["people"]),
        (QT_TRANSLATE_NOOP("Cli", "Groups"), stats["groups"]),
        (QT_TRANSLATE_NOOP("Cli", "Memberships"), stats["memberships"]),
        (QT_TRANSLATE_NOOP("Cli", "Group meetings"), stats["meetings"]),
        (QT_TRANSLATE_NOOP("Cli", "Attendance rows"), stats["attendance_rows"]),
        (QT_TRANSLATE_NOOP("Cli", "Other activities (with counts)"), stats["activities"]),
        (QT_TRANSLATE_NOOP("Cli", "Safe-delivery supports"), stats["safe_delivery_supports"]),
        (QT_TRANSLATE_NOOP("Cli", "Trusted-address cases"), stats["trusted_address_cases"]),
    ]
    for label, value in rows:
        print(f"  {label.render():<34} {value:>8}")
    for item in stats["groups_by_type"]:
        print(f"    {item['code']:<8} {item['groups']:>5}  ({item['members']})")
    return 0


def find_group(db: Database, name: str) -> GroupRow:
    """A group by name, accents optional: an exact folded match wins, else a unique part."""
    from da8desktop.core.services.groups_query import list_groups
    from da8desktop.core.text import fold

    groups = list_groups(db)
    exact = [g for g in groups if fold(g.name) == fold(name)]
    found = exact or [g for g in groups if fold(name) in fold(g.name)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise UserFacingError(QT_TRANSLATE_NOOP("Cli", "No group is called \"{name}\"."), name=name)
    raise UserFacingError(QT_TRANSLATE_NOOP(
        "Cli", "Several groups match \"{name}\": {groups}. Give more of the name."),
        name=name, groups="; ".join(g.name for g in found[:5]))


def run_people_list(args: argparse.Namespace) -> int:
    from da8desktop.core.services.people_query import PeopleFilter, people_page

    db = open_database(args)
    group = find_group(db, args.group) if args.group else None
    rows = people_page(db, PeopleFilter(search=args.search, group_id=group.id if group else None))
    if args.json:
        json.dump([{"id": str(r.id), "full_name": r.full_name, "sex": r.sex,
                    "birth_year": r.birth_year, "village": r.village_name, "ethnic": r.ethnic_name}
                   for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for r in rows:
        print(f"{r.full_name:<32} {r.sex}  {r.birth_year or '':<4}  {r.village_name or ''}")
    return 0


def _writable(path: str, suffix: str = ".xlsx") -> Path:
    """An output file the officer named: refused plainly when it is a folder, a device or its
    folder is missing (an OSError while writing is turned into a message by cli.main)."""
    from da8desktop.core.disk_errors import output_file

    return output_file(path, suffix)


def run_people_export(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.export import export_people

    db = open_database(args)
    group = find_group(db, args.group) if args.group else None
    result = export_people(db, _writable(args.file), group.id if group else None)
    print(QT_TRANSLATE_NOOP("Cli", "{rows} people written to {file}").render(
        rows=result.rows, file=result.path))
    return 0


def _print(db: Database, document, path: Path, what: str) -> int:  # noqa: ANN001
    from da8desktop.core.domain import AuditAction
    from da8desktop.core.reports.outputs import record_output
    from da8desktop.render.pdf import write_pdf

    pages = write_pdf(document, path)
    record_output(db, AuditAction.PRINT, f"{what} -> {path.name}",
                  {"rows": document.row_count, "pages": pages})
    print(QT_TRANSLATE_NOOP("Cli", "{pages} page(s) written to {file}").render(pages=pages, file=path))
    return 0


def run_print_members(args: argparse.Namespace) -> int:
    from da8desktop.core.reports.member_list import ListOptions, member_list

    db = open_database(args)
    path = _writable(args.pdf, ".pdf")
    if args.all:
        from da8desktop.core.services.groups_query import GroupFilter, list_groups

        ids = [g.id for g in list_groups(db, GroupFilter(status="active"))]
    else:
        ids = [find_group(db, args.group).id]
    options = ListOptions(show_cccd=args.with_cccd, show_phone=args.with_phone)
    return _print(db, member_list(db, ids, options), path, "member list")


def run_print_sign_in(args: argparse.Namespace) -> int:
    from da8desktop.core.reports.member_list import BLANK_ROWS, blank_sign_in_sheet, sign_in_sheet

    if (args.meeting is None) == (args.title is None):
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "Give either --meeting ID, or --title TEXT (with --blank N) for a blank sheet."))
    db = open_database(args)
    rows = BLANK_ROWS if args.blank is None else args.blank
    if args.title is not None:
        return _print(db, blank_sign_in_sheet(db, args.title, rows),
                      _writable(args.pdf, ".pdf"), "blank sign-in sheet")
    try:
        meeting = uuid.UUID(args.meeting)
    except ValueError as exc:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "\"{value}\" is not a meeting id."), value=args.meeting) from exc
    return _print(db, sign_in_sheet(db, meeting, blank=rows),
                  _writable(args.pdf, ".pdf"), "sign-in sheet")


def run_selftest_command(args: argparse.Namespace) -> int:
    from da8desktop.core.i18n import preferred_language
    from da8desktop.selftest import run_selftest

    return run_selftest(args.lang or preferred_language())


def _database_file(args: argparse.Namespace) -> Path:
    if args.database_url:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "Backups here are for data files; back up a database server with its own tools."))
    return Path(args.db or default_database_path()).expanduser().resolve()


def run_backup_create(args: argparse.Namespace) -> int:
    from da8desktop.core.db.backup import create_backup

    open_database(args).close()  # refuses a damaged or foreign file with its plain message
    info = create_backup(_database_file(args))
    print(info.path)
    return 0


def run_backup_list(args: argparse.Namespace) -> int:
    from da8desktop.core.db.backup import contents, data_bytes, folder_bytes, list_backups
    from da8desktop.core.formats import format_size

    file = _database_file(args)
    for info in list_backups(file):
        try:
            held = contents(info.path)
            what = QT_TRANSLATE_NOOP("Cli", "{people} people, {groups} groups, {activities} "
                                     "activities").render(people=held.people, groups=held.groups,
                                                          activities=held.activities)
        except UserFacingError as error:
            what = error.message()
        print(f"{info.name}  {info.created:%d/%m/%Y %H:%M}  {info.reason}  "
              f"{format_size(info.size_bytes)}  {what}")
    print(QT_TRANSLATE_NOOP("Cli", "Backups in all: {total} (the data file: {data}).").render(
        total=format_size(folder_bytes(file)), data=format_size(data_bytes(file) if file.exists()
                                                               else 0)))
    return 0


def run_backup_restore(args: argparse.Namespace) -> int:
    from da8desktop.core.db.backup import list_backups, newest_readable_backup, restore_backup

    file = _database_file(args)
    if args.latest:
        chosen = newest_readable_backup(file)
    else:
        chosen = next((b for b in list_backups(file) if b.name == args.name), None)
    if chosen is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "No such backup. See the list with: da8desktop --db \"{file}\" backup list"),
            file=str(file))
    kept = restore_backup(file, chosen)
    print(QT_TRANSLATE_NOOP("Cli", "Restored {name}. The previous file was kept as {kept}.")
          .render(name=chosen.name, kept=kept))
    return 0


def _column_mapping(pairs: list[str] | None) -> dict[int, str] | None:
    """['B=full_name', 'C=birth'] -> {1: 'full_name', 2: 'birth'}."""
    if not pairs:
        return None
    from openpyxl.utils import column_index_from_string

    mapping = {}
    for pair in pairs:
        letter, _, field = pair.partition("=")
        try:
            mapping[column_index_from_string(letter.strip().upper()) - 1] = field.strip()
        except ValueError:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Cli", "\"{value}\" is not a column mapping like B=full_name."), value=pair) from None
    return mapping


def _pairs(pairs: list[str] | None, example: str) -> dict[str, str]:
    """['sex=Nữ', 'village=Bản Nà Phá'] -> {'sex': 'Nữ', 'village': 'Bản Nà Phá'}."""
    found: dict[str, str] = {}
    for pair in pairs or []:
        key, sign, value = pair.partition("=")
        if not sign or not key.strip() or not value.strip():
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Cli", "\"{value}\" is not written like {example}."), value=pair, example=example)
        found[key.strip()] = value.strip()
    return found


def run_people_import(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.import_people import (ImportOptions, commit_import,
                                                     preview_import)

    db = open_database(args)
    group = find_group(db, args.group) if args.group else None
    path = Path(args.file).expanduser()
    if path.is_dir():
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "{file} is a folder. Give the Excel file (.xlsx) inside it."), file=str(path))
    if not path.is_file():
        raise UserFacingError(QT_TRANSLATE_NOOP("Cli", "The file {file} does not exist."),
                              file=str(path))
    options = ImportOptions(defaults=_pairs(args.default, "sex=Nữ"),
                            keep_duplicates=args.keep_duplicates,
                            village_map=_pairs(args.map_village, "\"Old=Existing\""))
    preview = preview_import(db, path, args.sheet, header_row=args.header_row,
                             mapping=_column_mapping(args.column), options=options)
    result = None if args.dry_run else commit_import(db, preview, group.id if group else None)
    if args.json:
        json.dump({
            "sheet": preview.sheet, "header_row": preview.header_row, "dry_run": args.dry_run,
            "accepted": [{"row": r.number, "full_name": r.values.get("full_name"),
                          "values": r.values, "warnings": r.warnings}
                         for r in preview.rows if r.status == "new"],
            "matched": [{"row": r.number, "full_name": r.values.get("full_name"),
                         "existing_id": str(r.existing_id), "warnings": r.warnings}
                        for r in preview.rows if r.status == "match"],
            "rejected": [{"row": r.number, "full_name": r.values.get("full_name"),
                          "reasons": r.reasons} for r in preview.rows if r.status == "error"],
            "duplicates": [{"row": r.number, "full_name": r.values.get("full_name"),
                            "same_as_row": r.duplicate_of, "reasons": r.reasons}
                           for r in preview.rows if r.status == "duplicate"],
            "skipped": [{"row": s.number, "text": s.text, "reason": s.reason}
                        for s in preview.skipped],
            "new_villages": preview.villages_to_create,
            "mapped_villages": preview.options.village_map,
            "missing_columns": preview.missing,
            "created": result.created if result else 0,
            "memberships": result.memberships if result else 0,
        }, sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    for row in preview.rows:
        mark = {"new": "+", "match": "=", "error": "✗", "duplicate": "2"}[row.status]
        detail = " ".join(row.reasons + row.warnings)
        print(f"{mark} {row.number:>4}  {row.values.get('full_name') or ''}  {detail}")
    for skipped in preview.skipped:
        print(f"- {skipped.number:>4}  {skipped.text}  {skipped.reason}")
    lacking = [f for f in preview.missing if f == "sex" and f not in preview.options.defaults]
    if lacking:
        print(QT_TRANSLATE_NOOP(
            "Cli", "The list has no column for the sex: give it with --default sex=Nữ (or Nam)."
        ).render())
    if preview.villages_to_create:
        print(QT_TRANSLATE_NOOP("Cli", "New villages: {names}").render(
            names=", ".join(preview.villages_to_create)))
    print(QT_TRANSLATE_NOOP("Cli", "{new} new, {matched} already registered, {rejected} refused"
                            " — {written}").render(
        new=preview.count("new"), matched=preview.count("match"),
        rejected=preview.count("error") + preview.count("duplicate"),
        written=(QT_TRANSLATE_NOOP("Cli", "nothing written (dry run)").render() if args.dry_run
                 else QT_TRANSLATE_NOOP("Cli", "saved").render())))
    return 0
