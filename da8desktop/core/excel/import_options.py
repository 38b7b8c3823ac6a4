"""What the officer chose for one list in the import preview (defaults for missing columns,
duplicates, village mapping), remembered for the file in the `setting` table, keyed by the
file's content: the same list renamed or copied elsewhere brings the same choices back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from da8desktop.core.db.database import Database

MAX_ENTRIES = 500


@dataclass
class ImportOptions:
    """What the officer decided for this file: defaults for a column the sheet lacks or a cell
    left empty (sex "F" / "M" / "ask", village, group, role, ethnic, by name), whether a person
    written twice is imported twice, which new village is really an existing one (folded new
    name -> existing name), and the sex chosen row by row when asked."""

    defaults: dict[str, str] = field(default_factory=dict)
    keep_duplicates: bool = False
    village_map: dict[str, str] = field(default_factory=dict)
    row_sex: dict[int, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "keep_duplicates": self.keep_duplicates,
                "village_map": self.village_map}


def _file_key(path: Path) -> str:
    """Keyed by content: the same list renamed or copied to another folder is the same list."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return "import-options:" + digest.hexdigest()[:40]


def store_options(session: Any, path: Path, options: ImportOptions) -> None:
    from da8desktop.core.db.models import Setting

    key = _file_key(path)
    stored = session.get(Setting, key)
    if stored is None:
        session.add(Setting(key=key, value=options.as_json()))
    else:
        stored.value = options.as_json()


def remember_options(db: Database, path: Path, options: ImportOptions) -> None:
    with db.write() as uow:
        store_options(uow.session, Path(path), options)


def remembered_options(db: Database, path: Path) -> ImportOptions | None:
    """The defaults, village mapping and duplicate choice last used for this file, if any."""
    from da8desktop.core.db.models import Setting

    try:
        key = _file_key(Path(path))
    except OSError:
        return None
    with db.read() as session:
        stored = session.get(Setting, key)
        value = stored.value if stored is not None else None
    if not isinstance(value, dict):
        return None
    return ImportOptions(defaults=_texts(value.get("defaults")),
                         keep_duplicates=value.get("keep_duplicates") is True,
                         village_map=_texts(value.get("village_map")))


def _texts(value: Any) -> dict[str, str]:
    """A stored mapping read back as short texts only (the setting is data like any other)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in list(value.items())[:MAX_ENTRIES]
            if isinstance(k, str) and isinstance(v, str) and len(k) <= 200 and len(v) <= 200}
