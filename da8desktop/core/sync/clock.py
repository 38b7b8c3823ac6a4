"""Wrong clocks (issue #18, docs/bundle-format.md "Clocks"): how far to trust this computer's
wall clock, the best estimate of real time when a bundle arrives, and re-dating this site's own
stamps that a wrong clock put in the future once the clock is right again.

Only signed, authenticated bundles that are already stored serve as a reference, and a sender
never vouches for its own stamps: a laptop at 2035 writes `created_at` 2035 too."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from da8desktop.core import hlc
from da8desktop.core.db.unit_of_work import REDATE_MARGIN_MS  # own stamps this far ahead: re-dated
from da8desktop.core.db.models import (
    SYNCED_MODELS, Installation, RowVersion, Setting, SyncBundle)
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text

DAY_MS = 24 * 3600 * 1000
FUTURE_LIMIT_MS = DAY_MS  # a stamp further ahead of the receiver's estimate is refused
BEHIND_TOLERANCE_MS = DAY_MS  # time zones and a slow clock are not "wrong"
AHEAD_LIMIT_MS = 366 * DAY_MS  # a year after the last province file: the clock is wrong
PROVINCE_WITNESSES = 3  # a province trusts a time only when this many laptops agree
# Data of the two-tier administrative scheme cannot have been written before it existed.
EARLIEST_PLAUSIBLE_MS = int(dt.datetime(2025, 7, 1, tzinfo=dt.timezone.utc).timestamp() * 1000)
PREVIOUS_SITES_KEY = "sync:previous_sites"  # also written by core/services/site.py


def to_ms(moment: dt.datetime) -> int:
    """A naive UTC datetime (as stored) in milliseconds."""
    return int(moment.replace(tzinfo=dt.timezone.utc).timestamp() * 1000)


def show(millis: int) -> str:
    try:
        return dt.datetime.fromtimestamp(millis / 1000, dt.timezone.utc).strftime("%d/%m/%Y")
    except (OverflowError, OSError, ValueError):
        return "?"


def bundle_time_ms(bundle_id: uuid.UUID | None) -> int | None:
    """When the sender says it wrote the bundle: a UUIDv7 bundle id carries its milliseconds,
    and the id is inside the signed manifest."""
    if bundle_id is None or bundle_id.version != 7:
        return None
    return int.from_bytes(bundle_id.bytes[:6], "big")


def reference_ms(session: Session) -> int | None:
    """The latest time other computers vouch for. A commune trusts its province (the only
    sender it imports from); a province trusts a time once PROVINCE_WITNESSES different laptops
    have sent files made at or after it, so one laptop with a wrong clock moves nothing."""
    inst = session.get(Installation, 1)
    if inst is None:
        return None
    # Each sender's latest bundle by its own numbering, not the highest date ever seen: once a
    # sender's clock is set right again, its next bundle moves the reference back with it.
    newest = select(SyncBundle.peer_id, func.max(SyncBundle.seq).label("seq")).where(
        SyncBundle.direction == "in").group_by(SyncBundle.peer_id).subquery()
    latest = [to_ms(t) for t in session.scalars(
        select(func.max(SyncBundle.created_at)).join(newest, and_(
            SyncBundle.peer_id == newest.c.peer_id, SyncBundle.seq == newest.c.seq))
        .where(SyncBundle.direction == "in").group_by(SyncBundle.peer_id)) if t is not None]
    if inst.role == "commune":
        return max(latest) if latest else None
    if len(latest) < PROVINCE_WITNESSES:
        return None
    return sorted(latest, reverse=True)[PROVINCE_WITNESSES - 1]


def real_time_estimate(session: Session, bundle_id: uuid.UUID | None,
                       wall_ms: int | None = None) -> int:
    """Best estimate of now when a bundle arrives: the wall clock, unless trusted computers
    show it is behind. At a commune the province's bundle being imported counts (the province
    is the authority); at a province the sender's own time never counts for its own stamps."""
    wall = hlc.wall_millis() if wall_ms is None else wall_ms
    best = wall
    reference = reference_ms(session)
    if reference is not None:
        best = max(best, reference)
    inst = session.get(Installation, 1)
    sent = bundle_time_ms(bundle_id)
    if inst is not None and inst.role == "commune" and sent is not None:
        best = max(best, sent)
    return best


def own_clock_behind(session: Session, wall_ms: int | None = None) -> bool:
    """This computer's clock is earlier than files it has already received (so a stamp that
    looks 'in the future' here is this computer's fault, not the sender's)."""
    wall = hlc.wall_millis() if wall_ms is None else wall_ms
    reference = reference_ms(session)
    return wall < EARLIEST_PLAUSIBLE_MS or (
        reference is not None and wall < reference - BEHIND_TOLERANCE_MS)


@dataclass(frozen=True)
class ClockProblem:
    kind: str  # behind, ahead
    detail: Text
    params: dict[str, str]

    def message(self) -> str:
        return QT_TRANSLATE_NOOP(
            "Clock", "The computer's date and time look wrong ({detail}): set them, then "
            "continue.").render(detail=self.detail.render(**self.params))


def clock_problem(session: Session, wall_ms: int | None = None) -> ClockProblem | None:
    """What is wrong with this computer's clock, or None. Writes are not blocked (see
    docs/bundle-format.md): the officer is told, and stamps are repaired once it is right."""
    wall = hlc.wall_millis() if wall_ms is None else wall_ms
    inst = session.get(Installation, 1)
    if inst is None:
        return None
    reference = reference_ms(session)
    if wall < EARLIEST_PLAUSIBLE_MS:
        return ClockProblem("behind", QT_TRANSLATE_NOOP(
            "Clock", "it says {now}, before this application's data could exist"),
            dict(now=show(wall)))
    if reference is not None and wall < reference - BEHIND_TOLERANCE_MS:
        return ClockProblem("behind", QT_TRANSLATE_NOOP(
            "Clock", "it says {now}, but a file made on {reference} has already been received"),
            dict(now=show(wall), reference=show(reference)))
    if reference is not None and wall > reference + AHEAD_LIMIT_MS:
        return ClockProblem("ahead", QT_TRANSLATE_NOOP(
            "Clock", "it says {now}, more than a year after the last file received "
            "({reference})"), dict(now=show(wall), reference=show(reference)))
    return None


def redate_allowed(session: Session, wall_ms: int) -> bool:
    """Re-dating trusts the wall clock: only when nothing shows it is the wrong one."""
    return not own_clock_behind(session, wall_ms)


def redate_due(inst: Installation, wall_ms: int) -> bool:
    return hlc.unpack(inst.hlc)[0] > wall_ms + REDATE_MARGIN_MS


def redate_future(session: Session, inst: Installation, wall_ms: int) -> int:
    """Give this site's stamps that lie in the future (written while the clock was ahead)
    new clocks just below now, in their old order, under the current transaction's dot
    (inst.seq): a new sequence number makes them travel again whatever was acknowledged, and
    the receiver takes them as a fast-forward of what it holds. Values never change, so nothing
    is lost. Returns how many records were re-dated (0 when the wall clock looks wrong)."""
    if not redate_due(inst, wall_ms) or not redate_allowed(session, wall_ms):
        return 0
    limit = hlc.pack(wall_ms, 0)
    previous = session.get(Setting, PREVIOUS_SITES_KEY)
    own = {inst.site_idx, *(int(i) for i in (previous.value if previous is not None else []))}
    found: list[tuple[int, Any, str]] = []
    for model in SYNCED_MODELS:
        table = model.__tablename__
        changed = select(RowVersion.row_id).where(
            RowVersion.table_name == table, RowVersion.site_idx.in_(own))
        for row in session.scalars(select(model).where(model.id.in_(changed))):
            for name, stamp in (row.stamps or {}).items():
                if stamp[0] in own and stamp[2] >= limit:
                    found.append((stamp[2], row, name))
    old_values = sorted({value for value, _row, _name in found})
    new_value = {old: limit - len(old_values) + i for i, old in enumerate(old_values)}
    touched: dict[int, Any] = {}
    for old, row, name in found:
        stamps = touched.setdefault(id(row), (row, dict(row.stamps)))[1]
        stamps[name] = [inst.site_idx, inst.seq, new_value[old]]
    for row, stamps in touched.values():
        row.stamps = stamps  # reassign: JSON columns do not track in-place mutation
        table = type(row).__tablename__
        version = session.get(RowVersion, (table, row.id, inst.site_idx))
        if version is None:
            session.add(RowVersion(table_name=table, row_id=row.id, site_idx=inst.site_idx,
                                   seq=inst.seq))
        else:
            version.seq = inst.seq
    inst.hlc = limit - 1
    return len(touched)


def check_clock(db: Any) -> tuple[ClockProblem | None, int]:
    """At start and when the officer says the clock is set: what is wrong with it, and how
    many changes saved while it was ahead were re-dated now that it looks right."""
    wall = hlc.wall_millis()
    with db.read() as session:
        problem = clock_problem(session, wall)
        inst = session.get(Installation, 1)
        due = inst is not None and problem is None and redate_due(inst, wall)
    redated = 0
    if due:
        with db.write() as uow:
            uow.dot()  # the first write of a transaction re-dates (unit_of_work.py)
            redated = uow.redated
    return problem, redated


REDATED_TEXT = QT_TRANSLATE_NOOP(
    "Clock", "{count} changes saved while the computer's date was wrong were given today's date; "
    "they go to the province with the next export.")
