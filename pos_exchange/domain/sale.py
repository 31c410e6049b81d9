"""Sales an exchange can draw from, and the funding ledger that caps every refund.

A *payment* is a real movement of money in (a cash payment, a card PaymentIntent)
or, for a no-receipt return, store credit the store itself issued. A sale is
*funded* by slices of payments. When items of a sale come back, their credit is
drawn from the sale's funding in tender order, each slice capped at what it
funded minus what was already drawn. The new sale an exchange creates is funded by
the drawn slices it carries plus the new payments, so returning an item received
in an exchange can never refund more to a payment than that payment put in,
across any number of hops (docs/architecture.md, Rules).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pos_exchange.domain.errors import NotFound, Refused
from pos_exchange.domain.money import prorate


@dataclass(frozen=True)
class SaleLine:
    line_id: int
    sku: str
    name: str
    qty: int
    unit_price_minor: int
    net_minor: int          # what was paid for the whole line after discounts, before tax
    tax_rate: Decimal       # the rate at the time of sale
    tax_minor: int
    returned_qty: int = 0   # already taken back by other live exchanges
    # What those returns were credited, net and tax; None: their prorated share.
    credited_net_minor: int | None = None
    credited_tax_minor: int | None = None

    @property
    def gross_minor(self) -> int:
        return self.net_minor + self.tax_minor

    @property
    def returnable_qty(self) -> int:
        return self.qty - self.returned_qty

    def credit_for(self, units: int) -> tuple[int, int]:
        """(net, tax) credit for ``units`` more units, on top of the other returns.

        Prorated as cumulative shares of the line, capped at what is left of it, and the
        last unit takes exactly the remainder: however returns interleave (or drafts are
        cancelled), all units together are credited the line total, never a cent more.
        """
        parts = []
        for total, credited in ((self.net_minor, self.credited_net_minor),
                                (self.tax_minor, self.credited_tax_minor)):
            if credited is None:
                credited = prorate(total, self.qty, 0, self.returned_qty)
            left = total - credited
            if self.returned_qty + units == self.qty:
                parts.append(left)
            else:
                share = prorate(total, self.qty, self.returned_qty, units)
                parts.append(max(0, min(share, left)))
        return parts[0], parts[1]


@dataclass(frozen=True)
class Funding:
    """One slice of a payment that funds a sale."""

    payment_id: str
    method: str             # cash | card | store_credit
    amount_minor: int
    drawn_minor: int = 0    # already carried into exchanges or refunded
    card_brand: str | None = None
    card_last4: str | None = None

    @property
    def available_minor(self) -> int:
        return self.amount_minor - self.drawn_minor

    @property
    def label(self) -> str:
        if self.method == "card" and self.card_last4:
            return f"{(self.card_brand or 'card').title()} •••• {self.card_last4}"
        return {"cash": "Cash", "store_credit": "Store credit"}.get(self.method, self.method)


@dataclass(frozen=True)
class Draw:
    """Part of a returned credit taken from one funding slice."""

    payment_id: str
    method: str
    amount_minor: int
    use: str                # "carry" into the new sale, or "refund" to the customer
    card_brand: str | None = None
    card_last4: str | None = None


@dataclass(frozen=True)
class Sale:
    sale_id: str
    order_number: str
    receipt_barcode: str | None
    sold_at: datetime
    customer_id: str | None
    currency: str
    lines: tuple[SaleLine, ...]
    funding: tuple[Funding, ...]
    source_exchange_uuid: str | None = None   # set when an exchange created this sale
    # Where it was sold ("Sold at Store S002, 2026-11-03"): the store, and how the sale
    # reached this register (till, web, import, shopify, exchange; None: rung up here).
    store_id: str | None = None
    source: str | None = None

    def line(self, line_id: int) -> SaleLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound("UNKNOWN_SALE_LINE", sale=self.order_number, line=line_id)

    def lines_for_sku(self, sku: str) -> list[SaleLine]:
        return [line for line in self.lines if line.sku == sku]

    @property
    def gross_minor(self) -> int:
        return sum(line.gross_minor for line in self.lines)


def draw_credit(funding: tuple[Funding, ...], credit_minor: int) -> list[Draw]:
    """Take ``credit_minor`` from funding slices in tender order, each capped at what is left."""
    draws: list[Draw] = []
    left = credit_minor
    for slice_ in funding:
        if left == 0:
            break
        take = min(left, slice_.available_minor)
        if take > 0:
            draws.append(Draw(slice_.payment_id, slice_.method, take, "carry",
                              slice_.card_brand, slice_.card_last4))
            left -= take
    if left:
        # Credit is prorated from the lines, whose total equals the funding total,
        # so this means the ledger was edited behind the engine's back.
        raise Refused("LEDGER_MISMATCH")
    return draws


def split_refund(draws: list[Draw], refund_minor: int) -> list[Draw]:
    """Mark the first ``refund_minor`` of the draws as refunds; the rest is carried."""
    out: list[Draw] = []
    left = refund_minor
    for draw in draws:
        refund = min(left, draw.amount_minor)
        left -= refund
        if refund:
            out.append(Draw(draw.payment_id, draw.method, refund, "refund",
                            draw.card_brand, draw.card_last4))
        if draw.amount_minor - refund:
            out.append(Draw(draw.payment_id, draw.method, draw.amount_minor - refund, "carry",
                            draw.card_brand, draw.card_last4))
    if left:
        raise Refused("LEDGER_MISMATCH", variant="refund")
    return out
