"""Shown when the data file is not set up yet: set this computer up from the province's setup
file, set it up for a province, or explore a demo commune.

Enrolment (setup files, manifests: pydantic models) and the demo generator are imported when a
button is pressed, not with the page (issue 23 item 6: the window on a new file shows first)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from da8desktop.core.db.database import Database
from da8desktop.core.sync.keys import UnlockedKeys
from da8desktop.core.errors import UserFacingError
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.operations import run_operation
from da8desktop.gui.tasks import BackgroundTask


class WelcomePage(QWidget):
    set_up = Signal()
    explore_demo = Signal()  # the window moves to the demo's own file
    explore_demo_province = Signal()  # likewise, to the demo province's own file

    def __init__(self, db: Database, dialogs: Dialogs, parent: QWidget | None = None,
                 demo_file: bool = False, unlocked: UnlockedKeys | None = None) -> None:
        super().__init__(parent)
        self.db, self.dialogs, self.demo_file = db, dialogs, demo_file
        # The open file's keys: those made here are kept, so Send and receive does not ask
        # for the passphrase just typed again.
        self.unlocked = unlocked if unlocked is not None else UnlockedKeys()
        self.task: BackgroundTask | None = None
        self.setup_button = QPushButton(self.tr("Set up this computer from the province's setup file…"))
        self.setup_button.setObjectName("primary")
        self.setup_button.clicked.connect(self.set_up_commune)
        self.province_button = QPushButton(self.tr("Set it up for a province…"))
        self.province_button.clicked.connect(self.set_up_province)
        self.central_button = QPushButton(self.tr("Set up the national centre…"))
        self.central_button.setToolTip(self.tr(
            "For the Central Women's Union only: it receives every province's figures."))
        self.central_button.clicked.connect(self.set_up_central)
        self.demo_button = QPushButton(self.tr("Explore a demo commune"))
        self.demo_button.clicked.connect(self._demo_clicked)
        self.demo_province_button = QPushButton(self.tr("Explore a demo province"))
        self.demo_province_button.clicked.connect(self._demo_province_clicked)
        # The demo file is never set up as a real commune: that is the officer's own file.
        self.setup_button.setVisible(not demo_file)
        self.province_button.setVisible(not demo_file)
        self.central_button.setVisible(not demo_file)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(QLabel(self.tr("Welcome to da8desktop"), objectName="pageTitle"))
        layout.addWidget(QLabel(self.tr(
            "This computer is not set up yet. A commune officer sets it up from the setup file "
            "the province gave on a USB stick. At the province, set it up for your province. "
            "To learn the application, explore a demo commune with made-up people, groups and "
            "meetings; nothing is sent anywhere."), wordWrap=True))
        for button in (self.setup_button, self.province_button, self.central_button,
                       self.demo_button, self.demo_province_button):
            layout.addWidget(button)
        layout.addStretch(2)

    def _demo_clicked(self) -> None:
        if self.demo_file:
            self.load_demo()
        else:
            self.explore_demo.emit()

    def _demo_province_clicked(self) -> None:
        if self.demo_file:
            self.load_demo_province()
        else:  # never in the officer's own file
            self.explore_demo_province.emit()

    def load_demo(self) -> None:
        from da8desktop.core.demo import load_demo

        self.demo_button.setEnabled(False)
        self.task = run_operation(
            self, self.tr("Creating the demo commune…"),
            lambda progress: load_demo(self.db, progress=progress), dialogs=self.dialogs,
            on_success=lambda _summary: self.set_up.emit(), on_end=self._enable)

    def load_demo_province(self) -> None:
        """Three demo communes that sent bundles to a demo Tỉnh Điện Biên (issue 21, item 4).
        The province's keys are made here, where a passphrase can be asked; the rest in the
        background."""
        from da8desktop.core.demo_province import DEMO_PROVINCE, load_demo_province
        from da8desktop.core.sync.enrol import province_init, unlock

        try:
            province_init(self.db, DEMO_PROVINCE, prompt=self.dialogs.passphrase,
                          unlocked=self.unlocked)
            keys = unlock(self.db, unlocked=self.unlocked)  # kept above: asks nobody
        except UserFacingError as error:
            self.dialogs.error(self.tr("Demo province"), error.message())
            return
        self.demo_province_button.setEnabled(False)
        self.task = run_operation(
            self, self.tr("Creating the demo province (a minute)…"),
            lambda progress: load_demo_province(self.db, progress=progress, mark_demo=True,
                                                keys=keys),
            dialogs=self.dialogs, on_success=lambda _summary: self.set_up.emit(),
            on_end=self._enable)

    def _enable(self) -> None:
        """The demo buttons again, once the work ended (a failure is shown by run_operation's
        one policy; a success rebuilds the window anyway)."""
        self.demo_button.setEnabled(True)
        self.demo_province_button.setEnabled(True)

    def set_up_commune(self) -> bool:
        from da8desktop.core.sync.enrol import commune_init, read_setup

        files = self.dialogs.open_files(self.tr("Setup file from the province"),
                                        self.tr("Setup files (*.da8setup)"))
        if not files:
            return False
        try:
            setup = read_setup(Path(files[0]))
        except UserFacingError as error:
            self.dialogs.error(self.tr("Set up"), error.message())
            return False
        # The key in the file is trusted only once the officer typed the province's fingerprint
        # as the province reads it out: a file re-signed by someone else carries another one.
        typed = self.dialogs.text(self.tr("Set up"), self.tr(
            "Setup file of {province} for {commune}.\n\nFingerprint of the province in this "
            "file:\n{f}\n\nCall the province and ask them to read their fingerprint. Type the "
            "digits they read (spaces do not matter). If they differ, do not use this file.")
            .format(province=setup.manifest.source.label, commune=setup.manifest.commune.name,
                    f=setup.province_fingerprint))
        if typed is None:
            return False
        try:
            result = commune_init(self.db, Path(files[0]), typed,
                                  prompt=self.dialogs.passphrase, unlocked=self.unlocked)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Set up"), error.message())
            return False
        self.dialogs.info(self.tr("Set up"), self.tr(
            "{commune} is set up.\n\nFingerprint of this computer: {mine}\n\nCall the province "
            "and read them this number: they confirm this computer, and only then send it the "
            "commune's data.").format(commune=result.identity.commune_name, mine=result.fingerprint))
        self.set_up.emit()
        return True

    def set_up_province(self) -> None:
        from da8desktop.core.sync.enrol import province_init, provinces

        choices = provinces(self.db)
        index = self.dialogs.pick(self.tr("Set up for a province"), self.tr("Province"),
                                  [f"{code} — {name}" for code, name in choices])
        if index is None:
            return
        try:
            _identity, fingerprint = province_init(self.db, choices[index][0],
                                                  prompt=self.dialogs.passphrase,
                                                  unlocked=self.unlocked)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Set up"), error.message())
            return
        self.dialogs.info(self.tr("Set up"), self.tr(
            "{province} is set up. Its fingerprint is {f}: communes compare it when they set up "
            "their computers.").format(province=choices[index][1], f=fingerprint))
        self.set_up.emit()

    def set_up_central(self) -> None:
        """The national centre (issue 21, item 6): its keys, the passphrase asked through the
        dialog service; then the window shows the centre's pages."""
        from da8desktop.core.sync.central import central_init

        if not self.dialogs.confirm(self.tr("Set up the national centre"), self.tr(
                "This data file becomes the national centre's: it enrols provinces and receives "
                "their figures, and cannot be a province or a commune afterwards. Only the "
                "Central Women's Union sets up this. Continue?")):
            return
        try:
            _identity, fingerprint = central_init(self.db, prompt=self.dialogs.passphrase,
                                                  unlocked=self.unlocked)
        except UserFacingError as error:
            self.dialogs.error(self.tr("Set up"), error.message())
            return
        self.dialogs.info(self.tr("Set up"), self.tr(
            "The national centre is set up. Its fingerprint is {f}: provinces compare it when "
            "they connect to the centre.").format(f=fingerprint))
        self.set_up.emit()
