"""`catalogue export FILE.xlsx`, `catalogue import FILE.xlsx [--dry-run] [--json]` and
`catalogue status [--json]` (issue 21, item 1): the province edits its indicators and activity
groups in a workbook; each saved edit is a new version sent with the next bundles."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from da8desktop.cli.commands import _writable, open_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    catalogue = sub.add_parser("catalogue", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "the indicators and activity groups (the province edits them)").render())
    actions = catalogue.add_subparsers(dest="catalogue_command", metavar="ACTION", required=True)
    exporting = actions.add_parser("export", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "write the catalogue as an Excel workbook to edit").render())
    exporting.add_argument("file", metavar="FILE.xlsx")
    exporting.set_defaults(handler=run_catalogue_export)
    importing = actions.add_parser("import", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "save an edited workbook as the new catalogue version (province)").render())
    importing.add_argument("file", metavar="FILE.xlsx")
    importing.add_argument("--dry-run", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "show what would change and save nothing").render())
    importing.add_argument("--json", action="store_true")
    importing.set_defaults(handler=run_catalogue_import)
    status = actions.add_parser("status", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "which version of each catalogue this data file holds").render())
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=run_catalogue_status)


def run_catalogue_export(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.catalogue_sheet import export_catalogue

    held = export_catalogue(open_database(args), _writable(args.file))
    print(QT_TRANSLATE_NOOP("Cli", "Catalogue written to {file} (indicators {ind}, activity "
                            "groups {groups}).").render(file=args.file, ind=held.get("indicators"),
                                                        groups=held.get("programme")))
    return 0


def run_catalogue_import(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.catalogue_sheet import read_catalogue_sheet
    from da8desktop.core.services.catalogue import apply_edit, plan_edit

    db = open_database(args)
    path = Path(args.file)
    if not path.is_file():
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "There is no file {file}. Check the name and the folder."), file=args.file)
    edited, unreadable = read_catalogue_sheet(path)
    change = plan_edit(db, edited)
    change.refused[:0] = unreadable
    saved = None
    if not args.dry_run and not change.refused:
        saved = apply_edit(db, change)
    if args.json:
        json.dump({**change.as_json(), "dry_run": args.dry_run, "saved": saved}, sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    else:
        print(QT_TRANSLATE_NOOP(
            "Cli", "Catalogue: {added} added, {changed} changed, {retired} retired, {same} "
            "unchanged, {refused} refused.").render(
                added=len(change.added), changed=len(change.changed),
                retired=len(change.retired), same=change.unchanged, refused=len(change.refused)))
        for line in change.refused:
            print(f"  {line}")
        for label, codes in (("+", change.added), ("~", change.changed), ("-", change.retired)):
            if codes:
                print(f"  {label} " + ", ".join(codes))
    if change.refused and not args.dry_run:
        apply_edit(db, change)  # raises: nothing saved, exit 2
    if args.dry_run:
        print(QT_TRANSLATE_NOOP("Cli", "Dry run: nothing was saved.").render(),
              file=sys.stderr if args.json else sys.stdout)
    elif saved and not args.json:
        print(QT_TRANSLATE_NOOP("Cli", "Saved as version {versions}; the communes receive it "
                                "with the next bundles.").render(
            versions=", ".join(f"{k} {v}" for k, v in saved.items())))
    return 0


def run_catalogue_status(args: argparse.Namespace) -> int:
    from da8desktop.core.services.catalogue import versions

    held = versions(open_database(args))
    if args.json:
        json.dump(held, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for name, version in held.items():
        print(f"{name:<16} {version or '—'}")
    return 0
