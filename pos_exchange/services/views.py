"""The read side: plain, frozen rows for lists and summaries (cosmicpython's views.py).

Commands load and save aggregates; screens and reports that only *show* things read these
rows instead, each list in one query inside one read transaction. Nothing here has
behaviour beyond small derived properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.exchange import Exchange
from pos_exchange.domain.policy import Finding
from pos_exchange.domain.sale import Draw, Sale


@dataclass(frozen=True)
class ExchangeSummary:
    """One line of History or ``exchange list``."""

    uuid: str
    number: str
    state: str
    created_at: datetime
    created_by: str
    created_by_name: str | None
    customer_id: str | None
    customer_name: str | None
    original_sale: str | None
    currency: str
    gap_minor: int           # > 0 the customer paid, < 0 refunded, 0 even

    @property
    def register_id(self) -> str:
        return self.number.split("-")[2]


@dataclass(frozen=True)
class SaleMatch:
    """A sale found by its customer's name, phone, email or id (from the hub: any store of
    the chain, phone and email masked)."""

    order_number: str
    sold_at: datetime
    customer_id: str | None
    name: str | None
    phone: str | None
    store: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SaleCopy:
    """A sale as the hub holds it, for the register's own copy (looked up, or pulled as a
    delta). ``sale`` is the domain sale with what the *rest of the chain* took from it:
    ``returned_qty`` and the credits per line, ``drawn_minor`` per tender (this register's
    own exchanges are counted apart, from its own database)."""

    sale: Sale
    customer_name: str | None = None
    customer_phone: str | None = None
    customer_email: str | None = None
    version: int | None = None
    voided: bool = False
    # The processor payment of each card tender (a PaymentIntent id), where its refund goes.
    references: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeadLetter:
    id: int
    exchange_uuid: str
    topic: str
    attempts: int
    last_error: str | None
    created_at: datetime


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    sent: int | None         # None: not counted (the status bar does not need it)
    dead: int
    oldest_pending: datetime | None


@dataclass(frozen=True)
class OutboxRecord:
    """A record due for delivery."""

    id: int
    message_id: str
    exchange_uuid: str
    topic: str
    payload: str             # canonical JSON of the exchange record
    attempts: int


@dataclass(frozen=True)
class ExchangeView:
    """Everything the exchange screen shows, read in one transaction: the exchange, its
    live policy results while it is a draft, where a refund would go, the original sale as
    it stands for this exchange, the customer's name and the stock of the new items."""

    exchange: Exchange
    findings: list[Finding]
    refund_to: list[Draw]
    sale: Sale | None
    customer_name: str | None
    on_hand: dict[str, int] = field(default_factory=dict)
    # Live later exchanges that take this one's new items back: while any exists the
    # domain refuses a void (VOID_ITEMS_RETURNED), so the screen must not offer one.
    returned_later: list[str] = field(default_factory=list)

    @property
    def sale_origin(self) -> tuple[str | None, datetime] | None:
        """Where and when the original sale was made ("Sold at Store S002, 2026-11-03")."""
        return (self.sale.store_id, self.sale.sold_at) if self.sale else None

@dataclass(frozen=True)
class TenderMove:
    """Money that moved at this register: one tender, for the day's close."""

    tender_id: str
    exchange_uuid: str
    number: str
    kind: str                # payment | refund
    method: str              # cash | card | store_credit
    amount_minor: int
    rounding_minor: int
    status: str              # confirmed | pending
    compensates: str | None  # a void's refund names the payment it gives back
    card_brand: str | None
    currency: str
    created_at: datetime


@dataclass(frozen=True)
class DayClose:
    """A closed day (Z-report) as it was stored: its figures never change."""

    z_number: int
    business_day: date
    period_start: datetime | None
    period_end: datetime
    closed_at: datetime
    closed_by: str
    currency: str
    grand_total_minor: int
    figures: dict[str, Any]
    journal_seq: int
    journal_hash: str


@dataclass(frozen=True)
class ScannedLine:
    """What one scanned item did (``ExchangeService.scan``): the screen's view after it,
    the item, and whether it became a return (else a new item)."""

    view: ExchangeView
    item: Item
    returned: bool


@dataclass(frozen=True)
class CashPayout:
    """A cash refund owed at the next visit, paid out of this register's drawer."""

    tender_id: str
    exchange_uuid: str
    amount_minor: int
    paid_at: datetime
    paid_by: str
    approver_id: str | None
    register_id: str


@dataclass(frozen=True)
class OwedLine:
    """One refund owed in cash: a line (or fee) of a shipment that could not ship."""

    tender_id: str
    name: str                        # the item (or "Shipping") it refunds
    amount_minor: int
    payout: CashPayout | None = None   # None: still owed


@dataclass(frozen=True)
class CashOwed:
    """What the register owes a customer in cash for an exchange (services/cash_owed.py)."""

    uuid: str
    number: str
    currency: str
    customer_name: str | None
    lines: tuple[OwedLine, ...]
    needs_approval: bool = False     # the amount is above the refund limits: a manager

    @property
    def owed_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines if line.payout is None)

    @property
    def paid_minor(self) -> int:
        return sum(line.amount_minor for line in self.lines if line.payout is not None)
