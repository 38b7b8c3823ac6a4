"""`da8desktop --db FILE migrate-to URL`: move a province from its SQLite file to a server."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    move = sub.add_parser("migrate-to", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "copy everything in this data file to an empty server database").render(),
        description=QT_TRANSLATE_NOOP(
            "Cli", "Copies identity, sync keys, the registry, every commune's data, sync state "
            "and the audit trail into an empty database (e.g. PostgreSQL on the province "
            "server), in one transaction, and compares the number of rows of every table "
            "before it commits. Afterwards use the server database only.").render())
    move.add_argument("url", metavar="URL", help=QT_TRANSLATE_NOOP(
        "Cli", "the server database, e.g. postgresql+psycopg://user:password@host/da8").render())
    move.set_defaults(handler=run_migrate_to)


def run_migrate_to(args: argparse.Namespace) -> int:
    from da8desktop.cli.commands import open_database
    from da8desktop.core.db.move_to_server import move_database
    from da8desktop.core.formats import format_number

    from da8desktop.core.db.server_setting import parse

    parse(args.url)  # a mistyped address is told before anything is opened or created
    source = open_database(args)
    try:
        report = move_database(source, args.url)
    finally:
        source.close()
    for table, count in report.counts.items():
        if count:
            print(f"  {table:<24} {format_number(count):>12}")
    print(QT_TRANSLATE_NOOP(
        "Cli", "Copied {rows} rows of {tables} tables to {target}; every count matches. "
        "{files} attached files copied. From now on open the server database "
        "(--database-url, or Settings › Server database) and keep the old file only as an "
        "archive.").render(rows=format_number(sum(report.counts.values())),
                           tables=str(len(report.counts)), target=report.target,
                           files=str(report.attachments)))
    return 0
