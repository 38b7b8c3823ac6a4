"""`targets import FILE.xlsx` and `targets export FILE.xlsx` (issue 21, item 2): a province's
whole allocation in one sheet, previewed, then saved in one transaction."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from da8desktop.cli.commands import _writable, open_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register_sheet(targets_sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    importing = targets_sub.add_parser("import", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "allocate targets from an Excel sheet of indicators x communes").render())
    importing.add_argument("file", metavar="FILE.xlsx")
    importing.add_argument("--period", metavar="YEAR|PHASE", help=QT_TRANSLATE_NOOP(
        "Cli", "a year (2026) or a phase (2026-2030); default: the one written in the sheet")
        .render())
    importing.add_argument("--dry-run", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "show what would change and save nothing").render())
    importing.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts").render())
    importing.set_defaults(handler=run_targets_import)
    exporting = targets_sub.add_parser("export", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "write the targets as an Excel sheet that targets import reads back").render())
    exporting.add_argument("file", metavar="FILE.xlsx")
    exporting.add_argument("--period", metavar="YEAR|PHASE", help=QT_TRANSLATE_NOOP(
        "Cli", "a year (2026) or a phase (2026-2030); default: this year").render())
    exporting.set_defaults(handler=run_targets_export)


def _period(text: str | None) -> str | None:
    from da8desktop.core.excel.targets_sheet import parse_period

    if text is None:
        return None
    period = parse_period(text)
    if period is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "\"{period}\" is not a year (2026) or a phase (2026-2030)."), period=text)
    return period


def run_targets_import(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.targets_sheet import apply_targets, preview_targets

    db = open_database(args)
    path = Path(args.file)
    if not path.is_file():
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "There is no file {file}. Check the name and the folder."), file=args.file)
    preview = preview_targets(db, path, _period(args.period))
    saved = None
    if not args.dry_run and not preview.refused:
        saved = apply_targets(db, preview)
    if args.json:
        json.dump({**preview.as_json(), "dry_run": args.dry_run, "saved": saved},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(QT_TRANSLATE_NOOP(
            "Cli", "Targets for {period}: {new} new, {changed} changed, {same} unchanged, "
            "{refused} refused.").render(period=preview.period, new=len(preview.new),
                                         changed=len(preview.changed), same=preview.unchanged,
                                         refused=len(preview.refused)))
        for refusal in preview.refused:
            print(f"  {refusal.reason}")
        for change in preview.changed:
            print(f"  {change.commune.code} {change.indicator.code}: "
                  f"{change.before:g} -> {change.after:g}")
    if preview.refused and not args.dry_run:
        apply_targets(db, preview)  # raises: nothing saved, exit 2
    if args.dry_run:
        print(QT_TRANSLATE_NOOP("Cli", "Dry run: nothing was saved.").render(),
              file=sys.stderr if args.json else sys.stdout)
    elif not args.json:
        print(QT_TRANSLATE_NOOP("Cli", "{count} targets saved.").render(count=saved))
    return 0


def run_targets_export(args: argparse.Namespace) -> int:
    from da8desktop.core.excel.targets_sheet import export_targets

    db = open_database(args)
    period = _period(args.period) or str(dt.date.today().year)
    count = export_targets(db, _writable(args.file), period)
    print(QT_TRANSLATE_NOOP("Cli", "{count} targets for {period} written to {file}").render(
        count=count, period=period, file=args.file))
    return 0


def register_split(targets_sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    splitting = targets_sub.add_parser("split", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "split the province's total over its communes: evenly, by villages or typed")
        .render())
    splitting.add_argument("--indicator", metavar="CODE", required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the indicator's code, e.g. II.TTCD").render())
    splitting.add_argument("--period", required=True, metavar="YEAR|PHASE", help=QT_TRANSLATE_NOOP(
        "Cli", "a year (2026) or a phase (2026-2030)").render())
    splitting.add_argument("--by", choices=("even", "villages", "typed"), required=True,
                           help=QT_TRANSLATE_NOOP(
                               "Cli", "evenly (whole numbers; the remainder to the first "
                               "communes in order), by number of villages, or the values given "
                               "with --value").render())
    splitting.add_argument("--total", type=float, metavar="N", help=QT_TRANSLATE_NOOP(
        "Cli", "the province's total, saved too (default: the total already set)").render())
    splitting.add_argument("--value", action="append", default=[], metavar="CODE=N",
                           help=QT_TRANSLATE_NOOP(
                               "Cli", "with --by typed: one commune's share (repeat it)").render())
    splitting.add_argument("--dry-run", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "show what would change and save nothing").render())
    splitting.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts").render())
    splitting.set_defaults(handler=run_targets_split)


def _typed_values(db: Any, texts: list[str]) -> dict[str, float]:
    from da8desktop.cli.report_commands import _commune_key
    from da8desktop.core.excel.targets_sheet import parse_target

    typed: dict[str, float] = {}
    for text in texts:
        code, _, number = text.partition("=")
        try:
            value = parse_target(number)
        except ValueError:
            value = None
        if value is None:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Cli", "\"{value}\" is not a commune code and a number, such as 03325=12."),
                value=text)
        typed[_commune_key(db, code)] = value
    return typed


def run_targets_split(args: argparse.Namespace) -> int:
    from da8desktop.core.formats import format_figure
    from da8desktop.core.indicators.catalogue import indicators_of
    from da8desktop.core.services.target_split import apply_split, plan_split

    db = open_database(args)
    period = _period(args.period) or ""
    code = args.indicator.strip().upper()
    indicator = next((i for i in indicators_of(db) if i.code == code), None)
    if indicator is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "No indicator has the code {code}. The codes are listed by: report indicators"),
            code=args.indicator)
    if args.value and args.by != "typed":
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "--value gives a commune's share typed by hand: use it with --by typed."))
    plan = plan_split(db, indicator, period, args.by, args.total, _typed_values(db, args.value))
    saved = None
    if not args.dry_run and plan.remainder == 0:
        saved = apply_split(db, plan)
    if args.json:
        json.dump({**plan.as_json(), "dry_run": args.dry_run, "saved": saved},
                  sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(QT_TRANSLATE_NOOP(
            "Cli", "{code} {period}: province total {total}, allocated {allocated}, "
            "remainder {remainder}.").render(
                code=indicator.code, period=period, total=format_figure(plan.total),
                allocated=format_figure(plan.allocated), remainder=format_figure(plan.remainder)))
        for line in plan.lines:
            if line.after != line.before:
                print(f"  {line.commune.code} {line.commune.name}: "
                      f"{format_figure(line.before) or '-'} -> {format_figure(line.after) or '-'}")
    if not args.dry_run and plan.remainder != 0:
        apply_split(db, plan)  # raises: nothing saved, exit 2
    if args.dry_run:
        print(QT_TRANSLATE_NOOP("Cli", "Dry run: nothing was saved.").render(),
              file=sys.stderr if args.json else sys.stdout)
    elif not args.json:
        print(QT_TRANSLATE_NOOP("Cli", "{count} targets saved.").render(count=saved))
    return 0
