"""Where things live: shipped resources (from source or frozen) and the user's folders."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "da8desktop"
APP_AUTHOR = "HoiLHPN"


def resource_path(*parts: str) -> Path:
    """A file under `resources/`, both from a source checkout and inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parents[2]
    return root.joinpath("resources", *parts)


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return user_data_dir() / "da8desktop.sqlite"


def demo_database_path() -> Path:
    """The demo commune's own file: made-up people never go into the officer's real file."""
    return user_data_dir() / "demo.sqlite"


def demo_province_path() -> Path:
    """The demo province's own file (`demo --province`, "Explore a demo province")."""
    return user_data_dir() / "demo-province.sqlite"


def start_database_path() -> Path:
    """The file the window opens when none is named: the one used last (the demo after
    `da8desktop demo`, the officer's own file after she left the demo), else the default."""
    last = read_user_config().get("data_file")
    if isinstance(last, str) and last and Path(last).is_file():
        return Path(last)
    return default_database_path()


def real_database_path() -> Path:
    """The officer's own file, where leaving the demo goes: the last other file she used."""
    last = read_user_config().get("real_data_file")
    if isinstance(last, str) and last and Path(last).is_file():
        return Path(last)
    return default_database_path()


def remember_data_file(file: Path) -> None:
    """The window (and `da8desktop demo`) say which file the next start opens."""
    file = Path(file).expanduser().resolve()
    changes: dict[str, object] = {"data_file": str(file)}
    if file != demo_database_path().expanduser().resolve():
        changes["real_data_file"] = str(file)
    update_user_config(**changes)


def backup_dir_for(database_file: Path) -> Path:
    """Backups sit beside the database they protect, so a copied folder keeps them."""
    return database_file.parent / "backups"


def user_config_file() -> Path:
    """Preferences shared by the GUI and the CLI (the interface language, the server address)."""
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "settings.json"


def read_user_config() -> dict:
    import json

    try:
        data = json.loads(user_config_file().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_user_config(**changes: object) -> None:
    """Set these preferences (None removes one), keeping the others; written whole, then renamed."""
    import json

    data = read_user_config()
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = user_config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    from da8desktop.core import atomic_write

    atomic_write.write_text(path, json.dumps(data, ensure_ascii=False, indent=1), translate=False)
