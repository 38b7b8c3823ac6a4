"""An activity recorded with counts: communication event, policy dialogue or training. The
fields that belong to one kind only (chair and questions; organiser, days and training type)
are shown for that kind."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout,
                               QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout,
                               QWidget)

from da8desktop.core.db.database import Database
from da8desktop.core.domain import ActivityKind
from da8desktop.core.formats import format_date, parse_date
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.activities_query import get_activity
from da8desktop.core.services.choices import catalogue_choices, village_choices
from da8desktop.core.services.units import form_scope
from da8desktop.gui.screen_fit import scrolling
from da8desktop.gui.widgets.attachments import AttachmentsWidget
from da8desktop.gui.widgets.compact import compact
from da8desktop.gui.widgets.field_errors import FieldErrors, read_date
from da8desktop.gui.widgets.form_dialog import FormDialog
from da8desktop.gui.models.table_model import ID_ROLE

COUNTS = ("count_total", "count_women", "count_men", "count_minority", "count_children")


def checkable_list(items: list[tuple[str, Any, str]], height: int = 100) -> QListWidget:
    widget = QListWidget()
    widget.setMaximumHeight(height)
    for text, value, _extra in items:
        item = QListWidgetItem(text, widget)
        item.setData(ID_ROLE, value)
        item.setCheckState(Qt.CheckState.Unchecked)
    return widget


def checked(widget: QListWidget) -> list[Any]:
    return [widget.item(i).data(ID_ROLE) for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def set_checked(widget: QListWidget, values: list[Any]) -> None:
    wanted = {str(v) for v in values}
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if str(item.data(ID_ROLE)) in wanted
                           else Qt.CheckState.Unchecked)


class ActivityDialog(FormDialog):
    def __init__(self, db: Database, activity_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.activity_id = db, activity_id
        self.saved_id: uuid.UUID | None = None
        self.warnings: list[str] = []
        self.setWindowTitle(self.tr("Activity with participant counts"))
        self.kind = QComboBox()
        for kind, text in ((ActivityKind.COMMUNICATION, self.tr("Communication event")),
                           (ActivityKind.POLICY_DIALOGUE, self.tr("Policy dialogue")),
                           (ActivityKind.TRAINING, self.tr("Training"))):
            self.kind.addItem(text, kind.value)
        self.title_edit = QLineEdit()
        self.date_start = QLineEdit(format_date(dt.date.today()))
        self.date_end = QLineEdit()
        self.date_end.setPlaceholderText(self.tr("dd/mm/yyyy (several days)"))
        self.content = QComboBox()
        self.content.addItem(self.tr("(from the activity group)"), None)
        for text, key, _extra in catalogue_choices(db, "content"):
            self.content.addItem(text, key)
        # Empty: the service takes it from the training subject, the form or the kind.
        self.activity_group = QComboBox()
        self.activity_group.addItem(self.tr("(from the kind, form or training subject)"), None)
        groups = [(key.rsplit(":", 1)[-1], text, key) for text, key, _e in
                  catalogue_choices(db, "activity_group")]
        for code, text, key in sorted(groups, key=lambda g: [int(p) if p.isdigit() else 0
                                                             for p in g[0].split(".")]):
            self.activity_group.addItem(f"{code} {text}", key)
        self.target_category = QComboBox()
        self.target_category.addItem("", None)
        for text, key, _extra in catalogue_choices(db, "target_category"):
            self.target_category.addItem(text, key)
        self.women_minority = QSpinBox(maximum=100_000)
        self.form_combo = QComboBox()
        self.form_combo.addItem("", None)
        for text, key, _extra in catalogue_choices(db, "form"):
            self.form_combo.addItem(text, key)
        # At the province its own activity covers no commune's villages; a merged commune's
        # record may say which former commune it happened in (issue 20 items 7 and 8).
        self.scope = form_scope(db)
        self.villages = checkable_list([] if self.scope.province_key else village_choices(db))
        self.legacy_unit = QComboBox()
        self.legacy_unit.addItem(self.tr("(not recorded)"), None)
        for unit in self.scope.former:
            self.legacy_unit.addItem(unit.label, unit.key)
        self.topics = checkable_list(catalogue_choices(db, "topic"))
        self.place = QLineEdit()
        self.counts = {name: QSpinBox(maximum=100_000) for name in COUNTS}
        self.chair_name, self.chair_position = QLineEdit(), QLineEdit()
        self.questions = {name: QSpinBox(maximum=10_000) for name in
                          ("questions_raised", "questions_answered", "questions_forwarded")}
        self.organiser = QLineEdit()
        self.training_type = QComboBox()
        self.training_type.addItem("", None)
        for text, key, _extra in catalogue_choices(db, "training_type"):
            self.training_type.addItem(text, key)
        self.days = QSpinBox(maximum=60)
        self.cost = QSpinBox(maximum=2_000_000_000, singleStep=100_000, groupSeparatorShown=True)
        self.funding = QLineEdit()
        self.form = QFormLayout()
        rows = [(self.tr("Kind"), self.kind), (self.tr("Title"), self.title_edit),
                (self.tr("Date"), self.date_start), (self.tr("Until"), self.date_end),
                (self.tr("Content"), self.content), (self.tr("Activity group"), self.activity_group),
                (self.tr("Form"), self.form_combo),
                (self.tr("Villages covered"), self.villages),
                (self.tr("Former commune (before 7/2025)"), self.legacy_unit),
                (self.tr("Topics"), self.topics),
                (self.tr("Place"), self.place),
                (self.tr("Participants in total"), self.counts["count_total"]),
                (self.tr("of whom women"), self.counts["count_women"]),
                (self.tr("of whom men"), self.counts["count_men"]),
                (self.tr("of whom ethnic minority"), self.counts["count_minority"]),
                (self.tr("of whom ethnic-minority women"), self.women_minority),
                (self.tr("of whom children"), self.counts["count_children"]),
                (self.tr("Chaired by"), self.chair_name), (self.tr("Chair's position"), self.chair_position),
                (self.tr("Questions raised"), self.questions["questions_raised"]),
                (self.tr("answered on the spot"), self.questions["questions_answered"]),
                (self.tr("forwarded"), self.questions["questions_forwarded"]),
                (self.tr("Organised by"), self.organiser), (self.tr("Training subject"), self.training_type),
                (self.tr("Who was trained (content 4)"), self.target_category),
                (self.tr("Days"), self.days), (self.tr("Cost (đồng)"), self.cost),
                (self.tr("Funding source"), self.funding)]
        for label, widget in rows:
            self.form.addRow(label, widget)
        self.field_errors = FieldErrors(self.form, {
            "title": self.title_edit, "date_start": self.date_start, "date_end": self.date_end,
            "content_key": self.content, "activity_group_key": self.activity_group,
            "target_category_key": self.target_category, "count_women_minority": self.women_minority,
            "place": self.place, "legacy_unit_key": self.legacy_unit,
            **{name: box for name, box in self.counts.items()}})
        self.form.setRowVisible(self.villages, self.scope.province_key is None)
        self.form.setRowVisible(self.legacy_unit, bool(self.scope.former))
        for combo in (self.kind, self.content, self.form_combo, self.training_type,
                      self.activity_group, self.target_category):
            compact(combo, 24)  # catalogue names must not widen the dialog past the screen
        self.dialogue_only = [self.chair_name, self.chair_position, *self.questions.values()]
        self.training_only = [self.organiser, self.training_type, self.target_category, self.days]
        fields = QWidget()
        fields.setLayout(self.form)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(fields), 1)  # 24 fields scroll; Save and Cancel stay in view
        if activity_id:  # photos and minutes attach to a saved activity
            self.attachments = AttachmentsWidget(db, "activity")
            self.attachments.setMaximumHeight(170)
            self.attachments.show_owner(activity_id)
            layout.addWidget(self.attachments)
        self.finish_layout(layout)
        self.resize(640, 780)  # shrunk to the screen when shown; the fields then scroll
        self.kind.currentIndexChanged.connect(self._kind_fields)
        if activity_id:
            self._load(activity_id)
        self._kind_fields()

    def _kind_fields(self) -> None:
        kind = self.kind.currentData()
        for widget in self.dialogue_only:
            self.form.setRowVisible(widget, kind == ActivityKind.POLICY_DIALOGUE)
        for widget in self.training_only:
            self.form.setRowVisible(widget, kind == ActivityKind.TRAINING)

    def _load(self, activity_id: uuid.UUID) -> None:
        a = get_activity(self.db, activity_id)
        if a is None:
            return
        self.kind.setCurrentIndex(self.kind.findData(a.kind))
        self.kind.setEnabled(False)
        self.title_edit.setText(a.title)
        self.date_start.setText(format_date(a.date_start))
        self.date_end.setText(format_date(a.date_end))
        self.content.setCurrentIndex(max(0, self.content.findData(a.content_key)))
        self.form_combo.setCurrentIndex(max(0, self.form_combo.findData(a.form_key)))
        self.activity_group.setCurrentIndex(max(0, self.activity_group.findData(a.activity_group_key)))
        self.target_category.setCurrentIndex(max(0, self.target_category.findData(a.target_category_key)))
        self.women_minority.setValue(a.count_women_minority or 0)
        set_checked(self.villages, a.village_ids or [])
        self.legacy_unit.setCurrentIndex(max(0, self.legacy_unit.findData(a.legacy_unit_key)))
        set_checked(self.topics, a.topic_keys or [])
        self.place.setText(a.place or "")
        for name, box in {**self.counts, **self.questions}.items():
            box.setValue(getattr(a, name) or 0)
        self.chair_name.setText(a.chair_name or "")
        self.chair_position.setText(a.chair_position or "")
        self.organiser.setText(a.organiser or "")
        self.training_type.setCurrentIndex(max(0, self.training_type.findData(a.training_type_key)))
        self.days.setValue(int(a.days or 0))
        self.cost.setValue(a.cost_vnd or 0)
        self.funding.setText(a.funding_source or "")

    def values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        end = self.date_end.text().strip()
        values: dict[str, Any] = dict(
            kind=kind, title=self.title_edit.text(), date_start=parse_date(self.date_start.text()),
            date_end=parse_date(end) if end else None, content_key=self.content.currentData(),
            form_key=self.form_combo.currentData(), place=self.place.text() or None,
            village_ids=checked(self.villages), topic_keys=checked(self.topics),
            activity_group_key=self.activity_group.currentData(),
            legacy_unit_key=self.legacy_unit.currentData(),
            count_women_minority=self.women_minority.value(),
            participation="counts", cost_vnd=self.cost.value() or None,
            funding_source=self.funding.text() or None,
            **{name: box.value() for name, box in self.counts.items()})
        dialogue = kind == ActivityKind.POLICY_DIALOGUE
        training = kind == ActivityKind.TRAINING
        values.update(chair_name=(self.chair_name.text() or None) if dialogue else None,
                      chair_position=(self.chair_position.text() or None) if dialogue else None,
                      **{n: (b.value() if dialogue else None) for n, b in self.questions.items()},
                      organiser=(self.organiser.text() or None) if training else None,
                      training_type_key=self.training_type.currentData() if training else None,
                      target_category_key=self.target_category.currentData() if training else None,
                      days=(self.days.value() or None) if training else None)
        return values

    def save(self) -> None:
        self.field_errors.clear()
        start, problem = read_date(self.date_start.text())
        if start is None:
            self.field_errors.show("date_start", problem or self.tr("Write dates as dd/mm/yyyy."))
            self.date_start.setFocus()
            return
        _end, problem = read_date(self.date_end.text())
        if problem:
            self.field_errors.show("date_end", problem)
            self.date_end.setFocus()
            return
        try:
            values = self.values()
        except ValueError:
            self.errors.setText(self.tr("Write dates as dd/mm/yyyy."))
            return
        service = ActivitiesService(self.db)
        result = self.attempt(lambda: service.create(**values) if self.activity_id is None
                              else service.update(self.activity_id, **values))
        if result is None:
            return
        self.saved_id = result.id
        self.warnings = [w.message() for w in result.warnings]
        self.accept()
