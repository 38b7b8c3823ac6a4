"""Crash logs in the user log folder, shared by the GUI's crash dialog and the CLI."""

from __future__ import annotations

import datetime as dt
import platform
import sys
import traceback
from pathlib import Path
from types import TracebackType

from da8desktop.core.paths import user_log_dir


def write_crash_log(origin: str, exc_info: tuple[type[BaseException], BaseException,
                                                  TracebackType | None] | None = None) -> Path:
    """Append the current (or given) exception to crash.log and return the file's path."""
    from da8desktop import __version__

    kind, value, tb = exc_info or sys.exc_info()
    folder = user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crash.log"
    with path.open("a", encoding="utf-8") as log:
        log.write(f"\n=== {dt.datetime.now().isoformat(timespec='seconds')} {origin} "
                  f"da8desktop {__version__} Python {platform.python_version()} "
                  f"{platform.platform()}\n")
        log.write("".join(traceback.format_exception(kind, value, tb)))  # type: ignore[arg-type]
    return path
