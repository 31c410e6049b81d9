"""What the services need from the outside world, as interfaces the adapters implement.

The unit of work and its repositories are declared here (the cosmicpython pattern), so a
service is built from a unit-of-work *factory* and a fake one can stand in
(``tests/fakes/unit_of_work.py``). The SQLAlchemy implementation is
``adapters/db/unit_of_work.py``; the composition root (``bootstrap.py``) wires it.
Services never import adapters (an import-linter contract checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol
from uuid import uuid4

from pos_exchange.domain.card_attempts import Attempt
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import ConfigError, Refused, Unavailable
from pos_exchange.domain.exchange import Exchange, State
from pos_exchange.domain.journal import Anchor, JournalEntry
from pos_exchange.domain.sale import Sale
from pos_exchange.domain.users import User
from pos_exchange.services.books import BooksRepository
from pos_exchange.services.views import (
    CashPayout,
    DayClose,
    DeadLetter,
    ExchangeSummary,
    OutboxRecord,
    OutboxSummary,
    SaleCopy,
    SaleMatch,
    TenderMove,
)

if TYPE_CHECKING:
    from pos_exchange.services.metrics import ExchangeFact

# ---------------------------------------------------------------------- repositories


class CatalogueRepository(Protocol):
    def by_sku(self, sku: str) -> Item: ...
    def by_barcode(self, code: str) -> Item: ...
    def prices_between(self, sku: str, since: date, until: date) -> list[int]: ...
    def on_hand(self, sku: str) -> int: ...
    def adjust_stock(self, sku: str, delta: int, now: datetime,
                     exchange_uuid: str | None = None) -> None: ...
    def add_item(self, item: Item, tier: str | None, stock: int, now: datetime,
                 price_history: Sequence[tuple[date, int]] = ...) -> None: ...
    def count(self) -> int: ...
    def apply_hub_item(self, item: Mapping[str, Any], now: datetime) -> None: ...
    def set_on_hand(self, sku: str, on_hand: int, now: datetime) -> None: ...
    def sync_version(self, key: str) -> int: ...
    def set_sync_version(self, key: str, value: int) -> None: ...


class SaleRepository(Protocol):
    def find(self, key: str) -> Sale: ...
    def get(self, sale_id: str, *, excluding: str | None = None) -> Sale: ...
    def search(self, text: str, limit: int = 20) -> list[SaleMatch]: ...
    def customer_name(self, customer_id: str | None) -> str | None: ...
    def add_customer(self, customer_id: str, name: str, phone: str | None = None) -> None: ...
    def sold_at(self, sale_id: str) -> datetime: ...
    def order_number(self, sale_id: str) -> str | None: ...
    def live_exchanges_returning(self, sale_id: str) -> list[str]: ...
    def add_payment(self, payment_id: str, method: str, amount_minor: int, currency: str,
                    created_at: datetime, card_brand: str | None = None,
                    card_last4: str | None = None, reference: str | None = None) -> None: ...
    def add(self, sale: Sale, store_id: str) -> None: ...
    def count(self) -> int: ...
    def cache(self, copy: SaleCopy, now: datetime) -> None:
        """Keep the hub's copy of a sale: add it, or refresh what the rest of the chain
        took from it (a sale already here keeps its own lines and tenders)."""
        ...


class ExchangeRepository(Protocol):
    def next_seq(self, store_id: str, register_id: str) -> int: ...
    def uuid_for(self, key: str) -> str: ...
    def get(self, key: str) -> Exchange: ...
    def add(self, ex: Exchange, now: datetime) -> None: ...
    def save(self, ex: Exchange, now: datetime) -> None: ...
    def save_state_and_links(self, ex: Exchange, now: datetime) -> None:
        """Only the state and the links (the sync's completion): the lines, tenders and
        draws are left as they are."""
    def customer_exchanges_today(self, customer_id: str, now: datetime, tz: tzinfo,
                                 exclude: str) -> int: ...
    def payment_reference_used(self, reference: str) -> bool: ...
    def submitted_unsettled(self, user_id: str, now: datetime, tz: tzinfo,
                            exclude: str) -> list[str]: ...
    def refunds_by_user_today(self, user_id: str, now: datetime, tz: tzinfo) -> int: ...
    def customer_exchange_uuids_today(self, customer_id: str, now: datetime, tz: tzinfo,
                                      exclude: str) -> list[str]: ...
    def flagged(self, limit: int = 50) -> list[tuple[str, list[str]]]:
        """Exchanges the hub flagged at sync: (number, flag codes), newest first."""
        ...
    def refunds_by_user_today_by_exchange(self, user_id: str, now: datetime,
                                          tz: tzinfo) -> dict[str, int]: ...
    def cash_totals(self, store_id: str, register_id: str, start: datetime,
                    end: datetime) -> tuple[int, int]: ...
    def record_payout(self, payout: CashPayout) -> bool:
        """A cash refund owed, paid out: its tender pending -> confirmed and the payout
        row, once (False: it was paid out already; nothing changed)."""
        ...
    def payouts(self, exchange_uuid: str) -> list[CashPayout]: ...
    def list(self, *, states: Iterable[State] | None = None, since: datetime | None = None,
             text: str | None = None, register_id: str | None = None,
             limit: int = 200) -> list[ExchangeSummary]: ...


class JournalRepository(Protocol):
    def head(self) -> tuple[int, str]: ...
    def append(self, *, ts: datetime, store: str, register: str, user: str, event: str,
               exchange_uuid: str | None, payload: Mapping[str, Any]) -> JournalEntry: ...
    def entries(self, exchange_uuid: str | None = None, *, since_seq: int = 0,
                limit: int | None = None) -> list[JournalEntry]: ...
    def anchors(self, source: str | None = None) -> list[Anchor]: ...
    # One row each, by key: the sync round asks after every push (the list grows all shift).
    def anchored(self, seq: int) -> bool: ...
    def last_anchor(self, source: str) -> Anchor | None: ...
    def add_anchor(self, anchor: Anchor, source: str, now: datetime) -> None: ...
    # The heads `audit verify --full` found intact, and the cheap checks of the entries up
    # to one of them (counted, linked, no re-hashing) that `audit verify` starts from.
    def checkpoints(self) -> list[Anchor]: ...
    def add_checkpoint(self, point: Anchor, now: datetime) -> None: ...
    def hashes_at(self, seqs: Iterable[int]) -> dict[int, str]: ...
    def linked_up_to(self, seq: int) -> bool: ...


class OutboxRepository(Protocol):
    def add(self, message_id: str, exchange_uuid: str, topic: str,
            payload: Mapping[str, Any], now: datetime) -> None: ...
    def pending_count(self) -> int: ...
    def due(self, now: datetime, limit: int) -> list[OutboxRecord]: ...
    def mark_sent(self, outbox_id: int) -> None: ...
    def mark_sent_many(self, outbox_ids: Sequence[int]) -> None: ...
    def prune_sent(self, before: datetime, limit: int) -> int:
        """Delete up to ``limit`` sent records created before ``before``; the count."""
    def retry_later(self, outbox_id: int, next_at: datetime, error: str) -> None: ...
    def dead_letter(self, outbox_id: int, error: str) -> None: ...
    def requeue(self, outbox_id: int) -> bool: ...
    def summary(self, count_sent: bool = False) -> OutboxSummary: ...
    def dead_letters(self) -> list[DeadLetter]: ...


class UserRepository(Protocol):
    def get(self, user_id: str) -> User: ...
    def by_badge(self, badge: str) -> User: ...
    def names(self) -> dict[str, str]: ...
    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None,
            now: datetime) -> User: ...
    def set_pin(self, user_id: str, pin: str) -> None: ...
    def verify_pin(self, user_id: str, pin: str, now: datetime) -> User: ...


class CardAttemptRepository(Protocol):
    def add(self, attempt: Attempt, reader_id: str | None, now: datetime) -> None: ...
    def get(self, attempt_id: str) -> Attempt: ...
    def update(self, attempt_id: str, now: datetime, **values: Any) -> Attempt: ...
    def update_open(self, attempt_id: str, now: datetime,
                    **values: Any) -> tuple[Attempt, bool]: ...
    def open_for(self, exchange_uuid: str) -> list[Attempt]: ...
    def all_open(self) -> list[Attempt]: ...
    def pending_card_refunds(self) -> list[dict[str, Any]]: ...
    def failed_card_refunds(self) -> list[dict[str, Any]]: ...
    def ensure_execution(self, tender_id: str, key: str, now: datetime) -> None: ...
    def execution_done(self, tender_id: str, refund_id: str, ok: bool, message: str | None,
                       now: datetime) -> None: ...
    def execution_retry_later(self, tender_id: str, message: str, now: datetime) -> None: ...


class ReportRepository(Protocol):
    """The back office's read side: the facts behind the figures, the money of a day."""

    def exchange_facts(self, start: datetime, end: datetime,
                       tz: tzinfo) -> list[ExchangeFact]: ...
    def on_hand(self, skus: Iterable[str]) -> dict[str, int]: ...
    def handed_out_since(self, since: datetime, limit: int = 1000) -> list[str]: ...
    def tender_moves(self, start: datetime | None, end: datetime) -> list[TenderMove]: ...
    def events_between(self, start: datetime | None, end: datetime,
                       events: Iterable[str]) -> list[tuple[str, str | None,
                                                            dict[str, Any]]]: ...
    def exchange_kinds(self, uuids: Iterable[str]) -> dict[str, tuple[str, int, str]]: ...
    def closes(self) -> list[DayClose]: ...
    def add_close(self, close: DayClose) -> None: ...


class UnitOfWork(Protocol):
    """``with uow:`` opens one transaction; leaving without ``commit()`` rolls back.
    Storage failures come out as ``StorageError`` after the rollback."""

    # Read-only members, so an implementation's own repository classes fit (covariance).
    @property
    def catalogue(self) -> CatalogueRepository: ...
    @property
    def sales(self) -> SaleRepository: ...
    @property
    def exchanges(self) -> ExchangeRepository: ...
    @property
    def journal(self) -> JournalRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def card_attempts(self) -> CardAttemptRepository: ...
    @property
    def reports(self) -> ReportRepository: ...
    @property
    def books(self) -> BooksRepository: ...   # the tables as stored, for `audit verify --deep`

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...

    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """``uow()`` for a write transaction, ``uow(readonly=True)`` for a consistent read."""

    def __call__(self, *, readonly: bool = False) -> UnitOfWork: ...


# ---------------------------------------------------------------------- stock at the hub


@dataclass(frozen=True)
class ReturnHold:
    """A sale line the exchange takes back, held at the hub with the stock."""

    order: str
    line: int
    qty: int


@dataclass(frozen=True)
class LockInActivity:
    """Who and what a lock-in is, for the daily limits counted at the hub."""

    customer: str | None
    user: str
    refund_minor: int
    created_at: datetime
    now: datetime
    timezone: str | None


@dataclass(frozen=True)
class StockHold:
    """The central system's answer to "hold these lines for this exchange": what it could
    not hold, the returned lines it held (sales it does not know are the register's own
    decision), and the day's counts for the limits (None: not counted there)."""

    out_of_stock: tuple[str, ...] = ()
    returns_held: tuple[ReturnHold, ...] = ()
    returns_unknown: tuple[str, ...] = ()
    customer_exchanges: tuple[str, ...] | None = None   # other exchanges' uuids today
    csr_refunds: Mapping[str, int] | None = None          # uuid -> refund, today


class StockCheck(Protocol):
    local_authoritative: bool  # is the register's own snapshot the truth?

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        """Return (available, unconfirmed) from the local snapshot (a scan-time hint)."""

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]], *,
                returns: tuple[ReturnHold, ...] = (),
                activity: LockInActivity | None = None) -> StockHold | None:
        """Hold the lines (and the returned sale lines) centrally, all or none (network:
        never inside a transaction). None: no answer (no hub, or it is unreachable), so
        the local snapshot and the local copy of the sale decide. A returned line the hub
        cannot hold raises ``Refused("QTY_EXCEEDS_PURCHASED")``."""


class LocalStock:
    """Stock on the register's own snapshot: the truth when no hub is configured."""

    local_authoritative = True

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        return uow.catalogue.on_hand(sku) >= qty, False

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]], *,
                returns: tuple[ReturnHold, ...] = (),
                activity: LockInActivity | None = None) -> StockHold | None:
        return None


class ShipmentHolds(Protocol):
    """Holds an exchange's shipped lines at their sources (services/shipments.py)."""

    def hold(self, ex: Exchange) -> None: ...
    def release(self, ex: Exchange) -> None: ...


class SaleLookup(Protocol):
    """Original sales at the hub, the one truth of the chain (network: never inside a
    transaction). None: no answer (no hub, unreachable, or it does not know the key), so
    the register's own copy decides."""

    def find(self, key: str) -> SaleCopy | None: ...
    def search(self, text: str) -> list[SaleMatch] | None: ...


class LocalSales:
    """No hub: the register's own sales are all it knows."""

    def find(self, key: str) -> SaleCopy | None:
        return None

    def search(self, text: str) -> list[SaleMatch] | None:
        return None


# ---------------------------------------------------------------------- the hub


class HubUnavailable(Unavailable):
    """The hub could not be reached or failed: nothing is lost, the record is retried."""


class HubRejected(Refused):
    """The hub refused this record for good: it goes to the dead-letter list. ``params``
    hold the hub's ``status`` and its answer's ``body`` (code, detail, params)."""


class HubAuthError(ConfigError):
    """The register's token was refused: a configuration problem, not the record's fault."""


class OutOfStock(Refused):
    """The hub could not hold a line: nothing was reserved."""

    @property
    def sku(self) -> str | None:
        sku = self.params.get("sku")
        return str(sku) if sku is not None else None


class Hub(Protocol):
    def post_exchange(self, message_id: str, topic: str,
                      document: Mapping[str, Any]) -> dict[str, Any]: ...

    def post_anchor(self, seq: int, digest: str,
                    entries: Sequence[JournalEntry] = (),
                    health: dict[str, Any] | None = None) -> dict[str, Any]:
        """Anchor the head ``seq``/``digest``, with the entries that lead to it from the
        head the hub holds (the hub checks every link); ``health``: what the register
        reports about itself."""

    def latest_anchor(self) -> Anchor | None:
        """The head the hub holds for this register (None: nothing anchored yet)."""


class Catalogue(Protocol):
    def catalogue_since(self, version: int, limit: int = 1000
                        ) -> tuple[list[dict[str, Any]], int, bool]: ...

    def stock_since(self, version: int, limit: int = 1000
                    ) -> tuple[list[dict[str, Any]], int, bool]: ...

    def sales_since(self, version: int, sold_since: datetime | None = None,
                    limit: int = 200) -> tuple[list[SaleCopy], int, bool]: ...


# ---------------------------------------------------------------------- where and when


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid4())


@dataclass(frozen=True)
class Runtime:
    """What every use case needs besides the database: where it runs and how it tells time."""

    store_id: str
    register_id: str
    currency: str
    clock: Callable[[], datetime] = utc_now
    tz: tzinfo = UTC                  # the store's calendar day, for daily limits
    ids: Callable[[], str] = new_id
