"""What a targets sheet would change, before anything is saved: new and changed targets and the
cells refused with their reasons. A sheet with refused cells cannot be applied."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from da8desktop.core.excel.targets_sheet import TargetsPreview
from da8desktop.core.formats import format_figure


class TargetsSheetPreview(QDialog):
    def __init__(self, preview: TargetsPreview, file_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(self.tr("Targets from {file}").format(file=file_name))
        self.resize(760, 520)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Commune / cell"), self.tr("Indicator"),
                                   self.tr("Before"), self.tr("After")])
        self.tree.setColumnWidth(0, 300)
        sections = [(self.tr("Refused ({n})"), preview.refused),
                    (self.tr("New ({n})"), preview.new),
                    (self.tr("Changed ({n})"), preview.changed)]
        for title, items in sections:
            top = QTreeWidgetItem([title.format(n=len(items))])
            self.tree.addTopLevelItem(top)
            for item in items:
                if hasattr(item, "reason"):
                    child = QTreeWidgetItem([item.cell, item.reason])
                    child.setToolTip(1, item.reason)
                else:
                    child = QTreeWidgetItem([f"{item.commune.code} {item.commune.name}",
                                             item.indicator.code,
                                             format_figure(item.before) if item.before is not None
                                             else "", format_figure(item.after)])
                top.addChild(child)
            top.setExpanded(bool(items) and len(items) <= 200)
        if preview.refused:
            summary = self.tr("{n} cells are refused (reasons below), so nothing can be saved. "
                              "Correct the sheet and import it again.").format(n=len(preview.refused))
        else:
            summary = self.tr("Targets for {period}: {new} new, {changed} changed, {same} "
                              "unchanged. Nothing has been saved yet.").format(
                period=preview.period, new=len(preview.new), changed=len(preview.changed),
                same=preview.unchanged)
        self.summary = QLabel(summary, wordWrap=True)
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton(self.tr("Save these targets"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(not preview.refused and bool(preview.writes))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
