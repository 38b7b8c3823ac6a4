"""Thôn/bản: the commune's own village list. Rename, mark "thôn đặc biệt khó khăn", merge two
villages after a decision: history keeps the old names."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.formats import format_date
from da8desktop.core.services.villages import VillagesService
from da8desktop.gui.widgets.empty_hint import EmptyHint
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.gui.widgets.tables import fill, read_only_table, selected
from da8desktop.gui.widgets.folding_combo import FoldingComboBox


class VillagesPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = frozenset({"village"})

    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        self.table = read_only_table([self.tr("Village"), self.tr("Extremely difficult"),
                                      self.tr("Decision"), self.tr("Until"),
                                      self.tr("Merged into")], 0)
        self.show_closed = QCheckBox(self.tr("Show villages that were merged"))
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name of a new village, e.g. Bản Nà Sản"))
        self.add_button = QPushButton(self.tr("Add"))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.difficult_button = QPushButton(self.tr("Extremely difficult: yes/no"))
        self.merge_into = FoldingComboBox(empty_text=self.tr("Merge the selected village into…"))
        self.merge_button = QPushButton(self.tr("Merge"))
        self.message = QLabel(wordWrap=True)
        add = QHBoxLayout()
        add.addWidget(self.new_name, 1)
        add.addWidget(self.add_button)
        actions = QHBoxLayout()
        for widget in (self.rename_button, self.difficult_button, self.merge_into, self.merge_button):
            actions.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Villages"), objectName="pageTitle"))
        self.empty_hint = EmptyHint("villages", here=self.new_name.setFocus)
        layout.addWidget(self.empty_hint)
        layout.addLayout(add)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.show_closed)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.new_name.returnPressed.connect(self.add_village)
        self.add_button.clicked.connect(self.add_village)
        self.rename_button.clicked.connect(self.rename)
        self.difficult_button.clicked.connect(self.toggle_difficult)
        self.merge_button.clicked.connect(self.merge)
        self.show_closed.toggled.connect(self.reload)
        self.reload()

    def reload(self, _changed: object = None) -> None:
        villages = VillagesService(self.db).list(include_closed=self.show_closed.isChecked())
        names = {v.id: v.name for v in VillagesService(self.db).list(include_closed=True)}
        self.villages = {v.id: v for v in villages}
        fill(self.table, [(v.id, [v.name, "✓" if v.extremely_difficult else "",
                                  v.difficulty_decision or "", format_date(v.valid_to),
                                  names.get(v.successor_id, "")]) for v in villages])
        self.merge_into.set_items([(v.name, v.id, "") for v in villages if v.valid_to is None])
        self.empty_hint.refresh(self.db)

    def _run(self, action) -> None:  # noqa: ANN001
        try:
            action()
        except ValidationFailed as failed:
            self.message.setText("\n".join(e.message() for e in failed.errors))
            return
        except UserFacingError as error:
            self.message.setText(error.message())
            return
        self.message.setText(self.tr("Saved."))
        self.events.changed.emit({"village"})

    def add_village(self) -> None:
        name = self.new_name.text()
        if name.strip():
            self._run(lambda: VillagesService(self.db).create(name=name))
            self.new_name.clear()

    def rename(self) -> None:
        village_id = selected(self.table)
        if village_id is None:
            return
        name = self.dialogs.text(self.tr("Rename"), self.tr("New name"),
                                 value=self.villages[village_id].name)
        if name and name.strip():
            self._run(lambda: VillagesService(self.db).update(village_id, name=name))

    def toggle_difficult(self) -> None:
        village_id = selected(self.table)
        if village_id is not None:
            flag = not self.villages[village_id].extremely_difficult
            self._run(lambda: VillagesService(self.db).update(village_id, extremely_difficult=flag))

    def merge(self) -> None:
        old, into = selected(self.table), self.merge_into.value()
        if old is None or into is None:
            return
        if self.dialogs.confirm(self.tr("Merge villages"), self.tr(
                "Merge {old} into {into}? Its people and groups move to {into}; past records "
                "keep the old name.").format(old=self.villages[old].name,
                                             into=self.villages[into].name)):
            self._run(lambda: VillagesService(self.db).merge(old, into))
