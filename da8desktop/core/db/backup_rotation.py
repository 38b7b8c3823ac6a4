"""Which backups to keep (issue 23: the backup folder stays within 3× the data file).

Kept by rule: the two newest restore points made before an import, the ten newest other backups
(daily, by hand, before an upgrade or a restore), and the newest backup of each of the last twelve
months. Kept by size: the backups at rest stay within `AT_REST` times the data file; when the
rules keep more than that, the oldest monthly copies go first, then the oldest recent ones, then
the older restore point; the newest backup is never removed. "The data file" is the larger of
the file in place and the biggest file the backups were made from (a new, small file at the same
path must not make the real data's backups go). Before a backup is made, the folder
is trimmed further so that the uncompressed copy written during the backup and the new compressed
backup fit too (see backup.backup_sqlite). The same room holds a restore point written plain
before a sync import while it waits to be compressed after it (backup.compress_waiting_backups):
until then only the rules rotate."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

import datetime as dt

RESTORE_POINTS = frozenset({"before-sync-import", "before-excel-import"})
KEEP_RESTORE_POINTS = 2
KEEP_LAST = 10
KEEP_MONTHS = 12
LIMIT = 3.0  # the backup folder, at any time, in data files
AT_REST = 2.0  # what may stay between backups: the rest of LIMIT is for the copy a backup writes


class Backup(Protocol):
    @property
    def created(self) -> dt.datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def size_bytes(self) -> int: ...


B = TypeVar("B", bound=Backup)


def to_remove(backups: Sequence[B], budget_bytes: int | None,
              keep_last: int = KEEP_LAST) -> list[B]:
    """`backups` newest first; returns those to remove (the rules, then the size budget)."""
    points = [b for b in backups if b.reason in RESTORE_POINTS]
    others = [b for b in backups if b.reason not in RESTORE_POINTS]
    recent = others[:keep_last]
    newest_of_month: dict[tuple[int, int], B] = {}
    for backup in others:
        newest_of_month.setdefault((backup.created.year, backup.created.month), backup)
    months = sorted(newest_of_month.items(), reverse=True)[:KEEP_MONTHS]
    monthly = [b for _, b in months if all(b is not r for r in recent)]
    kept_points = points[:KEEP_RESTORE_POINTS]
    kept = [*recent, *monthly, *kept_points]
    if budget_bytes is not None:
        newest = backups[0] if backups else None
        oldest_first = lambda group: sorted(group, key=lambda b: b.created)  # noqa: E731
        order = [*oldest_first(monthly), *oldest_first(recent), *oldest_first(kept_points)]
        total = sum(b.size_bytes for b in kept)
        for backup in order:
            if total <= budget_bytes:
                break
            if backup is newest:
                continue
            kept = [b for b in kept if b is not backup]
            total -= backup.size_bytes
    return [b for b in backups if all(b is not k for k in kept)]
