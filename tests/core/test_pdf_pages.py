"""Issue 23 item 3: tables drawn page by page. Every row printed once and whole, the header row
on every page, page numbers from page 2, the signature block kept on one page."""

from __future__ import annotations

from pypdf import PdfReader

from da8desktop.core.reports.document import Column, PrintDocument, Section, SignatureBlock
from da8desktop.render.pdf import write_pdf
from tests.core.test_print_layout import placed_text

LONG = "Thôn Đông Tiến Hạ Thượng Trung Bản Nà Phá Co Mạy"


def _doc(rows: int, sections: int = 1) -> PrintDocument:
    columns = [Column("STT", 6, "center"), Column("Họ và tên", 23),
               Column("Ngày/năm sinh", 13, "center", nowrap=True), Column("Thôn/bản", 13)]
    return PrintDocument(
        "ỦY BAN MTTQ VIỆT NAM XÃ MƯỜNG PHĂNG", "HỘI LHPN XÃ MƯỜNG PHĂNG",
        "Mường Phăng, ngày 05 tháng 01 năm 2026", "DANH SÁCH", "(Tổng số)",
        [Section(f"Tổ {s + 1}" if sections > 1 else None, columns,
                 [[str(i), f"Lò Thị Hoa {i}", "01/02/1985", LONG if i % 7 == 0 else "Bản Co Mạy"]
                  for i in range(1, rows + 1)]) for s in range(sections)],
        [SignatureBlock(["NGƯỜI LẬP DANH SÁCH"], "Lò Thị Mai"),
         SignatureBlock(["TM. BAN CHẤP HÀNH", "CHỦ TỊCH"], "Quàng Thị Xuân")])


def test_every_row_once_the_header_on_every_page_and_numbers_from_page_two(tmp_path):
    path = tmp_path / "list.pdf"
    pages = write_pdf(_doc(300), path)
    assert pages == len(PdfReader(str(path)).pages) > 5
    seen: list[int] = []
    for page in range(pages):
        text = placed_text(path, page)
        words = [t for _x, _y, t in text]
        assert "Họ và tên" in words, page  # the header row repeated
        top = max(y for _x, y, _t in text)
        numbers = [t for _x, y, t in text if y == top]
        assert numbers == ([str(page + 1)] if page else numbers), page  # NĐ 30 page numbers
        seen += [int(t.split()[-1]) for _x, _y, t in text if t.startswith("Lò Thị Hoa ")]
    assert seen == list(range(1, 301))  # in order, none lost, none twice


def test_the_signature_block_is_kept_whole_on_one_page(tmp_path):
    for rows in range(14, 40, 3):  # the block falls at every place of the page
        path = tmp_path / f"list-{rows}.pdf"
        pages = write_pdf(_doc(rows), path)
        last = [t for _x, _y, t in placed_text(path, pages - 1)]
        assert "NGƯỜI LẬP DANH SÁCH" in last and "Lò Thị Mai" in last, rows
        assert "Quàng Thị Xuân" in last and "CHỦ TỊCH" in last, rows


def test_sections_each_with_their_heading_and_rows(tmp_path):
    path = tmp_path / "groups.pdf"
    pages = write_pdf(_doc(40, sections=3), path)
    words = [t for page in range(pages) for _x, _y, t in placed_text(path, page)]
    assert [w for w in words if w.startswith("Tổ ")] == ["Tổ 1", "Tổ 2", "Tổ 3"]
    assert sum(w.startswith("Lò Thị Hoa ") for w in words) == 120
