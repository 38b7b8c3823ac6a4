"""Crash logs in the user log folder, shared by the GUI's crash dialog and the CLI.

A crash log travels to the support team, so it holds no record data (issue 18 item 8): the
exception's type, where it happened (file, line, function of each frame) and its message with
every value taken out. SQLAlchemy's text carries the statement and its parameters and a database's
message may quote the offending value (PostgreSQL's "Key (cccd)=(…) already exists"): those
parts are dropped, quoted text and long numbers are masked."""

from __future__ import annotations

import datetime as dt
import platform
import re
import sys
import traceback
from pathlib import Path
from types import TracebackType

from da8desktop.core.paths import user_log_dir
from da8desktop.core.private_files import make_private

MASK = "…"
_SECTIONS = re.compile(r"\[(SQL|parameters|SQL parameters)\b.*", re.DOTALL)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_KEY_VALUE = re.compile(r"=\s*\(.*?\)")
_NUMBER = re.compile(r"\d{4,}")
_LONG_WORDS = 300  # a message longer than this is cut: it is quoting something


def safe_message(error: BaseException) -> str:
    """The error's message without any value it may quote."""
    text = str(getattr(error, "orig", None) or error)
    text = _SECTIONS.sub("", text).split("\n", 1)[0]  # DETAIL/HINT lines quote the row
    text = _KEY_VALUE.sub(f"=({MASK})", text)
    text = _QUOTED.sub(MASK, text)
    text = _NUMBER.sub(MASK, text)
    return text.strip()[:_LONG_WORDS]


def describe(error: BaseException) -> str:
    """Type, place and masked message of an error and of the errors that led to it."""
    text = ""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        text += f"{type(current).__module__}.{type(current).__qualname__}: " \
                f"{safe_message(current)}\n"
        text += "".join(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}\n'
                        for frame in traceback.extract_tb(current.__traceback__))
        if current.__cause__ is not None:
            current, text = current.__cause__, text + "caused by:\n"
        elif current.__context__ is not None and not current.__suppress_context__:
            current, text = current.__context__, text + "while handling:\n"
        else:
            current = None
    return text


def write_crash_log(origin: str, exc_info: tuple[type[BaseException], BaseException,
                                                  TracebackType | None] | None = None) -> Path:
    """Append the current (or given) exception to crash.log and return the file's path."""
    from da8desktop import __version__

    _kind, value, tb = exc_info or sys.exc_info()
    folder = user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    if value is not None and tb is not None and value.__traceback__ is None:
        value = value.with_traceback(tb)
    with path.open("a", encoding="utf-8") as log:
        log.write(f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} {origin} "
                  f"da8desktop {__version__} Python {platform.python_version()} "
                  f"{platform.platform()}\n")
        log.write(describe(value) if value is not None else "no exception\n")
    make_private(path)
    return path
