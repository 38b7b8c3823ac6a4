"""`da8desktop [--db PATH | --database-url URL] [COMMAND]`: no command opens the window.

Errors an officer can act on go to stderr in plain words with exit code 2; nothing prints a
traceback for a user mistake. Exit code 1 is reserved for bugs (with the log path).
"""

from __future__ import annotations

import time

PROCESS_STARTED = time.perf_counter()  # first thing: the self-test reports time to window

import argparse
import sys
from collections.abc import Sequence

from da8desktop import __version__
from da8desktop.core.errors import UserFacingError
from da8desktop.core.private_files import restrict_umask
from da8desktop.core.i18n import LANGUAGES, QT_TRANSLATE_NOOP, install_ts_language, preferred_language

EXIT_USER_ERROR = 2

# argparse's own messages, routed through our catalogue (argparse looks `_` up at call time).
ARGPARSE_MESSAGES = {t.source: t for t in (
    QT_TRANSLATE_NOOP("argparse", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("argparse", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("argparse", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("argparse", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("argparse", "expected one argument"),
    QT_TRANSLATE_NOOP("argparse", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("argparse", "not allowed with argument %s"),
)}


def _argparse_text(message: str) -> str:
    text = ARGPARSE_MESSAGES.get(message)
    return text.render() if text else message


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._positionals.title = QT_TRANSLATE_NOOP("Cli", "commands").render()
        self._optionals.title = QT_TRANSLATE_NOOP("Cli", "options").render()

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        text = QT_TRANSLATE_NOOP("Cli", "Error: {message}. Run with --help to see what is possible.")
        print(text.render(message=message), file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001, ANN202
        if prefix is None:
            prefix = QT_TRANSLATE_NOOP("Cli", "usage: ").render()
        return super().add_usage(usage, actions, groups, prefix)


def _formatter(prog: str) -> argparse.HelpFormatter:
    return _Formatter(prog)


COMMAND_MODULES = ("commands", "sync_commands", "audit_commands", "report_commands",
                   "catalogue_commands", "central_commands", "server_commands", "units_commands")
GLOBAL_WITH_VALUE = ("--db", "--database-url", "--lang")


def command_named(args_list: Sequence[str]) -> str | None:
    """The command word of a command line (the first word that is no global option or its
    value), or None; only a hint to build_parser, which reads the line itself."""
    skip = False
    for arg in args_list:
        if skip:
            skip = False
        elif arg in GLOBAL_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
        elif not arg.startswith(tuple(f"{g}=" for g in GLOBAL_WITH_VALUE)):
            return None  # -h, --version or an unknown option: the whole parser
    return None


def _global_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", metavar="PATH", help=QT_TRANSLATE_NOOP(
        "Cli", "the data file to use (default: da8desktop.sqlite in your data folder)").render())
    where.add_argument("--database-url", metavar="URL", help=QT_TRANSLATE_NOOP(
        "Cli", "a database address instead of a file, e.g. postgresql+psycopg://… "
        "for a province server").render())
    parser.add_argument("--lang", choices=LANGUAGES, help=QT_TRANSLATE_NOOP(
        "Cli", "language of messages: vi (Vietnamese, default) or en (English)").render())


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="da8desktop", formatter_class=_formatter, add_help=False,
        description=QT_TRANSLATE_NOOP(
            "Cli", "da8desktop keeps the records of Project 8 (gender equality, women and "
            "children) on this computer: groups, people, meetings and activities.\n"
            "Without a command it opens the application window.").render())
    parser.add_argument("-h", "--help", action="help",
                        help=QT_TRANSLATE_NOOP("Cli", "show this help and exit").render())
    parser.add_argument("--version", action="version", version=f"da8desktop {__version__}",
                        help=QT_TRANSLATE_NOOP("Cli", "show the version and exit").render())
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    # The command modules are imported here, not at the top: the window's start needs none. With
    # `command` named, they are registered until one knows it (`stats` needs one module of
    # eight); a name none knows gets them all, so the list of choices in the error is whole.
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"da8desktop.cli.{name}").register(sub, _formatter)
        if command is not None and command in sub.choices:
            break
    return parser


def window_start(args_list: Sequence[str]) -> argparse.Namespace | None:
    """The options of a start without a command (`da8desktop [--db F] [--lang L]`), read
    without building every command's parser; None when a command or anything else is given,
    which the whole parser reads (and explains, when it is a mistake)."""
    if any(arg.startswith(("-h", "--h", "--v")) for arg in args_list):
        return None
    parser = _QuietParser(prog="da8desktop", add_help=False)
    _global_options(parser)
    try:
        args, rest = parser.parse_known_args(args_list)
    except _NotAWindowStart:  # --db with --database-url, a wrong --lang…: the whole parser says it
        return None
    return None if rest else args


class _NotAWindowStart(Exception):
    pass


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _NotAWindowStart(message)


def _language_from_argv(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1]
    return preferred_language()


def main(argv: Sequence[str] | None = None) -> int:
    restrict_umask()  # every file and folder made from here on is the user's only
    args_list = list(sys.argv[1:] if argv is None else argv)
    language = _language_from_argv(args_list)
    args = window_start(args_list)  # the window translates through Qt: no catalogue read here
    if args is None:
        install_ts_language(language)
        argparse._ = _argparse_text  # type: ignore[attr-defined]
        args = build_parser(command_named(args_list)).parse_args(args_list)
    if getattr(args, "command", None) is None:
        from da8desktop.gui.app import run_gui  # Qt is only imported when the window is wanted

        return run_gui(database=args.database_url or args.db, language=language)
    try:
        return int(args.handler(args) or 0)
    except UserFacingError as error:
        print(error.message(), file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:  # `da8desktop people list | head`: the reader stopped, not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # a full or locked stick, a stick pulled out: the officer's to fix
        from da8desktop.core.disk_errors import disk_error

        print(disk_error(error).message(), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print(QT_TRANSLATE_NOOP("Cli", "Stopped.").render(), file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - a bug, not a user mistake: traceback to the log, not screen
        from da8desktop.core.logs import write_crash_log

        log = write_crash_log("cli")
        print(QT_TRANSLATE_NOOP("Cli", "An unexpected error happened; nothing more was changed. "
                                "Please send this file to the support team: {log}").render(log=log),
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
