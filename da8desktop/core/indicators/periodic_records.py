"""The records behind one figure of the periodic report: what a double-click on a cell lists.

Each activity of the row is listed with what it added to that figure (1 for a session; its
participants, women, … for the other columns), taken from the report's own per-activity counts,
so the list always adds up to the figure shown. Activities that added nothing to a figure
(a dialogue with no women typed, for the women column) are left out."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, AdminUnit
from da8desktop.core.indicators.periodic import PeriodicReport, PeriodicRow
from da8desktop.core.indicators.figure_records import RecordRef

COUNTS = ("sessions", "participants", "women", "men", "minority", "women_minority", "children")
ETHNIC, VILLAGE = "ethnic:", "village:"  # figure names of the split columns: "ethnic:Thái"


def figure_of(row: PeriodicRow, figure: str) -> int:
    """One cell of a row: a count column, or a participant-times split by ethnic group or village."""
    if figure.startswith(ETHNIC):
        return row.by_ethnic.get(figure[len(ETHNIC):], 0)
    if figure.startswith(VILLAGE):
        return row.by_village.get(figure[len(VILLAGE):], 0)
    if figure not in COUNTS:
        raise ValueError(figure)
    return int(getattr(row, figure))


def periodic_records(db: Database, report: PeriodicReport, row: PeriodicRow,
                     figure: str) -> list[RecordRef]:
    values: dict[uuid.UUID, int] = {}
    for activity_id in row.activity_ids:
        one = report.contributions.get(activity_id)
        value = figure_of(one, figure) if one is not None else 0
        if value:
            values[activity_id] = value
    refs: list[RecordRef] = []
    if not values:  # a zero figure lists nothing: no query
        return refs
    with db.read() as session:
        ids = list(values)
        activities: list[Activity] = []
        for chunk in range(0, len(ids), 500):
            activities += session.scalars(select(Activity).where(Activity.id.in_(ids[chunk:chunk + 500])))
        activities.sort(key=lambda a: (a.date_start, a.title))
        # Only the communes named (a few), not the 3,300 of the country on every double-click.
        names = dict(session.execute(select(AdminUnit.key, AdminUnit.name).where(
            AdminUnit.level == "commune",
            AdminUnit.key.in_({a.commune_key for a in activities}))).all())
        for activity in activities:
            refs.append(RecordRef("activity", activity.id, activity.title,
                                  activity.date_start.strftime("%d/%m/%Y"),
                                  names.get(activity.commune_key, ""), values[activity.id]))
    return refs
