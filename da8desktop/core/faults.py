"""Test hooks that kill the process at a named point, as a power cut would (tests only).

With DA8_FAULT=<point> in the environment the process dies there: tests/cli/test_kill.py and
tests/core/test_restore_safety.py use it to show that a kill inside a transaction or a restore
leaves the whole change or none of it. Unset, a point costs one dictionary look-up."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

FAULT_ENV = "DA8_FAULT"


def fault(point: str, prepare: Callable[[], object] | None = None) -> None:
    """Die here when DA8_FAULT names `point`; `prepare` runs first (e.g. a session flush, so
    the uncommitted rows are really in the file's journal when the process dies)."""
    if os.environ.get(FAULT_ENV) != point:
        return
    if prepare is not None:
        prepare()
    if hasattr(signal, "SIGKILL"):
        os.kill(os.getpid(), signal.SIGKILL)
    os._exit(137)  # Windows: no SIGKILL, and nothing runs after this either
