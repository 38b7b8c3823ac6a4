"""Databases on the test PostgreSQL server: templates made once, a fresh copy per test.

`CREATE DATABASE … TEMPLATE` copies a migrated database in a fraction of a second, the server's
own equivalent of copying the template SQLite file."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class Pg:
    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, name: str | None = None, template: str | None = None) -> str:
        """A new database (a copy of `template`, or empty with byte-order collation)."""
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        source = (f'TEMPLATE "{template}"' if template else
                  "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" {source}'))
        return self.url_of(name)

    def drop(self, url_or_name: str) -> None:
        name = make_url(url_or_name).database if "://" in url_or_name else url_or_name
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
