"""Moving a province from its SQLite file to a server database (`migrate-to`): every table, as
it is — identity, sync keys, the registry, the communes' data, sync state, audit trail — in one
transaction on the server, counts compared before it commits. The server database continues as
the same site, so the communes notice nothing; the old file must not be used again."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.dialect import defer_foreign_keys, reset_sequences
from da8desktop.core.db.models import Base, Installation
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.progress import Progress, no_progress

CHUNK = 5000


@dataclass
class MoveReport:
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    attachments: int = 0


def move_database(source: Database, target_url: str, progress: Progress = no_progress
                  ) -> MoveReport:
    target = Database.open(target_url, seed_reference=False)  # migrated to the same schema
    where = target.engine.url.render_as_string()  # password hidden
    try:
        with target.read() as session:
            if session.get(Installation, 1) is not None or any(
                    session.scalar(select(func.count()).select_from(t)) for t in _tables()):
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Move", "The database {target} already holds data. Nothing was copied. "
                    "Give an empty database (see the README, “A province server”)."),
                    target=where)
        report = MoveReport(where)
        tables = _tables()
        with source.engine.connect() as reading, target.write() as uow:
            defer_foreign_keys(uow.session)
            writing = uow.session.connection()
            for number, table in enumerate(tables):
                progress(number, len(tables))
                copied = 0
                result = reading.execution_options(yield_per=CHUNK).execute(select(table))
                for rows in result.partitions(CHUNK):
                    writing.execute(insert(table), [row._asdict() for row in rows])
                    copied += len(rows)
                report.counts[table.name] = copied
            reset_sequences(writing, tables)
            with target.read() as session:  # the same transaction: checked before it commits
                for table in tables:
                    held = session.scalar(select(func.count()).select_from(table))
                    if held != report.counts[table.name]:
                        raise UserFacingError(QT_TRANSLATE_NOOP(
                            "Move", "Copying {table} gave {held} rows instead of {expected}. "
                            "Nothing was copied; the file is unchanged."),
                            table=table.name, held=str(held),
                            expected=str(report.counts[table.name]))
        progress(len(tables), len(tables))
        report.attachments = _copy_attachments(source, target)
        return report
    finally:
        target.close()


def _tables() -> list:  # sqlalchemy Table objects
    """Every table of the schema, parents before children (alembic_version is Alembic's)."""
    return list(Base.metadata.sorted_tables)


def _copy_attachments(source: Database, target: Database) -> int:
    from da8desktop.core.services.attachments import attachments_dir

    here, there = attachments_dir(source), attachments_dir(target)
    if not here.is_dir():
        return 0
    files = [p for p in here.rglob("*") if p.is_file()]
    for path in files:
        destination = there / path.relative_to(here)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return len(files)
