"""The catalogue the communes count with (issue 21, item 1): its indicators and activity groups
and the version held. At the province, an edited workbook is previewed (added, changed, retired,
refused with the reason) and saved as a new version that travels with the next bundles; a
commune sees which version it has."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTabWidget, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.services.catalogue import current_items_of, versions
from da8desktop.gui.widgets.tables import fill, read_only_table
from da8desktop.gui.crash import show_failure


class CatalogueDialog(QDialog):
    def __init__(self, db: Database, dialogs: Any, province: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.province = db, dialogs, province
        self.setWindowTitle(self.tr("Catalogue of indicators"))
        self.resize(900, 560)
        self.version = QLabel(wordWrap=True)
        self.indicators = read_only_table([self.tr("Code"), self.tr("Name"), self.tr("Unit"),
                                           self.tr("Phase"), self.tr("Rule"),
                                           self.tr("Parameters")], stretch=1)
        self.indicators.horizontalHeader().setStretchLastSection(False)
        self.groups = read_only_table([self.tr("Code"), self.tr("Name"),
                                       self.tr("Programme content")], stretch=1)
        tabs = QTabWidget()
        tabs.addTab(self.indicators, self.tr("Indicators"))
        tabs.addTab(self.groups, self.tr("Activity groups"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.export_button = buttons.addButton(self.tr("Export to Excel…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button = buttons.addButton(self.tr("Import an edited workbook…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.clicked.connect(self.choose_import)
        self.import_button.setVisible(province)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version)
        layout.addWidget(tabs, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        held = versions(self.db)
        text = self.tr("Version of the indicators: {ind}; of the activity groups: {groups}.").format(
            ind=held.get("indicators") or "—", groups=held.get("programme") or "—")
        if self.province:
            text += " " + self.tr("Export it, edit it in Excel (add a row, change a row, write "
                                  "\"no\" under In use to retire one) and import it: the "
                                  "communes receive the new version with the next bundles.")
        else:
            text += " " + self.tr("The province sends a new version with its bundles.")
        self.version.setText(text)
        indicators, groups = current_items_of(self.db)
        rows = []
        for item in indicators:
            props = item.get("props", {})
            compute = dict(props.get("compute") or {})
            rule = compute.pop("measure", "")
            rows.append((item["code"], [item["code"], item["name"], str(props.get("unit", "")),
                                        str(props.get("phase", "")), rule,
                                        json.dumps(compute, ensure_ascii=False) if compute else ""]))
        fill(self.indicators, rows)
        self.indicators.setColumnWidth(5, 220)  # the name (stretched) is what is read first
        fill(self.groups, [(g["code"], [g["code"], g["name"], str(g.get("parent", "")).split(":")[-1]])
                           for g in groups])

    def choose_export(self) -> None:
        name = self.dialogs.save_file(self.tr("Export the catalogue"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        from da8desktop.core.excel.catalogue_sheet import export_catalogue

        try:
            export_catalogue(self.db, path)
        except (UserFacingError, OSError) as error:
            show_failure(self.dialogs, self.windowTitle(), error)

    def choose_import(self) -> None:
        files = self.dialogs.open_files(self.tr("Import an edited catalogue"),
                                        self.tr("Excel workbooks (*.xlsx)"))
        if files:
            self.import_from(Path(files[0]))

    def import_from(self, path: Path) -> bool:
        """Preview, then save on the officer's yes. True when a new version was saved."""
        from da8desktop.core.excel.catalogue_sheet import read_catalogue_sheet
        from da8desktop.core.services.catalogue import apply_edit, plan_edit

        try:
            edited, unreadable = read_catalogue_sheet(path)
            change = plan_edit(self.db, edited)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return False
        change.refused[:0] = unreadable
        lines = [self.tr("Added: {codes}").format(codes=", ".join(change.added) or "—"),
                 self.tr("Changed: {codes}").format(codes=", ".join(change.changed) or "—"),
                 self.tr("Retired: {codes}").format(codes=", ".join(change.retired) or "—")]
        if change.refused:
            self.dialogs.error(self.windowTitle(), self.tr(
                "Nothing was saved: {n} rows are refused. Correct them and import again.\n\n"
                "{rows}").format(n=len(change.refused), rows="\n".join(change.refused[:30])))
            return False
        if not change.edited_kinds:
            self.dialogs.info(self.windowTitle(), self.tr("The workbook changes nothing."))
            return False
        if not self.dialogs.confirm(self.windowTitle(), self.tr(
                "Save this as a new version of the catalogue? The communes receive it with the "
                "next bundles.\n\n{lines}").format(lines="\n".join(lines))):
            return False
        try:
            apply_edit(self.db, change)
        except UserFacingError as error:
            self.dialogs.error(self.windowTitle(), error.message())
            return False
        self.reload()
        return True


