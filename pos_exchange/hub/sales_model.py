"""The sales feed's one typed model: a sale as the tills, the web shop, an import file or the
Shopify pull hands it to the hub (``POST /v1/sales``, ``pos-exchange-hub sales import``).

Published as ``docs/sale-feed.schema.json`` (``scripts/export-sale-schema.py``; a test
keeps it current). The rules of the record contract apply (``services/record.py``): money
is strict integers of minor units, tax rates are decimal strings, unknown fields are
refused, card data never appears (a tender has at most a brand, the last four digits and
the processor's payment id).

What a sale must say, and why:
- each line's ``net`` is what was paid for the whole line after every discount (its share
  of order discounts included), before tax; ``tax`` is the tax paid on it at ``tax_rate``.
  A return is credited exactly these (``domain/sale.py``);
- the tenders pay the lines to the cent (Σ net + tax = Σ tenders): refunds are drawn from
  them in order, each capped at what it paid;
- a card tender names its processor payment in ``reference`` (a Stripe PaymentIntent
  ``pi_…`` for the chain's tills, the Shopify transaction for the web shop), where a card
  refund is sent;
- ``store`` is where it was sold; ``customer`` is optional (name, phone, email for the
  lookup without a receipt).
Order numbers starting with ``EX-`` are the chain's exchanges (their sales come from the
exchange records themselves, never from the feed), and ``SO-`` the hub's sale orders.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, Field, StrictInt, model_validator

from pos_exchange.domain.journal import canonical_json
from pos_exchange.domain.money import MINOR_UNITS, format_plain
from pos_exchange.services.record import Amount, Code, Quantity, Rate, Text, _Strict

OrderNumber = Annotated[str, Field(pattern=r"^[A-Za-z0-9#][A-Za-z0-9#._/:-]{0,63}$")]
PaymentId = Annotated[str, Field(pattern=r"^[A-Za-z0-9#._/:-]{1,64}$")]
Source = Literal["till", "web", "import", "shopify"]
Moment = Annotated[AwareDatetime, AfterValidator(lambda m: in_range(m))]
FEED_MAX = 500  # sales per request: one transaction, all or nothing


class SaleLineIn(_Strict):
    line: Annotated[StrictInt, Field(ge=1, le=10_000)]
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Text = ""
    qty: Quantity
    unit_price: Amount          # the shelf price of one unit, before discounts
    net: Amount                 # paid for the whole line after every discount, before tax
    tax_rate: Rate
    tax: Amount


class TenderIn(_Strict):
    # The payment's own id at the hub, for its refund caps; by default the card's
    # ``reference``, else "<order number>/<n>".
    id: PaymentId | None = None
    method: Literal["cash", "card", "store_credit"]
    amount: Annotated[StrictInt, Field(ge=1, le=10**13)]
    brand: Annotated[str, Field(pattern=r"^[a-z_]{2,20}$")] | None = None
    last4: Annotated[str, Field(pattern=r"^\d{4}$")] | None = None
    reference: Annotated[str, Field(min_length=1, max_length=100)] | None = None


class CustomerIn(_Strict):
    id: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    name: Annotated[str, Field(max_length=200)] | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200)] | None = None


class SaleIn(_Strict):
    order_number: OrderNumber
    receipt_barcode: OrderNumber | None = None
    store: Code
    sold_at: Moment
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    customer: CustomerIn | None = None
    lines: Annotated[list[SaleLineIn], Field(min_length=1, max_length=500)]
    tenders: Annotated[list[TenderIn], Field(min_length=1, max_length=50)]
    source: Source = "till"
    # When the source last changed the order (Shopify's updatedAt): an older copy never
    # replaces a newer one.
    updated_at: Moment | None = None

    @model_validator(mode="after")
    def _consistent(self) -> SaleIn:
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"currency {self.currency} is not supported")
        if self.order_number.upper().startswith("EX-"):
            raise ValueError("EX- numbers are exchanges: their sales come from the records")
        if self.order_number.upper().startswith("SO-"):
            raise ValueError("SO- numbers are the hub's own sale orders of exchanges")
        ids = [line.line for line in self.lines]
        if len(ids) != len(set(ids)):
            raise ValueError("line numbers must be unique")
        for n, tender in enumerate(self.tenders, 1):
            if tender.method == "card" and not tender.reference:
                raise ValueError(f"tender {n}: a card tender needs its processor payment id "
                                 "in reference (e.g. the PaymentIntent pi_…)")
        payment_ids = self.payment_ids()
        if len(payment_ids) != len(set(payment_ids)):
            raise ValueError("tender ids must be unique")
        paid = sum(t.amount for t in self.tenders)
        due = sum(line.net + line.tax for line in self.lines)
        if paid != due:
            raise ValueError(f"the tenders pay {format_plain(paid, self.currency)} but the "
                             f"lines come to {format_plain(due, self.currency)}")
        return self

    def payment_ids(self) -> list[str]:
        """Each tender's payment id: its own, its card's processor payment (when that
        fits), else "<order number>/<n>" (a long order number by its hash)."""
        order = self.order_number if len(self.order_number) <= 58 else \
            hashlib.sha256(self.order_number.encode()).hexdigest()[:40]
        return [t.id or (t.reference if t.method == "card" and t.reference and
                         len(t.reference) <= 64 else f"{order}/{n}")
                for n, t in enumerate(self.tenders, 1)]

    def digest(self) -> str:
        """Content identity: the same sale sent again is the same, whenever it is sent."""
        body = self.model_dump(mode="json", exclude={"updated_at"})
        return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


class SalesIn(_Strict):
    """``POST /v1/sales``: up to 500 sales, stored all or none."""

    sales: Annotated[list[SaleIn], Field(min_length=1, max_length=FEED_MAX)]


class SaleResult(_Strict):
    order_number: str
    status: Literal["created", "updated", "unchanged", "stale"]
    version: int


class SalesOut(_Strict):
    results: list[SaleResult]


def json_schema() -> dict[str, Any]:
    """The feed's JSON Schema, as published in docs/sale-feed.schema.json."""
    schema = SalesIn.model_json_schema(mode="validation")
    schema["$id"] = "https://pos-exchange.example/schemas/sale-feed.v1.json"
    schema["title"] = "pos-exchange sales feed (POST /v1/sales)"
    return schema


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def in_range(moment: datetime) -> datetime:
    """An aware time the hub can store and count days with (years 1970 to 9000, in UTC)."""
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("the time is out of range") from None
    if moment.tzinfo is None or not 1970 <= utc.year <= 9000:
        raise ValueError("the time must be aware and between 1970 and 9000")
    return utc


def safe_time(text: str | None, fallback: datetime) -> datetime:
    """A time a register sent as text, or ``fallback`` when it is missing or unusable."""
    try:
        moment = parse_time(text)
        return in_range(moment) if moment else fallback
    except ValueError:
        return fallback
