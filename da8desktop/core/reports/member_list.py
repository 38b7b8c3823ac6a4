"""Member lists of groups and sign-in sheets for meetings, as PrintDocuments."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import (Activity, Attendance, CatalogueItem, Group, Membership,
                                       Person, Village)
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.reports.document import Column, PrintDocument, Section, SignatureBlock, long_date
from da8desktop.core.reports.print_settings import PrintSettings, load_print_settings
from da8desktop.core.services.group_types import group_type_form, type_field_title


@dataclass(frozen=True)
class ListOptions:
    show_cccd: bool = False  # personal data: off unless the officer asks (domain.md §6)
    show_phone: bool = False


SIGN_IN_ROW_MM = 10.0  # room for a signature by hand


def signature_blocks(settings: PrintSettings, sign_in: bool = False) -> list[SignatureBlock]:
    blocks = [SignatureBlock([settings.preparer_title], settings.preparer_name),
              SignatureBlock(settings.signer_heading.split("\n"), settings.signer_name)]
    if settings.confirm_sign_in if sign_in else settings.show_confirmation:
        blocks.append(SignatureBlock([settings.confirm_heading]))
    return blocks


def _people_rows(db: Database, query, settings: PrintSettings, options: ListOptions,  # noqa: ANN001
                 extra: callable) -> list[list[str]]:  # type: ignore[valid-type]
    with db.read() as session:
        rows = session.execute(query).all()
    key = (lambda r: r.Person.sort_key) if settings.given_name_first else (lambda r: r.Person.sort_key_family)
    rows.sort(key=key)
    table = []
    for i, row in enumerate(rows, start=1):
        p = row.Person
        cells = [str(i), p.full_name, "Nữ" if p.sex == "F" else "Nam",
                 p.birth_date.strftime("%d/%m/%Y") if p.birth_date else str(p.birth_year or ""),
                 row.ethnic or "", row.village or ""]
        cells += extra(row)
        if options.show_cccd:
            cells.append(p.cccd or "")
        if options.show_phone:
            cells.append(p.phone or "")
        table.append(cells)
    return table


def _columns(options: ListOptions, extra: list[Column]) -> list[Column]:
    columns = [Column("STT", 6, "center"), Column("Họ và tên", 23), Column("Giới tính", 7, "center"),
               Column("Ngày/năm sinh", 13, "center", nowrap=True), Column("Dân tộc", 9),
               Column("Thôn/bản", 13)]
    columns += extra
    if options.show_cccd:
        columns.append(Column("Số CCCD", 17, "center", nowrap=True))
    if options.show_phone:
        columns.append(Column("Điện thoại", 14, "center", nowrap=True))
    return columns


def member_list(db: Database, group_ids: list[uuid.UUID], options: ListOptions = ListOptions(),
                on: dt.date | None = None) -> PrintDocument:
    """Current members of one group, or of several (one section per group)."""
    settings = load_print_settings(db)
    ethnic, role = aliased(CatalogueItem), aliased(CatalogueItem)
    sections = []
    with db.read() as session:
        groups = [session.get(Group, g) for g in group_ids]
        kinds = {g.type_key: session.get(CatalogueItem, g.type_key).name for g in groups if g}
    groups = [g for g in groups if g is not None and not g.deleted]
    if not groups:
        raise UserFacingError(QT_TRANSLATE_NOOP("Print", "There is no group to print."))
    for group in groups:
        query = (select(Person, ethnic.name.label("ethnic"), Village.name.label("village"),
                        role.name.label("role"), Membership.joined_on.label("joined"))
                 .join(Membership, Membership.person_id == Person.id)
                 .join(role, role.key == Membership.role_key)
                 .outerjoin(ethnic, ethnic.key == Person.ethnic_key)
                 .outerjoin(Village, Village.id == Person.village_id)
                 .where(Membership.group_id == group.id, Membership.deleted.is_(False),
                        Membership.left_on.is_(None), Person.deleted.is_(False)))
        # A notes column, unless the personal-data columns need its room.
        notes = not (options.show_cccd or options.show_phone)
        rows = _people_rows(db, query, settings, options,
                            lambda r: [r.role] + ([""] if notes else []))  # noqa: B023
        extra = [Column("Chức vụ", 16)] + ([Column("Ghi chú", 13)] if notes else [])
        sections.append(Section(group.name if len(groups) > 1 else None,
                                _columns(options, extra), rows))
    single = groups[0]
    title = (f"DANH SÁCH THÀNH VIÊN {single.name.upper()}" if len(groups) == 1
             else f"DANH SÁCH THÀNH VIÊN {kinds[single.type_key].upper()}")
    total = f"Tổng số: {sum(len(s.rows) for s in sections)} người"
    if len(groups) == 1:  # one group's list names its kind's own fields under the title
        own = "; ".join(f"{type_field_title(f, single.type_key)}: {value}"
                        for f in group_type_form(db, single.type_key).fields
                        if (value := getattr(single, f)) not in (None, ""))
        total = f"{own}. {total}" if own else total
    return PrintDocument(settings.superior_body, settings.issuing_body,
                         long_date(settings.place, on or dt.date.today()), title,
                         f"({total})", sections,
                         signature_blocks(settings), landscape=options.show_cccd or options.show_phone)


BLANK_ROWS = 25  # a blank sheet's rows when none were asked for
MAX_BLANK_ROWS = 500


def blank_rows(columns: int, count: int) -> list[list[str]]:
    return [[str(i)] + [""] * (columns - 1) for i in range(1, count + 1)]


def blank_sign_in_sheet(db: Database, title: str, count: int = BLANK_ROWS,
                        on: dt.date | None = None) -> PrintDocument:
    """An empty sheet of numbered rows, for an activity not recorded yet (issue 20)."""
    title = " ".join((title or "").split())
    if not title or len(title) > 300:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Print", "Give the sheet a title of at most 300 characters."))
    if not 1 <= count <= MAX_BLANK_ROWS:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Print", "A blank sheet has from 1 to {most} rows."), most=MAX_BLANK_ROWS)
    settings = load_print_settings(db)
    columns = _sign_in_columns(ListOptions())  # the same rows as a list's sign-in sheet
    return PrintDocument(settings.superior_body, settings.issuing_body,
                         long_date(settings.place, on or dt.date.today()),
                         f"DANH SÁCH KÝ NHẬN THAM DỰ: {title.upper()}",
                         "Ngày ....../....../.......... – Địa điểm: ......................",
                         [Section(None, columns, blank_rows(len(columns), count),
                                  min_row_mm=SIGN_IN_ROW_MM)],
                         signature_blocks(settings, sign_in=True))


def sign_in_sheet(db: Database, activity_id: uuid.UUID, options: ListOptions = ListOptions(),
                  on: dt.date | None = None, blank: int = BLANK_ROWS) -> PrintDocument:
    """One row per expected participant (the attendance list, else the group's members), with
    an empty signature column; an activity of any kind with neither gets `blank` empty rows."""
    if not 1 <= blank <= MAX_BLANK_ROWS:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Print", "A blank sheet has from 1 to {most} rows."), most=MAX_BLANK_ROWS)
    settings = load_print_settings(db)
    with db.read() as session:
        activity = session.get(Activity, activity_id)
        if activity is None or activity.deleted:
            raise UserFacingError(QT_TRANSLATE_NOOP("Print", "The meeting was not found."))
        has_list = session.scalar(select(Attendance.id).where(
            Attendance.activity_id == activity_id, Attendance.deleted.is_(False)).limit(1))
    ethnic = aliased(CatalogueItem)
    role = aliased(CatalogueItem)
    base = (select(Person, ethnic.name.label("ethnic"), Village.name.label("village"))
            .outerjoin(ethnic, ethnic.key == Person.ethnic_key)
            .outerjoin(Village, Village.id == Person.village_id)
            .where(Person.deleted.is_(False)))
    if has_list:
        # The role in the meeting's group when the person is a member, "Khách mời" otherwise.
        member_role = (select(role.name).join(Membership, Membership.role_key == role.key)
                       .where(Membership.person_id == Person.id,
                              Membership.group_id == activity.group_id,
                              Membership.deleted.is_(False)).limit(1).scalar_subquery())
        # Outside a group (a training, a dialogue) only those recorded as guests are guests.
        guest = case((Attendance.is_guest.is_(True) | literal(activity.group_id is not None),
                      "Khách mời"), else_="")
        query = base.add_columns(func.coalesce(member_role, guest).label("role")).join(
            Attendance, Attendance.person_id == Person.id).where(
            Attendance.activity_id == activity_id, Attendance.deleted.is_(False))
    elif activity.group_id:
        query = base.add_columns(role.name.label("role")).join(
            Membership, Membership.person_id == Person.id).join(
            role, role.key == Membership.role_key).where(
            Membership.group_id == activity.group_id, Membership.deleted.is_(False),
            Membership.left_on.is_(None))
    else:
        query = None  # no list and no group (a training, a dialogue, an event): blank rows
    columns = _sign_in_columns(options)
    rows = ([cells + [""] for cells in _people_rows(db, query, settings, options,
                                                     lambda r: [r.role or ""])]
            if query is not None else blank_rows(len(columns), blank))
    section = Section(None, columns, rows, min_row_mm=SIGN_IN_ROW_MM)
    title = f"DANH SÁCH KÝ NHẬN THAM DỰ: {activity.title.upper()}"
    subtitle = f"Ngày {activity.date_start.strftime('%d/%m/%Y')}" + (
        f" – Địa điểm: {activity.place}" if activity.place else "")
    return PrintDocument(settings.superior_body, settings.issuing_body,
                         long_date(settings.place, on or dt.date.today()), title, subtitle,
                         [section], signature_blocks(settings, sign_in=True),
                         landscape=options.show_cccd or options.show_phone)


def _sign_in_columns(options: ListOptions) -> list[Column]:
    """Narrower details, so a quarter of the width or more is left to sign in."""
    columns = [Column("STT", 6, "center"), Column("Họ và tên", 19), Column("Giới tính", 6, "center"),
               Column("Ngày/năm sinh", 13, "center", nowrap=True), Column("Dân tộc", 8),
               Column("Thôn/bản", 10), Column("Chức vụ", 13)]
    if options.show_cccd:
        columns.append(Column("Số CCCD", 15, "center", nowrap=True))
    if options.show_phone:
        columns.append(Column("Điện thoại", 12, "center", nowrap=True))
    return columns + [Column("Ký tên", 25)]
