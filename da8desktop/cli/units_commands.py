"""`records legacy-units` and `records assign-legacy-unit` (issue 20 item 8): a commune formed
by merging says which former commune its earlier records belong to."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from da8desktop.cli.commands import open_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    records = sub.add_parser("records", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "records kept before the 2025 merger: which former commune they belong to")
        .render())
    records_sub = records.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    listing = records_sub.add_parser("legacy-units", formatter_class=formatter,
                                     help=QT_TRANSLATE_NOOP(
        "Cli", "the former communes merged into this commune, and records without one")
        .render())
    listing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts").render())
    listing.set_defaults(handler=run_legacy_units)
    assign = records_sub.add_parser("assign-legacy-unit", formatter_class=formatter,
                                    help=QT_TRANSLATE_NOOP(
        "Cli", "give records with no former commune the one they happened in").render())
    assign.add_argument("--unit", metavar="CODE", required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the former commune's code (see: records legacy-units)").render())
    assign.add_argument("--before", metavar="DATE", help=QT_TRANSLATE_NOOP(
        "Cli", "records dated before this day (dd/mm/yyyy or yyyy-mm-dd); default 01/07/2025")
        .render())
    assign.set_defaults(handler=run_assign_legacy_unit)


def _day(text: str) -> dt.date:
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise UserFacingError(QT_TRANSLATE_NOOP(
        "Cli", "Write the date as dd/mm/yyyy, for example 01/07/2025."))


def run_legacy_units(args: argparse.Namespace) -> int:
    from da8desktop.core.reference import REFORM_DATE
    from da8desktop.core.services.units import installation_commune, old_units, unassigned_count

    db = open_database(args)
    with db.read() as session:
        units = old_units(session, installation_commune(session))
        pending = unassigned_count(session, REFORM_DATE)
    if args.json:
        json.dump({"units": [{"code": u.code, "name": u.name, "district": u.district}
                             for u in units], "unassigned_before_reform": pending},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for unit in units:
        print(f"  {unit.code}  {unit.label}")
    print(QT_TRANSLATE_NOOP("Cli", "Records before 01/07/2025 with no former commune: {n}")
          .render(n=pending))
    return 0


def run_assign_legacy_unit(args: argparse.Namespace) -> int:
    from da8desktop.core.reference import REFORM_DATE
    from da8desktop.core.services.units import assign_legacy_unit

    before = _day(args.before) if args.before else REFORM_DATE
    db = open_database(args)
    changed = assign_legacy_unit(db, args.unit, before)
    print(QT_TRANSLATE_NOOP("Cli", "{n} records now carry former commune {code}.")
          .render(n=changed, code=args.unit))
    return 0
