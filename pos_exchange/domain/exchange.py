"""The exchange aggregate: what comes back, what goes out, and the money between.

All rules that decide whether an exchange may move on live here, as pure
functions of its state. Services load it, call one method, and save it in one
unit of work together with the events it produced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pos_exchange.domain import money
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import BadInput, IllegalTransition, Refused
from pos_exchange.domain.journal import canonical_json
from pos_exchange.domain.money import Money
from pos_exchange.domain.policy import (
    Finding,
    NoReceiptPolicy,
    PolicyConfig,
    PolicyFacts,
    Severity,
    blocking,
    needs_approval,
)
from pos_exchange.domain.sale import Draw, Sale, draw_credit, split_refund
from pos_exchange.domain.shipment import (
    SHIP_REFUND_PREFIX,
    Address,
    RefundSource,
    Shipment,
    ShipmentState,
    fee_sku,
    is_fee_sku,
    refund_key,
    shipped_line_nos,
)


class State(StrEnum):
    DRAFT = "DRAFT"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PAID = "PAID"
    AWAITING_FULFILMENT = "AWAITING_FULFILMENT"   # paid; a shipment is still to leave
    IN_TRANSIT = "IN_TRANSIT"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    VOIDED = "VOIDED"


# The only moves the lifecycle allows (docs/architecture.md, Rules). Even and "less" exchanges go
# DRAFT -> PAID directly: they settle by refund, not payment.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.PENDING_APPROVAL, State.AWAITING_PAYMENT, State.PAID,
                            State.CANCELLED}),
    State.PENDING_APPROVAL: frozenset({State.DRAFT, State.AWAITING_PAYMENT, State.CANCELLED}),
    State.AWAITING_PAYMENT: frozenset({State.DRAFT, State.PAID, State.CANCELLED, State.VOIDED}),
    State.PAID: frozenset({State.IN_TRANSIT, State.AWAITING_FULFILMENT, State.VOIDED}),
    # With shipments the exchange follows them (``Exchange.follow_shipments``).
    State.AWAITING_FULFILMENT: frozenset({State.IN_TRANSIT, State.COMPLETED}),
    State.IN_TRANSIT: frozenset({State.COMPLETED, State.VOIDED}),
    State.COMPLETED: frozenset(),
    State.CANCELLED: frozenset(),
    State.VOIDED: frozenset(),
}
LIVE_STATES = frozenset(State) - {State.CANCELLED, State.VOIDED}
EDITABLE_STATES = frozenset({State.DRAFT, State.PENDING_APPROVAL, State.AWAITING_PAYMENT})


class Kind(StrEnum):
    UPGRADE = "upgrade"
    EVEN = "even"
    LESS = "less"


# ---------------------------------------------------------------------- the rules, once
# Pure functions of plain numbers: the aggregate calls them and raises; the hub's checker
# (hub/checks.py) calls them on a received record and flags what does not match.


def line_amounts(unit_price_minor: int, qty: int, tax_rate: Decimal) -> tuple[int, int, int]:
    """(net, tax, total) of a line sold now: price × quantity, tax half-up per line."""
    net = unit_price_minor * qty
    tax = money.line_tax(net, tax_rate)
    return net, tax, net + tax


def kind_of(gap_minor: int) -> Kind:
    """Upgrade when the customer pays, even at zero, "less" when the store refunds."""
    if gap_minor > 0:
        return Kind.UPGRADE
    return Kind.EVEN if gap_minor == 0 else Kind.LESS


# (kind, amount, rounding, compensates): any sequence of them, e.g. a record's tenders.
SettlingTender = tuple[str, int, int, "str | None"]


def settlement_parts(tenders: Sequence[SettlingTender]) -> tuple[int, int, int]:
    """(payments, refunds, cash rounding) of the tenders that settle the exchange. A void's
    compensating refunds give payments back; they are not part of the settlement."""
    settling = [t for t in tenders if t[3] is None]
    paid = sum(amount for kind, amount, _, _ in settling if kind == "payment")
    refunded = sum(amount for kind, amount, _, _ in settling if kind == "refund")
    rounding = sum(rounding for _, _, rounding, _ in settling)
    return paid, refunded, rounding


def settlement_balance(returned_credit_minor: int,
                       tenders: Sequence[SettlingTender]) -> int:
    """returned credit + payments − refunds − cash rounding: money is conserved when this
    equals the new items total."""
    paid, refunded, rounding = settlement_parts(tenders)
    return returned_credit_minor + paid - refunded - rounding


def void_shortfalls(payments: dict[str, int],
                    compensations: list[tuple[str, int]]) -> list[tuple[str, int, int]]:
    """Payments a void did not give back in full: (payment id, paid, given back)."""
    given: dict[str, int] = {}
    for payment_id, amount in compensations:
        given[payment_id] = given.get(payment_id, 0) + amount
    return [(pid, paid, given.get(pid, 0)) for pid, paid in payments.items()
            if given.get(pid, 0) != paid] + \
        [(pid, 0, amount) for pid, amount in given.items() if pid not in payments]


@dataclass
class ReturnedLine:
    line_no: int
    sku: str
    name: str
    qty: int
    credit_net_minor: int
    credit_tax_minor: int
    tax_rate: Decimal
    sale_line_id: int | None = None      # None: returned without a receipt
    condition: str = "resaleable"
    restock: bool = True

    @property
    def credit_minor(self) -> int:
        return self.credit_net_minor + self.credit_tax_minor


@dataclass
class RequestedLine:
    line_no: int
    sku: str
    name: str
    qty: int
    unit_price_minor: int
    tax_rate: Decimal

    @property
    def net_minor(self) -> int:
        return line_amounts(self.unit_price_minor, self.qty, self.tax_rate)[0]

    @property
    def tax_minor(self) -> int:
        return line_amounts(self.unit_price_minor, self.qty, self.tax_rate)[1]

    @property
    def total_minor(self) -> int:
        return line_amounts(self.unit_price_minor, self.qty, self.tax_rate)[2]


class TenderKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"


class TenderStatus(StrEnum):
    CONFIRMED = "confirmed"
    PENDING = "pending"     # e.g. a card refund queued while offline


@dataclass
class Tender:
    """Money that moved (or is queued to move) for this exchange.

    ``rounding_minor`` is the cash-rounding line inside ``amount_minor``, signed in the
    customer-pays direction: +2 when the customer paid 2 more than exact, -2 when a
    cash refund gave 2 more. Conservation then reads
    credit + Σpayments − Σrefunds − Σrounding = new total.
    """

    tender_id: str
    kind: TenderKind
    method: str                      # cash | card | store_credit
    amount_minor: int
    created_at: datetime
    payment_id: str                  # payments: their own id; refunds: the payment refunded to
    rounding_minor: int = 0
    tendered_minor: int | None = None
    change_minor: int = 0
    status: TenderStatus = TenderStatus.CONFIRMED
    card_brand: str | None = None
    card_last4: str | None = None
    reference: str | None = None     # PaymentIntent / refund id, never card data
    compensates: str | None = None   # a void's refund names the payment it reverses

    @property
    def exact_minor(self) -> int:
        sign = 1 if self.kind is TenderKind.PAYMENT else -1
        return self.amount_minor - sign * self.rounding_minor


@dataclass(frozen=True)
class Approval:
    approver_id: str
    reason: str
    content_hash: str
    approved_at: datetime


@dataclass(frozen=True)
class Valuation:
    returned_net_minor: int
    returned_tax_minor: int
    new_net_minor: int
    new_tax_minor: int

    @property
    def returned_credit_minor(self) -> int:
        return self.returned_net_minor + self.returned_tax_minor

    @property
    def new_total_minor(self) -> int:
        return self.new_net_minor + self.new_tax_minor

    @property
    def gap_minor(self) -> int:
        return self.new_total_minor - self.returned_credit_minor

    @property
    def kind(self) -> Kind:
        return kind_of(self.gap_minor)

    def as_dict(self) -> dict[str, Any]:
        return {
            "returned_net": self.returned_net_minor, "returned_tax": self.returned_tax_minor,
            "returned_credit": self.returned_credit_minor, "new_net": self.new_net_minor,
            "new_tax": self.new_tax_minor, "new_total": self.new_total_minor,
            "gap": self.gap_minor, "kind": str(self.kind),
        }


@dataclass(frozen=True)
class Event:
    """Something the journal must record; amounts in minor units."""

    type: str
    payload: dict[str, Any]


def no_receipt_unit_credit(policy: PolicyConfig, current_minor: int,
                           recent_prices: list[int]) -> int:
    """Unit value of an item returned without a receipt, per the configured policy."""
    if policy.no_receipt is NoReceiptPolicy.REFUSE:
        raise Refused("NO_RECEIPT_REFUSED")
    if policy.no_receipt is NoReceiptPolicy.CURRENT_PRICE:
        return current_minor
    return min([current_minor, *recent_prices])


@dataclass
class Exchange:
    uuid: str
    number: str
    store_id: str
    register_id: str
    currency: str
    created_by: str
    created_at: datetime
    state: State = State.DRAFT
    original_sale_id: str | None = None
    original_order_number: str | None = None
    customer_id: str | None = None
    returned: list[ReturnedLine] = field(default_factory=list)
    requested: list[RequestedLine] = field(default_factory=list)
    tenders: list[Tender] = field(default_factory=list)
    draws: list[Draw] = field(default_factory=list)
    approval: Approval | None = None
    approval_required: bool = False
    submitted_by: str | None = None
    findings: list[Finding] = field(default_factory=list)
    stock_unconfirmed: bool = False
    # The returned quantities were decided on this register's copy of the sale because the
    # hub could not hold them (offline): the hub re-checks them across records at sync.
    returns_unconfirmed: bool = False
    new_sale_id: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    finalized_at: datetime | None = None
    started_at: datetime | None = None   # the first scan: "time to complete" starts here
    shipments: list[Shipment] = field(default_factory=list)
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ state
    def _move(self, target: State) -> None:
        if target not in TRANSITIONS[self.state]:
            raise IllegalTransition("ILLEGAL_TRANSITION", number=self.number,
                                    state=str(self.state), target=str(target))
        self.events.append(Event("exchange.state", {"from": str(self.state), "to": str(target)}))
        self.state = target

    def _require(self, *states: State, action: str) -> None:
        if self.state not in states:
            raise IllegalTransition("ILLEGAL_TRANSITION", variant="action", action=action,
                                    number=self.number, state=str(self.state))

    @property
    def payments(self) -> list[Tender]:
        return [t for t in self.tenders if t.kind is TenderKind.PAYMENT]

    @property
    def refunds(self) -> list[Tender]:
        return [t for t in self.tenders if t.kind is TenderKind.REFUND]

    @property
    def money_moved(self) -> bool:
        return bool(self.tenders)

    # ------------------------------------------------------------------ basket
    def _edit(self) -> None:
        """Any basket change: only before money moves, and it voids an approval."""
        self._require(*EDITABLE_STATES, action="change_items")
        if self.payments:
            raise Refused("BASKET_LOCKED")
        if self.state is not State.DRAFT:
            self._move(State.DRAFT)
        self.submitted_by = None  # a changed basket is checked and locked in again

    def _check_qty(self, qty: int, policy: PolicyConfig) -> None:
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise BadInput("INVALID_QUANTITY", qty=str(qty))
        if qty > policy.max_line_qty:
            raise BadInput("QUANTITY_TOO_LARGE", qty=qty, most=policy.max_line_qty)

    def _name_of(self, sku: str) -> str:
        return next((r.name for r in self.requested if r.sku == sku), sku)

    def _next_line_no(self) -> int:
        numbers = [r.line_no for r in self.returned] + [r.line_no for r in self.requested]
        return 1 + max(numbers, default=0)

    def attach_sale(self, sale: Sale) -> None:
        """The customer's receipt, scanned after the exchange was started."""
        self._require(*EDITABLE_STATES, action="attach_receipt")
        if any(r.sale_line_id is not None for r in self.returned) and \
                self.original_sale_id != sale.sale_id:
            raise Refused("DIFFERENT_SALE", sale=self.original_order_number)
        self._edit()
        self.original_sale_id, self.original_order_number = sale.sale_id, sale.order_number
        self.customer_id = self.customer_id or sale.customer_id
        self.events.append(Event("exchange.sale_attached", {
            "sale": sale.order_number, "customer": self.customer_id}))

    def return_from_sale(self, sale: Sale, line_id: int, qty: int, item: Item,
                         policy: PolicyConfig, now: datetime,
                         condition: str = "resaleable", restock: bool = True) -> ReturnedLine:
        """Take back ``qty`` units of a line of the original sale, at what was paid for them."""
        self._check_qty(qty, policy)
        if self.original_sale_id not in (None, sale.sale_id):
            raise Refused("DIFFERENT_SALE", sale=self.original_order_number)
        if sale.currency != self.currency:
            raise Refused("CURRENCY_MISMATCH", sale=sale.order_number, currency=sale.currency)
        if not item.returnable:
            raise Refused("NON_RETURNABLE", item=item.name)
        if now - sale.sold_at > timedelta(days=policy.return_window_days):
            raise Refused("RETURN_WINDOW_EXPIRED", sale=sale.order_number,
                          days=policy.return_window_days)
        line = sale.line(line_id)
        if line.sku != item.sku:
            raise Refused("ITEM_NOT_ON_LINE", item=item.name, line=line_id,
                          sale=sale.order_number, line_item=line.name)
        existing = next((r for r in self.returned if r.sale_line_id == line_id), None)
        already_here = existing.qty if existing else 0
        if already_here + qty > line.returnable_qty:
            raise Refused("QTY_EXCEEDS_PURCHASED", returnable=line.returnable_qty,
                          item=line.name, sale=sale.order_number, bought=line.qty,
                          returned=line.returned_qty)
        self._edit()
        total = already_here + qty
        net, tax = line.credit_for(total)
        self.original_sale_id, self.original_order_number = sale.sale_id, sale.order_number
        self.customer_id = self.customer_id or sale.customer_id
        if existing:
            existing.qty, existing.credit_net_minor, existing.credit_tax_minor = total, net, tax
            existing.condition, existing.restock = condition, restock
            result = existing
        else:
            result = ReturnedLine(self._next_line_no(), line.sku, line.name, qty, net, tax,
                                  line.tax_rate, line_id, condition, restock)
            self.returned.append(result)
        self.events.append(Event("line.returned", {
            "sku": line.sku, "qty": total, "sale": sale.order_number, "sale_line": line_id,
            "credit": result.credit_minor}))
        return result

    def return_without_receipt(self, item: Item, qty: int, unit_credit_minor: int,
                               tax_rate: Decimal, policy: PolicyConfig,
                               condition: str = "resaleable", restock: bool = True
                               ) -> ReturnedLine:
        self._check_qty(qty, policy)
        if not item.returnable:
            raise Refused("NON_RETURNABLE", item=item.name)
        self._edit()
        existing = next((r for r in self.returned
                         if r.sale_line_id is None and r.sku == item.sku), None)
        total = qty + (existing.qty if existing else 0)
        net = unit_credit_minor * total
        tax = money.line_tax(net, tax_rate)
        if existing:
            existing.qty, existing.credit_net_minor, existing.credit_tax_minor = total, net, tax
            result = existing
        else:
            result = ReturnedLine(self._next_line_no(), item.sku, item.name, qty, net, tax,
                                  tax_rate, None, condition, restock)
            self.returned.append(result)
        self.events.append(Event("line.returned_no_receipt", {
            "sku": item.sku, "qty": total, "credit": result.credit_minor}))
        return result

    def request(self, item: Item, qty: int, tax_rate: Decimal,
                policy: PolicyConfig) -> RequestedLine:
        """Add the item the customer takes; scanning it again raises its quantity."""
        self._check_qty(qty, policy)
        existing = next((r for r in self.requested if r.sku == item.sku), None)
        total = qty + (existing.qty if existing else 0)
        if total > policy.max_line_qty:
            raise BadInput("QUANTITY_TOO_LARGE", qty=total, most=policy.max_line_qty)
        self._edit()
        if existing:
            existing.qty = total
            result = existing
        else:
            result = RequestedLine(self._next_line_no(), item.sku, item.name, qty,
                                   item.price_minor, tax_rate)
            self.requested.append(result)
        self.events.append(Event("line.requested", {
            "sku": item.sku, "qty": total, "unit_price": item.price_minor,
            "total": result.total_minor}))
        return result

    def mark_started(self, now: datetime) -> None:
        """The first scan starts the clock of "time to complete" (finalize stops it); a
        basket emptied and scanned again keeps its first start."""
        if self.started_at is None and (self.returned or self.requested):
            self.started_at = now

    def remove_line(self, line_no: int) -> None:
        self._edit()
        before = len(self.returned) + len(self.requested)
        self.returned = [r for r in self.returned if r.line_no != line_no]
        self.requested = [r for r in self.requested if r.line_no != line_no]
        if len(self.returned) + len(self.requested) == before:
            raise Refused("UNKNOWN_LINE", number=self.number, line=line_no)
        self.events.append(Event("line.removed", {"line_no": line_no}))
        self._drop_from_shipments(line_no)

    # ------------------------------------------------------------------ fulfilment
    def counter_lines(self) -> list[RequestedLine]:
        """Requested lines handed over at the counter (today's path)."""
        shipped = shipped_line_nos(self.shipments)
        return [r for r in self.requested if r.line_no not in shipped]

    def shipment_of(self, line_no: int) -> Shipment | None:
        return next((s for s in self.shipments if line_no in s.line_nos), None)

    def shipment(self, shipment_id: str) -> Shipment:
        found = next((s for s in self.shipments if s.shipment_id == shipment_id), None)
        if found is None:
            raise Refused("UNKNOWN_SHIPMENT", shipment=shipment_id, number=self.number)
        return found

    def ship_line(self, line_no: int, source: str, address: Address, shipment_id: str,
                  fee_minor: int = 0, fee_name: str = "Shipping") -> Shipment:
        """Ship a requested line from ``source`` to ``address`` (already validated). Lines
        shipped from one source to one address travel in one shipment with one fee."""
        line = next((r for r in self.requested if r.line_no == line_no), None)
        if line is None or is_fee_sku(line.sku):
            raise Refused("UNKNOWN_LINE", number=self.number, line=line_no)
        if not source or source == self.store_id:
            raise BadInput("SHIP_FROM_HERE", store=self.store_id)
        self._edit()
        self._drop_from_shipments(line_no, journal=False)
        shipment = next((s for s in self.shipments
                         if s.source == source and s.address == address), None)
        if shipment is None:
            shipment = Shipment(shipment_id, source, (), address)
            self.shipments.append(shipment)
            if fee_minor > 0:
                fee = RequestedLine(self._next_line_no(), fee_sku(source), fee_name, 1,
                                    fee_minor, Decimal("0"))
                self.requested.append(fee)
                shipment.fee_minor, shipment.fee_line_no = fee_minor, fee.line_no
                # A line like any other in the journal (audit verify --deep replays it).
                self.events.append(Event("line.requested", {
                    "sku": fee.sku, "qty": 1, "unit_price": fee_minor,
                    "total": fee.total_minor}))
        shipment.line_nos = tuple(sorted({*shipment.line_nos, line_no}))
        self.events.append(Event("shipment.chosen", {
            "shipment": shipment.shipment_id, "line_no": line_no, "sku": line.sku,
            "source": source, "fee": shipment.fee_minor,
            "country": address.country}))
        return shipment

    def take_now(self, line_no: int) -> None:
        """The line is handed over at the counter after all (undo ``ship_line``)."""
        if self.shipment_of(line_no) is None:
            return
        self._edit()
        self._drop_from_shipments(line_no)

    def _drop_from_shipments(self, line_no: int, journal: bool = True) -> None:
        shipment = self.shipment_of(line_no)
        if shipment is None:
            return
        shipment.line_nos = tuple(n for n in shipment.line_nos if n != line_no)
        if journal:
            self.events.append(Event("shipment.line_taken_now", {
                "shipment": shipment.shipment_id, "line_no": line_no}))
        if not shipment.line_nos:  # an empty shipment goes, and its fee with it
            self.shipments.remove(shipment)
            if shipment.fee_line_no is not None:
                self.requested = [r for r in self.requested
                                  if r.line_no != shipment.fee_line_no]
                self.events.append(Event("line.removed", {"line_no": shipment.fee_line_no}))

    def await_fulfilment(self, at: str) -> None:
        """Finalized with shipments: the counter lines are handed over, the shipments wait
        for their source (the hub releases them on the paid, settled record)."""
        self._require(State.PAID, action="release_shipment")
        for shipment in self.shipments:
            shipment.move(ShipmentState.AWAITING_FULFILMENT, at)
        shipped = shipped_line_nos(self.shipments)
        self.events.append(Event("shipment.awaiting_fulfilment", {
            "shipments": [s.as_dict() for s in self.shipments],
            # not moved out of this store's stock (audit verify --deep replays it)
            "not_moved": sorted(r.sku for r in self.requested if r.line_no in shipped)}))
        self._move(State.AWAITING_FULFILMENT)

    def shipment_update(self, shipment_id: str, target: ShipmentState, at: str, *,
                        carrier: str | None = None, tracking: str | None = None,
                        reason: str | None = None) -> bool:
        """The source's news (through the hub). False: already known (replays are fine)."""
        shipment = self.shipment(shipment_id)
        if shipment.state is target:
            return False
        if self.state not in (State.AWAITING_FULFILMENT, State.IN_TRANSIT):
            raise IllegalTransition("ILLEGAL_TRANSITION", variant="action",
                                    action="shipment_update", number=self.number,
                                    state=str(self.state))
        shipment.move(target, at)
        shipment.carrier = carrier or shipment.carrier
        shipment.tracking = tracking or shipment.tracking
        shipment.reason = reason or shipment.reason
        self.events.append(Event(f"shipment.{str(target).lower()}", shipment.as_dict()))
        self.follow_shipments()
        return True

    def shipment_resourced(self, shipment_id: str, source: str, at: str) -> bool:
        """A manager at the hub gave the shipment to another source (issue 12): it waits
        there to be picked. Only a shipment still waiting to leave moves; one refunded
        already never does. False: already known."""
        shipment = self.shipment(shipment_id)
        if shipment.source == source:
            return False
        if shipment.state is not ShipmentState.AWAITING_FULFILMENT:
            raise IllegalTransition("SHIPMENT_TRANSITION", variant="resource",
                                    shipment=shipment_id, shipment_state=str(shipment.state),
                                    shipment_target=str(ShipmentState.AWAITING_FULFILMENT))
        before, shipment.source = shipment.source, source
        shipment.history.append((str(shipment.state), at))
        self.events.append(Event("shipment.resourced", {
            "shipment": shipment_id, "from": before, "to": source, "at": at}))
        return True

    def unshipped_amounts(self, shipment_id: str) -> list[tuple[int, int]]:
        """(line, total) of a shipment's lines and its fee: what it owes back if it
        cannot ship."""
        shipment = self.shipment(shipment_id)
        numbers = [*shipment.line_nos, *([shipment.fee_line_no]
                                         if shipment.fee_line_no is not None else [])]
        totals = {r.line_no: r.total_minor for r in self.requested}
        return [(n, totals[n]) for n in numbers if totals.get(n)]

    def refund_sources(self) -> list[RefundSource]:
        """Where a line that cannot ship is refunded, newest money first: this exchange's
        own payments (last first), then the credit it carried from the original tenders;
        each capped at what it put in less what this exchange already gave back to it."""
        back: dict[str, int] = {}
        for t in self.refunds:
            if (t.compensates or "").startswith(SHIP_REFUND_PREFIX):
                back[t.payment_id] = back.get(t.payment_id, 0) + t.amount_minor
        sources: list[RefundSource] = []
        for p in reversed(self.payments):
            sources.append((p.payment_id, p.method, p.card_brand, p.card_last4,
                            max(0, p.exact_minor - back.pop(p.payment_id, 0))))
        for d in self.draws:
            if d.use == "carry":
                left = max(0, d.amount_minor - back.get(d.payment_id, 0))
                back[d.payment_id] = max(0, back.get(d.payment_id, 0) - d.amount_minor)
                sources.append((d.payment_id, d.method, d.card_brand, d.card_last4, left))
        return [s for s in sources if s[4] > 0]

    def refund_unshipped(self, shipment_id: str, refunds: list[Tender], short_minor: int
                         ) -> bool:
        """Record the refunds of a shipment that cannot ship: once (False when its lines
        were refunded already: the same news pulled twice, or a crash and a retry)."""
        shipment = self.shipment(shipment_id)
        if shipment.state is not ShipmentState.UNFULFILLABLE:
            raise IllegalTransition("ILLEGAL_TRANSITION", variant="action",
                                    action="refund_shipment", number=self.number,
                                    state=str(self.state))
        prefix = refund_key(shipment_id, 0).rsplit(":", 1)[0] + ":"
        if any((t.compensates or "").startswith(prefix) for t in self.tenders):
            return False
        for refund in refunds:
            if refund.kind is not TenderKind.REFUND or \
                    not (refund.compensates or "").startswith(prefix):
                raise Refused("INVALID_TENDER")
        self.tenders.extend(refunds)
        for refund in refunds:
            self.events.append(Event("refund.recorded", _tender_payload(refund)))
        self.events.append(Event("shipment.refunded", {
            "shipment": shipment_id, "total": sum(r.amount_minor for r in refunds),
            "short": short_minor, "reason": shipment.reason,
            "lines": sorted({int((r.compensates or "::0").rsplit(":", 1)[1])
                             for r in refunds})}))
        return True

    def follow_shipments(self) -> None:
        """The exchange's state follows its shipments: awaiting while any waits for its
        source, in transit while any travels, completed when none is left open."""
        states = {s.state for s in self.shipments}
        if ShipmentState.AWAITING_FULFILMENT in states:
            target = State.AWAITING_FULFILMENT
        elif ShipmentState.IN_TRANSIT in states:
            target = State.IN_TRANSIT
        else:
            target = State.COMPLETED
        if target is not self.state:
            self._move(target)

    # ------------------------------------------------------------------ valuation
    def valuation(self) -> Valuation:
        return Valuation(
            returned_net_minor=sum(r.credit_net_minor for r in self.returned),
            returned_tax_minor=sum(r.credit_tax_minor for r in self.returned),
            new_net_minor=sum(r.net_minor for r in self.requested),
            new_tax_minor=sum(r.tax_minor for r in self.requested),
        )

    def content_hash(self) -> str:
        """What an approval is bound to: any change to the basket changes this."""
        content: dict[str, Any] = {
            "sale": self.original_sale_id,
            "returned": [[r.sku, r.qty, r.sale_line_id, r.credit_minor] for r in self.returned],
            "requested": [[r.sku, r.qty, r.unit_price_minor, str(r.tax_rate)]
                          for r in self.requested],
        }
        if self.shipments:  # a changed fulfilment is a changed basket (keeps old hashes)
            content["shipments"] = [[s.source, list(s.line_nos), s.address.as_dict()]
                                    for s in self.shipments]
        return hashlib.sha256(canonical_json(content).encode()).hexdigest()

    @property
    def approval_valid(self) -> bool:
        return self.approval is not None and self.approval.content_hash == self.content_hash()

    def evaluate(self, policy: PolicyConfig, facts: PolicyFacts) -> list[Finding]:
        """Basket-level checks; line-level ones already refused bad lines at scan time."""
        val = self.valuation()
        cur = self.currency
        findings: list[Finding] = []
        if not self.returned:
            findings.append(Finding("NO_RETURNED_ITEMS", Severity.BLOCK))
        # Nothing requested is a plain return (returning an item received in
        # an exchange); it settles as an exchange for less with the whole credit refunded.
        receipt_lines = any(r.sale_line_id is not None for r in self.returned)
        if receipt_lines and facts.sale_age_days is not None and \
                facts.sale_age_days > policy.return_window_days:
            findings.append(Finding("RETURN_WINDOW_EXPIRED", Severity.BLOCK, {
                "sale": self.original_order_number, "days": policy.return_window_days,
                "variant": "now"}))
        for sku in facts.out_of_stock:
            findings.append(Finding("OUT_OF_STOCK", Severity.BLOCK, {
                "variant": "finding", "item": self._name_of(sku)}))
        if val.new_total_minor > policy.max_exchange_value_minor:
            findings.append(Finding("VALUE_CAP_EXCEEDED", Severity.BLOCK, {
                "total": Money(val.new_total_minor, cur),
                "limit": Money(policy.max_exchange_value_minor, cur)}))
        no_receipt_credit = sum(r.credit_minor for r in self.returned if r.sale_line_id is None)
        if val.gap_minor < 0 and no_receipt_credit and \
                policy.no_receipt is NoReceiptPolicy.REFUSE:
            findings.append(Finding("NO_RECEIPT_REFUND_REFUSED", Severity.BLOCK))
        if abs(val.gap_minor) > policy.approval_gap_minor:
            findings.append(Finding("APPROVAL_GAP", Severity.APPROVAL, {
                "gap": Money(abs(val.gap_minor), cur),
                "limit": Money(policy.approval_gap_minor, cur)}))
        if self.customer_id and \
                facts.customer_exchanges_today >= policy.max_exchanges_per_customer_per_day:
            findings.append(Finding("CUSTOMER_DAILY_LIMIT", Severity.APPROVAL, {
                "count": facts.customer_exchanges_today}))
        refund = max(0, -val.gap_minor)
        limit = policy.max_refunds_per_csr_per_day_minor
        if refund and facts.csr_refunds_today_minor + refund > limit:
            findings.append(Finding("CSR_REFUND_LIMIT", Severity.APPROVAL, {
                "refund": Money(refund, cur), "limit": Money(limit, cur)}))
        self.findings = findings
        return findings

    # ------------------------------------------------------------------ lifecycle
    def submit(self, by: str, policy: PolicyConfig, facts: PolicyFacts,
               stock_unconfirmed: bool = False) -> list[Finding]:
        """Lock the basket in: refuse, ask for approval, or move to payment."""
        self._require(State.DRAFT, action="lock_in")
        findings = self.evaluate(policy, facts)
        blocks = blocking(findings)
        if blocks:
            raise Refused(blocks[0].code, **blocks[0].params, findings=findings)
        self.submitted_by, self.stock_unconfirmed = by, stock_unconfirmed
        self.approval_required = needs_approval(findings)
        self.events.append(Event("exchange.submitted", {
            "valuation": self.valuation().as_dict(),
            "findings": [f.as_dict() for f in findings],
            "stock_unconfirmed": stock_unconfirmed}))
        if self.approval_required and not self.approval_valid:
            self._move(State.PENDING_APPROVAL)
        elif self.valuation().kind is Kind.UPGRADE:
            self._move(State.AWAITING_PAYMENT)
        return findings

    def approve(self, approver_id: str, approver_can_approve: bool, reason: str,
                now: datetime, participants: frozenset[str] = frozenset()) -> Approval:
        """``participants``: everyone who worked on this exchange (from its journal)."""
        self._require(State.PENDING_APPROVAL, action="approve")
        if approver_id in {self.created_by, self.submitted_by, *participants}:
            raise Refused("SELF_APPROVAL")
        if not approver_can_approve:
            raise Refused("NOT_AUTHORIZED", user=approver_id)
        if not reason or not reason.strip():
            raise BadInput("APPROVAL_REASON_REQUIRED")
        self.approval = Approval(approver_id, reason.strip(), self.content_hash(), now)
        self.events.append(Event("exchange.approved", {
            "approver": approver_id, "reason": reason.strip(),
            "content_hash": self.approval.content_hash,
            "gap": self.valuation().gap_minor}))
        self._move(State.AWAITING_PAYMENT if self.valuation().kind is Kind.UPGRADE
                   else State.DRAFT)
        return self.approval

    # ------------------------------------------------------------------ payments
    @property
    def remaining_due_minor(self) -> int:
        paid = sum(t.exact_minor for t in self.payments)
        return self.valuation().gap_minor - paid

    def add_payment(self, tender: Tender, policy: PolicyConfig) -> Tender:
        self._require(State.AWAITING_PAYMENT, action="take_payment")
        if tender.kind is not TenderKind.PAYMENT or tender.amount_minor < 0:
            raise BadInput("INVALID_AMOUNT", variant="positive")
        due = self.remaining_due_minor
        if due <= 0:
            raise Refused("NOTHING_DUE")
        if tender.reference and any(t.reference == tender.reference for t in self.payments):
            raise Refused("DUPLICATE_PAYMENT", reference=tender.reference)
        if tender.exact_minor > due:
            raise Refused("OVERPAYMENT", due=Money(due, self.currency),
                          amount=Money(tender.exact_minor, self.currency))
        if tender.method == "cash" and tender.rounding_minor and \
                tender.amount_minor != money.cash_round(due, policy.cash_rounding_increment):
            raise Refused("INVALID_ROUNDING")
        self.tenders.append(tender)
        self.events.append(Event("payment.recorded", _tender_payload(tender)))
        return tender

    def cash_payment(self, tendered_minor: int, policy: PolicyConfig, tender_id: str,
                     now: datetime) -> Tender:
        """Cash handed over: settle the rounded remainder (with change) or part of it."""
        due = self.remaining_due_minor
        rounded_due = money.cash_round(due, policy.cash_rounding_increment)
        if tendered_minor <= 0:
            raise BadInput("INVALID_AMOUNT", variant="cash")
        if tendered_minor >= rounded_due:
            applied, rounding, change = rounded_due, rounded_due - due, tendered_minor - rounded_due
        else:
            applied, rounding, change = tendered_minor, 0, 0
        return self.add_payment(Tender(
            tender_id, TenderKind.PAYMENT, "cash", applied, now, payment_id=tender_id,
            rounding_minor=rounding, tendered_minor=tendered_minor, change_minor=change,
        ), policy)

    # ------------------------------------------------------------------ settlement
    def plan_refunds(self, sale: Sale | None, no_receipt_payment_id: str) -> list[Draw]:
        """Where the returned credit goes: carried into the new sale or refunded.

        Receipt credit is drawn from the original sale's tenders in order. No-receipt
        credit is store credit the store issues now, and is refunded first, so its
        value never turns into card or cash money while real tenders can absorb it.
        """
        receipt_credit = sum(r.credit_minor for r in self.returned if r.sale_line_id is not None)
        no_receipt = sum(r.credit_minor for r in self.returned if r.sale_line_id is None)
        draws: list[Draw] = []
        if no_receipt:
            draws.append(Draw(no_receipt_payment_id, "store_credit", no_receipt, "carry"))
        if receipt_credit:
            if sale is None or sale.sale_id != self.original_sale_id:
                raise Refused("SALE_REQUIRED")
            draws += draw_credit(sale.funding, receipt_credit)
        refund = max(0, -self.valuation().gap_minor)
        return split_refund(draws, refund)

    def check_conservation(self) -> None:
        val = self.valuation()
        lhs = settlement_balance(val.returned_credit_minor, [
            (str(t.kind), t.amount_minor, t.rounding_minor, t.compensates)
            for t in self.tenders])
        if lhs != val.new_total_minor:
            raise Refused("MONEY_NOT_CONSERVED", left=Money(lhs, self.currency),
                          right=Money(val.new_total_minor, self.currency))

    def check_finalizable(self) -> None:
        """Everything but the money: state, payment complete, approval still valid."""
        kind = self.valuation().kind
        if self.state is State.PENDING_APPROVAL:
            raise Refused("APPROVAL_REQUIRED")
        if kind is Kind.UPGRADE:
            self._require(State.AWAITING_PAYMENT, action="finalize_unpaid")
            if self.remaining_due_minor > 0:
                raise Refused("PAYMENT_INCOMPLETE",
                              due=Money(self.remaining_due_minor, self.currency))
        else:
            self._require(State.DRAFT, action="finalize")
            if self.submitted_by is None:
                raise Refused("NOT_SUBMITTED")
        if self.approval_required and not self.approval_valid:
            raise Refused("APPROVAL_REQUIRED", variant="changed")

    def finalize(self, sale: Sale | None, refunds: list[Tender], draws: list[Draw],
                 now: datetime) -> None:
        """Settle: check approval and conservation, record refunds, lock the money in."""
        self.check_finalizable()
        for refund in refunds:
            if refund.kind is not TenderKind.REFUND:
                raise Refused("INVALID_TENDER")
        self.tenders.extend(refunds)
        try:
            self.check_conservation()
        except Refused:
            del self.tenders[len(self.tenders) - len(refunds):]
            raise
        self.draws = list(draws)
        for refund in refunds:
            self.events.append(Event("refund.recorded", _tender_payload(refund)))
        self.finalized_at = now
        self.events.append(Event("exchange.finalized", {
            "valuation": self.valuation().as_dict(),
            "payments": sum(t.amount_minor for t in self.payments),
            "refunds": sum(t.amount_minor for t in self.refunds),
            "rounding": sum(t.rounding_minor for t in self.tenders),
            "draws": [[d.payment_id, d.use, d.amount_minor] for d in draws]}))
        self._move(State.PAID)

    def hand_over(self) -> None:
        """The customer leaves with the new items (or they ship): payment was mandatory."""
        self._require(State.PAID, action="hand_over")
        self._move(State.IN_TRANSIT)

    def complete(self, links: dict[str, str]) -> None:
        if self.shipments:  # the hub's answer; the shipments complete the exchange
            self.links.update(links)
            return
        self._require(State.IN_TRANSIT, action="complete")
        self.links.update(links)
        self._move(State.COMPLETED)

    def cancel(self, reason: str) -> None:
        if self.money_moved:
            raise Refused("MONEY_MOVED")
        self._require(State.DRAFT, State.PENDING_APPROVAL, State.AWAITING_PAYMENT,
                      action="cancel")
        self.events.append(Event("exchange.cancelled", {"reason": reason}))
        self._move(State.CANCELLED)

    def void(self, reason: str, compensations: list[Tender],
             later_exchanges: list[str] = ()) -> None:  # type: ignore[assignment]
        """Undo after money moved: every payment taken is refunded to where it came from.

        ``later_exchanges``: live exchanges returning this one's new items. While any
        exists, voiding would hand the same money back twice, so it is refused.
        """
        if later_exchanges:
            raise Refused("VOID_ITEMS_RETURNED", later=later_exchanges[0])
        if not self.money_moved and self.state is State.AWAITING_PAYMENT:
            raise Refused("NO_MONEY_MOVED")
        if self.refunds:
            raise Refused("VOID_REFUND_ISSUED")
        if not reason or not reason.strip():
            raise BadInput("VOID_REASON_REQUIRED")
        self._require(State.AWAITING_PAYMENT, State.PAID, State.IN_TRANSIT, action="void")
        owed = {p.tender_id: p.amount_minor for p in self.payments}
        if void_shortfalls(owed, [(c.compensates or "", c.amount_minor)
                                  for c in compensations]):
            raise Refused("VOID_MISMATCH")
        self.tenders.extend(compensations)
        for refund in compensations:
            self.events.append(Event("refund.recorded", _tender_payload(refund)))
        self.events.append(Event("exchange.voided", {"reason": reason.strip()}))
        self._move(State.VOIDED)

    def pop_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


def _tender_payload(tender: Tender) -> dict[str, Any]:
    return {
        "tender": tender.tender_id, "kind": str(tender.kind), "method": tender.method,
        "amount": tender.amount_minor, "rounding": tender.rounding_minor,
        "tendered": tender.tendered_minor, "change": tender.change_minor,
        "status": str(tender.status), "payment": tender.payment_id,
        "brand": tender.card_brand, "last4": tender.card_last4, "reference": tender.reference,
    }
