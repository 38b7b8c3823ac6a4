"""`audit list` and `audit export`: the audit trail for scripts and for the province."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from da8desktop.cli.commands import _writable, open_database
from da8desktop.core.formats import format_utc_time
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

MAX_LIMIT = 1_000_000

ACTIONS = ("create", "update", "delete", "restore", "merge", "import", "export", "print", "setup",
           "migrate")


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    audit = sub.add_parser("audit", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "who changed, exported, printed or imported what, and when").render())
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    for name, handler, text in (
            ("list", run_audit_list, QT_TRANSLATE_NOOP("Cli", "print the audit trail, newest first")),
            ("export", run_audit_export, QT_TRANSLATE_NOOP("Cli", "write the audit trail to .xlsx"))):
        command = audit_sub.add_parser(name, formatter_class=formatter, help=text.render())
        if name == "export":
            command.add_argument("file", metavar="FILE.xlsx")
        command.add_argument("--action", choices=ACTIONS)
        command.add_argument("--search", default="", metavar="TEXT")
        if name == "list":
            command.add_argument("--json", action="store_true")
            command.add_argument("--limit", type=int, default=200)
        command.set_defaults(handler=handler)


def run_audit_list(args: argparse.Namespace) -> int:
    from da8desktop.core.services.audit_query import list_audit

    if not 1 <= args.limit <= MAX_LIMIT:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "--limit must be a number from 1 to {most}."), most=MAX_LIMIT)
    rows = list_audit(open_database(args), args.action, args.search, args.limit)
    if args.json:
        json.dump([{"at": r.at.isoformat(), "actor": r.actor, "action": r.action,
                    "entity": r.entity, "summary": r.summary, "description": r.description}
                   for r in rows],
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for r in rows:
        print(f"{format_utc_time(r.at)}  {r.actor:<12} {r.action:<8} {r.entity:<16} {r.description}")
    return 0


def run_audit_export(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.export import export_audit
    from da8desktop.core.services.audit_query import list_audit

    db = open_database(args)
    result = export_audit(db, _writable(args.file), list_audit(db, args.action, args.search, None))
    print(QT_TRANSLATE_NOOP("Cli", "{n} entries written to {file}.").render(n=result.rows,
                                                                            file=result.path))
    return 0
