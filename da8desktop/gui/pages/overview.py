"""Tổng quan: who this computer serves and what it holds, from the same numbers as `stats`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.services.stats import Stats, collect
from da8desktop.core.formats import format_number
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.crash import show_failure
from da8desktop.gui.operations import CoalescedLoad
from da8desktop.gui.page_refresh import COMMUNE_RECORDS
from da8desktop.gui.widgets.tables import Column, RecordTable


class OverviewPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = COMMUNE_RECORDS

    def __init__(self, db: Database, dialogs: Dialogs | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.title = QLabel(objectName="pageTitle")
        self.subtitle = QLabel(wordWrap=True)
        self.cards = QGridLayout()
        self.card_values: dict[str, QLabel] = {}
        for i, (key, label) in enumerate([
                ("people", self.tr("People")), ("groups", self.tr("Groups")),
                ("meetings", self.tr("Group meetings")), ("attendance", self.tr("Attendance records")),
                ("activities", self.tr("Other activities")), ("villages", self.tr("Villages"))]):
            self.cards.addWidget(self._card(key, label), i // 3, i % 3)
        self.types = RecordTable([
            Column(self.tr("Kind of group"), lambda t: t.name),
            Column(self.tr("Groups"), lambda t: format_number(t.groups), sort=lambda t: t.groups,
                   right=True),
            Column(self.tr("Current members"), lambda t: format_number(t.members),
                   sort=lambda t: t.members, right=True)], stretch=0)
        self.types.setSelectionMode(RecordTable.SelectionMode.NoSelection)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self.cards)
        layout.addWidget(QLabel(self.tr("Groups by kind"), objectName="sectionTitle"))
        layout.addWidget(self.types, 1)
        self.dialogs = dialogs = dialogs or Dialogs(self)
        self.loader = CoalescedLoad(self, self.tr("Counting the records…"),
                                    lambda: collect(self.db), self._loaded, dialogs=dialogs,
                                    on_failure=self._failed)
        self.reload()

    def _card(self, key: str, label: str) -> QFrame:
        frame = QFrame(objectName="card")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(frame)
        value = QLabel("…", objectName="cardValue")  # until the background count arrives
        value.setAlignment(Qt.AlignmentFlag.AlignLeft)
        box.addWidget(value)
        box.addWidget(QLabel(label))
        self.card_values[key] = value
        return frame

    def reload(self, _changed: object = None) -> None:
        """Counted in the background: a province's 4.5 million attendance rows take seconds."""
        self.loader.start()

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def _failed(self, error: BaseException) -> None:
        self.subtitle.setText(self.tr("The figures could not be counted."))
        show_failure(self.dialogs, self.tr("Overview"), error)

    def _loaded(self, stats: Stats) -> None:
        self._fill(stats)

    def _fill(self, stats: Stats) -> None:
        site = stats.site
        if site is not None:
            self.title.setText(site.organisation_name)
            where = ", ".join(x for x in (site.commune_name, site.province_name) if x)
            self.subtitle.setText(self.tr("{where} — demo data for trying the application")
                                  .format(where=where) if site.is_demo else where)
        values = {"people": stats.people, "groups": stats.groups, "meetings": stats.meetings,
                  "attendance": stats.attendance_rows, "activities": stats.activities,
                  "villages": stats.villages}
        for key, value in values.items():
            self.card_values[key].setText(format_number(value))
        self.types.set_rows(stats.groups_by_type)
        self.types.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
