"""Issue 19, item 8: the printed sign-in sheet and signatures, measured on the PDF written."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from pypdf import PdfReader

from da8desktop.core.reports.member_list import member_list, sign_in_sheet
from da8desktop.core.reports.print_settings import load_print_settings, save_print_settings
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.groups_query import list_groups
from da8desktop.render.pdf import write_pdf

MM = 72 / 25.4  # PDF points per millimetre


def placed_text(path, page=0):
    """(x, y, text) of each run of text on a page, in PDF points from the bottom left."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, unicodedata.normalize("NFC", " ".join(text.split()))))

    PdfReader(str(path)).pages[page].extract_text(visitor_text=visit)
    return found


def _meeting(db):
    meetings = list_activities(db, ActivityFilter(kind="group_meeting"))
    return max(meetings[:30], key=lambda m: m.participants)


def test_sign_in_rows_are_ten_mm_high_with_a_wide_signature_column(demo_db, tmp_path):
    doc = sign_in_sheet(demo_db, _meeting(demo_db).id)
    columns = doc.sections[0].columns
    assert columns[-1].title == "Ký tên"
    assert columns[-1].width / sum(c.width for c in columns) >= 0.25
    path = tmp_path / "sign-in.pdf"
    write_pdf(doc, path)
    text = placed_text(path)
    numbers = {t: y for x, y, t in text if t.isdigit() and x < 120}  # the STT column
    rows = [numbers[str(i)] for i in range(1, len(doc.sections[0].rows) + 1) if str(i) in numbers]
    assert len(rows) >= 5
    pitches = [(a - b) / MM for a, b in zip(rows, rows[1:])]
    assert min(pitches) >= 10, pitches
    heading = next(x for x, _y, t in text if t == "Ký tên")
    assert heading > 0.6 * 595  # the signature column is the right part of the page


def test_both_signers_names_share_one_line(demo_db, tmp_path):
    settings = load_print_settings(demo_db)
    save_print_settings(demo_db, replace(settings, preparer_name="Lò Thị Mai",
                                         signer_name="Quàng Thị Xuân"))
    path = tmp_path / "members.pdf"
    write_pdf(member_list(demo_db, [list_groups(demo_db)[0].id]), path)
    reader = PdfReader(str(path))
    text = placed_text(path, len(reader.pages) - 1)
    preparer = [y for _x, y, t in text if t == "Lò Thị Mai"]
    signer = [y for _x, y, t in text if t == "Quàng Thị Xuân"]
    assert preparer and signer and abs(preparer[-1] - signer[-1]) < 1


def test_sign_in_confirmation_only_when_the_officer_wants_it(demo_db, tmp_path):
    meeting = _meeting(demo_db).id
    group = list_groups(demo_db)[0].id

    def printed(make, name):
        path = tmp_path / name
        write_pdf(make(), path)
        return " ".join(t for page in range(len(PdfReader(str(path)).pages))
                        for _x, _y, t in placed_text(path, page))

    assert "XÁC NHẬN" not in printed(lambda: sign_in_sheet(demo_db, meeting), "a.pdf")
    assert "XÁC NHẬN" in printed(lambda: member_list(demo_db, [group]), "b.pdf")
    save_print_settings(demo_db, replace(load_print_settings(demo_db), confirm_sign_in=True,
                                         show_confirmation=False))
    assert load_print_settings(demo_db).confirm_sign_in
    assert "XÁC NHẬN" in printed(lambda: sign_in_sheet(demo_db, meeting), "c.pdf")
    assert "XÁC NHẬN" not in printed(lambda: member_list(demo_db, [group]), "d.pdf")
