"""Progress and cancel for long core jobs, as plain Python (the GUI wraps it in a dialog)."""

from __future__ import annotations

from collections.abc import Callable


class Cancelled(Exception):
    """Raised from a progress callback to stop a job; its transaction rolls back."""


# progress(done, total): raises Cancelled when the officer pressed Cancel.
Progress = Callable[[int, int], None]


def no_progress(_done: int, _total: int) -> None:
    return None
