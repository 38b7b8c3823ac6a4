"""What the province's Send and receive page (its commune laptops) and the centre's (its
provinces) do alike: the sync keys unlocked on the UI thread, and a setup file made for a unit
chosen from a list. The words are each page's own (its translation context), passed in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.sync.enrol import unlock
from da8desktop.core.sync.keys import UnlockedKeys
from da8desktop.gui.dialogs import Dialogs


def unlock_keys(db: Database, dialogs: Dialogs, title: str,
                unlocked: UnlockedKeys | None = None) -> tuple[bool, Any]:
    """(True, this site's keys or None where it has none) once unlocked here, where a passphrase
    can be asked; the background export or import is handed them and asks nobody. (False, None)
    when the officer was told why not. `unlocked`: the open file's keys already unwrapped."""
    try:
        return True, unlock(db, dialogs.passphrase, unlocked)
    except UserFacingError as error:
        dialogs.error(title, error.message())
        return False, None


def make_setup_file(dialogs: Dialogs, units: list[tuple[str, str]], *, title: str,
                    unit_title: str, folder_title: str, unlocked: Callable[[], bool],
                    write: Callable[[str, Path], Any], written: Callable[[Any], str],
                    after: Callable[[], None]) -> Any | None:
    """The officer picks a unit of `units` (code, name) and a folder (the USB stick); `write`
    makes the setup file there (code, folder); `written` says what to do with it. None when the
    officer stopped or a refusal was shown."""
    index = dialogs.pick(title, unit_title, [f"{code} — {name}" for code, name in units])
    if index is None:
        return None
    folder = dialogs.folder(folder_title)
    if not folder or not unlocked():
        return None
    try:
        setup = write(units[index][0], Path(folder))
    except UserFacingError as error:
        dialogs.error(title, error.message())
        return None
    after()
    dialogs.info(title, written(setup))
    return setup
