"""Connect a data file to the level above with that level's setup file: a commune file that
already holds records to the province (issue 21, item 3), and a province to the centre (item 6).
One flow: the setup file, the other side's fingerprint typed as they read it out by phone, then
the core's connect function; refusals are shown and change nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.central import connect_central
from da8desktop.core.sync.central_file import read_central_setup
from da8desktop.core.sync.enrol import commune_init, read_setup


def _connect(dialogs: Any, title: str, pick_title: str, read: Callable[[Path], Any],
             question: Callable[[Any], str], connect: Callable[[Path, str], Any],
             done: Callable[[Any], str]) -> Any | None:
    files = dialogs.open_files(pick_title, QCoreApplication.translate(
        "ConnectProvince", "Setup files (*.da8setup);;All files (*)"))
    if not files:
        return None
    try:
        setup = read(Path(files[0]))
    except UserFacingError as error:  # a refused setup file (BundleRejected is one too)
        dialogs.error(title, error.message())
        return None
    typed = dialogs.text(title, question(setup))
    if typed is None:
        return None
    try:
        result = connect(Path(files[0]), typed)
    except UserFacingError as error:
        dialogs.error(title, error.message())
        return None
    dialogs.info(title, done(result))
    return result


# Each text is written as QCoreApplication.translate(…) in full: lupdate finds that form, not a
# helper wrapping it.
def connect_to_province(db: Database, dialogs: Any, unlocked: Any = None) -> Any | None:
    """The setup result, or None when the officer stopped or a refusal was shown. `unlocked`:
    the open file's UnlockedKeys, which then hold the new keys (not asked for again)."""
    return _connect(
        dialogs, QCoreApplication.translate("ConnectProvince", "Connect to the province"),
        QCoreApplication.translate("ConnectProvince", "Setup file from the province"),
        read_setup,
        lambda setup: QCoreApplication.translate("ConnectProvince",
            "Setup file of {province} for {commune}. The records already in this data file are "
            "kept and sent to the province with the first bundle.\n\nFingerprint of the province "
            "in this file:\n{f}\n\nCall the province and ask them to read their fingerprint. Type "
            "the digits they read (spaces do not matter). If they differ, do not use this file.")
        .format(province=setup.manifest.source.label, commune=setup.manifest.commune.name,
                f=setup.province_fingerprint),
        lambda path, typed: commune_init(db, path, typed, prompt=dialogs.passphrase,
                                         unlocked=unlocked),
        lambda result: QCoreApplication.translate("ConnectProvince",
            "{commune} is connected to the province.\n\nFingerprint of this computer: {mine}\n\n"
            "Call the province and read them this number. Then write the bundle for the province: "
            "it carries every record of this file.").format(
            commune=result.identity.commune_name, mine=result.fingerprint))


def connect_to_centre(db: Database, dialogs: Any) -> Any | None:
    """At the province: the centre's setup file and fingerprint (core/sync/central.py)."""
    return _connect(
        dialogs, QCoreApplication.translate("ConnectProvince", "Connect to the centre"),
        QCoreApplication.translate("ConnectProvince", "Setup file from the centre"),
        read_central_setup,
        lambda setup: QCoreApplication.translate("ConnectProvince",
            "Setup file of the centre for {province}.\n\nFingerprint of the centre in this "
            "file:\n{f}\n\nCall the centre and ask them to read their fingerprint. Type the "
            "digits they read (spaces do not matter). If they differ, do not use this file.")
        .format(province=setup.manifest.province.name, f=setup.central_fingerprint),
        lambda path, typed: connect_central(db, path, typed),
        lambda result: QCoreApplication.translate("ConnectProvince",
            "Connected to {central}.\n\nFingerprint of this province: {mine}\n\nCall the centre "
            "and read them this number: they confirm this province, and only then take its "
            "figures. From now on, exporting bundles also writes the bundle for the centre "
            "(figures only, no personal data).").format(
            central=result.central_label, mine=result.province_fingerprint))
