"""The two pictures that are not a page: the File menu open over the demo commune's window, and
the Excel import preview on a member list as communes really keep them (a title, no sex column,
a total row, a duplicate, a mistyped year, a CCCD that lost its leading 0, a village not yet
registered). Used by devtools/screens.py; nothing here changes how the app behaves."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QWidget

# What the officer's laptop shows instead of the temporary folder the pictures are made in.
OFFICER_FOLDER = r"C:\Users\HoiPhuNu\Documents\da8desktop"


def officer_path(path: Path | str, folder: Path) -> str:
    """`path` as it would read on the officer's laptop, when it lies in the temporary `folder`."""
    try:
        relative = Path(path).resolve().relative_to(folder.resolve())
    except ValueError:
        return str(path)
    return "\\".join((OFFICER_FOLDER, *relative.parts)) if relative.parts else OFFICER_FOLDER


def plausible_status(window, folder: Path) -> None:  # noqa: ANN001 - the MainWindow
    """The status bar's data folder as on the officer's laptop, in the app's own words."""
    if window.db.file is not None:
        window.status_folder.setText(window.tr("Data: {folder}").format(
            folder=officer_path(window.db.file.parent, folder)))
        QApplication.processEvents()  # the status bar makes room for the longer text


def _paint(base: QPixmap, window: QWidget, popup: QWidget) -> None:
    """A popup is a window of its own: paint its picture where it stands over `window`."""
    at = popup.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
    painter = QPainter(base)
    painter.drawPixmap(at, popup.grab())
    painter.end()


def _paint_dialog(base: QPixmap, dialog: QWidget) -> QPixmap:
    """A modal dialog in the middle of the dimmed window, under a plain title bar (the offscreen
    screen draws no window frames)."""
    title_height = 28
    content = dialog.grab()
    frame = QRect(0, 0, content.width() + 2, content.height() + title_height + 1)
    frame.moveCenter(base.rect().center())
    painter = QPainter(base)
    painter.fillRect(base.rect(), QColor(0, 0, 0, 70))
    painter.fillRect(frame, QColor("#f0f0f0"))
    title = QRect(frame.left(), frame.top(), frame.width(), title_height)
    painter.fillRect(title, QColor("#ffffff"))
    painter.setPen(QColor("#202020"))
    painter.drawText(title.adjusted(12, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter,
                     dialog.windowTitle())
    painter.drawPixmap(frame.left() + 1, title.bottom() + 1, content)
    painter.setPen(QColor("#8a8a8a"))
    painter.drawRect(frame.adjusted(0, 0, -1, -1))
    painter.end()
    return base


def file_menu_picture(app: QApplication, window, folder: Path, path: Path) -> None:  # noqa: ANN001
    """File menu open, its recent data files shown, over the demo commune's window."""
    plausible_status(window, folder)
    bar = window.menuBar()
    menu: QMenu = bar.actions()[0].menu()
    window.activateWindow()
    bar.setActiveAction(bar.actions()[0])  # opened from the bar, "Tệp" is highlighted
    app.processEvents()
    recent = window.recent_menu
    menu.setActiveAction(recent.menuAction())
    recent.popup(menu.mapToGlobal(menu.actionGeometry(recent.menuAction()).topRight()))
    app.processEvents()
    for action in recent.actions():  # the files as they would read on the officer's laptop
        if action.text() and not action.isSeparator():
            action.setText(officer_path(action.text(), folder))
    recent.adjustSize()
    app.processEvents()
    picture = window.grab()
    _paint(picture, window, menu)
    _paint(picture, window, recent)
    picture.save(str(path))
    recent.hide()
    menu.hide()
    app.processEvents()


def member_list(path: Path, villages: list[str], registered: tuple[str, int] | None) -> Path:
    """A chi hội's list as typed in Excel: title rows, no "Giới tính" column, a total row;
    `registered` is a person the commune already has (name, year of birth)."""
    import openpyxl

    known = villages[0] if villages else "Thôn 1"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append([f"DANH SÁCH HỘI VIÊN CHI HỘI {known.upper()}"])
    ws.merge_cells("A1:G1")
    ws.append(["Năm 2025"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Năm sinh", "Dân tộc", "Thôn", "CCCD", "SĐT"])
    for row in [
        [1, "Lò Thị Pảnh", 1985, "Thái", known, None, "0912 345 678"],
        [2, "Tòng Thị Ánh", 1990, "Thái", known, 14190012345, None],  # lost its leading 0
        [3, "Lường Thị Xuân", 2090, "Thái", known, None, None],  # 2090 for 1990
        [4, "Cà Thị Lan", 1978, "Thái", "Bản Co Muông", None, "0388 120 456"],
        [5, "Lò Thị Pảnh", 1985, "Thái", known, None, None],  # written twice
        [6, "Quàng Thị Hiên", 1996, "Khơ Mú", "Bản Co Muông", None, None],
        [7, "Vì Thị Hương", 1988, "Thái", known, "014188004321", None],
        *([[8, registered[0], registered[1], "Thái", known, None, None]] if registered else []),
        [None, "Tổng cộng", None, None, None, None, None],
        [None, None, None, None, "Người lập biểu", None, None],
        [None, None, None, None, "Lò Thị Hoa", None, None],
    ]:
        ws.append(row)
    wb.save(path)
    return path


def _registered(db) -> tuple[str, int] | None:  # noqa: ANN001 - a Database
    from sqlalchemy import select

    from da8desktop.core.db.models import Person

    with db.read() as session:
        row = session.execute(select(Person.full_name, Person.birth_year)
                              .where(Person.deleted.is_(False), Person.birth_year.is_not(None))
                              .order_by(Person.sort_key).limit(1)).first()
    return (row[0], row[1]) if row else None


def import_preview_picture(app: QApplication, window, folder: Path, path: Path) -> None:  # noqa: ANN001
    """The import dialog as the People page opens it, on that list."""
    from da8desktop.core.services.choices import village_choices
    from da8desktop.gui.pages.people import PeoplePage
    from da8desktop.gui.widgets.import_dialog import ImportDialog

    page = next(window.pages.widget(i) for i in range(window.pages.count())
                if isinstance(window.pages.widget(i), PeoplePage))
    window.nav.setCurrentRow(window.pages.indexOf(page))
    plausible_status(window, folder)
    sheet = member_list(folder / "Danh sách hội viên 2025.xlsx",
                        [name for name, _id, _extra in village_choices(window.db)],
                        _registered(window.db))
    dialog = ImportDialog(window.db, page, page.events)
    dialog.resize(1040, 640)
    dialog.show()
    dialog.load(sheet)
    app.processEvents()
    dialog.table.resizeColumnsToContents()
    dialog.table.horizontalHeader().setStretchLastSection(True)
    app.processEvents()
    _paint_dialog(window.grab(), dialog).save(str(path))
    dialog.reject()
    app.processEvents()
