"""Reading the person registry: filtered, paged, in Vietnamese order; a person's groups and
attendance; possible duplicates. The GUI's lazy list and the CLI use the same queries, so both
show people in exactly the same order."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from functools import lru_cache
from dataclasses import dataclass

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from da8desktop.core.db import search_index
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, Attendance, CatalogueItem, Group, Membership,
                                       Person, Village)
from da8desktop.core.text import fold

# Age bands offered as filters: (code, lowest age, highest age) in years reached this year.
AGE_BANDS = (("child", 0, 15), ("16_30", 16, 30), ("31_59", 31, 59), ("60_plus", 60, 200))


@dataclass(frozen=True)
class PeopleFilter:
    search: str = ""
    village_id: uuid.UUID | None = None
    sex: str | None = None
    ethnic_key: str | None = None
    age_band: str | None = None
    group_id: uuid.UUID | None = None
    given_first: bool = True
    commune_key: str | None = None  # the province holds many communes; a commune holds one


@dataclass(frozen=True)
class PersonRow:
    id: uuid.UUID
    full_name: str
    sex: str
    birth_year: int | None
    birth_date: dt.date | None
    village_id: uuid.UUID | None
    village_name: str | None
    ethnic_key: str | None
    ethnic_name: str | None
    phone: str | None
    cccd: str | None


def _use_index(session: Session, flt: PeopleFilter) -> bool:
    """Whether the trigram index should find the candidates (SQLite, rare long words)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    return search_index.worth_using(session, fold(flt.search).split())


def _filtered(flt: PeopleFilter, indexed: bool = False) -> Select:
    query = (select(Person.id).where(Person.deleted.is_(False)))
    words = fold(flt.search).split()
    if indexed:
        query = query.where(search_index.contains_words(words))
    for word in words:  # decides in every case, so both ways give exactly the same people
        query = query.where(Person.search_key.contains(word, autoescape=True))
    if flt.commune_key is not None:
        query = query.where(Person.commune_key == flt.commune_key)
    if flt.village_id is not None:
        query = query.where(Person.village_id == flt.village_id)
    if flt.sex:
        query = query.where(Person.sex == flt.sex)
    if flt.ethnic_key:
        query = query.where(Person.ethnic_key == flt.ethnic_key)
    if flt.age_band:
        low, high = next((lo, hi) for code, lo, hi in AGE_BANDS if code == flt.age_band)
        year = dt.date.today().year
        query = query.where(Person.birth_year.between(year - high, year - low))
    if flt.group_id is not None:
        query = query.where(Person.id.in_(select(Membership.person_id).where(
            Membership.group_id == flt.group_id, Membership.deleted.is_(False))))
    return query


def people_count(db: Database, flt: PeopleFilter, at_most: int | None = None) -> int:
    """How many people match; with `at_most`, counting stops after at_most + 1 (a caller shows
    "more than at_most"): a search for "th" over 300,000 people matches most of them, and
    counting them all on every keystroke is what made typing slow, not finding the first page."""
    with db.read() as session:
        matching = _filtered(flt, _use_index(session, flt))
        if at_most is not None:
            matching = matching.limit(at_most + 1)
        return session.scalar(select(func.count()).select_from(matching.subquery())) or 0


def people_page(db: Database, flt: PeopleFilter, offset: int = 0, limit: int | None = None
                ) -> list[PersonRow]:
    """One page in the default order (given name, family, middle; or family first). The sort
    keys are indexed columns, so a page of a 300k registry is an index range, not a sort."""
    order = Person.sort_key if flt.given_first else Person.sort_key_family
    with db.read() as session:
        # The conditions on the listed rows themselves, not a join to a subquery of ids: walking
        # the order index, SQLite then tests them on the index entry before reading the row.
        matching = _filtered(flt, _use_index(session, flt)).whereclause
        query = _rows_select().where(matching).order_by(order, Person.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return [PersonRow(*row) for row in session.execute(query)]


def iter_people(db: Database, flt: PeopleFilter, batch: int = 2000) -> Iterator[PersonRow]:
    """Every matching person in list order, streamed from one query: an export of 300,000
    people reads the table once instead of re-skipping an ever longer OFFSET page by page."""
    order = Person.sort_key if flt.given_first else Person.sort_key_family
    with db.read() as session:
        matching = _filtered(flt, _use_index(session, flt)).whereclause
        query = _rows_select().where(matching).order_by(order, Person.id)
        for row in session.execute(query.execution_options(yield_per=batch)):
            yield PersonRow(*row)


def _rows_select() -> Select:
    """The columns of a PersonRow, in its order: plain rows, no ORM object per person (an
    export of 300,000 people spent most of its time building them)."""
    return (select(Person.id, Person.full_name, Person.sex, Person.birth_year, Person.birth_date,
                   Person.village_id, Village.name, Person.ethnic_key, CatalogueItem.name,
                   Person.phone, Person.cccd)
            .outerjoin(Village, Village.id == Person.village_id)
            .outerjoin(CatalogueItem, CatalogueItem.key == Person.ethnic_key))


def _rows(db: Database, query: Select) -> list[PersonRow]:
    with db.read() as session:
        return [PersonRow(*row) for row in session.execute(query)]


def get_person(db: Database, person_id: uuid.UUID) -> Person | None:
    """The full record (detached) for an edit form."""
    with db.read() as session:
        person = session.get(Person, person_id)
        return None if person is None or person.deleted else person


@dataclass(frozen=True)
class PersonGroup:
    membership_id: uuid.UUID
    group_id: uuid.UUID
    group_name: str
    role_name: str
    joined_on: dt.date | None
    left_on: dt.date | None


@dataclass(frozen=True)
class PersonAttendance:
    activity_id: uuid.UUID
    date: dt.date
    title: str
    group_name: str | None
    present: bool


def person_groups(db: Database, person_id: uuid.UUID) -> list[PersonGroup]:
    role = CatalogueItem
    with db.read() as session:
        rows = session.execute(
            select(Membership, Group.name, role.name)
            .join(Group, Group.id == Membership.group_id)
            .join(role, role.key == Membership.role_key)
            .where(Membership.person_id == person_id, Membership.deleted.is_(False),
                   Group.deleted.is_(False))
            .order_by(Membership.left_on.is_not(None), Group.name_fold)).all()
        return [PersonGroup(m.id, m.group_id, name, role_name, m.joined_on, m.left_on)
                for m, name, role_name in rows]


def person_attendance(db: Database, person_id: uuid.UUID) -> list[PersonAttendance]:
    with db.read() as session:
        rows = session.execute(
            select(Activity.id, Activity.date_start, Activity.title, Group.name, Attendance.present)
            .join(Attendance, Attendance.activity_id == Activity.id)
            .outerjoin(Group, Group.id == Activity.group_id)
            .where(Attendance.person_id == person_id, Attendance.deleted.is_(False),
                   Activity.deleted.is_(False))
            .order_by(Activity.date_start.desc())).all()
        return [PersonAttendance(*row) for row in rows]


def possible_duplicates(db: Database, full_name: str | None, birth_year: int | None,
                        cccd: str | None, exclude: uuid.UUID | None = None) -> list[PersonRow]:
    """People who look like the one being entered: the same folded name and birth year (or one
    of the two years unknown), or the same CCCD."""
    if not full_name and not cccd:
        return []
    query = _duplicates_query(bool(full_name), bool(full_name) and birth_year is not None,
                              bool(cccd), exclude is not None)
    params = {"key": fold(full_name) if full_name else None, "year": birth_year, "cccd": cccd,
              "exclude": exclude}
    return _rows(db, query.params(**params))


@lru_cache(maxsize=16)
def _duplicates_query(name: bool, year: bool, cccd: bool, exclude: bool) -> Select:
    """Built once per shape and bound per call: an Excel import asks for every row, and
    building the statement cost more than running it."""
    conditions = []
    if name:
        same_name = Person.search_key == bindparam("key")
        if year:
            same_name = and_(same_name, or_(Person.birth_year == bindparam("year"),
                                            Person.birth_year.is_(None)))
        conditions.append(same_name)
    if cccd:
        conditions.append(Person.cccd == bindparam("cccd"))
    query = _rows_select().where(Person.deleted.is_(False), or_(*conditions))
    if exclude:
        query = query.where(Person.id != bindparam("exclude", type_=Person.id.type))
    return query.order_by(Person.sort_key, Person.id)
