"""At the province, on Send and receive: its link to the centre (core/sync/central_link.py) and
the button that connects it with the centre's setup file."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.formats import format_utc_time
from da8desktop.core.sync.central_link import central_link


class CentralLinkBox(QWidget):
    connected = Signal()

    def __init__(self, db: Database, dialogs: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs = db, dialogs
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel(wordWrap=True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        self.connect_button = QPushButton(self.tr("Connect to the centre…"))
        self.connect_button.clicked.connect(self.connect_centre)
        layout.addWidget(self.connect_button, 0, Qt.AlignmentFlag.AlignTop)

    def reload(self) -> None:
        link = central_link(self.db)
        self.connect_button.setVisible(link.state == "not_connected")
        if link.state == "not_connected":
            self.text.setText(self.tr(
                "Centre: not connected. When the Central Women's Union gives you its setup file, "
                "connect to it: the province then sends it its figures (no personal data)."))
            return
        state = (self.tr("confirmed: the centre takes this province's figures")
                 if link.state == "confirmed" else
                 self.tr("waiting: the centre has not taken this province's figures yet (it "
                         "confirms this province's fingerprint first)"))
        # The two catalogues an officer knows (as the Catalogue dialog names them); every
        # catalogue's version is in `sync status --json`.
        self.text.setText("\n".join([
            self.tr("Centre: {central}, {state}.").format(central=link.central, state=state),
            self.tr("Last figures bundle for the centre: {when}. Received from the centre: "
                    "indicators version {ind}, activity groups version {groups}.").format(
                when=format_utc_time(link.last_aggregates_at),
                ind=link.catalogues.get("indicators") or "—",
                groups=link.catalogues.get("programme") or "—")]))

    def connect_centre(self) -> None:
        from da8desktop.gui.widgets.connect_province import connect_to_centre

        if connect_to_centre(self.db, self.dialogs) is not None:
            self.reload()
            self.connected.emit()
