"""Shared fixtures: offscreen Qt, isolated user folders, migrated template databases."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Before anything imports Qt (Picard's rule): tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from da8desktop.core.db.database import Database  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Logs, settings and default data files go to the test's own folder, never the real home."""
    home = tmp_path / "home"
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    monkeypatch.delenv("DA8_LANG", raising=False)
    # Sync keys: a passphrase from the environment, never the tester's own keyring.
    monkeypatch.setenv("DA8_KEY_PASSPHRASE", "test passphrase")
    monkeypatch.setenv("DA8_KEYRING", "off")
    from da8desktop.core import i18n

    i18n.install_translator(lambda _context, source: source)  # core text in English by default
    return home


def _copy_database(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="session")
def template_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with reference data, made once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Database.open(path).close()
    return path


@pytest.fixture(scope="session")
def demo_template_file(tmp_path_factory: pytest.TempPathFactory, template_file: Path) -> Path:
    from da8desktop.core.demo import load_demo

    path = _copy_database(template_file, tmp_path_factory.mktemp("demo") / "demo.sqlite")
    db = Database.open(path)
    load_demo(db, seed=1)
    db.close()
    return path


@pytest.fixture
def db_file(tmp_path: Path, template_file: Path) -> Path:
    return _copy_database(template_file, tmp_path / "data.sqlite")


@pytest.fixture
def db(db_file: Path):  # noqa: ANN201
    database = Database.open(db_file)
    yield database
    database.close()


@pytest.fixture
def commune_db(db: Database) -> Database:
    """A database set up as a (non-demo) commune, empty of records."""
    from da8desktop.core.domain import Role
    from da8desktop.core.services.site import set_up_installation

    set_up_installation(db, Role.COMMUNE, "11", "03325")
    return db


@pytest.fixture
def demo_db_file(tmp_path: Path, demo_template_file: Path) -> Path:
    return _copy_database(demo_template_file, tmp_path / "demo.sqlite")


@pytest.fixture
def demo_db(demo_db_file: Path):  # noqa: ANN201
    database = Database.open(demo_db_file)
    yield database
    database.close()


@pytest.fixture(scope="session")
def sync_world_files(tmp_path_factory: pytest.TempPathFactory, template_file: Path) -> dict[str, Path]:
    """A province and three enrolled commune laptops, made once (see tests/core/sync_world.py)."""
    os.environ["DA8_KEY_PASSPHRASE"] = "test passphrase"
    os.environ["DA8_KEYRING"] = "off"
    from tests.core.sync_world import build_world

    return build_world(tmp_path_factory.mktemp("world"), template_file)


@pytest.fixture
def world(tmp_path: Path, sync_world_files: dict[str, Path]):  # noqa: ANN201
    from tests.core.sync_world import open_world

    opened = open_world(tmp_path / "world", sync_world_files)
    yield opened
    opened.close()
