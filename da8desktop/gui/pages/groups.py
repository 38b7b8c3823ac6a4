"""Tổ/nhóm: groups of every model, filterable; a group's own fields (saved as soon as a field is
left), its members with roles and dates, fast keyboard entry of new members, its meetings, and
the domain warnings shown inline."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QScrollArea, QSplitter,
                               QTableView, QTabWidget,
                               QVBoxLayout, QWidget)

from da8desktop.core.db.changes import recording
from da8desktop.core.db.database import Database
from da8desktop.core.domain import GroupStatus, Phase
from da8desktop.core.errors import UserFacingError, ValidationFailed
from da8desktop.core.formats import format_date, format_number, parse_birth, parse_date
from da8desktop.core.services.activities_query import ActivityFilter, list_activities
from da8desktop.core.services.choices import catalogue_choices, ethnic_choices, village_choices
from da8desktop.core.services.group_types import TYPE_FIELDS, group_type_form
from da8desktop.core.services.groups import GroupsService, GroupSupportService, MembershipsService
from da8desktop.core.services.groups_query import (GroupFilter, get_group, group_members,
                                                   group_support, group_warnings, list_groups)
from da8desktop.gui.widgets.empty_hint import EmptyHint
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents
from da8desktop.core.reports.member_list import member_list
from da8desktop.gui.printing import PrintDialog
from da8desktop.gui.shortcuts import on_widget
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.models.groups_model import ID_ROLE, GroupsTableModel
from da8desktop.gui.models.table_model import person_order
from da8desktop.gui.widgets.tables import Column, RecordTable, selected
from da8desktop.gui.widgets.attachments import AttachmentsWidget
from da8desktop.gui.widgets.cases_tab import CasesTab
from da8desktop.gui.widgets.field_errors import missing_day
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.group_form import GroupDialog
from da8desktop.gui.widgets.meeting_form import MeetingDialog
from da8desktop.gui.widgets.person_form import ask_use_existing
from da8desktop.gui.widgets.sex_box import SexBox

# Group fields edited as text on the page: (field, is a date)
TEXT_FIELDS = (("name", False), ("founding_decision_no", False), ("founding_decision_date", True),
               ("founding_issuer", False), ("rules_date", True), ("launch_date", True),
               ("host_location", False), ("registration_no", False), ("field_of_activity", False),
               ("hotline", False), ("grades", False), ("facilitators", False),
               ("women_owners", False), ("women_co_owners", False), ("note", False))
NUMBER_FIELDS = frozenset({"women_owners", "women_co_owners"})


SPLITTER_KEY = "groups/splitter"


def _settings() -> QSettings:
    from da8desktop.gui.main_window import SETTINGS_APP, SETTINGS_ORG  # the window's own store

    return QSettings(SETTINGS_ORG, SETTINGS_APP)


def status_names() -> dict[str, str]:
    return {GroupStatus.ACTIVE: QCoreApplication.translate("GroupStatus", "Active"),
            GroupStatus.REORGANISED: QCoreApplication.translate("GroupStatus", "Reorganised"),
            GroupStatus.DISSOLVED: QCoreApplication.translate("GroupStatus", "Dissolved"),
            GroupStatus.STOPPED: QCoreApplication.translate("GroupStatus", "Stopped")}


class GroupsPage(QWidget):
    # The tables this page displays: it reloads when one of them changed (gui/page_refresh.py).
    shows: frozenset[str] | None = frozenset({
        "community_group", "group_support", "group_status_change", "membership", "person",
        "trusted_address_case",
        "activity", "attendance", "village", "attachment"})

    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        self.kind = QComboBox()
        self.kind.addItem(self.tr("All kinds"), None)
        for text, key, _extra in catalogue_choices(db, "group_type"):
            self.kind.addItem(text, key)
        self.village = FoldingComboBox(empty_text=self.tr("All villages"))
        self.status = QComboBox()
        self.status.addItem(self.tr("Any status"), None)
        for value, text in status_names().items():
            self.status.addItem(text, value.value)
        self.phase = QComboBox()
        self.phase.addItem(self.tr("Both phases"), None)
        for phase in Phase:
            self.phase.addItem(phase.value, phase.value)
        self.add_button = QPushButton(self.tr("New group"))
        self.print_kind = QPushButton(self.tr("Print this list"))
        self.model = GroupsTableModel(status_names(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(90)
        self.detail = GroupDetail(db, events, dialogs, self)
        filters = QHBoxLayout()
        for widget in (self.kind, self.village, self.status, self.phase):
            compact(widget)
            filters.addWidget(widget)
        heading = QHBoxLayout()  # the buttons share the title's row: height goes to the lists
        heading.addWidget(QLabel(self.tr("Groups"), objectName="pageTitle"), 1)
        heading.addWidget(self.add_button)
        heading.addWidget(self.print_kind)
        # The list and the detail share the height; the officer's split is kept for next time.
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([180, 420])
        saved = _settings().value(SPLITTER_KEY)
        if saved is not None:
            splitter.restoreState(saved)
        splitter.splitterMoved.connect(
            lambda _pos, _index: _settings().setValue(SPLITTER_KEY, splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        self.empty_hint = EmptyHint("groups", here=self.add_group)
        layout.addWidget(self.empty_hint)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        for combo in (self.kind, self.village, self.status, self.phase):
            combo.currentIndexChanged.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self.show_selected)
        self.add_button.clicked.connect(self.add_group)
        self.print_kind.clicked.connect(self.print_all_of_kind)
        on_widget(Qt.Key.Key_Delete, self.table, self.delete_group)
        self.village.set_items(village_choices(db))
        self.reload()

    def current_filter(self) -> GroupFilter:
        return GroupFilter(type_key=self.kind.currentData(), village_id=self.village.value(),
                           status=self.status.currentData(), phase=self.phase.currentData())

    def reload(self, _changed: set | None = None) -> None:
        selected = self.selected_id()
        self.model.set_rows(list_groups(self.db, self.current_filter()))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        row = self.model.row_of(selected) if selected else 0
        if self.model.rowCount():
            self.table.selectRow(max(row, 0))
        else:
            self.detail.show_group(None)
        self.empty_hint.refresh(self.db)

    def selected_id(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], ID_ROLE) if rows else None

    def select_group(self, group_id: uuid.UUID) -> None:
        row = self.model.row_of(group_id)
        if row >= 0:
            self.table.selectRow(row)

    def show_selected(self) -> None:
        self.detail.show_group(self.selected_id())

    def add_group(self) -> None:
        dialog = GroupDialog(self.db, self)
        if dialog.exec() and dialog.saved_id:
            self.events.changed.emit({"community_group"})
            self.select_group(dialog.saved_id)
            self.detail.tabs.setCurrentIndex(1)
            self.detail.new_name.setFocus()

    def print_all_of_kind(self) -> None:
        """The member lists of every group shown (e.g. all communication teams), one section each."""
        ids = [row.id for row in self.model.rows]
        if ids:
            PrintDialog(self.db, self.tr("Print member lists"),
                        lambda options: member_list(self.db, ids, options), self).exec()

    def delete_group(self) -> None:
        group_id = self.selected_id()
        if group_id is None:
            return
        GroupsService(self.db).delete(group_id)
        self.events.deleted.emit("community_group", group_id)
        self.events.changed.emit({"community_group"})


class GroupDetail(QWidget):
    def __init__(self, db: Database, events: DataEvents, dialogs: Dialogs,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.events, self.dialogs = db, events, dialogs
        self.group_id: uuid.UUID | None = None
        self.title = QLabel(objectName="sectionTitle")
        self.print_button = QPushButton(self.tr("Print the member list…"))
        self.print_button.clicked.connect(self.print_members)
        self.warnings = QLabel(wordWrap=True, objectName="warnings")
        self.warnings.setStyleSheet("color: #9a5b00;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._info_tab(), self.tr("Details"))
        self.tabs.addTab(self._members_tab(), self.tr("Members"))
        self.tabs.addTab(self._meetings_tab(), self.tr("Meetings"))
        self.attachments = AttachmentsWidget(db, "community_group", dialogs=dialogs)
        self.tabs.addTab(self.attachments, self.tr("Photos and documents"))
        self.cases = CasesTab(db, events)  # a trusted address's cases (aggregates, no names)
        self.cases_tab = self.tabs.addTab(self.cases, self.tr("Cases"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.print_button)
        layout.addLayout(heading)
        layout.addWidget(self.warnings)
        layout.addWidget(self.tabs, 1)

    def print_members(self) -> None:
        group_id = self.group_id
        if group_id is not None:
            PrintDialog(self.db, self.tr("Print the member list"),
                        lambda options: member_list(self.db, [group_id], options), self).exec()

    # -- details: each field saves when left ---------------------------------------------------
    def _info_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        scroll = QScrollArea()  # thirteen fields must not push the window past a laptop screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(tab)
        labels = {"name": self.tr("Name"), "founding_decision_no": self.tr("Founding decision no."),
                  "founding_decision_date": self.tr("Decision date"),
                  "founding_issuer": self.tr("Issued by"), "rules_date": self.tr("Rules adopted on"),
                  "launch_date": self.tr("Launch date"), "host_location": self.tr("Host school or place"),
                  "registration_no": self.tr("Registration no."),
                  "field_of_activity": self.tr("Field of activity"), "hotline": self.tr("Hotline"),
                  "grades": self.tr("Grades (e.g. 6-9)"),
                  "facilitators": self.tr("Facilitator teachers"),
                  "women_owners": self.tr("Women owners"),
                  "women_co_owners": self.tr("Women co-owners"),
                  "note": self.tr("Board, equipment, notes")}
        self.fields: dict[str, QLineEdit] = {}
        self.status_combo = QComboBox()
        for value, text in status_names().items():
            self.status_combo.addItem(text, value.value)
        self.status_combo.activated.connect(lambda _i: self._save_status())
        # The day a status changed (dissolved, stopped, active again): today when left empty,
        # so the figures of earlier periods keep the status the group had then (issue 20).
        self.status_date = QLineEdit()
        self.status_date.setPlaceholderText(self.tr("changed on dd/mm/yyyy (empty: today)"))
        self.village_combo = FoldingComboBox()
        self.village_combo.activated.connect(lambda _i: self._save("village_id", self.village_combo.value()))
        form.addRow(self.tr("Status"), self.status_combo)
        form.addRow(self.tr("Status since"), self.status_date)
        form.addRow(self.tr("Village"), self.village_combo)
        # Each kind of group shows its own fields (group_types.json `fields`, issue 20).
        self.info_form = form
        self.subtype_combo = QComboBox()
        self.subtype_combo.activated.connect(
            lambda _i: self._save("subtype", self.subtype_combo.currentData()))
        form.addRow(self.tr("Subtype"), self.subtype_combo)
        for name, is_date in TEXT_FIELDS:
            edit = QLineEdit()
            if is_date:
                edit.setPlaceholderText(self.tr("dd/mm/yyyy"))
            edit.editingFinished.connect(lambda n=name, e=edit, d=is_date: self._save_text(n, e, d))
            self.fields[name] = edit
            form.addRow(labels[name], edit)
        self.host_label = form.labelForField(self.fields["host_location"])
        self.info_error = QLabel(wordWrap=True)
        self.info_error.setStyleSheet("color: #b00020;")
        form.addRow(self.info_error)
        self.support = RecordTable([
            Column(self.tr("Support or equipment received"), lambda r: r.item),
            Column(self.tr("Kind"), lambda r: r.kind or ""),
            Column(self.tr("Value (đồng)"), lambda r: format_number(r.value_vnd or 0),
                   sort=lambda r: r.value_vnd or 0, right=True),
            Column(self.tr("Date"), lambda r: format_date(r.received_on),
                   sort=lambda r: r.received_on or dt.date.max)], stretch=0)
        self.support.setMinimumHeight(110)
        self.support_item = QLineEdit()
        self.support_item.setPlaceholderText(self.tr("e.g. QR traceability labels"))
        self.support_value = QLineEdit()
        self.support_value.setPlaceholderText(self.tr("value in đồng"))
        self.support_date = QLineEdit()
        self.support_date.setPlaceholderText(self.tr("dd/mm/yyyy"))
        self.support_kind = QComboBox()
        self.support_kind.addItem(self.tr("Kind of support"), None)
        for text, key, _extra in catalogue_choices(self.db, "support_kind"):
            self.support_kind.addItem(text, key)
        compact(self.support_kind, 12)
        add_support = QPushButton(self.tr("Add"))
        self.support_entry = QWidget()
        entry = QHBoxLayout(self.support_entry)
        entry.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.support_item, 3), (self.support_kind, 1),
                                (self.support_value, 1), (self.support_date, 1),
                                (add_support, 0)):
            entry.addWidget(widget, stretch)
        form.addRow(self.support)
        form.addRow(self.support_entry)
        for widget in (self.support_item, self.support_value, self.support_date):
            widget.returnPressed.connect(self.add_support)
        add_support.clicked.connect(self.add_support)
        return scroll

    def add_support(self) -> None:
        if self.group_id is None or not self.support_item.text().strip():
            return
        try:
            value = int(self.support_value.text().replace(".", "").replace(",", "") or 0) or None
            day = parse_date(self.support_date.text()) if self.support_date.text().strip() else None
        except ValueError:
            self.info_error.setText(self.tr("Write the value as a number and the date as dd/mm/yyyy."))
            return
        try:
            with recording() as log:
                GroupSupportService(self.db).create(
                    group_id=self.group_id, item=self.support_item.text(), value_vnd=value,
                    received_on=day, kind_key=self.support_kind.currentData())
        except (ValidationFailed, UserFacingError) as error:
            self.info_error.setText(error.message())
            return
        for widget in (self.support_item, self.support_value, self.support_date):
            widget.clear()
        self.support_kind.setCurrentIndex(0)
        self.events.changed.emit(log.changes)

    def _save_text(self, name: str, edit: QLineEdit, is_date: bool) -> None:
        if not edit.isModified():
            return
        text = edit.text().strip()
        if name in NUMBER_FIELDS:
            digits = text.replace(".", "")
            if digits and not digits.isdigit():
                self.info_error.setText(self.tr("Write a whole number, or leave it empty."))
                return
            if self._save(name, int(digits) if digits else None):
                edit.setModified(False)
            return
        try:
            value = (parse_date(text) if text else None) if is_date else (text or None)
        except ValueError:
            self.info_error.setText(missing_day(text) or self.tr("Write the date as dd/mm/yyyy."))
            return
        if self._save(name, value):
            edit.setModified(False)

    def _save_status(self) -> None:
        text = self.status_date.text().strip()
        try:
            day = parse_date(text) if text else None
        except ValueError:
            self.info_error.setText(missing_day(text) or self.tr("Write the date as dd/mm/yyyy."))
            return
        if self._save("status", self.status_combo.currentData(), status_on=day):
            self.status_date.clear()

    def _save(self, name: str, value, **extra) -> bool:  # noqa: ANN001, ANN003
        if self.group_id is None:
            return False
        try:
            with recording() as log:
                GroupsService(self.db).update(self.group_id, **{name: value}, **extra)
        except ValidationFailed as failed:
            self.info_error.setText("\n".join(e.message() for e in failed.errors))
            return False
        except UserFacingError as error:
            self.info_error.setText(error.message())
            return False
        self.info_error.setText(self.tr("Saved."))
        self.events.changed.emit(log.changes)  # the group (and its status history), the audit
        return True

    # -- members -------------------------------------------------------------------------------
    def _members_tab(self) -> QWidget:
        tab = QWidget()
        self.members = RecordTable([
            Column(self.tr("Full name"), lambda m: m.full_name,
                   sort=lambda m: person_order(m.full_name)),
            Column(self.tr("Sex"), lambda m: self.tr("Female") if m.sex == "F" else self.tr("Male")),
            Column(self.tr("Born"), lambda m: str(m.birth_year or ""), right=True),
            Column(self.tr("Role"), lambda m: m.role_name),
            Column(self.tr("Joined"), lambda m: format_date(m.joined_on),
                   sort=lambda m: m.joined_on or dt.date.max),
            Column(self.tr("Left"), lambda m: format_date(m.left_on),
                   sort=lambda m: m.left_on or dt.date.max)],
            stretch=0, row_id=lambda m: m.membership_id, muted=lambda m: bool(m.left_on))
        self.members.setMinimumHeight(70)
        # The row follows the paper list: name, Tab, year, Enter; sex, ethnic group and role
        # are further Tabs when they differ from Nữ / empty / member.
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Full name of a new member"))
        self.new_birth = QLineEdit()
        self.new_birth.setPlaceholderText(self.tr("Year or dd/mm/yyyy"))
        self.new_birth.setFixedWidth(  # the hint readable whole, at any scaling
            self.new_birth.fontMetrics().horizontalAdvance(self.new_birth.placeholderText()) + 24)
        self.new_sex = SexBox(self.tr("Female"), self.tr("Male"))
        self.new_ethnic = FoldingComboBox(empty_text=self.tr("Ethnic group"), keep_enter=True)
        self.new_ethnic.set_items(ethnic_choices(self.db))
        compact(self.new_ethnic, 8)
        self.new_role = FoldingComboBox(allow_empty=False, keep_enter=True)
        self.new_role.set_items(catalogue_choices(self.db, "role"))
        self.new_role.set_value("role:THANH_VIEN")
        compact(self.new_role, 10)
        self.add_member_button = QPushButton(self.tr("Add (Enter)"))
        self.leave_button = QPushButton(self.tr("Leaves the group today"))
        self.remove_button = QPushButton(self.tr("Remove (entered by mistake)"))
        self.member_error = QLabel(wordWrap=True)
        self.member_error.setStyleSheet("color: #b00020;")
        self.member_error.hide()
        self.entry_hint = QLabel(self.tr(
            "New member: name, Tab, year, Enter. Enter in any box of the row saves it; Tab "
            "goes on to sex (type n for Nữ, m for Nam), ethnic group and role."), wordWrap=True)
        self.entry_hint.setObjectName("hint")
        entry = QHBoxLayout()
        for widget, stretch in ((self.new_name, 3), (self.new_birth, 0), (self.new_sex, 0),
                                (self.new_ethnic, 1), (self.new_role, 1),
                                (self.add_member_button, 0)):
            entry.addWidget(widget, stretch)
        actions = QHBoxLayout()
        actions.addWidget(self.entry_hint, 1)
        actions.addWidget(self.leave_button)
        actions.addWidget(self.remove_button)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.members, 1)
        layout.addLayout(entry)
        layout.addWidget(self.member_error)
        layout.addLayout(actions)
        order = [self.new_name, self.new_birth, self.new_sex, self.new_ethnic, self.new_role,
                 self.add_member_button]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        for widget in (self.new_name, self.new_birth):
            widget.returnPressed.connect(self.add_member)
        for combo in (self.new_sex, self.new_ethnic, self.new_role):
            combo.enter_pressed.connect(self.add_member)
        self.add_member_button.clicked.connect(self.add_member)
        self.leave_button.clicked.connect(self.member_leaves)
        self.remove_button.clicked.connect(self.remove_member)
        return tab

    def _member_error(self, text: str) -> None:
        self.member_error.setText(text)
        self.member_error.setVisible(bool(text))

    def add_member(self) -> None:
        """Enter: save this member, clear the row, and put the cursor back on the name."""
        if self.group_id is None or not self.new_name.text().strip():
            return
        try:
            birth_date, birth_year = parse_birth(self.new_birth.text())
        except ValueError:
            self._member_error(missing_day(self.new_birth.text()) or self.tr(
                "Write the birth date as dd/mm/yyyy, or only the year."))
            self.new_birth.setFocus()
            return
        ethnic = self.new_ethnic.value()
        if self.new_ethnic.currentText().strip() and ethnic is None:
            self._member_error(self.tr("“{typed}” is not an ethnic group in the list. Type part "
                                       "of its name (accents optional) and pick it.")
                               .format(typed=self.new_ethnic.currentText().strip()))
            self.new_ethnic.setFocus()
            return
        values = dict(full_name=self.new_name.text(), sex=self.new_sex.currentData(),
                      birth_date=birth_date, birth_year=birth_year, ethnic_key=ethnic,
                      village_id=self.village_combo.value())
        choice = ask_use_existing(self.dialogs, self.db, values)  # asked before any lock is taken
        if choice is False:
            return
        role = self.new_role.value() or "role:THANH_VIEN"
        try:
            MembershipsService(self.db).add(
                self.group_id, role, person_id=choice if isinstance(choice, uuid.UUID) else None,
                new_person=values, joined_on=dt.date.today())
        except UserFacingError as error:  # ValidationFailed included
            self._member_error(error.message())
            return
        self._member_error("")
        self.new_name.clear()
        self.new_birth.clear()
        self.new_ethnic.set_value(None)
        self.new_sex.setCurrentIndex(0)  # back to "Nữ": most members of a Women's Union list
        self.new_role.set_value("role:THANH_VIEN")
        self.new_name.setFocus()
        self.events.changed.emit({"person", "membership"})

    def _selected_membership(self) -> uuid.UUID | None:
        return selected(self.members)

    def member_leaves(self) -> None:
        membership = self._selected_membership()
        if membership:
            MembershipsService(self.db).update(membership, left_on=dt.date.today())
            self.events.changed.emit({"membership"})

    def remove_member(self) -> None:
        membership = self._selected_membership()
        if membership:
            MembershipsService(self.db).delete(membership)
            self.events.changed.emit({"membership"})

    # -- meetings ------------------------------------------------------------------------------
    def _meetings_tab(self) -> QWidget:
        tab = QWidget()
        self.meetings = RecordTable([
            Column(self.tr("Date"), lambda m: format_date(m.date_start),
                   sort=lambda m: m.date_start),
            Column(self.tr("Meeting"), lambda m: m.title),
            Column(self.tr("Present"), lambda m: str(m.participants), right=True)],
            stretch=1, row_id=lambda m: m.id)
        self.record = QPushButton(self.tr("Record a meeting"))
        self.record.clicked.connect(self.record_meeting)
        self.meetings.doubleClicked.connect(self.edit_meeting)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.record)
        layout.addWidget(self.meetings, 1)
        return tab

    def record_meeting(self) -> None:
        if self.group_id and MeetingDialog(self.db, group_id=self.group_id, parent=self).exec():
            self.events.changed.emit({"activity", "attendance"})

    def edit_meeting(self) -> None:
        activity_id = selected(self.meetings)
        if activity_id is not None:
            if MeetingDialog(self.db, activity_id=activity_id, parent=self).exec():
                self.events.changed.emit({"activity", "attendance"})

    # -- showing -------------------------------------------------------------------------------
    def show_group(self, group_id: uuid.UUID | None) -> None:
        self.group_id = group_id
        self.setEnabled(group_id is not None)
        group = get_group(self.db, group_id) if group_id else None
        if group is None:
            self.title.setText("")
            self.warnings.setText("")
            self.members.set_rows([])
            self.meetings.set_rows([])
            self.attachments.show_owner(None)
            self.cases.show_group(None)
            return
        self.title.setText(group.name)
        self.warnings.setText("\n".join("⚠ " + w.message() for w in group_warnings(self.db, group_id)))
        self.warnings.setVisible(bool(self.warnings.text()))
        self._fill_info(group)
        self._fill_members(group_id)
        self._fill_meetings(group_id)
        self.attachments.show_owner(group_id)
        trusted = group.type_key == "group_type:DCTC"
        self.tabs.setTabVisible(self.cases_tab, trusted)
        self.cases.show_group(group_id if trusted else None)

    def _fill_info(self, group) -> None:  # noqa: ANN001 - a detached Group row
        self.village_combo.set_items(village_choices(self.db))
        self.village_combo.set_value(group.village_id)
        self.status_combo.setCurrentIndex(self.status_combo.findData(group.status))
        for name, is_date in TEXT_FIELDS:
            value = getattr(group, name)
            text = format_date(value) if is_date else ("" if value is None else str(value))
            self.fields[name].setText(text)
            self.fields[name].setModified(False)
        self._show_type_fields(group)
        self.info_error.setText("")
        self.support.set_rows(group_support(self.db, group.id))

    def _show_type_fields(self, group) -> None:  # noqa: ANN001 - a detached Group row
        """Only the fields of the group's kind; a value recorded in a hidden field stays shown."""
        kind = group_type_form(self.db, group.type_key)
        self.subtype_combo.clear()
        self.subtype_combo.addItem("", None)
        for subtype in kind.subtypes:
            self.subtype_combo.addItem(subtype, subtype)
        if group.subtype and self.subtype_combo.findData(group.subtype) < 0:
            self.subtype_combo.addItem(group.subtype, group.subtype)  # recorded before the list
        self.subtype_combo.setCurrentIndex(self.subtype_combo.findData(group.subtype)
                                           if group.subtype else 0)
        widgets = {"subtype": self.subtype_combo, **self.fields}
        for name in TYPE_FIELDS:
            shown = name in kind.fields or getattr(group, name) not in (None, "")
            self.info_form.setRowVisible(widgets[name], shown)
        host = {"group_type:CLB": self.tr("School"),
                "group_type:DCTC": self.tr("Hosting body")}.get(group.type_key)
        self.host_label.setText(host or self.tr("Host school or place"))
        has_support = bool(group_support(self.db, group.id))
        for widget in (self.support, self.support_entry):
            self.info_form.setRowVisible(widget, kind.support or has_support)

    def _fill_members(self, group_id: uuid.UUID) -> None:
        self.members.set_rows(group_members(self.db, group_id, include_left=True))

    def _fill_meetings(self, group_id: uuid.UUID) -> None:
        self.meetings.set_rows(list_activities(self.db, ActivityFilter(group_id=group_id)))
