"""The core and sync suites run on SQLite and on a real PostgreSQL server (issue #9): every test
that takes a database through `db`, `commune_db`, `demo_db` or `world` runs once per backend.
Tests about the SQLite file itself (backups, copies, pragmas) take a file fixture and stay on
SQLite."""

from __future__ import annotations

import pytest

FILE_FIXTURES = {"db_file", "demo_db_file", "template_file", "sync_world_files"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if ("backend" in metafunc.fixturenames and not FILE_FIXTURES & set(metafunc.fixturenames)
            and metafunc.definition.get_closest_marker("sqlite_only") is None):
        only_server = metafunc.definition.get_closest_marker("postgresql_only") is not None
        metafunc.parametrize("backend", ["postgresql"] if only_server else
                             ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def bets(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each attempt of an import to apply a bundle, in order: True where it bet that a first
    bundle's rows are all new (no look-ups), False where it looked every row up (importer.py)."""
    from da8desktop.core.sync import importer

    taken: list[bool] = []
    apply_once = importer._apply_once

    def noting(db, bundle, report, dry_run, assume_new):
        taken.append(assume_new)
        return apply_once(db, bundle, report, dry_run, assume_new)

    monkeypatch.setattr(importer, "_apply_once", noting)
    return taken
