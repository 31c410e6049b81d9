"""One database transaction per use case, with the repositories bound to it: the
SQLAlchemy implementation of ``services.ports.UnitOfWork``."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound

from pos_exchange.adapters.db.books import BooksRepository
from pos_exchange.adapters.db.card_attempts import CardAttemptRepository
from pos_exchange.adapters.db.outbox import OutboxRepository
from pos_exchange.adapters.db.reports import ReportRepository
from pos_exchange.adapters.db.repositories import (
    CatalogueRepository,
    ExchangeRepository,
    JournalRepository,
    SaleRepository,
)
from pos_exchange.adapters.db.users import UserRepository
from pos_exchange.domain.errors import StorageError
from pos_exchange.sqlkit.engine import storage_error


class SqlUnitOfWork:
    """``with uow:`` opens a write transaction; leaving without ``commit()`` rolls back.

    Driver errors (read-only, disk full, locked) come out as ``StorageError`` with a
    reason code, after the rollback, so nothing is half-written.
    """

    conn: Connection

    def __init__(self, engine: Engine, *, readonly: bool = False) -> None:
        self.engine = engine
        self.readonly = readonly
        self._committed = False

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self.conn = self.engine.connect()
        except DBAPIError as exc:
            raise storage_error(exc) from exc
        try:
            if self.readonly:
                # A deferred BEGIN: WAL lets readers run while another process writes.
                self.conn = self.conn.execution_options(pos_readonly=True)
            self._tx = self.conn.begin()
        except DBAPIError as exc:
            self.conn.close()
            raise storage_error(exc) from exc
        self.catalogue = CatalogueRepository(self.conn)
        self.sales = SaleRepository(self.conn)
        self.exchanges = ExchangeRepository(self.conn)
        self.journal = JournalRepository(self.conn)
        self.outbox = OutboxRepository(self.conn)
        self.users = UserRepository(self.conn)
        self.card_attempts = CardAttemptRepository(self.conn)
        self.reports = ReportRepository(self.conn)
        self.books = BooksRepository(self.conn)
        return self

    def commit(self) -> None:
        try:
            self._tx.commit()
        except DBAPIError as exc:
            raise storage_error(exc) from exc
        self._committed = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if not self._committed and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()
        if isinstance(exc, DBAPIError):
            raise storage_error(exc) from exc
        if isinstance(exc, NoResultFound | MultipleResultsFound):
            # A row an index promised is not in its table (or twice): a damaged file, not
            # a bug to show as a traceback (integrity_check names it; README, Recovery).
            raise StorageError("DB_CORRUPT", detail=type(exc).__name__) from exc


class SqlUnitOfWorkFactory:
    """``services.ports.UnitOfWorkFactory`` over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self, *, readonly: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, readonly=readonly)


# The name the rest of the adapters and the tests use for one transaction.
UnitOfWork = SqlUnitOfWork
