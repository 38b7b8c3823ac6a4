"""The server database this computer opens at start (Settings › Server database), kept in the
user's settings file. The password never goes into that file: it is kept in the OS keyring
(Windows Credential Manager) when there is one; otherwise libpq reads it from the user's
pgpass.conf, as the README explains."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from da8desktop.core.db.dialect import cannot_connect, check_server_database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.paths import read_user_config, update_user_config

KEY = "database_url"
KEYRING_SERVICE = "da8desktop-server"


def parse(url: str):  # noqa: ANN201 - sqlalchemy URL
    try:
        parsed = make_url(url.strip())
    except ArgumentError:
        parsed = None
    if parsed is None or parsed.get_backend_name() != "postgresql" or not parsed.database:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Server", "“{url}” is not a server database address. Write it like "
            "postgresql+psycopg://user:password@server-name/da8"), url=url)
    return parsed


def saved_database_url() -> str | None:
    """The address saved in the settings, with its password from the keyring."""
    url = read_user_config().get(KEY)
    if not url:
        return None
    parsed = make_url(url)
    ring = _keyring()
    if ring is not None and parsed.password is None:
        password = ring.get_password(KEYRING_SERVICE, _account(parsed))
        if password:
            parsed = parsed.set(password=password)
    return parsed.render_as_string(hide_password=False)


def save_database_url(url: str | None) -> None:
    """Save (or, with None, forget) the server database; it is used from the next start."""
    if not url:
        update_user_config(**{KEY: None})
        return
    parsed = parse(url)
    if parsed.password:
        ring = _keyring()
        if ring is not None:
            ring.set_password(KEYRING_SERVICE, _account(parsed), parsed.password)
        parsed = parsed._replace(password=None)  # URL.set() ignores None
    update_user_config(**{KEY: parsed.render_as_string(hide_password=False)})


def shown_address(url: str) -> str:
    """An address as it may be shown on screen: the password as ***, a file as its path."""
    parsed = make_url(url) if "://" in url else None
    if parsed is None or parsed.get_backend_name() == "sqlite":
        return str(parsed.database if parsed is not None else url)
    return parsed.render_as_string(hide_password=True)


def probe_server(url: str) -> str:
    """Connect, check the database can hold da8desktop data, and say what was found (a plain
    sentence), or raise a UserFacingError saying what is wrong. Nothing is written."""
    parsed = parse(url)
    engine = create_engine(parsed, connect_args={"connect_timeout": 8})
    where = parsed.render_as_string()
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
            check_server_database(connection, where)
            tables = connection.execute(text(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = "
                "'installation'")).scalar()
    except SQLAlchemyError as exc:
        raise cannot_connect(where, exc) from exc
    finally:
        engine.dispose()
    if tables:
        return QT_TRANSLATE_NOOP("Server", "Connected to PostgreSQL {version}: the database "
                                 "already holds da8desktop data.").render(version=version)
    return QT_TRANSLATE_NOOP("Server", "Connected to PostgreSQL {version}: the database is "
                             "empty; da8desktop will set it up at the next start.").render(
        version=version)


def _account(parsed) -> str:  # noqa: ANN001
    return f"{parsed.username}@{parsed.host}:{parsed.port or 5432}/{parsed.database}"


def _keyring():  # noqa: ANN202
    from da8desktop.core.sync.keys import _keyring as os_keyring

    return os_keyring()
