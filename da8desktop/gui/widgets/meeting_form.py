"""Recording a group meeting with a per-member attendance check list (pre-filled with the
group's current members, guests addable). Counts come from the ticks: never typed twice."""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import ActivityKind
from da8desktop.core.formats import format_date
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.activities_query import get_activity, meeting_attendance
from da8desktop.core.services.choices import catalogue_choices, group_choices
from da8desktop.core.services.groups_query import group_members
from da8desktop.core.services.people_query import PeopleFilter, people_page
from da8desktop.core.services.units import form_scope
from da8desktop.gui.widgets.attachments import AttachmentsWidget
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.widgets.field_errors import FieldErrors, read_date
from da8desktop.gui.widgets.folding_combo import FoldingComboBox
from da8desktop.gui.widgets.form_dialog import FormDialog
from da8desktop.gui.models.table_model import ID_ROLE

GUEST_ROLE = Qt.ItemDataRole.UserRole + 1


class MeetingDialog(FormDialog):
    def __init__(self, db: Database, group_id: uuid.UUID | None = None,
                 activity_id: uuid.UUID | None = None, parent: QWidget | None = None,
                 kind: str = ActivityKind.GROUP_MEETING.value) -> None:
        super().__init__(parent)
        self.db, self.activity_id = db, activity_id
        self.saved_id: uuid.UUID | None = None
        if activity_id:
            loaded = get_activity(db, activity_id)
            kind = loaded.kind if loaded is not None else kind
        # A training, dialogue or event with named attendance (issue 20): no group; the
        # people picked are its participants (registered people, guests included).
        self.kind = kind
        self.named = kind != ActivityKind.GROUP_MEETING
        # The province's own training lists the people it registered (issue 20 item 7).
        self.province_key = form_scope(db).province_key
        self.setWindowTitle(self.tr("Activity with a list of participants") if self.named
                            else self.tr("Group meeting"))
        self.group = FoldingComboBox(allow_empty=False)
        self.group.set_items(group_choices(db))
        self.date = QLineEdit(format_date(dt.date.today()))
        self.title_edit = QLineEdit()
        self.topics = QListWidget()
        self.topics.setMaximumHeight(110)
        for text, key, _extra in catalogue_choices(db, "topic"):
            item = QListWidgetItem(text, self.topics)
            item.setData(ID_ROLE, key)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.attendance = QListWidget()
        self.present_count = QLabel()
        self.guest = FoldingComboBox(empty_text=self.tr("Add a guest: type a name"),
                                     keep_enter=True)
        self.guest.set_items([(f"{p.full_name} ({p.birth_year or '?'}, {p.village_name or '-'})",
                               p.id, "") for p in people_page(db, PeopleFilter(
                                   commune_key=self.province_key))])  # province: its own
        self.add_guest = QPushButton(self.tr("Add participant") if self.named else self.tr("Add guest"))
        form = QFormLayout()
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Title"), self.title_edit)
        form.addRow(self.tr("Topics"), self.topics)
        self.field_errors = FieldErrors(form, {"group_id": self.group, "date_start": self.date,
                                               "title": self.title_edit})
        form.setRowVisible(self.group, not self.named)
        self.activity_group = QComboBox()  # a named-list activity says what it was part of
        self.activity_group.addItem(self.tr("(from the kind)"), None)
        groups = [(key.rsplit(":", 1)[-1], text, key) for text, key, _e in
                  catalogue_choices(db, "activity_group")]
        for code, text, key in sorted(groups, key=lambda g: [int(p) if p.isdigit() else 0
                                                             for p in g[0].split(".")]):
            self.activity_group.addItem(f"{code} {text}", key)
        compact(self.activity_group, 24)
        form.addRow(self.tr("Activity group"), self.activity_group)
        form.setRowVisible(self.activity_group, self.named)
        guests = QHBoxLayout()
        guests.addWidget(self.guest, 1)
        guests.addWidget(self.add_guest)
        self.register = QPushButton(self.tr("Register a participant…"))
        self.register.setVisible(self.named and self.province_key is not None)
        guests.addWidget(self.register)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Who came (untick those absent)")))
        layout.addWidget(self.attendance, 1)
        layout.addWidget(self.present_count)
        layout.addLayout(guests)
        if activity_id:  # photos and minutes attach to a saved activity
            self.attachments = AttachmentsWidget(db, "activity")
            self.attachments.setMaximumHeight(170)
            self.attachments.show_owner(activity_id)
            layout.addWidget(self.attachments)
        self.finish_layout(layout)
        self.resize(560, 680)
        self.group.currentIndexChanged.connect(self._fill_members)
        self.attendance.itemChanged.connect(self._count)
        self.add_guest.clicked.connect(self._add_guest)
        self.register.clicked.connect(self._register)
        self.guest.enter_pressed.connect(self._add_guest)
        if activity_id:
            self._load(activity_id)
        else:
            if group_id:
                self.group.set_value(group_id)
            self._fill_members()
            if not self.named:
                self._auto_title = ""
                self._title_follows_date()
                self.date.textChanged.connect(self._title_follows_date)

    def _title_follows_date(self) -> None:
        """The suggested title names the meeting's month (a meeting recorded later must not
        print as this month's), until the officer writes a title of her own."""
        if self.title_edit.text() != self._auto_title:
            return
        day, _problem = read_date(self.date.text())
        if day is None:
            return
        self._auto_title = self.tr("Meeting of {month}/{year}").format(month=day.month,
                                                                         year=day.year)
        self.title_edit.setText(self._auto_title)

    def _item(self, person_id: uuid.UUID, text: str, present: bool, guest: bool) -> None:
        item = QListWidgetItem(text + (self.tr(" (guest)") if guest else ""), self.attendance)
        item.setData(ID_ROLE, person_id)
        item.setData(GUEST_ROLE, guest)
        item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)

    def _fill_members(self) -> None:
        if self.activity_id:
            return
        self.attendance.clear()
        group_id = None if self.named else self.group.value()
        for member in group_members(self.db, group_id) if group_id else []:
            self._item(member.person_id, f"{member.full_name} — {member.role_name}", True, False)
        self._count()

    def _load(self, activity_id: uuid.UUID) -> None:
        activity = get_activity(self.db, activity_id)
        if activity is None:
            return
        self.group.set_value(activity.group_id)
        self.activity_group.setCurrentIndex(max(0, self.activity_group.findData(activity.activity_group_key)))
        self.group.setEnabled(False)
        self.date.setText(format_date(activity.date_start))
        self.title_edit.setText(activity.title)
        for i in range(self.topics.count()):
            item = self.topics.item(i)
            if item.data(ID_ROLE) in (activity.topic_keys or []):
                item.setCheckState(Qt.CheckState.Checked)
        for row in meeting_attendance(self.db, activity_id):
            self._item(row.person_id, row.full_name, row.present, row.is_guest)
        self._count()

    def _add_guest(self) -> None:
        person_id = self.guest.value()
        typed = self.guest.currentText().strip()
        if person_id is None:
            if typed:
                self.errors.setText(self.tr(
                    "No registered person matches “{typed}”. Check the spelling, or add "
                    "the person on the People page first.").format(typed=typed))
            return
        self.errors.setText("")
        if person_id in self.person_ids():
            return
        self._item(person_id, self.guest.currentText().split(" (")[0], True, not self.named)
        self.guest.setCurrentIndex(0)
        self._count()

    def _register(self) -> None:
        """At the province, which keeps no People page: a participant registered here is the
        province's own person, ticked present on the list."""
        from da8desktop.gui.dialogs import Dialogs
        from da8desktop.gui.widgets.person_form import PersonDialog

        dialog = PersonDialog(self.db, Dialogs(self), parent=self)
        if dialog.exec() and dialog.saved_id and dialog.saved_id not in self.person_ids():
            self._item(dialog.saved_id, dialog.full_name.text().strip(), True, False)
            self._count()

    def person_ids(self) -> list[uuid.UUID]:
        return [self.attendance.item(i).data(ID_ROLE) for i in range(self.attendance.count())]

    def _count(self) -> None:
        ticked = sum(1 for i in range(self.attendance.count())
                     if self.attendance.item(i).checkState() == Qt.CheckState.Checked)
        self.present_count.setText(self.tr("{present} of {total} present").format(
            present=ticked, total=self.attendance.count()))

    def save(self) -> None:
        day, problem = read_date(self.date.text())
        if day is None:
            self.field_errors.clear()
            self.field_errors.show("date_start", problem or self.tr("Write the date as dd/mm/yyyy."))
            self.date.setFocus()
            return
        present, absent, guests = [], [], []
        for i in range(self.attendance.count()):
            item = self.attendance.item(i)
            ticked = item.checkState() == Qt.CheckState.Checked
            if item.data(GUEST_ROLE):
                (guests if ticked else absent).append(item.data(ID_ROLE))
            else:
                (present if ticked else absent).append(item.data(ID_ROLE))
        topics = [self.topics.item(i).data(ID_ROLE) for i in range(self.topics.count())
                  if self.topics.item(i).checkState() == Qt.CheckState.Checked]
        service = ActivitiesService(self.db)

        if self.activity_id is None and self.named:
            result = self.attempt(lambda: service.record_with_attendance(
                self.kind, day, self.title_edit.text(), present=present, guests=guests,
                absent=absent, topic_keys=topics,
                activity_group_key=self.activity_group.currentData()))
        elif self.activity_id is None:
            result = self.attempt(lambda: service.record_meeting(
                self.group.value(), day, self.title_edit.text(), present=present, absent=absent,
                guests=guests, topic_keys=topics))  # content and group from the group's type
        else:
            result = self.attempt(lambda: service.update_meeting(
                self.activity_id, present, absent, guests, date_start=day,
                title=self.title_edit.text(), topic_keys=topics,
                **({"activity_group_key": self.activity_group.currentData()} if self.named else {})))
        if result is None:
            return
        self.saved_id = result.id
        self.accept()
