"""At the province: every commune's groups, people and activities, read only (the commune owns
them; the province never edits them, sync.md §2). Pick a commune, then browse."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QTableView, QTabWidget, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import ActivityKind
from da8desktop.core.formats import format_date, format_number
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.groups_query import GroupFilter, list_groups
from da8desktop.core.services.people_query import PeopleFilter
from da8desktop.core.sync.status import province_status
from da8desktop.gui.models.groups_model import GroupsTableModel
from da8desktop.gui.models.people_model import PeopleTableModel
from da8desktop.gui.widgets.tables import fill, read_only_table
from da8desktop.gui.pages.groups import status_names
from da8desktop.gui.page_refresh import COMMUNE_RECORDS, SYNC_STATE
from da8desktop.gui.pages.people import SEARCH_DELAY_MS


class ProvinceDataPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = COMMUNE_RECORDS | SYNC_STATE

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.commune = QComboBox()
        self.commune.currentIndexChanged.connect(lambda _i: self.show_commune())
        self.search = QLineEdit(placeholderText=self.tr("Search a name, with or without accents"))
        # As on People: one search per pause in typing; the activities are not searched, so
        # they are loaded when the commune changes, not on each keystroke (issue 23).
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(self.timer.start)
        self.activity_count = 0
        self.groups = GroupsTableModel(status_names(), self)
        self.people = PeopleTableModel(db, self)
        groups_view, people_view = QTableView(), QTableView()
        for view, model in ((groups_view, self.groups), (people_view, self.people)):
            view.setModel(model)
            view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.activities = read_only_table([
            self.tr("Date"), self.tr("Kind"), self.tr("Title"), self.tr("Participants"),
            self.tr("Women")], stretch=2)
        self.kind_names = {ActivityKind.GROUP_MEETING: self.tr("Group meeting"),
                           ActivityKind.COMMUNICATION: self.tr("Communication event"),
                           ActivityKind.POLICY_DIALOGUE: self.tr("Policy dialogue"),
                           ActivityKind.TRAINING: self.tr("Training")}
        self.tabs = QTabWidget()
        self.tabs.addTab(groups_view, self.tr("Groups"))
        self.tabs.addTab(people_view, self.tr("People"))
        self.tabs.addTab(self.activities, self.tr("Meetings and activities"))
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Commune")))
        top.addWidget(self.commune, 1)
        top.addWidget(self.search, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Communes' data"), objectName="pageTitle"))
        layout.addWidget(QLabel(self.tr(
            "Read only: each commune keeps its own records; they arrive here with its bundles."),
            wordWrap=True))
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.reload()

    def reload(self, _changed: set | None = None) -> None:
        """Communes that sent something come first; the choice is kept across reloads."""
        current = self.commune.currentData()
        self.commune.blockSignals(True)
        self.commune.clear()
        for status in province_status(self.db):
            if status.received:
                self.commune.addItem(f"{status.commune_name} ({status.commune_code})",
                                     f"2025:commune:{status.commune_code}")
        index = self.commune.findData(current)
        self.commune.setCurrentIndex(max(index, 0))
        self.commune.blockSignals(False)
        self.show_commune()

    def show_commune(self) -> None:
        self.timer.stop()
        key = self.commune.currentData()
        if key is None:
            self.summary.setText(self.tr("No commune has sent a bundle yet."))
            self.groups.set_rows([])
            self.people.set_filter(PeopleFilter(commune_key="-"))
            fill(self.activities, [])
            return
        activities = list_activities(self.db, ActivityFilter(commune_key=key))
        fill(self.activities, [(a.id, [format_date(a.date_start), self.kind_names[ActivityKind(a.kind)],
                                       a.title, format_number(a.participants),
                                       format_number(a.women)]) for a in activities])
        self.activity_count = len(activities)
        self.apply_search()

    def apply_search(self) -> None:
        """The groups and people of the chosen commune matching the search."""
        self.timer.stop()
        key = self.commune.currentData()
        if key is None:
            return
        groups = list_groups(self.db, GroupFilter(commune_key=key, search=self.search.text()))
        self.groups.set_rows(groups)
        self.people.set_filter(PeopleFilter(commune_key=key, search=self.search.text()))
        self.summary.setText(self.tr("{groups} groups, {people}, {activities} meetings and "
                                     "activities").format(
            groups=format_number(len(groups)), people=self.people.count_text(),
            activities=format_number(self.activity_count)))
