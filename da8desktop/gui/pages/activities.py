"""Sinh hoạt & hoạt động: group meetings with attendance, activities with counts, and
safe-delivery support, for the chosen year."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import ActivityKind, SafeDeliveryType
from da8desktop.core.formats import format_date, format_number
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.people_query import PeopleFilter, people_page
from da8desktop.core.services.support import SafeDeliveryService, list_safe_delivery
from da8desktop.gui.widgets.empty_hint import EmptyHint
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.core.reports.member_list import blank_sign_in_sheet, sign_in_sheet
from da8desktop.gui.printing import PrintDialog
from da8desktop.gui.shortcuts import on_widget
from da8desktop.gui.widgets.activity_form import ActivityDialog
from da8desktop.gui.widgets.field_errors import FieldErrors, read_date
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog
from da8desktop.gui.widgets.meeting_form import MeetingDialog
from da8desktop.gui.widgets.tables import fill, read_only_table, selected
from da8desktop.gui.operations import run_operation

class ActivitiesPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = frozenset({
        "activity", "attendance", "safe_delivery_support", "community_group", "person", "village",
        "attachment"})

    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None, province_key: str | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        # At the province: its own trainings and conferences only (issue 20 item 7); no group
        # meetings (groups are the communes') and no safe-delivery support.
        self.province_key = province_key
        self.kind_names = {ActivityKind.GROUP_MEETING: self.tr("Group meeting"),
                           ActivityKind.COMMUNICATION: self.tr("Communication event"),
                           ActivityKind.POLICY_DIALOGUE: self.tr("Policy dialogue"),
                           ActivityKind.TRAINING: self.tr("Training")}
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), None)
        for kind, text in self.kind_names.items():
            self.kind.addItem(text, kind.value)
        self.year = QComboBox()
        this_year = dt.date.today().year
        for year in range(this_year, 2020, -1):
            self.year.addItem(str(year), year)
        self.year.addItem(self.tr("All years"), None)
        self.new_meeting = QPushButton(self.tr("Record a group meeting"))
        self.new_activity = QPushButton(self.tr("Record another activity"))
        self.new_named = QPushButton(self.tr("Activity with a list of participants…"))
        self.delete_button = QPushButton(self.tr("Delete (Del)"))
        self.print_button = QPushButton(self.tr("Print the sign-in sheet…"))
        self.export_button = QPushButton(self.tr("Export to Excel…"))
        self.table = read_only_table([self.tr("Date"), self.tr("Kind"), self.tr("Title"),
                                      self.tr("Group"), self.tr("Participants"),
                                      self.tr("Women")], 2)
        self.summary = QLabel()
        self.support = SafeDeliveryTab(db, events, dialogs, self)
        filters = QHBoxLayout()
        filters.addWidget(self.kind)
        filters.addWidget(self.year)
        filters.addStretch(1)
        filters.addWidget(self.new_named)  # the actions row is full at 1024 px
        actions = QHBoxLayout()
        for widget in (self.new_meeting, self.new_activity, self.print_button, self.export_button,
                       self.delete_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        activities = QWidget()
        box = QVBoxLayout(activities)
        box.addLayout(filters)
        box.addLayout(actions)
        box.addWidget(self.table, 1)
        box.addWidget(self.summary)
        tabs = QTabWidget()
        tabs.addTab(activities, self.tr("Meetings and activities"))
        if province_key is None:
            tabs.addTab(self.support, self.tr("Safe-delivery support"))
        else:
            self.support.hide()  # a child of the page in no layout: never shown
        self.new_meeting.setVisible(province_key is None)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Meetings and activities") if province_key is None
                                else self.tr("The province's own activities"),
                                objectName="pageTitle"))
        self.empty_hint = EmptyHint("activities", here=self.record_meeting)
        layout.addWidget(self.empty_hint)
        layout.addWidget(tabs, 1)
        self.kind.currentIndexChanged.connect(self.reload)
        self.year.currentIndexChanged.connect(self.reload)
        self.new_meeting.clicked.connect(self.record_meeting)
        self.new_activity.clicked.connect(self.record_activity)
        self.new_named.clicked.connect(self.record_named)
        self.delete_button.clicked.connect(self.delete_selected)
        self.print_button.clicked.connect(self.print_sign_in)
        self.export_button.clicked.connect(self.choose_export)
        self.table.doubleClicked.connect(self.open_selected)
        on_widget(Qt.Key.Key_Delete, self.table, self.delete_selected)
        self.reload()

    def reload(self, _changed: set | None = None) -> None:
        rows = list_activities(self.db, ActivityFilter(kind=self.kind.currentData(),
                                                       year=self.year.currentData(),
                                                       commune_key=self.province_key))
        self.rows = {r.id: r for r in rows}
        fill(self.table, [(r.id, [format_date(r.date_start), self.kind_names[ActivityKind(r.kind)],
                                  r.title, r.group_name or "", format_number(r.participants),
                                  format_number(r.women)]) for r in rows])
        self.summary.setText(self.tr("{sessions} sessions, {times} participant-times").format(
            sessions=format_number(len(rows)),
            times=format_number(sum(r.participants for r in rows))))
        self.support.reload()
        if self.province_key is None:  # the first steps are a commune's (villages, people…)
            self.empty_hint.refresh(self.db)
        else:
            self.empty_hint.hide()

    def record_meeting(self) -> None:
        if MeetingDialog(self.db, parent=self).exec():
            self.events.changed.emit({"activity", "attendance"})

    def record_named(self) -> None:
        """A training, dialogue or event with a list of participants instead of counts."""
        kinds = [(ActivityKind.TRAINING, self.tr("Training")),
                 (ActivityKind.POLICY_DIALOGUE, self.tr("Policy dialogue")),
                 (ActivityKind.COMMUNICATION, self.tr("Communication event"))]
        chosen = self.dialogs.pick(self.tr("Activity with a list of participants"),
                                   self.tr("Kind of activity"), [text for _k, text in kinds])
        if chosen is None:
            return
        if MeetingDialog(self.db, parent=self, kind=kinds[chosen][0].value).exec():
            self.events.changed.emit({"activity", "attendance"})

    def record_activity(self) -> None:
        dialog = ActivityDialog(self.db, parent=self)
        if dialog.exec():
            self.events.changed.emit({"activity"})
            if dialog.warnings:
                self.dialogs.info(self.tr("Saved, please check"), "\n".join(dialog.warnings))

    def select_activity(self, activity_id: object) -> None:
        row = self.table.rows_model.row_of(activity_id)
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.table.model().index(row, 0))

    def open_selected(self) -> None:
        activity_id = selected(self.table)
        if activity_id is None:
            return
        row = self.rows[activity_id]
        dialog = (MeetingDialog(self.db, activity_id=activity_id, parent=self) if row.from_attendance
                  else ActivityDialog(self.db, activity_id, parent=self))
        if dialog.exec():
            self.events.changed.emit({"activity", "attendance"})

    def choose_export(self) -> None:
        path = self.dialogs.save_file(self.tr("Export to Excel"),
                                      self.tr("Excel workbooks (*.xlsx)"), suffix=".xlsx")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Groups with their members, and every meeting and activity with its counts; in the
        background (a province's workbook is large)."""
        from da8desktop.core.excel.export import export_groups_and_activities  # openpyxl: lazily

        self.task = run_operation(
            self, self.tr("Export to Excel"),
            lambda _progress: export_groups_and_activities(self.db, path), dialogs=self.dialogs,
            on_success=lambda result: self.dialogs.info(self.tr("Export to Excel"), self.tr(
                "{rows} rows written to {file}").format(rows=result.rows, file=result.path)))

    def print_sign_in(self) -> None:
        activity_id = selected(self.table)
        if isinstance(activity_id, uuid.UUID):
            PrintDialog(self.db, self.tr("Print the sign-in sheet"),
                        lambda options: sign_in_sheet(self.db, activity_id, options), self).exec()
            return
        # Nothing chosen: a blank sheet for an activity not recorded yet (issue 20).
        title = self.dialogs.text(self.tr("Print a blank sign-in sheet"),
                                  self.tr("No activity is selected. Title of a blank sheet:"))
        if title and title.strip():
            PrintDialog(self.db, self.tr("Print the sign-in sheet"),
                        lambda _options: blank_sign_in_sheet(self.db, title), self).exec()

    def delete_selected(self) -> None:
        activity_id = selected(self.table)
        if isinstance(activity_id, uuid.UUID):
            ActivitiesService(self.db).delete(activity_id)
            self.events.deleted.emit("activity", activity_id)
            self.events.changed.emit({"activity"})


class SafeDeliveryTab(QWidget):
    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        self.type_names = {SafeDeliveryType.NORMAL: self.tr("Normal delivery"),
                           SafeDeliveryType.CAESAREAN: self.tr("Caesarean"),
                           SafeDeliveryType.OTHER: self.tr("Other")}
        self.table = read_only_table([self.tr("Date"), self.tr("Woman supported"), self.tr("Kind"),
                                      self.tr("Amount (đồng)"), self.tr("Voucher")], 1)
        self.add = QPushButton(self.tr("Record a support"))
        self.add.clicked.connect(self.add_support)
        layout = QVBoxLayout(self)
        layout.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.table, 1)

    def reload(self) -> None:
        fill(self.table, [(r.id, [format_date(r.given_on), r.full_name,
                                  self.type_names[SafeDeliveryType(r.support_type)],
                                  format_number(r.amount_vnd), r.voucher_no or ""])
                          for r in list_safe_delivery(self.db)])

    def add_support(self) -> None:
        if SafeDeliveryDialog(self.db, self).exec():
            self.events.changed.emit({"safe_delivery_support"})


class SafeDeliveryDialog(FormDialog):
    DEFAULT_AMOUNTS = {"normal": 2_200_000, "caesarean": 2_400_000, "other": 0}

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("Safe-delivery support"))
        self.person = FoldingComboBox()
        self.person.set_items([(f"{p.full_name} ({p.birth_year or '?'}, {p.village_name or '-'})",
                                p.id, "") for p in people_page(db, PeopleFilter(sex="F"))])
        self.kind = QComboBox()
        for kind, text in ((SafeDeliveryType.NORMAL, self.tr("Normal delivery")),
                           (SafeDeliveryType.CAESAREAN, self.tr("Caesarean")),
                           (SafeDeliveryType.OTHER, self.tr("Other"))):
            self.kind.addItem(text, kind.value)
        self.amount = QSpinBox(maximum=100_000_000, singleStep=100_000, groupSeparatorShown=True)
        self.amount.setValue(self.DEFAULT_AMOUNTS["normal"])
        self.date = QLineEdit(format_date(dt.date.today()))
        self.voucher = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("Woman supported"), self.person)
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Amount (đồng)"), self.amount)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Decision or voucher no."), self.voucher)
        self.field_errors = FieldErrors(form, {"person_id": self.person, "amount_vnd": self.amount,
                                               "given_on": self.date})
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.finish_layout(layout)
        self.kind.currentIndexChanged.connect(
            lambda _i: self.amount.setValue(self.DEFAULT_AMOUNTS[self.kind.currentData()]))

    def save(self) -> None:
        day, problem = read_date(self.date.text())
        if day is None:
            self.field_errors.clear()
            self.field_errors.show("given_on", problem or self.tr("Write the date as dd/mm/yyyy."))
            self.date.setFocus()
            return
        saved = self.attempt(lambda: SafeDeliveryService(self.db).create(
            person_id=self.person.value(), support_type=self.kind.currentData(),
            amount_vnd=self.amount.value(), given_on=day, voucher_no=self.voucher.text() or None))
        if saved is None:
            return
        self.accept()
