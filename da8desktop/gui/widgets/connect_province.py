"""Connect a commune data file that already holds records to the province (issue 21, item 3):
the province's setup file, its fingerprint typed as the province reads it out, then
`commune_init`, which keeps every record and sends it with the first bundle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.enrol import commune_init, read_setup


# Each text is written as QCoreApplication.translate("ConnectProvince", …) in full: lupdate
# finds that form, not a helper wrapping it.
def connect_to_province(db: Database, dialogs: Any) -> Any | None:
    """The setup result, or None when the officer stopped or a refusal was shown."""
    files = dialogs.open_files(QCoreApplication.translate("ConnectProvince", "Setup file from the province"),
                               QCoreApplication.translate("ConnectProvince", "Setup files (*.da8setup);;All files (*)"))
    if not files:
        return None
    try:
        setup = read_setup(Path(files[0]))
    except UserFacingError as error:
        dialogs.error(QCoreApplication.translate("ConnectProvince", "Connect to the province"), error.message())
        return None
    typed = dialogs.text(QCoreApplication.translate("ConnectProvince", "Connect to the province"), QCoreApplication.translate("ConnectProvince", 
        "Setup file of {province} for {commune}. The records already in this data file are "
        "kept and sent to the province with the first bundle.\n\nFingerprint of the province "
        "in this file:\n{f}\n\nCall the province and ask them to read their fingerprint. Type "
        "the digits they read (spaces do not matter). If they differ, do not use this file.")
        .format(province=setup.manifest.source.label, commune=setup.manifest.commune.name,
                f=setup.province_fingerprint))
    if typed is None:
        return None
    try:
        result = commune_init(db, Path(files[0]), typed, prompt=dialogs.passphrase)
    except UserFacingError as error:
        dialogs.error(QCoreApplication.translate("ConnectProvince", "Connect to the province"), error.message())
        return None
    dialogs.info(QCoreApplication.translate("ConnectProvince", "Connect to the province"), QCoreApplication.translate("ConnectProvince", 
        "{commune} is connected to the province.\n\nFingerprint of this computer: {mine}\n\n"
        "Call the province and read them this number. Then write the bundle for the province: "
        "it carries every record of this file.").format(
            commune=result.identity.commune_name, mine=result.fingerprint))
    return result
