"""File size before and after the lean storage format (migration 0013, issue #23), measured
on a copy of a data file at schema 0009:

    PYTHONPATH=. python bench/storage_format.py PROVINCE_0009.sqlite

Both sides are VACUUMed copies (the same free space: none). The sizes of the synced tables
and their indexes (all but the national reference lists of admin units and catalogues, which
the format does not touch) are shown apart, from SQLite's dbstat table."""

from __future__ import annotations

import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

REFERENCE = ("admin_unit", "admin_succession", "catalogue_item")


def _sizes(path: Path) -> tuple[int, int, float, float]:
    connection = sqlite3.connect(path)
    try:
        connection.execute("VACUUM")
        owners = dict(connection.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')"))
        reference = sum(size for name, size in connection.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
            if owners.get(name, name) in REFERENCE)
        per_row = []
        for table in ("attendance", "person"):
            rows = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            size = sum(size for name, size in connection.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
                if owners.get(name, name) == table)
            per_row.append(size / max(rows, 1))
    finally:
        connection.close()
    total = path.stat().st_size
    return total, total - reference, per_row[0], per_row[1]


def main(source: Path) -> None:
    from da8desktop.core.db.engine import make_engine, sqlite_url
    from da8desktop.core.db.migrate import upgrade_to_head

    with tempfile.TemporaryDirectory() as folder:
        before_file = Path(folder) / "before.sqlite"
        shutil.copyfile(source, before_file)
        before = _sizes(before_file)
        after_file = Path(folder) / "after.sqlite"
        shutil.copyfile(before_file, after_file)
        engine = make_engine(sqlite_url(after_file))
        try:
            upgrade_to_head(engine, after_file)
        finally:
            engine.dispose()
        after = _sizes(after_file)
    for label, b, a in (("whole file", before[0], after[0]),
                        ("without the reference lists", before[1], after[1])):
        print(f"{label:28} {b / 1e6:8.2f} MB -> {a / 1e6:8.2f} MB  ({(a - b) / b:+.0%})")
    for label, b, a in (("per attendance row", before[2], after[2]),
                        ("per person row", before[3], after[3])):
        print(f"{label:28} {b:8.0f} B  -> {a:8.0f} B   ({(a - b) / b:+.0%}, with its indexes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
