"""What a freshly set-up commune does first: villages, then groups and their members, then
meetings. The pages show the next step while their own list is empty (issue 19, item 9)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Activity, Group, Person, Village


@dataclass(frozen=True)
class FirstSteps:
    villages: bool
    groups: bool
    people: bool
    activities: bool

    @property
    def next(self) -> str | None:
        """villages | groups | members | meetings, or None once each has something."""
        for done, step in ((self.villages, "villages"), (self.groups, "groups"),
                           (self.people, "members"), (self.activities, "meetings")):
            if not done:
                return step
        return None


def first_steps(db: Database) -> FirstSteps:
    """Four EXISTS probes: cheap enough for every reload of a page."""
    with db.read() as session:
        def any_of(model) -> bool:  # noqa: ANN001
            return session.scalar(select(model.id).where(model.deleted.is_(False)).limit(1)) \
                is not None

        return FirstSteps(any_of(Village), any_of(Group), any_of(Person), any_of(Activity))
