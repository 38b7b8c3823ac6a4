"""Issue 17, item 8: a PostgreSQL database is used only if it really compares text byte by
byte. An ICU database shows LC_COLLATE 'C' in pg_database yet sorts by ICU: the provider, the
locale and a probe ordering a few sort keys are all checked."""

from __future__ import annotations

import pytest

from da8desktop.core.db.dialect import PROBE, check_server_database, collation_problem
from da8desktop.core.errors import DatabaseUnavailable

BYTES = sorted(PROBE, key=lambda s: s.encode())
LANGUAGE = sorted(PROBE, key=lambda s: (s.casefold(), s))  # roughly what a language collation does


@pytest.mark.parametrize("row, probe", [
    ({"datcollate": "C"}, BYTES),  # PostgreSQL 14: no provider column, libc only
    ({"datlocprovider": "c", "datcollate": "C", "daticulocale": None}, BYTES),
    ({"datlocprovider": "c", "datcollate": "C.UTF-8"}, BYTES),
    ({"datlocprovider": "c", "datcollate": "POSIX"}, None),
    ({"datlocprovider": "b", "datcollate": "C", "datlocale": "C.UTF-8"}, BYTES),  # PostgreSQL 17
])
def test_byte_order_databases_are_accepted(row, probe):
    assert collation_problem(row, probe) is None


@pytest.mark.parametrize("row, probe, named", [
    ({"datlocprovider": "i", "datcollate": "C", "daticulocale": "und"}, LANGUAGE, "ICU und"),
    ({"datlocprovider": "i", "datcollate": "C", "datlocale": "vi-VN"}, BYTES, "ICU vi-VN"),
    ({"datlocprovider": b"i", "datcollate": "C", "daticulocale": "en-US"}, BYTES, "ICU en-US"),
    ({"datlocprovider": "c", "datcollate": "vi_VN.UTF-8"}, LANGUAGE, "vi_VN.UTF-8"),
    ({"datlocprovider": "b", "datcollate": "C", "datlocale": "PG_UNICODE_FAST"}, BYTES, "builtin"),
    ({"datlocprovider": "c", "datcollate": "C"}, LANGUAGE, "C ("),  # the catalogue lies: the probe decides
])
def test_other_collations_are_refused_and_named(row, probe, named):
    problem = collation_problem(row, probe)
    assert problem is not None and named in problem


class FakeServer:
    """What a connection to an ICU database answers (no language locale on the test server)."""

    dialect = type("D", (), {"name": "postgresql"})()

    def execute(self, query, params=None):
        sql = str(query)

        class Result:
            def mappings(self):
                return self

            def one(self):
                return {"datlocprovider": "i", "datcollate": "C", "daticulocale": "und"}

            def scalars(self):
                return self

            def all(self):
                return LANGUAGE

        assert "pg_database" in sql or "ORDER BY" in sql
        return Result()


def test_the_refusal_gives_the_exact_create_database_to_use():
    with pytest.raises(DatabaseUnavailable) as refused:
        check_server_database(FakeServer(), "postgresql+psycopg://tinh@server/da8")
    message = refused.value.message()
    assert "ICU und" in message
    assert ("TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' LOCALE_PROVIDER libc"
            in message)


def test_a_real_icu_database_with_lc_collate_c_is_refused(pg):
    from sqlalchemy import text

    from da8desktop.core.db.database import Database

    server, reason = pg
    if server is None:
        pytest.skip(f"PostgreSQL tests skipped: no server could be started ({reason})")
    with server.admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "da8_icu_c"'))
        try:
            connection.execute(text(
                "CREATE DATABASE da8_icu_c TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
                "LC_CTYPE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'und'"))
        except Exception as exc:  # noqa: BLE001 - a server built without ICU
            pytest.skip(f"this server cannot make an ICU database: {exc}")
    try:
        with pytest.raises(DatabaseUnavailable) as refused:
            Database.open(server.url_of("da8_icu_c"))
        assert "ICU" in refused.value.message() and "LOCALE_PROVIDER libc" in refused.value.message()
        with server.admin.connect() as connection:  # nothing was created in it
            assert connection.execute(text(
                "SELECT count(*) FROM pg_database WHERE datname = 'da8_icu_c'")).scalar() == 1
    finally:
        server.drop("da8_icu_c")
    # The database the message asks for is accepted.
    with server.admin.connect() as connection:
        connection.execute(text('DROP DATABASE IF EXISTS "da8_libc_c"'))
        connection.execute(text(
            "CREATE DATABASE da8_libc_c TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' "
            "LC_CTYPE 'C' LOCALE_PROVIDER libc"))
    Database.open(server.url_of("da8_libc_c")).close()
    server.drop("da8_libc_c")
