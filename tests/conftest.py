"""Shared fixtures: offscreen Qt, isolated user folders, migrated template databases."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Before anything imports Qt (Picard's rule): tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Sync keys are wrapped with a cheap Argon2id in the tests (issue 22: the interactive limits
# cost half a second per wrap or unwrap); os.environ, so the CLI subprocesses inherit it.
# Production ignores both variables unless both are set: tests/core/test_keys.py proves it.
os.environ["DA8_TESTING"] = "1"
os.environ["DA8_TEST_FAST_KDF"] = "1"

import pytest

from da8desktop.core.db.database import Database


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
def new_file(tmp_path: Path, template_file: Path):
    """new_file("tinh.sqlite"): a data file as the program makes it on first open (migrated,
    reference data, nothing set up), copied from the session's template instead of migrated
    again (issue 22: a migration costs about a second). For tests whose subject is something
    done to a new file; tests about making the file itself let the program make it."""
    def make(name: str) -> Path:
        return _copy_database(template_file, tmp_path / name)

    return make


# -- the database under test: SQLite, or PostgreSQL where tests/core/conftest.py asks ----------
@pytest.fixture
def backend() -> str:
    """SQLite unless a test directory parametrizes it (tests/core runs on both)."""
    return "sqlite"


@pytest.fixture(scope="session")
def pg(tmp_path_factory: pytest.TempPathFactory):
    """The test PostgreSQL server: DA8_TEST_POSTGRES_URL (set by .ci/run), or a private
    cluster started here; None (and its reason) when neither works."""
    from tests import pg_cluster
    from tests.pg_support import Pg

    url = os.environ.get("DA8_TEST_POSTGRES_URL")
    folder = None
    reason = ""
    if not url:
        folder = Path(tempfile.mkdtemp(prefix="da8-pg-"))
        try:
            url = pg_cluster.start(folder)
        except pg_cluster.Unavailable as exc:
            reason = str(exc)
    yield (Pg(url) if url else None), reason
    if folder is not None:
        pg_cluster.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def _pg(request: pytest.FixtureRequest):
    server, reason = request.getfixturevalue("pg")
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({reason})")
    return server


@pytest.fixture(scope="session")
def pg_templates(request: pytest.FixtureRequest):
    """name -> template database on the server, each made on first use."""
    made: dict[str, str] = {}
    yield made
    server, _reason = request.getfixturevalue("pg")
    for name in made.values():
        server.drop(name)


def _pg_template(request: pytest.FixtureRequest, name: str) -> str:
    """The template database `name` on the server, made on first use. Each pytest-xdist worker
    makes its own (the suffix): the workers share one server and cannot share a template that
    another worker may be creating or copying at that moment."""
    server = _pg(request)
    made = request.getfixturevalue("pg_templates")
    if name not in made:
        own = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
        if name == "da8_tpl_base":
            db = Database.open(server.create(own))
            db.close()
        elif name == "da8_tpl_demo":
            from da8desktop.core.demo import load_demo

            base = _pg_template(request, "da8_tpl_base")
            db = Database.open(server.create(own, base))
            load_demo(db, seed=1)
            db.close()
        made[name] = own
    return made[name]


def _pg_copy(request: pytest.FixtureRequest, template: str) -> Database:
    server = _pg(request)
    url = server.create(template=_pg_template(request, template))
    request.addfinalizer(lambda: server.drop(url))
    return Database.open(url)


@pytest.fixture
def db(backend: str, request: pytest.FixtureRequest):
    if backend == "postgresql":
        database = _pg_copy(request, "da8_tpl_base")
    else:
        database = Database.open(request.getfixturevalue("db_file"))
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
def demo_db(backend: str, request: pytest.FixtureRequest):
    if backend == "postgresql":
        database = _pg_copy(request, "da8_tpl_demo")
    else:
        database = Database.open(request.getfixturevalue("demo_db_file"))
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
def world(backend: str, tmp_path: Path, request: pytest.FixtureRequest):
    from tests.core.sync_world import SITES, World, enrol_world, open_world

    if backend == "sqlite":
        opened = open_world(tmp_path / "world", request.getfixturevalue("sync_world_files"))
    else:
        server = _pg(request)
        made = request.getfixturevalue("pg_templates")
        if "da8_tpl_world_P" not in made:
            base = _pg_template(request, "da8_tpl_base")
            names = {site: f"da8_tpl_world_{site}" for site in SITES}
            enrol_world({site: Database.open(server.create(name, base))
                         for site, name in names.items()}, tmp_path / "world-template")
            made.update({name: name for name in names.values()})
        dbs = {}
        for site in SITES:
            url = server.create(template=f"da8_tpl_world_{site}")
            request.addfinalizer(lambda url=url: server.drop(url))
            dbs[site] = Database.open(url)
        (tmp_path / "world").mkdir()
        opened = World(dbs, tmp_path / "world", server)
    yield opened
    opened.close()
