"""Schema upgrades at start: back up first, refuse a database from a newer application."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from da8desktop.core.errors import SchemaTooNew, UserFacingError
from da8desktop.core.faults import fault
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.db.backup import backup_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
# The newest migration. Kept here so that opening an up-to-date file does not import Alembic
# (and Mako, Pygments…) at every start; tests/core/test_migrations.py checks it against Alembic.
SCHEMA_HEAD = "0013"
# The lean storage format (ids as bytes, compact stamps): the file is VACUUMed after it, so
# the space the old JSON text took is given back to the disk at once.
LEAN_STORAGE = "0013"
# The newest migration that changed what travels in bundles (the synced tables). A bundle says
# this, not SCHEMA_HEAD, so a change to local tables only (0006: deferrable keys on PostgreSQL)
# does not make every commune update before the province can read its files again.
BUNDLE_SCHEMA = "0011"


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """Alembic's own view of the newest revision (used by tests and when upgrading)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (OperationalError, ProgrammingError):  # a new, empty file
            return None


@dataclass(frozen=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def upgrade_to_head(engine: Engine, database_file: Path | None, revision: str = "head"
                    ) -> MigrationResult:
    """Bring the schema to `revision` (normally head). A non-empty database is backed up first."""
    before = current_revision(engine)
    if revision == "head" and before == SCHEMA_HEAD:
        return MigrationResult(before, before, None)  # the usual start: nothing to import
    target = head_revision() if revision == "head" else revision
    if before is not None and before not in known_revisions():
        raise SchemaTooNew(QT_TRANSLATE_NOOP("Migrations", "This data file was written by a newer version of "
                               "da8desktop (schema {revision}). Install the newer version to open "
                               "it; the file has not been changed."), revision=before)
    if before == target:
        return MigrationResult(before, target, None)
    backup = None
    has_tables = bool(inspect(engine).get_table_names())
    if database_file is not None and has_tables:
        backup = backup_sqlite(database_file, f"before-upgrade-{before or 'none'}")
    config = _alembic_config()
    try:
        _run_alembic(engine, config, target)
    except Exception as exc:  # the transaction rolled back; the backup is the second net
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Migrations", "Upgrading the data file failed and nothing was changed. A copy was "
            "kept at {backup}. Details: {details}"),
            backup=str(backup or "-"), details=str(exc)) from exc
    if engine.dialect.name == "sqlite" and has_tables and before is not None \
            and before < LEAN_STORAGE <= target:
        from da8desktop.core.db import search_index

        raw = engine.raw_connection()
        try:
            raw.execute("VACUUM")
            # VACUUM may renumber person rows, which the search index points to: rebuilt.
            if raw.execute("SELECT 1 FROM sqlite_master WHERE name = ?",
                           (search_index.TABLE,)).fetchone():
                for statement in search_index.repair_statements():
                    raw.execute(statement)
                raw.commit()
        finally:
            raw.close()
    return MigrationResult(before, target, backup)


def _run_alembic(engine: Engine, config: Config, target: str) -> None:
    from alembic import command

    """All steps in one transaction. On SQLite, batch mode rebuilds tables, which foreign keys
    would block, so they are switched off for the upgrade and checked in full before commit."""
    is_sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection
        if is_sqlite:
            raw.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                fault("migrate-before-commit")  # tests/cli/test_kill.py
                if is_sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign key check failed: {broken[:5]}")
        finally:
            if is_sqlite:
                raw.execute("PRAGMA foreign_keys = ON")
