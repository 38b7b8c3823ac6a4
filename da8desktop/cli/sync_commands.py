"""`province …`, `commune …` and `sync …` sub-commands (issue 4: these names are a contract)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from da8desktop.cli.commands import open_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.formats import format_utc_time
from da8desktop.core.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:  # the crypto libraries are imported only by a sync command that runs
    from da8desktop.core.sync import keys

EXIT_REJECTED = 3


def _help(text: Any) -> str:
    return text.render()


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    province = sub.add_parser("province", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "set up a province data file and enrol its communes")))
    province_sub = province.add_subparsers(dest="province_command", metavar="ACTION", required=True)
    init = province_sub.add_parser("init", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "set up a new data file for a province (makes its keys)")))
    init.add_argument("--province-code", required=True, metavar="CODE", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "the province code of the 2025 list, e.g. 11 for Điện Biên")))
    init.set_defaults(handler=run_province_init)
    add_enroll(province_sub, formatter, QT_TRANSLATE_NOOP(
        "Cli", "make the setup file for one commune computer"), "--commune-code",
        run_province_enroll)
    add_confirm(province_sub, formatter, QT_TRANSLATE_NOOP(
        "Cli", "trust a new commune computer once its fingerprint was read out by phone (until "
        "then it is sent no personal data)"), "--commune-code", run_province_confirm,
        fingerprint_help=QT_TRANSLATE_NOOP("Cli", "the fingerprint the commune officer reads "
                                           "out, as their computer shows it (spaces allowed)"))
    revoke = province_sub.add_parser("revoke", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "refuse from now on the bundles of a lost or stolen commune computer")))
    revoke.add_argument("--commune-code", required=True, metavar="CODE")
    revoke.add_argument("--fingerprint", metavar="DIGITS", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "which computer, when the commune has several (its first 5-digit group is enough)")))
    revoke.set_defaults(handler=run_province_revoke)
    status = province_sub.add_parser("status", formatter_class=formatter, help=_help(
        QT_TRANSLATE_NOOP("Cli", "every commune: enrolled, last bundle, missing bundles")))
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=run_sync_status)
    from da8desktop.cli.central_commands import register_province

    register_province(province_sub, formatter)  # connect-central (issue 21, item 6)

    commune = sub.add_parser("commune", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "set up this commune computer from the province's setup file")))
    commune_sub = commune.add_subparsers(dest="commune_command", metavar="ACTION", required=True)
    add_setup_file(commune_sub, formatter, "init", QT_TRANSLATE_NOOP(
        "Cli", "set up a new data file from a setup file (prints the fingerprint)"),
        "--province-fingerprint", QT_TRANSLATE_NOOP(
            "Cli", "the province's fingerprint as the province reads it out by phone (spaces "
            "allowed); without it you are asked to type it"), run_commune_init)

    sync = sub.add_parser("sync", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "exchange bundles on a USB stick")))
    sync_sub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    export = sync_sub.add_parser("export", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "write the bundles to send (prints the path of each file)")))
    export.add_argument("--out", required=True, metavar="DIR")
    export.add_argument("--full", action="store_true", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "send everything again, not only what the other side has not confirmed")))
    export.add_argument("--commune", action="append", metavar="CODE", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "at the province: only for this commune (may be repeated)")))
    export.set_defaults(handler=run_sync_export)
    imp = sync_sub.add_parser("import", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "import bundles: files or folders (prints the import summary)")))
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--dry-run", action="store_true", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "only show what would change; write nothing")))
    imp.add_argument("--json", action="store_true")
    imp.add_argument("--details", action="store_true", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "list every changed record with its fields before -> after")))
    imp.add_argument("--expect-sha256", metavar="HEX", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "import the file only if it is exactly the one previewed (the SHA-256 that "
        "--dry-run printed); one file only")))
    imp.set_defaults(handler=run_sync_import)
    st = sync_sub.add_parser("status", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "what the other side has confirmed and what is missing")))
    st.add_argument("--json", action="store_true")
    st.set_defaults(handler=run_sync_status)
    conflicts = sync_sub.add_parser("conflicts", formatter_class=formatter, help=_help(
        QT_TRANSLATE_NOOP("Cli", "list the conflicts waiting for review")))
    conflicts.add_argument("--json", action="store_true")
    conflicts.set_defaults(handler=run_sync_conflicts)
    conflicts_sub = conflicts.add_subparsers(dest="conflicts_command", metavar="ACTION")
    resolve = conflicts_sub.add_parser("resolve", formatter_class=formatter, help=_help(
        QT_TRANSLATE_NOOP("Cli", "keep the winning value, or restore the losing one (sent as a "
                          "new change)")))
    resolve.add_argument("id", type=int, metavar="ID")
    resolve.add_argument("--keep", required=True, choices=("winner", "loser"))
    resolve.set_defaults(handler=run_sync_conflicts_resolve)


# -- enrolment, shared by both tiers (central_commands.py): the names and words are each tier's --
def add_enroll(actions: Any, formatter: Callable[[str], argparse.HelpFormatter], help_text: Any,
               unit_option: str, handler: Callable[[argparse.Namespace], int]) -> None:
    """`province enroll --commune-code CODE --out DIR`, `central enroll --province-code …`."""
    enroll = actions.add_parser("enroll", formatter_class=formatter, help=_help(help_text))
    enroll.add_argument(unit_option, required=True, metavar="CODE")
    enroll.add_argument("--out", required=True, metavar="DIR", help=_help(QT_TRANSLATE_NOOP(
        "Cli", "folder to write the setup file to (e.g. the USB stick)")))
    enroll.set_defaults(handler=handler)


def add_confirm(actions: Any, formatter: Callable[[str], argparse.HelpFormatter], help_text: Any,
                unit_option: str, handler: Callable[[argparse.Namespace], int], *,
                fingerprint_help: Any = None) -> None:
    """`province confirm --commune-code CODE --fingerprint DIGITS`, `central confirm …`."""
    confirm = actions.add_parser("confirm", formatter_class=formatter, help=_help(help_text))
    confirm.add_argument(unit_option, required=True, metavar="CODE")
    confirm.add_argument("--fingerprint", required=True, metavar="DIGITS",
                         help=_help(fingerprint_help) if fingerprint_help else None)
    confirm.set_defaults(handler=handler)


def add_setup_file(actions: Any, formatter: Callable[[str], argparse.HelpFormatter], name: str,
                   help_text: Any, fingerprint_option: str, fingerprint_help: Any,
                   handler: Callable[[argparse.Namespace], int]) -> None:
    """`commune init` and `province connect-central`: the setup file of the level above and
    that level's fingerprint (`--province-fingerprint`, `--central-fingerprint`)."""
    command = actions.add_parser(name, formatter_class=formatter, help=_help(help_text))
    command.add_argument("--setup", required=True, metavar="FILE")
    command.add_argument(fingerprint_option, metavar="DIGITS", help=_help(fingerprint_help))
    command.set_defaults(handler=handler)


def answer(result: object, next_step: str) -> int:
    """What a script reads on stdout (a path, a fingerprint); the officer's next step on stderr."""
    print(result)
    print(next_step, file=sys.stderr)
    return 0


def run_with_setup_file(setup: str, typed: str | None, read: Callable[[Path], Any],
                        ask: Callable[[Any], str], connect: Callable[[Path, str], Any],
                        done: Callable[[Any], int]) -> int:
    """The fingerprint of the setup file's signer as the officer typed it (asked for on the
    terminal when not given), then `connect`; a refused file is exit 3, as for bundles."""
    from da8desktop.core.sync.container import BundleRejected

    try:
        if typed is None:
            typed = ask(read(Path(setup)))
        result = connect(Path(setup), typed)
    except BundleRejected as refused:  # the file itself is refused: exit 3, as for bundles
        print(refused.message(), file=sys.stderr)
        return EXIT_REJECTED
    return done(result)


def ask_fingerprint(not_a_terminal: UserFacingError, shown: str, question: Any) -> str:
    """Show the fingerprint in the file; the officer types what the other side reads out."""
    if not sys.stdin.isatty():
        raise not_a_terminal
    print(shown, file=sys.stderr)
    try:
        return input(question.render())
    except EOFError:  # Ctrl-D: nothing typed, so nothing matches and nothing is changed
        return ""


def _terminal_prompt(new: bool) -> str | None:
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Passphrase for the sync keys: ").render())
    if new and getpass.getpass(QT_TRANSLATE_NOOP("Cli", "Again: ").render()) != first:
        from da8desktop.core.sync import keys

        raise keys.KeysLocked(QT_TRANSLATE_NOOP("Cli", "The two passphrases differ."))
    return first


def _open(args: argparse.Namespace):  # noqa: ANN202
    return open_database(args)


def _unlock(db) -> keys.SiteKeys | None:  # noqa: ANN001 - a Database
    """This site's keys, asking on the terminal if a passphrase protects them."""
    from da8desktop.core.sync.enrol import unlock

    return unlock(db, _terminal_prompt)


def run_province_init(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.enrol import province_init

    identity, fingerprint = province_init(_open(args), args.province_code,
                                          prompt=_terminal_prompt)
    print(QT_TRANSLATE_NOOP("Cli", "Province data file set up: {province}.").render(
        province=identity.province_name))
    print(QT_TRANSLATE_NOOP("Cli", "Fingerprint of this province: {fingerprint}").render(
        fingerprint=fingerprint))
    return 0


def run_province_enroll(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.enrol import enroll

    setup = enroll(_open(args), args.commune_code, Path(args.out), prompt=_terminal_prompt)
    return answer(setup.path, QT_TRANSLATE_NOOP(
        "Cli", "Setup file for {commune}. Give it to the commune officer; their computer's first "
        "bundle registers it.").render(commune=setup.commune_name))


def run_province_confirm(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.enrol import confirm_commune_computer

    peer = confirm_commune_computer(open_database(args), args.commune_code, args.fingerprint)
    print(QT_TRANSLATE_NOOP("Cli", "Confirmed: the computer of {commune} with fingerprint {f}. "
                            "Its next bundle from the province carries the commune's data.")
          .render(commune=peer.label, f=peer.fingerprint))
    return 0


def run_province_revoke(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.enrol import revoke_commune_computer

    peer = revoke_commune_computer(_open(args), args.commune_code, args.fingerprint)
    print(QT_TRANSLATE_NOOP("Cli", "Revoked: the computer of {commune} with fingerprint {f}. Its "
                            "bundles are refused from now on; set up a new computer from a new "
                            "setup file.").render(commune=peer.label, f=peer.fingerprint))
    return 0


def run_commune_init(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.enrol import commune_init, read_setup

    return run_with_setup_file(
        args.setup, args.province_fingerprint, read_setup, _ask_province_fingerprint,
        lambda path, typed: commune_init(_open(args), path, typed, prompt=_terminal_prompt),
        lambda result: answer(result.fingerprint, QT_TRANSLATE_NOOP(
            "Cli", "{commune} is set up. Read this computer's fingerprint above to the province: "
            "the province confirms it, and only then sends the commune's data.")
            .render(commune=result.identity.commune_name)))


def _ask_province_fingerprint(setup: Any) -> str:
    return ask_fingerprint(UserFacingError(QT_TRANSLATE_NOOP(
        "Cli", "Nothing was set up: the province's fingerprint must be compared first. Call "
        "the province, ask them to read their fingerprint, and give it with "
        "--province-fingerprint \"DIGITS\".")), QT_TRANSLATE_NOOP(
        "Cli", "Setup file of {province} for {commune}. Fingerprint of the province in this "
        "file: {f}").render(province=setup.manifest.source.label,
                            commune=setup.manifest.commune.name, f=setup.province_fingerprint),
        QT_TRANSLATE_NOOP("Cli", "Call the province and type the fingerprint they read to you: "))


def run_sync_export(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.export import export_bundles

    from da8desktop.core.sync.enrol import awaiting_confirmation, peers

    db = _open(args)
    written = export_bundles(db, Path(args.out), full=args.full, communes=args.commune,
                             keys=_unlock(db))
    for bundle in written:
        print(bundle.path)
    for peer in peers(db):
        if awaiting_confirmation(peer):
            print(QT_TRANSLATE_NOOP(
                "Cli", "The new computer of {commune} (fingerprint {f}) is waiting for "
                "confirmation: its bundle carries no personal data until 'province confirm'.")
                .render(commune=peer.label, f=peer.fingerprint), file=sys.stderr)
    if not written:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Cli", "No bundle written: no computer is enrolled to receive one yet."))
    return 0


def run_sync_import(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.importer import import_paths

    expected = None
    if args.expect_sha256 is not None:
        digest = args.expect_sha256.strip().lower()
        if len(args.paths) != 1 or Path(args.paths[0]).is_dir():
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Cli", "--expect-sha256 checks one file: give exactly one bundle file."))
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Cli", "--expect-sha256 takes the 64 hexadecimal digits that --dry-run printed."))
        expected = {Path(args.paths[0]): digest}
    db = _open(args)
    reports = import_paths(db, [Path(p) for p in args.paths], dry_run=args.dry_run,
                           details=args.details, expect_sha256=expected, keys=_unlock(db))
    if not reports:
        raise UserFacingError(QT_TRANSLATE_NOOP("Cli", "No bundle found in {paths}."),
                              paths=", ".join(args.paths))
    if args.json:
        json.dump([r.as_dict(with_records=args.details) for r in reports], sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    else:
        for report in reports:
            _print_report(report, args.details)
    if not args.dry_run and db.file is not None:
        # The restore point was left plain so the import began at once; compressed now, after
        # the report is out (issue 23).
        from da8desktop.core.db.backup import compress_waiting_backups

        sys.stdout.flush()
        compress_waiting_backups(db.file)
    return 0 if all(r.ok for r in reports) else EXIT_REJECTED


STATUS_TEXT = {
    "applied": QT_TRANSLATE_NOOP("Cli", "imported"),
    "dry_run": QT_TRANSLATE_NOOP("Cli", "preview only, nothing written"),
    "duplicate": QT_TRANSLATE_NOOP("Cli", "already imported"),
    "rejected": QT_TRANSLATE_NOOP("Cli", "REFUSED"),
}
ACTION_TEXT = {
    "new": QT_TRANSLATE_NOOP("Cli", "new"),
    "updated": QT_TRANSLATE_NOOP("Cli", "updated"),
    "unchanged": QT_TRANSLATE_NOOP("Cli", "unchanged"),
    "conflict": QT_TRANSLATE_NOOP("Cli", "conflict"),
    "deleted": QT_TRANSLATE_NOOP("Cli", "deleted"),
    "rejected": QT_TRANSLATE_NOOP("Cli", "rejected"),
}


def _print_report(report: Any, details: bool) -> None:
    print(f"{report.file}: {STATUS_TEXT[report.status].render()}")
    if report.message:
        print(f"  {report.message}")
    if report.counts:
        print("  " + ", ".join(f"{ACTION_TEXT[k].render()} {v}" for k, v in report.counts.items()))
    if report.status == "dry_run" and report.sha256:
        print("  SHA-256: " + report.sha256)
    if report.enrolled_fingerprint:
        print("  " + QT_TRANSLATE_NOOP(
            "Cli", "New computer registered; its fingerprint is {f}. It is sent no personal data "
            "until you compare the fingerprint with the commune by phone and confirm it: "
            "da8desktop province confirm --commune-code CODE --fingerprint \"DIGITS\".").render(
            f=report.enrolled_fingerprint))
    for record in report.records:
        if record["action"] == "rejected" or details:
            line = f"    {ACTION_TEXT[record['action']].render()}: {record['table']} {record['label']}"
            if record.get("reason"):
                line += f" — {record['reason']}"
            print(line)
            if details:
                for name, (before, after) in record.get("fields", {}).items():
                    print(f"        {name}: {before!r} -> {after!r}")


PEER_STATUS_TEXT = {  # only the new state is worded; the others print as their codes
    "awaiting_confirmation": QT_TRANSLATE_NOOP("Cli", "waiting for confirmation"),
}


def run_sync_status(args: argparse.Namespace) -> int:
    from da8desktop.core.services.site import identity
    from da8desktop.core.sync.enrol import own_fingerprint
    from da8desktop.core.sync.status import commune_receipt, province_status

    db = open_database(args)
    site = identity(db)
    if site is not None and site.role == "central":
        from da8desktop.cli.central_commands import print_central_status

        return print_central_status(db, args.json)
    if site is not None and site.role == "province":
        from da8desktop.cli.central_commands import print_central_link
        from da8desktop.core.sync.central_link import central_link

        rows = province_status(db)
        link = central_link(db)
        if args.json:
            json.dump({"role": "province", "fingerprint": own_fingerprint(db),
                       "communes": [dict(r.__dict__, peer_id=str(r.peer_id) if r.peer_id else None)
                                    for r in rows],
                       "central": dict(link.__dict__)},
                      sys.stdout, ensure_ascii=False, indent=2, default=str)
            print()
            return 0
        print(QT_TRANSLATE_NOOP("Cli", "Fingerprint of this province: {fingerprint}").render(
            fingerprint=own_fingerprint(db)))
        for r in rows:
            missing = ", ".join(f"#{n}" for n in r.missing) or "-"
            status = PEER_STATUS_TEXT[r.status].render() if r.status in PEER_STATUS_TEXT \
                else r.status
            print(f"  {r.commune_code} {r.commune_name:<28} {status:<12} "
                  f"{format_utc_time(r.last_bundle_at):<17} #{r.last_seq or '-'}  "
                  + QT_TRANSLATE_NOOP("Cli", "missing: {missing}; conflicts: {c}; rejected: {r}")
                  .render(missing=missing, c=r.open_conflicts, r=r.rejected_records))
        print_central_link(link)
        return 0
    receipt = commune_receipt(db)
    if args.json:
        json.dump(dict(receipt.__dict__, role="commune", fingerprint=own_fingerprint(db)),
                  sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    if not receipt.set_up:
        print(QT_TRANSLATE_NOOP("Cli", "Not set up for sync. Changes not yet sent: {n}").render(
            n=receipt.unconfirmed))
        return 0
    if receipt.confirmed_until:
        print(QT_TRANSLATE_NOOP("Cli", "The province has received everything up to {when}.")
              .render(when=format_utc_time(receipt.confirmed_until)))
    else:
        print(QT_TRANSLATE_NOOP("Cli", "The province has not confirmed any bundle yet.").render())
    print(QT_TRANSLATE_NOOP("Cli", "Changes not yet confirmed: {n}").render(n=receipt.unconfirmed))
    print(QT_TRANSLATE_NOOP("Cli", "Conflicts to review: {n}").render(n=receipt.open_conflicts))
    if receipt.rejected_by_province:
        print(QT_TRANSLATE_NOOP(
            "Cli", "Records the province refused: {n}. Correct each one (on the Sync page, a "
            "double-click opens it) and write a new bundle; it is sent again.").render(
                n=len(receipt.rejected_by_province)))
        for entry in receipt.rejected_by_province:
            print(f"  - {entry['label']}: {entry['reason']}")
    return 0


def run_sync_conflicts(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.conflicts import list_conflicts

    rows = list_conflicts(open_database(args))
    if args.json:
        json.dump([c.as_json() for c in rows], sys.stdout, ensure_ascii=False, indent=2,
                  default=str)
        print()
        return 0
    for c in rows:
        print(QT_TRANSLATE_NOOP(
            "Cli", "#{id} {record} / {field}: kept {kept} ({kept_by}, {kept_at}); not kept "
            "{lost} ({lost_by}, {lost_at})").render(
                id=c.id, record=c.label, field=c.field, kept=repr(c.kept), kept_by=c.kept_by,
                kept_at=c.kept_at or "?", lost=repr(c.lost), lost_by=c.lost_by,
                lost_at=c.lost_at or "?"))
    if not rows:
        print(QT_TRANSLATE_NOOP("Cli", "No conflict to review.").render())
    return 0


def run_sync_conflicts_resolve(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.conflicts import resolve_conflict

    resolve_conflict(open_database(args), args.id, args.keep)
    print((QT_TRANSLATE_NOOP("Cli", "The winning value is kept; the conflict is closed.")
           if args.keep == "winner" else QT_TRANSLATE_NOOP(
               "Cli", "The losing value is restored as a new change; it travels with the next "
               "bundle.")).render())
    return 0
