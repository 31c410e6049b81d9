"""Opening the local database safely.

SQLite runs in WAL mode with ``synchronous=FULL`` so a committed exchange
survives a power cut; the register refuses to run if the file system does not
give us that. Each unit of work starts with ``BEGIN IMMEDIATE``, taking the
write lock up front: the gapless journal and exchange counters are read and
incremented inside it, and two registers can never hand out the same number.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Row, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from pos_exchange.domain.errors import ConfigError, StorageError

BUSY_TIMEOUT_MS = 5_000
POOL_OVERFLOW = 4  # connections beyond pool_size, closed again when returned


def sqlite_url(path: Path) -> str:
    return f"sqlite+pysqlite:///{path}"


SUPPORTED_DATABASES = ("sqlite", "postgresql")
# A result row of any shape (SQLAlchemy's Row is generic over its column types).
AnyRow = Row[*tuple[Any, ...]]


def url_from(value: str | None, default: Path) -> str:
    """A SQLAlchemy URL from what a person typed: a URL, a file path, or nothing (the
    default file). A malformed URL, or a database other than SQLite and PostgreSQL, is
    refused with a sentence (register and hub alike)."""
    if not value:
        return sqlite_url(default)
    if "://" in value:
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ConfigError("INVALID_DB_URL", url=value[:200]) from None
        if url.get_backend_name() not in SUPPORTED_DATABASES:
            raise ConfigError("UNSUPPORTED_DB", backend=url.get_backend_name())
        return value
    if "\x00" in value:
        raise ConfigError("INVALID_DB_URL", url=value[:200])
    return sqlite_url(Path(value).expanduser().resolve())


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (None for other databases, memory or URI forms), so
    opening a missing database can be refused instead of silently creating it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database \
            or parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                pool_size: int | None = None) -> Engine:
    """``pool_size``: connections kept open (a server passes its thread count, so no
    request thread opens and closes a connection of its own), plus a small overflow."""
    parsed = make_url(url)
    pool: dict[str, Any] = {} if pool_size is None else \
        {"pool_size": pool_size, "max_overflow": POOL_OVERFLOW}
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(url, pool_pre_ping=True, **pool)
        except ModuleNotFoundError as exc:  # e.g. PostgreSQL without psycopg installed
            raise ConfigError("DB_DRIVER_MISSING", backend=parsed.get_backend_name(),
                              module=exc.name or "?") from None
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    in_memory = not database or database == ":memory:"
    engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000},
                           **({} if in_memory else pool))

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN IMMEDIATE instead of pysqlite's
        # deferred BEGIN (the documented SQLAlchemy recipe for SQLite transactions).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        # A read-only file cannot switch modes; check_durability() reports it.
        with contextlib.suppress(sqlite3.OperationalError):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("pos_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def check_durability(engine: Engine) -> None:
    """Refuse to run on a database that would not keep a committed exchange."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    if str(mode).lower() != "wal" or int(sync or 0) != 2:
        raise StorageError("DB_NOT_DURABLE", mode=str(mode), sync=str(sync))


def integrity_problems(engine: Engine, *, full: bool = False, most: int = 20) -> list[str]:
    """SQLite's own check of the file: ``PRAGMA quick_check`` (the b-trees, records and
    pages; linear in the file size, run at start-up) or, ``full``, ``PRAGMA
    integrity_check`` (also every index against its table, and UNIQUE). An empty list
    means the file is sound; a file too damaged to check at all is one problem. Other
    databases check their own pages: nothing to do here."""
    if engine.dialect.name != "sqlite":
        return []
    pragma = "integrity_check" if full else "quick_check"
    try:
        with engine.connect() as conn:
            conn = conn.execution_options(pos_readonly=True)
            with conn.begin():
                rows = [str(r[0]) for r in conn.exec_driver_sql(f"PRAGMA {pragma}({most})")]
    except DBAPIError as exc:
        error = storage_error(exc)
        if error.code != "DB_CORRUPT":
            raise error from exc
        return [str(error.params.get("detail", "unreadable"))]
    if rows == ["ok"]:
        return []
    # One problem a line, without SQLite's "*** in database main ***" banner.
    lines = [ln.strip() for row in rows for ln in row.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith("***")][:most] or rows[:1]


def check_integrity(engine: Engine, *, full: bool = False) -> None:
    """Refuse a damaged database file (DB_CORRUPT, naming the first problem)."""
    problems = integrity_problems(engine, full=full)
    if problems:
        raise StorageError("DB_CORRUPT", detail=problems[0][:200], problems=len(problems))


def storage_error(exc: DBAPIError) -> StorageError:
    """Turn a driver error into a reason code (the sentence is the edge's)."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return StorageError("DB_READ_ONLY")
    if "full" in text or "no space" in text:
        return StorageError("DB_FULL")
    if "locked" in text or "busy" in text:
        return StorageError("DB_LOCKED")
    if "append-only" in text:
        return StorageError("AUDIT_APPEND_ONLY")
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError("DB_CORRUPT", detail=text[:200])
    return StorageError("DB_ERROR", detail=text[:300])


@contextmanager
def translate_errors() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        raise storage_error(exc) from exc
