"""`central init|enroll|confirm` and, at the province, `province connect-central` (issue 21,
item 6; `central init` and `central enroll --province-code CODE --out DIR` are a contract).
Enrolment is built as the province's is (sync_commands.add_enroll, add_confirm, add_setup_file,
run_with_setup_file, ask_fingerprint), with the centre's words."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from da8desktop.cli.sync_commands import (_help, _open, _terminal_prompt, add_confirm, add_enroll,
                                          add_setup_file, answer, ask_fingerprint,
                                          run_with_setup_file)
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def register(sub: Any, formatter: Callable[[str], argparse.HelpFormatter]) -> None:
    central = sub.add_parser("central", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "the Central Women's Union: set up its data file and enrol the provinces")))
    actions = central.add_subparsers(dest="central_command", metavar="ACTION", required=True)
    init = actions.add_parser("init", formatter_class=formatter, help=_help(QT_TRANSLATE_NOOP(
        "Cli", "set up a new data file for the centre (makes its keys)")))
    init.set_defaults(handler=run_central_init)
    add_enroll(actions, formatter, QT_TRANSLATE_NOOP(
        "Cli", "make the setup file for one province"), "--province-code", run_central_enroll)
    add_confirm(actions, formatter, QT_TRANSLATE_NOOP(
        "Cli", "trust a province's computer once its fingerprint was read out by phone (until "
        "then its figures are not taken)"), "--province-code", run_central_confirm)


def register_province(province_sub: Any, formatter: Callable[[str], argparse.HelpFormatter]
                      ) -> None:
    add_setup_file(province_sub, formatter, "connect-central", QT_TRANSLATE_NOOP(
        "Cli", "connect this province to the centre with the centre's setup file (prints this "
        "province's fingerprint)"), "--central-fingerprint", QT_TRANSLATE_NOOP(
        "Cli", "the centre's fingerprint as the centre reads it out by phone (spaces allowed); "
        "without it you are asked to type it"), run_province_connect_central)


def run_central_init(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.central import central_init

    _identity, fingerprint = central_init(_open(args), prompt=_terminal_prompt)
    print(QT_TRANSLATE_NOOP("Cli", "The centre's data file is set up.").render())
    print(QT_TRANSLATE_NOOP("Cli", "Fingerprint of the centre: {fingerprint}").render(
        fingerprint=fingerprint))
    return 0


def run_central_enroll(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.central import central_enroll

    setup = central_enroll(_open(args), args.province_code, Path(args.out),
                           prompt=_terminal_prompt)
    return answer(setup.path, QT_TRANSLATE_NOOP(
        "Cli", "Setup file for {province}. Give it to the province officer with the centre's "
        "fingerprint read by phone; the province's first bundle registers it.")
        .render(province=setup.province_name))


def run_central_confirm(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.central import confirm_province

    peer = confirm_province(_open(args), args.province_code, args.fingerprint)
    print(QT_TRANSLATE_NOOP("Cli", "Confirmed: the computer of {province} with fingerprint {f}. "
                            "Import its bundle again to take its figures.")
          .render(province=peer.label, f=peer.fingerprint))
    return 0


def run_province_connect_central(args: argparse.Namespace) -> int:
    from da8desktop.core.sync.central import connect_central
    from da8desktop.core.sync.central_file import read_central_setup

    return run_with_setup_file(
        args.setup, args.central_fingerprint, read_central_setup, _ask_central_fingerprint,
        lambda path, typed: connect_central(_open(args), path, typed),
        lambda result: answer(result.province_fingerprint, QT_TRANSLATE_NOOP(
            "Cli", "Connected to {central}. Read this province's fingerprint above to the "
            "centre: the centre confirms it. From now on 'sync export' also writes the bundle "
            "for the centre (figures only, no personal data).")
            .render(central=result.central_label)))


def _ask_central_fingerprint(setup: Any) -> str:
    return ask_fingerprint(UserFacingError(QT_TRANSLATE_NOOP(
        "Cli", "Nothing was changed: the centre's fingerprint must be compared first. Call "
        "the centre, ask them to read their fingerprint, and give it with "
        "--central-fingerprint \"DIGITS\".")), QT_TRANSLATE_NOOP(
        "Cli", "Setup file of the centre for {province}. Fingerprint of the centre in this "
        "file: {f}").render(province=setup.manifest.province.name, f=setup.central_fingerprint),
        QT_TRANSLATE_NOOP("Cli", "Call the centre and type the fingerprint they read to you: "))


def print_central_status(db: Any, as_json: bool) -> int:
    """`sync status` at the centre: each province's computer and its last bundle."""
    import json

    from da8desktop.core.formats import format_utc_time
    from da8desktop.core.sync.central_status import province_computers
    from da8desktop.core.sync.enrol import own_fingerprint

    rows = province_computers(db)
    if as_json:
        json.dump({"role": "central", "fingerprint": own_fingerprint(db),
                   "provinces": [dict(r.__dict__) for r in rows]},
                  sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
        return 0
    print(QT_TRANSLATE_NOOP("Cli", "Fingerprint of the centre: {fingerprint}").render(
        fingerprint=own_fingerprint(db)))
    for r in rows:
        print(f"  {r.code} {r.name:<28} {r.status:<22} {format_utc_time(r.last_bundle_at)}")
    return 0


CENTRAL_LINK_TEXT = {
    "not_connected": QT_TRANSLATE_NOOP(
        "Cli", "Centre: not connected (province connect-central --setup FILE connects it)."),
    "waiting": QT_TRANSLATE_NOOP(
        "Cli", "Centre: connected to {central}, waiting: the centre has not yet taken this "
        "province's figures (it confirms this province's fingerprint first)."),
    "confirmed": QT_TRANSLATE_NOOP(
        "Cli", "Centre: connected to {central}, confirmed: the centre takes this province's "
        "figures."),
}


def print_central_link(link: Any) -> None:
    """The province's link to the centre, below its communes in `sync status`."""
    from da8desktop.core.formats import format_utc_time

    print(CENTRAL_LINK_TEXT[link.state].render(central=link.central or ""))
    if link.state == "not_connected":
        return
    print(QT_TRANSLATE_NOOP("Cli", "  Last figures bundle for the centre: {when}").render(
        when=format_utc_time(link.last_aggregates_at)))
    versions = ", ".join(f"{name} {version}" for name, version in link.catalogues.items())
    print(QT_TRANSLATE_NOOP("Cli", "  Catalogue versions received from the centre: {versions}")
          .render(versions=versions or "-"))
