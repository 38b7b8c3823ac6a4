"""Pictures of the pages issues 20 and 21 added (used by devtools/screens.py): a trusted
address's Cases tab and a livelihood group's own fields on the demo commune's Groups page, the
province's own activities, a province total split over its communes, and the centre's figures
and Send and receive, the province connected to it. Nothing here changes how the app behaves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from da8desktop.core.db.database import Database
from da8desktop.devtools.screens_extra import _paint_dialog, plausible_status


def _show(app: QApplication, window: Any, kind: type) -> Any:
    page = window.page(kind)
    window.nav.setCurrentRow(window.pages.indexOf(page))
    app.processEvents()
    return page


def group_pictures(app: QApplication, window: Any, folder: Path, out_dir: Path,
                   language: str) -> list[Path]:
    """The Cases tab of a trusted address, and the Details tab of a livelihood group."""
    from da8desktop.core.services.groups_query import GroupFilter, list_groups
    from da8desktop.gui.pages.groups import GroupsPage

    page = _show(app, window, GroupsPage)
    written = []
    for name, type_key, tab in (("cases", "group_type:DCTC", "cases"),
                                ("group-livelihood", "group_type:SINHKE", "details")):
        groups = list_groups(window.db, GroupFilter(type_key=type_key))
        if not groups:
            continue
        page.select_group(groups[0].id)
        detail = page.detail
        detail.tabs.setCurrentIndex(detail.cases_tab if tab == "cases" else 0)
        app.processEvents()
        if tab == "details":  # the list small, the type's own fields (at the end) in view
            from PySide6.QtWidgets import QScrollArea, QSplitter

            splitter = page.findChild(QSplitter)
            splitter.setSizes([110, sum(splitter.sizes()) - 110])
            app.processEvents()
            scroll = detail.tabs.widget(0)
            if isinstance(scroll, QScrollArea):
                bar = scroll.verticalScrollBar()
                bar.setValue(bar.maximum())
            app.processEvents()
        plausible_status(window, folder)
        path = out_dir / f"{name}-{language}.png"
        window.grab().save(str(path))
        written.append(path)
    return written


def own_activities(province: Database) -> None:
    """The seed's province trainings, recorded at the province (issue 20, item 7)."""
    from da8desktop.core.services.activities import ActivitiesService

    year = dt.date.today().year
    for title, day, total, women, kind, extra in (
            ("Tập huấn giám sát, đánh giá cho cán bộ Hội xã", dt.date(year, 3, 10), 45, 38,
             "training", {"training_type_key": "training_type:GIAM_SAT"}),
            ("Tập huấn lồng ghép giới cho cán bộ nữ cấp xã", dt.date(year, 5, 21), 40, 36,
             "training", {}),
            ("Hội nghị triển khai Dự án 8 năm " + str(year), dt.date(year, 2, 26), 626, 410,
             "communication", {})):
        ActivitiesService(province).create(
            kind=kind, title=title, date_start=day, participation="counts", count_total=total,
            count_women=women, count_men=total - women, **extra)


def connect_centre(province: Database, folder: Path) -> Path:
    """A centre that enrolled this province (and 01, which has not connected yet), took its
    figures once it was confirmed, and sent its catalogue back."""
    from da8desktop.core.sync import central
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.core.sync.importer import import_paths

    centre = Database.open(folder / "trung-uong.sqlite")
    _identity, fingerprint = central.central_init(centre)
    setup = central.central_enroll(centre, province_code(province), folder / "usb-tw")
    done = central.connect_central(province, setup.path, fingerprint)
    central.central_enroll(centre, "01", folder / "usb-tw")
    up = [b.path for b in export_bundles(province, folder / "usb-tw" / "up")
          if "-to-tw-" in b.path.name]
    import_paths(centre, up)
    central.confirm_province(centre, province_code(province), done.province_fingerprint)
    import_paths(centre, up)
    import_paths(province, [b.path for b in export_bundles(centre, folder / "usb-tw" / "down")])
    centre.close()
    return folder / "trung-uong.sqlite"


def province_code(db: Database) -> str:
    from da8desktop.core.services.site import identity

    site = identity(db)
    return site.province_code if site else "11"


def split_picture(app: QApplication, window: Any, folder: Path, path: Path) -> None:
    """The province's targets grid with the split of one indicator's total open over it."""
    from da8desktop.gui.pages.dashboard import DashboardPage

    page = _show(app, window, DashboardPage)
    plausible_status(window, folder)
    targets = page.edit_targets()
    if targets is None:
        return
    column = next((i for i, ind in enumerate(targets.indicators) if ind.code == "II.TTCD"), 0)
    targets.table.setCurrentCell(0, column)
    targets.table.item(len(targets.communes), column).setText("90")  # the province's total
    split = targets.split_total()
    app.processEvents()
    if split is not None:
        _paint_dialog(window.grab(), split).save(str(path))
        split.reject()
    targets.reject()
    app.processEvents()


def central_pictures(app: QApplication, centre_file: Path, folder: Path, out_dir: Path,
                     language: str, province: str = "11") -> list[Path]:
    from da8desktop.gui.main_window import MainWindow
    from da8desktop.gui.pages.central import CentralPage
    from da8desktop.gui.pages.central_sync import CentralSyncPage

    centre = Database.open(centre_file)
    window = MainWindow(centre, language)
    window.resize(1366, 768)
    window.show()
    written = []
    page = _show(app, window, CentralPage)
    this_year = page.period.findData(str(dt.date.today().year))  # a year with targets
    if this_year >= 0:
        page.period.setCurrentIndex(this_year)
    # The connected province's communes below, as a double-click shows them.
    page.show_province(page.province_codes.index(province) if province in page.province_codes
                       else 0)
    app.processEvents()
    for name, kind in (("central-figures", CentralPage), ("central-sync", CentralSyncPage)):
        _show(app, window, kind)
        plausible_status(window, folder)
        path = out_dir / f"{name}-{language}.png"
        window.grab().save(str(path))
        written.append(path)
    window.close()
    centre.close()
    return written
