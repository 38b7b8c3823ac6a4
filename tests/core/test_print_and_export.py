"""Printed lists and Excel exports, read back from the files written."""

import datetime as dt
import re
import unicodedata

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from da8desktop.core.db.models import AuditEntry
from da8desktop.core.excel.export import export_groups_and_activities, export_people
from da8desktop.core.reports.document import long_date
from da8desktop.core.reports.member_list import ListOptions, member_list, sign_in_sheet
from da8desktop.core.reports.print_settings import load_print_settings, save_print_settings
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.groups_query import GroupFilter, group_members, list_groups
from da8desktop.core.services.people_query import PeopleFilter, people_count, people_page
from da8desktop.render.pdf import write_pdf


def pdf_text(path):
    """Text of each page; pypdf renders the gaps between words as tabs."""
    reader = PdfReader(str(path))
    return [re.sub(r"[ \t]+", " ", unicodedata.normalize("NFC", page.extract_text()))
            for page in reader.pages]


@pytest.mark.parametrize("day, text", [(dt.date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
                                       (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
                                       (dt.date(2026, 11, 9), "ngày 09 tháng 11 năm 2026")])
def test_date_line_follows_decree_30(day, text):
    assert long_date("Mường Phăng", day) == f"Mường Phăng, {text}"


def test_member_list_pdf_reads_back_in_vietnamese_and_in_order(demo_db, tmp_path):
    team = list_groups(demo_db, GroupFilter(type_key="group_type:TTCD"))[0]
    doc = member_list(demo_db, [team.id], on=dt.date(2026, 1, 5))
    path = tmp_path / "members.pdf"
    pages = write_pdf(doc, path)
    text = pdf_text(path)
    assert len(text) == pages >= 1
    first = text[0]
    flat = " ".join(" ".join(text).split())  # titles wrap over lines
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "HỘI LHPN XÃ MƯỜNG PHĂNG", "ngày 05 tháng 01 năm 2026",
                     f"DANH SÁCH THÀNH VIÊN {team.name.upper()}", "NGƯỜI LẬP BIỂU"):
        assert expected in flat, expected
    names = [row[1] for row in doc.sections[0].rows]
    assert sorted(m.full_name for m in group_members(demo_db, team.id)) == sorted(names)
    positions = [first.find(name) for name in names]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert "CCCD" not in first  # personal data off unless chosen
    assert not path.with_name("members.pdf.part").exists()


def test_long_lists_repeat_the_header_and_number_pages_from_two(demo_db, tmp_path):
    ids = [g.id for g in list_groups(demo_db)]
    path = tmp_path / "all.pdf"
    pages = write_pdf(member_list(demo_db, ids, ListOptions(show_cccd=True)), path)
    text = pdf_text(path)
    assert pages == len(text) >= 3
    assert all("Họ và tên" in page for page in text[:-1])  # table header on every page
    assert not text[0].strip().startswith("1")  # no number on page 1
    for number, page in enumerate(text[1:], start=2):
        assert page.strip().startswith(str(number)), page[:40]
    assert "Số CCCD" in text[0]
    assert re.search(r"\b\d{12}\b", text[0])  # a CCCD number never breaks inside


def test_sign_in_sheet_lists_the_expected_participants(demo_db, tmp_path):
    meeting = list_activities(demo_db, ActivityFilter(kind="group_meeting"))[0]
    doc = sign_in_sheet(demo_db, meeting.id)
    assert [c.title for c in doc.sections[0].columns][-1] == "Ký tên"
    assert len(doc.sections[0].rows) >= meeting.participants
    path = tmp_path / "sign-in.pdf"
    write_pdf(doc, path)
    assert "DANH SÁCH KÝ NHẬN" in pdf_text(path)[0]


def test_print_settings_are_editable_per_commune(demo_db, tmp_path):
    settings = load_print_settings(demo_db)
    assert settings.issuing_body == "HỘI LHPN XÃ MƯỜNG PHĂNG"
    from dataclasses import replace
    save_print_settings(demo_db, replace(settings, signer_heading="TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH",
                                         signer_name=unicodedata.normalize("NFD", "Lò Thị Xuân"),
                                         show_confirmation=False))
    again = load_print_settings(demo_db)
    assert again.signer_name == "Lò Thị Xuân" and not again.show_confirmation
    team = list_groups(demo_db)[0]
    path = tmp_path / "m.pdf"
    write_pdf(member_list(demo_db, [team.id]), path)
    text = "".join(pdf_text(path))
    assert "PHÓ CHỦ TỊCH" in text and "Lò Thị Xuân" in text and "XÁC NHẬN" not in text


def test_people_export_is_a_real_workbook(demo_db, tmp_path):
    path = tmp_path / "people.xlsx"
    seen = []
    result = export_people(demo_db, path, progress=lambda done, total: seen.append((done, total)))
    assert result.rows == people_count(demo_db, PeopleFilter())
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:I{result.rows + 1}"
    assert [c.value for c in ws[1]][:4] == ["STT", "Họ và tên", "Giới tính", "Ngày sinh"]
    first = people_page(demo_db, PeopleFilter(), 0, 1)[0]
    assert ws["B2"].value == first.full_name
    dated = next(r for r in ws.iter_rows(min_row=2) if r[3].value is not None)
    assert isinstance(dated[3].value, dt.datetime) and dated[3].number_format == "DD/MM/YYYY"
    assert ws.column_dimensions["B"].width >= 20
    assert seen[-1][0] == result.rows
    with demo_db.read() as session:
        assert session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc())).first() == "export"


def test_group_export_and_activities_sheet(demo_db, tmp_path):
    path = tmp_path / "groups.xlsx"
    export_groups_and_activities(demo_db, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Tổ nhóm", "Sinh hoạt, hoạt động"]  # then one per kind
    kinds = {row[2].value for row in wb["Sinh hoạt, hoạt động"].iter_rows(min_row=2)}
    assert "Sinh hoạt tổ/nhóm" in kinds and "Tập huấn" in kinds
