"""Files readable by their owner only (issue 18 item 8): the data file, its backups, exports,
bundles and setup files hold personal data, and a commune laptop is often shared.

On POSIX the process umask is set to 077 at start (cli/main.py, gui/app.py), so every file the
application creates is 0600 and every folder 0700; `make_private` also sets it on the files
that matter when core code runs without that start (tests, other tools). On Windows the files
live in the user's profile folders, whose ACL already keeps other users out: nothing is done
there (chmod cannot express an ACL)."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077
FILE_MODE = 0o600


def restrict_umask() -> None:
    if os.name == "posix":
        os.umask(PRIVATE_UMASK)


def make_private(path: Path | str) -> None:
    """Owner read/write only, for a file this user owns; anything else is left as it is (a
    file on a stick's FAT file system, a file another user shared on purpose)."""
    if os.name != "posix":
        return
    try:
        info = os.stat(path)
        if info.st_uid == os.getuid() and info.st_mode & 0o077:
            os.chmod(path, FILE_MODE)
    except OSError:
        pass
