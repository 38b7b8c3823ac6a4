"""Hybrid logical clock (sync.md §2): wall-clock milliseconds plus a counter, packed in one int.

The packed value orders like (milliseconds, counter); the site id breaks ties outside it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

_COUNTER_BITS = 16
_COUNTER_MASK = (1 << _COUNTER_BITS) - 1


def pack(millis: int, counter: int) -> int:
    return (millis << _COUNTER_BITS) | (counter & _COUNTER_MASK)


def unpack(value: int) -> tuple[int, int]:
    return value >> _COUNTER_BITS, value & _COUNTER_MASK


def wall_millis() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Hlc:
    """The last timestamp this site issued or received."""

    value: int = 0

    def tick(self, now_millis: int | None = None) -> "Hlc":
        """A local event: strictly after everything seen, and after the wall clock."""
        now = wall_millis() if now_millis is None else now_millis
        last_ms, counter = unpack(self.value)
        if now > last_ms:
            return Hlc(pack(now, 0))
        if counter >= _COUNTER_MASK:
            return Hlc(pack(last_ms + 1, 0))
        return Hlc(pack(last_ms, counter + 1))
