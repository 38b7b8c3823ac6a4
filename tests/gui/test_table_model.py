"""The one table model: declared columns over core rows, sorted in Vietnamese order."""

from dataclasses import dataclass

from PySide6.QtCore import Qt

from da8desktop.gui.models.table_model import ID_ROLE, Column, RowsModel, person_order
from da8desktop.gui.widgets.tables import RecordTable


@dataclass
class Member:
    id: int
    full_name: str
    count: str
    joined: str


ROWS = [Member(1, "Đinh Văn An", "1.200", "05/03/2026"), Member(2, "Lò Thị Ánh", "900", ""),
        Member(3, "Cầm Thị Bảo", "12", "28/12/2025"), Member(4, "Vì Văn Dung", "3.001", "01/01/2026")]


def shown(model, column):
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_columns_sort_in_vietnamese_order_numbers_and_dates(qtbot):
    table = RecordTable([Column("Họ tên", lambda m: m.full_name,
                                sort=lambda m: person_order(m.full_name)),
                         Column("Số", lambda m: m.count, right=True),
                         Column("Ngày vào", lambda m: m.joined)], row_id=lambda m: m.id)
    qtbot.addWidget(table)
    table.set_rows(ROWS)
    model = table.model()
    model.sort(0)  # by given name: An, Ánh, Bảo, Dung (a before á before b; d before đ)
    assert shown(model, 0) == ["Đinh Văn An", "Lò Thị Ánh", "Cầm Thị Bảo", "Vì Văn Dung"]
    model.sort(1, Qt.SortOrder.DescendingOrder)  # "1.200" is one thousand two hundred
    assert shown(model, 1) == ["3.001", "1.200", "900", "12"]
    model.sort(2)  # dates in time order, an empty one last
    assert shown(model, 2) == ["28/12/2025", "01/01/2026", "05/03/2026", ""]
    assert model.index(0, 0).data(ID_ROLE) == 3 and table.item(0, 0).text() == "Cầm Thị Bảo"
    assert table.item(0, 1).textAlignment() & Qt.AlignmentFlag.AlignRight


def test_words_sort_with_d_before_dj():
    model = RowsModel([Column("Thôn", lambda name: name)])
    model.set_rows(["Đồng Tâm", "Dọc", "Bản Na", "Ấp Mới", "An Hòa"])
    model.sort(0)
    assert shown(model, 0) == ["An Hòa", "Ấp Mới", "Bản Na", "Dọc", "Đồng Tâm"]


def test_a_widget_in_a_cell_and_the_selection_move_with_their_row(qtbot):
    from PySide6.QtWidgets import QComboBox

    table = RecordTable([Column("Họ tên", lambda m: m.full_name,
                                sort=lambda m: person_order(m.full_name))], row_id=lambda m: m.id)
    qtbot.addWidget(table)
    table.set_rows(ROWS)
    box = QComboBox()
    table.setIndexWidget(table.model().index(3, 0), box)  # Vì Văn Dung
    table.selectRow(3)
    table.model().sort(0, Qt.SortOrder.DescendingOrder)  # Dung first
    assert table.item(0, 0).text() == "Vì Văn Dung" and table.cellWidget(0, 0) is box
    assert table.selected_row().full_name == "Vì Văn Dung"
