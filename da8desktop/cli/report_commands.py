"""`report indicators` (progress against targets, issue 6) and `targets` (allocate, list)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from da8desktop.cli.commands import _print, _writable, open_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    report = sub.add_parser("report", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "progress reports on the programme's indicators").render())
    report_sub = report.add_subparsers(dest="report_command", metavar="WHAT", required=True)
    indicators = report_sub.add_parser("indicators", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "each indicator's target and achieved value (at the province: per commune too)")
        .render())
    _period_options(indicators)
    indicators.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts").render())
    indicators.add_argument("--xlsx", metavar="FILE", help=QT_TRANSLATE_NOOP(
        "Cli", "also write the report as an Excel workbook").render())
    indicators.add_argument("--pdf", metavar="FILE", help=QT_TRANSLATE_NOOP(
        "Cli", "also write the printable report (PDF)").render())
    indicators.add_argument("--commune", metavar="CODE", help=QT_TRANSLATE_NOOP(
        "Cli", "at the province: one commune only").render())
    indicators.set_defaults(handler=run_report_indicators)

    periodic = report_sub.add_parser("periodic", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "sessions and participant-times per content and activity group for a quarter, "
        "half-year or year (at the province: in total and per commune)").render())
    periodic.add_argument("--year", type=int, required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the year").render())
    part = periodic.add_mutually_exclusive_group()
    part.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help=QT_TRANSLATE_NOOP(
        "Cli", "one quarter only").render())
    part.add_argument("--half", type=int, choices=(1, 2), help=QT_TRANSLATE_NOOP(
        "Cli", "one half-year only (1: January-June, 2: July-December)").render())
    periodic.add_argument("--commune", metavar="CODE", help=QT_TRANSLATE_NOOP(
        "Cli", "at the province: one commune only").render())
    periodic.add_argument("--json", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "print JSON for scripts").render())
    periodic.add_argument("--xlsx", metavar="FILE", help=QT_TRANSLATE_NOOP(
        "Cli", "also write the report as an Excel workbook").render())
    periodic.add_argument("--pdf", metavar="FILE", help=QT_TRANSLATE_NOOP(
        "Cli", "also write the printable report (PDF)").render())
    periodic.add_argument("--by-legacy-unit", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "also split the report by the former (pre-2025) commune of each record").render())
    periodic.set_defaults(handler=run_report_periodic)

    targets = sub.add_parser("targets", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "targets per indicator, commune and year or phase").render())
    targets_sub = targets.add_subparsers(dest="targets_command", metavar="ACTION", required=True)
    setting = targets_sub.add_parser("set", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "set one target (the province allocates; a commune plans its own)").render())
    setting.add_argument("--indicator", metavar="CODE", required=True, help=QT_TRANSLATE_NOOP(
        "Cli", "the indicator's code, e.g. II.TTCD").render())
    setting.add_argument("--period", required=True, metavar="YEAR|PHASE", help=QT_TRANSLATE_NOOP(
        "Cli", "a year (2026) or a phase (2026-2030)").render())
    setting.add_argument("--commune", metavar="CODE", help=QT_TRANSLATE_NOOP(
        "Cli", "the commune's code (required at the province)").render())
    setting.add_argument("--province", action="store_true", help=QT_TRANSLATE_NOOP(
        "Cli", "at the province: the target for the whole province (such as 540 teams)").render())
    setting.add_argument("value", type=float)
    setting.set_defaults(handler=run_targets_set)
    listing = targets_sub.add_parser("list", formatter_class=formatter, help=QT_TRANSLATE_NOOP(
        "Cli", "the targets of a year or phase").render())
    listing.add_argument("--period", required=True, metavar="YEAR|PHASE")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=run_targets_list)
    from da8desktop.cli.targets_commands import register_sheet, register_split

    register_sheet(targets_sub, formatter)
    register_split(targets_sub, formatter)


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help=QT_TRANSLATE_NOOP(
        "Cli", "the year (default: this year)").render())
    parser.add_argument("--quarter", type=int, choices=(1, 2, 3, 4), help=QT_TRANSLATE_NOOP(
        "Cli", "a quarter of the year: measured from 1 January to the quarter's end").render())
    parser.add_argument("--phase", choices=("2021-2025", "2026-2030"), help=QT_TRANSLATE_NOOP(
        "Cli", "the whole phase instead of a year").render())


def _province_key(db: Any) -> str:
    from da8desktop.core.indicators.progress import province_of

    whole = province_of(db)
    if whole is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "Only the province sets a target for the whole province."))
    return whole.key


def _commune_key(db: Any, code: str, province_ok: bool = False) -> str:
    from da8desktop.core.indicators.progress import province_of, scope_of

    for commune in scope_of(db)[2]:
        if commune.code == code.strip().zfill(5):
            return commune.key
    whole = province_of(db) if province_ok else None  # a target for the whole province
    if whole is not None and code.strip() == whole.code:
        return whole.key
    raise UserFacingError(QT_TRANSLATE_NOOP(
        "Cli", "No commune with code {code} here. See the codes with: sync status"), code=code)


def run_report_indicators(args: argparse.Namespace) -> int:
    from da8desktop.core.formats import format_figure
    from da8desktop.core.indicators.periods import Period
    from da8desktop.core.indicators.progress import compute_progress
    from da8desktop.core.reports.indicator_report import STATUS_WORDS

    db = open_database(args)
    period = Period.choose(args.year, args.quarter, args.phase)
    commune = _commune_key(db, args.commune) if args.commune else None
    progress = compute_progress(db, period, commune_key=commune)
    if args.xlsx:
        from da8desktop.core.excel.indicators import export_indicator_report

        export_indicator_report(db, progress, _writable(args.xlsx))
    if args.pdf:
        from da8desktop.core.reports.indicator_report import indicator_report

        _print(db, indicator_report(db, progress), _writable(args.pdf, ".pdf"), "indicator report")
    if args.json:
        json.dump(progress.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    up_to = QT_TRANSLATE_NOOP("Cli", "figures up to {date}").render(
        date=progress.as_at.strftime("%d/%m/%Y"))
    print(f"{progress.unit_name} — {period.label()} ({up_to})")
    for row in progress.rows:
        cell = row.cell
        percent = "" if cell.percent is None else f"{cell.percent:5.1f}%"
        print(f"  {row.indicator.code:<11} {format_figure(cell.achieved):>8} / "
              f"{format_figure(cell.target) or '—':>8} {percent:>7}  {STATUS_WORDS[cell.status]:<18} "
              f"{row.indicator.name}")
    if args.xlsx:
        print(QT_TRANSLATE_NOOP("Cli", "Report written to {file}").render(file=args.xlsx))
    return 0


def run_report_periodic(args: argparse.Namespace) -> int:
    from da8desktop.core.formats import format_figure
    from da8desktop.core.indicators.periodic import ReportSpan, compute_periodic

    span = ReportSpan.choose(args.year, args.quarter, args.half)
    db = open_database(args)
    commune = _commune_key(db, args.commune) if args.commune else None
    report = compute_periodic(db, span, commune, by_legacy_unit=args.by_legacy_unit)
    if args.xlsx:
        from da8desktop.core.excel.periodic import export_periodic_report

        export_periodic_report(db, report, _writable(args.xlsx))
    if args.pdf:
        from da8desktop.core.reports.periodic_report import periodic_report

        path = _writable(args.pdf, ".pdf")
        if args.json:  # stdout holds the JSON only
            from da8desktop.core.domain import AuditAction
            from da8desktop.core.reports.outputs import record_output
            from da8desktop.render.pdf import write_pdf

            document = periodic_report(db, report)
            pages = write_pdf(document, path)
            record_output(db, AuditAction.PRINT, f"periodic report -> {path.name}",
                          {"rows": document.row_count, "pages": pages})
        else:
            _print(db, periodic_report(db, report), path, "periodic report")
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"{report.unit_name} — {span.words()}")
    for row in report.rows:
        print(f"  {row.activity_group or '':<5} {format_figure(row.sessions):>6} "
              f"{format_figure(row.participants):>8}  {row.activity_group_name}")
    for unit in report.legacy_units or []:
        print(f"{unit.code or '-'} {unit.name}: " + QT_TRANSLATE_NOOP(
            "Cli", "{sessions} sessions, {times} participant-times").render(
            sessions=sum(r.sessions for r in unit.rows),
            times=sum(r.participants for r in unit.rows)))
    if args.xlsx:
        print(QT_TRANSLATE_NOOP("Cli", "Report written to {file}").render(file=args.xlsx))
    return 0


def run_targets_set(args: argparse.Namespace) -> int:
    from da8desktop.core.indicators.catalogue import indicators_of
    from da8desktop.core.services.targets import TargetsService

    db = open_database(args)
    code = args.indicator.strip().upper()
    key = next((i.key for i in indicators_of(db) if i.code == code), None)
    if key is None:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "No indicator has the code {code}. The codes are listed by: report indicators"),
            code=args.indicator)
    if args.province:
        commune = _province_key(db)
    else:
        commune = _commune_key(db, args.commune, province_ok=True) if args.commune else None
    TargetsService(db).set(key, args.period, args.value, commune)
    print(QT_TRANSLATE_NOOP("Cli", "Target saved.").render())
    return 0


def run_targets_list(args: argparse.Namespace) -> int:
    from da8desktop.core.formats import format_figure
    from da8desktop.core.indicators.progress import province_of, scope_of
    from da8desktop.core.services.targets import targets_of

    db = open_database(args)
    communes = scope_of(db)[2]
    names = {c.key: (c.code, c.name) for c in communes}
    whole = province_of(db)
    if whole is not None:
        names[whole.key] = (whole.code, QT_TRANSLATE_NOOP("Targets", "Whole province").render())
    rows = sorted(targets_of(db, args.period).items())
    if args.json:
        json.dump([{"indicator": k[0].split(":", 1)[1], "commune": names.get(k[1], ("", ""))[0],
                    "value": v.value, "set_by_province": v.set_by_province,
                    **({"whole_province": True} if whole and k[1] == whole.key else {})}
                   for k, v in rows], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    for (indicator, commune), value in rows:
        code, name = names.get(commune, ("", commune))
        print(f"{indicator.split(':', 1)[1]:<11} {code:>5} {name:<28} {format_figure(value.value):>8}")
    return 0
