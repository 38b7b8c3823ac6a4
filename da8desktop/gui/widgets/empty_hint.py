"""The next step of a freshly set-up commune, shown on a page whose list is empty, with a
button that does it (on this page) or goes to the page where it is done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.services.first_steps import first_steps

# Which page each step is done on (MainWindow.go_to_step knows the pages).
STEP_PAGE = {"villages": "villages", "groups": "groups", "members": "groups",
             "meetings": "activities"}
ORDER = list(STEP_PAGE)
OWN_STEP = {"villages": "villages", "groups": "groups", "people": "members",
            "activities": "meetings"}


class EmptyHint(QFrame):
    go = Signal(str)  # a page key of STEP_PAGE: the window shows that page

    def __init__(self, page: str, here: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        """`page`: this page's key; `here`: the action of this page that does its step."""
        super().__init__(parent, objectName="emptyHint")
        self.page, self.here, self.step = page, here, None
        self.setStyleSheet("#emptyHint { background: #EEF5FB; border: 1px solid #B9D3EA; "
                           "border-radius: 6px; }")
        self.text = QLabel(wordWrap=True)
        self.button = QPushButton()
        self.button.clicked.connect(self._clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 8, 3)  # thin: a fresh commune's page still fits 125 %
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()

    def texts(self, step: str) -> str:
        return {
            "villages": self.tr("Start here: add the villages (thôn/bản) of the commune. Then "
                                "create the groups and enter their members."),
            "groups": self.tr("Next, create the groups (teams, clubs, savings groups…) and "
                              "enter their members."),
            "members": self.tr("Next, enter the members of each group on the Groups page, or "
                               "import a list from Excel."),
            "meetings": self.tr("Then record the groups' meetings, with who attended."),
        }[step]

    def button_text(self, step: str) -> str:
        if STEP_PAGE[step] == self.page and self.here is not None:
            return {"villages": self.tr("Add a village"), "groups": self.tr("New group"),
                    "members": self.tr("Go to Groups"),
                    "meetings": self.tr("Record a group meeting")}[step]
        return {"villages": self.tr("Go to Villages"), "groups": self.tr("Go to Groups"),
                "activities": self.tr("Go to Meetings and activities")}[STEP_PAGE[step]]

    def refresh(self, db: Database) -> None:
        """Shown while this page's own step (or one before it) is still to do: a filter that
        empties the list shows nothing."""
        step = first_steps(db).next
        own = ORDER.index(OWN_STEP[self.page])
        self.step = step if step is not None and ORDER.index(step) <= own else None
        if self.step is not None:
            self.text.setText(self.texts(self.step))
            self.button.setText(self.button_text(self.step))
        self.setVisible(self.step is not None)

    def _clicked(self) -> None:
        if self.step is None:
            return
        target = STEP_PAGE[self.step]
        if target == self.page and self.here is not None:
            self.here()
        else:
            self.go.emit(target)
