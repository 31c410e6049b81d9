"""Where the hub's database is and how it is opened: one place for every entry point.

SQLite (the default) goes through the register's ``make_engine``: WAL + synchronous=FULL,
and every write transaction starts with BEGIN IMMEDIATE, so sequences are read and
incremented under the write lock. PostgreSQL is used when ``--db`` is a URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, Table, insert
from sqlalchemy.dialects import postgresql, sqlite

from pos_exchange.domain.errors import StorageError
from pos_exchange.hub import migrate
from pos_exchange.sqlkit.engine import (
    check_durability,
    make_engine,
    sqlite_file,
    translate_errors,
    url_from,
)

DB_ENV = "POS_EXCHANGE_HUB_DB"


def default_hub_path() -> Path:
    return Path(user_data_dir("pos-exchange", appauthor=False)) / "hub.sqlite3"


def hub_db_url(value: str | None = None) -> str:
    """``--db`` (a SQLAlchemy URL or a file path), else $POS_EXCHANGE_HUB_DB, else the default."""
    return url_from(value or os.environ.get(DB_ENV) or "", default_hub_path())


def open_engine(url: str, *, require_current: bool = True,
                pool_size: int | None = None) -> Engine:
    """An engine on a durable hub database; unless upgrading, refuse one that is missing
    or at another revision (a clear message beats a 500 on the first request).
    ``pool_size``: the server's request threads (``serve --threads``), one connection
    each, so connections are reused instead of opened and closed per request."""
    path = sqlite_file(url)
    if require_current and path is not None and not path.exists():
        raise StorageError("HUB_DB_NOT_INITIALIZED", path=str(path))
    engine = make_engine(url, pool_size=pool_size)
    try:
        with translate_errors():
            check_durability(engine)
            if require_current:
                migrate.HUB.require_current(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction (BEGIN IMMEDIATE on SQLite); commits unless something raised."""
    with engine.begin() as conn:
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction: a deferred BEGIN, so WAL readers never wait for writers."""
    with engine.connect() as conn:
        conn = conn.execution_options(pos_readonly=True)
        with conn.begin():
            yield conn


def insert_if_absent(conn: Connection, table: Table, **values: Any) -> None:
    """INSERT … ON CONFLICT DO NOTHING on SQLite and PostgreSQL: a concurrent first insert
    of the same key is not an error, the caller then locks and reads the row."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
    if dialect is None:
        conn.execute(insert(table).values(**values))
        return
    conn.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())
