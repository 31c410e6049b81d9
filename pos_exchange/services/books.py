"""The business tables as `audit verify --deep` reads them: plain rows, nothing derived.

The deep check (``services/deep_verify.py``) replays the journal and compares the result
with these rows, so they are read as stored (no domain object is built from them: a
damaged row must show up as a difference, not as an exception).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class BookExchange:
    uuid: str
    number: str
    state: str
    currency: str
    created_by: str
    sale: str | None              # the original sale's order number
    customer: str | None
    approver: str | None
    gap_minor: int


@dataclass(frozen=True)
class BookLine:
    exchange_uuid: str
    kind: str                     # returned | requested
    line_no: int
    sku: str
    qty: int
    credit_minor: int | None      # returned: net + tax credit
    sale_line_id: int | None
    restock: bool
    unit_price_minor: int | None  # requested
    tax_rate: str | None          # requested


@dataclass(frozen=True)
class BookTender:
    tender_id: str
    exchange_uuid: str
    kind: str
    method: str
    amount_minor: int
    rounding_minor: int
    tendered_minor: int | None
    change_minor: int
    status: str
    payment_id: str
    card_brand: str | None
    card_last4: str | None
    reference: str | None


@dataclass(frozen=True)
class BookDraw:
    exchange_uuid: str
    seq: int
    payment_id: str
    use: str
    amount_minor: int


@dataclass(frozen=True)
class BookMove:
    exchange_uuid: str
    sku: str
    qty: int


@dataclass(frozen=True)
class BookOutbox:
    id: int
    exchange_uuid: str
    topic: str
    payload: str
    status: str


@dataclass(frozen=True)
class StockLevel:
    sku: str
    on_hand: int
    ledger: int | None            # the last ``set`` plus the moves after it (None: no set)


@dataclass(frozen=True)
class Books:
    exchanges: dict[str, BookExchange] = field(default_factory=dict)
    lines: list[BookLine] = field(default_factory=list)
    tenders: list[BookTender] = field(default_factory=list)
    draws: list[BookDraw] = field(default_factory=list)
    moves: list[BookMove] = field(default_factory=list)
    outbox: list[BookOutbox] = field(default_factory=list)
    stock: list[StockLevel] = field(default_factory=list)
    # Exchanges settled before the stock ledger existed (migration 0006) have no moves.
    ledger_from_seq: int = 0
    # Sent outbox records were pruned up to this journal seq (the outbox's retention).
    outbox_pruned_seq: int = 0


class BooksRepository(Protocol):
    def snapshot(self, uuids: Collection[str] | None = None) -> Books:
        """The rows of these exchanges (None: every exchange), the outbox's records of
        them, and every item's stock level with its ledger."""

    def recent_exchanges(self, since: datetime) -> set[str]:
        """Exchanges created, paid or queued for the hub since ``since``, and every
        exchange without a journal entry (an index lookup each)."""
