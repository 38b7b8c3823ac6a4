"""What the officer must be told when a data file is opened: an interrupted restore finished or
undone, a file put back in time, a computer clock that looks wrong (and changes re-dated once it
is right). The CLI prints these; the window shows them in a banner."""

from __future__ import annotations

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.clock import REDATED_TEXT, check_clock


def clock_notices(db: Database) -> list[str]:
    try:
        problem, redated = check_clock(db)
    except UserFacingError:  # a read-only file: nothing can be re-dated, nothing to say here
        return []
    notes = [problem.message()] if problem is not None else []
    if redated:
        notes.append(REDATED_TEXT.render(count=redated))
    return notes


def startup_notices(db: Database) -> list[str]:
    return [*db.notices, *clock_notices(db)]
