"""Export to real .xlsx (never CSV): Vietnamese headers, dates as real dates shown dd/mm/yyyy,
frozen header row, autofilter, sensible widths. Written in openpyxl's write-only (streaming)
mode, so memory stays flat however many rows, and there is no row limit but Excel's own."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from da8desktop.core.db.database import Database
from da8desktop.core.domain import AuditAction
from da8desktop.core.excel.cells import row_value
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.reports.outputs import record_output
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.group_types import group_type_form, type_field_title
from da8desktop.core.services.groups_query import GroupRow, list_groups
from da8desktop.core.services.people_query import PeopleFilter, iter_people, people_count

DATE_FORMAT = "DD/MM/YYYY"
# Workbooks are official Vietnamese documents (like printed lists), whatever the interface language.
KIND_NAMES = {"group_meeting": "Sinh hoạt tổ/nhóm", "communication": "Sự kiện truyền thông",
              "policy_dialogue": "Đối thoại chính sách", "training": "Tập huấn"}
STATUS_NAMES = {"active": "Đang hoạt động", "reorganised": "Đã kiện toàn",
                "dissolved": "Đã giải thể", "stopped": "Đã dừng"}
PAGE = 2000
EXCEL_MAX_ROWS = 1_048_575  # Excel's own limit per sheet, header excluded


@dataclass(frozen=True)
class Field:
    title: str
    width: int
    is_date: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _header(ws: Worksheet, fields: list[Field]) -> None:
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3E3EA")
    cells = []
    for f in fields:
        cell = WriteOnlyCell(ws, value=f.title)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    ws.append(cells)


def _sheet(wb: Workbook, title: str, fields: list[Field]) -> Worksheet:
    ws = wb.create_sheet(title)
    for i, f in enumerate(fields, start=1):
        ws.column_dimensions[get_column_letter(i)].width = f.width
    ws.freeze_panes = "A2"
    return ws


def _write_rows(ws: Worksheet, fields: list[Field], rows: Iterable[list[Any]]) -> int:
    _header(ws, fields)
    count = 0
    for row in rows:
        cells: list[Any] = []
        for f, value in zip(fields, row):
            # Only dates (for the dd/mm/yyyy format) and text that would read as a formula need
            # a cell object; a plain value is written as is, which keeps a 300,000-row export close to openpyxl's own speed.
            if f.is_date and isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = DATE_FORMAT + (" HH:MM" if isinstance(value, dt.datetime) else "")
                value = cell
            cells.append(row_value(ws, value))  # text typed by someone is never a formula
        ws.append(cells)
        count += 1
    last = get_column_letter(len(fields))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    return count


def _save(wb: Workbook, path: Path) -> None:
    save_workbook(wb, path)


def save_workbook(wb: Any, path: Path) -> None:
    """A half-written workbook never has the final name, and a full or locked stick leaves no
    .part behind: the officer gets a plain message instead."""
    from da8desktop.core.atomic_write import atomic_path

    with atomic_path(path) as partial:
        wb.save(partial)


PEOPLE_FIELDS = [Field("STT", 6), Field("Họ và tên", 28), Field("Giới tính", 9),
                 Field("Ngày sinh", 12, True), Field("Năm sinh", 9), Field("Dân tộc", 12),
                 Field("Thôn/bản", 18), Field("Số CCCD", 15), Field("Điện thoại", 13)]


def export_people(db: Database, path: Path, group_id: uuid.UUID | None = None,
                  progress: Progress = no_progress) -> ExportResult:
    flt = PeopleFilter(group_id=group_id)
    total = people_count(db, flt)
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "Danh sách người", PEOPLE_FIELDS)

    def rows() -> Iterator[list[Any]]:
        for done, r in enumerate(iter_people(db, flt), start=1):
            if done > EXCEL_MAX_ROWS:
                break
            yield [done, r.full_name, "Nữ" if r.sex == "F" else "Nam", r.birth_date,
                   r.birth_year, r.ethnic_name, r.village_name, r.cccd, r.phone]
            if done % PAGE == 0:
                progress(done, total)
        progress(total, total)

    count = _write_rows(ws, PEOPLE_FIELDS, rows())
    _save(wb, Path(path))
    record_output(db, AuditAction.EXPORT, f"people -> {Path(path).name}",
                  {"rows": count, "group": str(group_id) if group_id else None})
    return ExportResult(Path(path), count)


def export_groups_and_activities(db: Database, path: Path, progress: Progress = no_progress
                                 ) -> ExportResult:
    """Groups with member counts, and every meeting and activity with its counts."""
    wb = Workbook(write_only=True)
    group_fields = [Field("STT", 6), Field("Tên tổ/nhóm", 40), Field("Loại", 12),
                    Field("Thôn/bản", 18), Field("Tình trạng", 14), Field("Giai đoạn", 11),
                    Field("Số thành viên", 12), Field("Sinh hoạt gần nhất", 14, True)]
    groups = list_groups(db)
    ws = _sheet(wb, "Tổ nhóm", group_fields)
    n = _write_rows(ws, group_fields, ([i, g.name, g.type_short, g.village_name, STATUS_NAMES.get(g.status, g.status), g.phase,
                                        g.members, g.last_meeting]
                                       for i, g in enumerate(groups, start=1)))
    progress(1, 2)
    activity_fields = [Field("STT", 6), Field("Ngày", 12, True), Field("Loại", 18),
                       Field("Tên hoạt động", 45), Field("Tổ/nhóm", 35), Field("Số người", 10),
                       Field("Nữ", 8), Field("Theo điểm danh", 10)]
    activities = list_activities(db, ActivityFilter())
    ws = _sheet(wb, "Sinh hoạt, hoạt động", activity_fields)
    n += _write_rows(ws, activity_fields, ([i, a.date_start, KIND_NAMES.get(a.kind, a.kind), a.title, a.group_name,
                                            a.participants, a.women, "x" if a.from_attendance else ""]
                                           for i, a in enumerate(activities, start=1)))
    _type_sheets(db, wb, groups)
    progress(2, 2)
    _save(wb, Path(path))
    record_output(db, AuditAction.EXPORT, f"groups and activities -> {Path(path).name}", {"rows": n})
    return ExportResult(Path(path), n)


def _type_sheets(db: Database, wb: Workbook, groups: list[GroupRow]) -> None:
    """A sheet per kind of group listed, with that kind's own fields only (a club's school,
    grades and facilitators; a trusted address's host and hotline; a livelihood group's subtype,
    field, registration and women owners), in catalogue order."""
    kinds: dict[str, list[GroupRow]] = {}
    for group in groups:
        kinds.setdefault(group.type_key, []).append(group)
    for type_key, rows in kinds.items():
        own = group_type_form(db, type_key).fields
        fields = [Field("STT", 6), Field("Tên tổ/nhóm", 40), Field("Thôn/bản", 18),
                  Field("Tình trạng", 14), Field("Số thành viên", 12)] + [
                  Field(type_field_title(f, type_key), 18) for f in own]
        title = "".join("-" if c in '[]:*?/\\' else c for c in rows[0].type_short)[:31]
        ws = _sheet(wb, title, fields)
        _write_rows(ws, fields, ([i, g.name, g.village_name, STATUS_NAMES.get(g.status, g.status),
                                  g.members] + [dict(g.type_values).get(f) for f in own]
                                 for i, g in enumerate(rows, start=1)))


AUDIT_FIELDS = [Field("Thời điểm", 18, True), Field("Người dùng", 16), Field("Việc", 12),
                Field("Loại bản ghi", 16), Field("Nội dung", 70)]
AUDIT_ENTITIES = {"person": "Người", "community_group": "Tổ/nhóm", "membership": "Thành viên",
                  "activity": "Hoạt động", "attendance": "Điểm danh", "village": "Thôn/bản",
                  "target": "Chỉ tiêu", "safe_delivery_support": "Hỗ trợ sinh đẻ an toàn",
                  "trusted_address_case": "Vụ việc tại Địa chỉ tin cậy",
                  "group_support": "Hỗ trợ tổ/nhóm", "attachment": "Tệp đính kèm",
                  "group_status_change": "Thay đổi tình trạng tổ/nhóm",
                  "sync_bundle": "Gói đồng bộ", "sync_peer": "Máy đăng ký",
                  "installation": "Thiết lập máy"}
AUDIT_ACTIONS = {"create": "Thêm", "update": "Sửa", "delete": "Xóa", "restore": "Khôi phục",
                 "merge": "Gộp", "import": "Nhập", "export": "Xuất", "print": "In",
                 "setup": "Thiết lập", "migrate": "Nâng cấp"}


def export_audit(db: Database, path: Path, rows: list[Any]) -> ExportResult:
    """The audit trail as shown (filtered), times in the computer's local time."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "Nhật ký", AUDIT_FIELDS)
    count = _write_rows(ws, AUDIT_FIELDS, (
        [r.at.replace(tzinfo=dt.timezone.utc).astimezone().replace(tzinfo=None),
         r.actor, AUDIT_ACTIONS.get(r.action, r.action), AUDIT_ENTITIES.get(r.entity, r.entity),
         r.summary] for r in rows))
    _save(wb, Path(path))
    record_output(db, AuditAction.EXPORT, f"audit -> {Path(path).name}", {"rows": count})
    return ExportResult(Path(path), count)
