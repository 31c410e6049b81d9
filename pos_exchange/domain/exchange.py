"""The exchange aggregate: what comes back, what goes out, and the money between.

All rules that decide whether an exchange may move on live here, as pure
functions of its state. Services load it, call one method, and save it in one
unit of work together with the events it produced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pos_exchange.domain import money
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import DomainError, IllegalTransition
from pos_exchange.domain.journal import canonical_json
from pos_exchange.domain.policy import (
    Context,
    Finding,
    NoReceiptPolicy,
    PolicyConfig,
    Severity,
    blocking,
    needs_approval,
)
from pos_exchange.domain.sale import Draw, Sale, draw_credit, split_refund


class State(StrEnum):
    DRAFT = "DRAFT"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    AWAITING_PAYMENT = "AWAITING_PAYMENT"
    PAID = "PAID"
    IN_TRANSIT = "IN_TRANSIT"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    VOIDED = "VOIDED"


# The only moves the lifecycle allows (DESIGN §1). Even and "less" exchanges go
# DRAFT -> PAID directly: they settle by refund, not payment.
TRANSITIONS: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.PENDING_APPROVAL, State.AWAITING_PAYMENT, State.PAID,
                            State.CANCELLED}),
    State.PENDING_APPROVAL: frozenset({State.DRAFT, State.AWAITING_PAYMENT, State.CANCELLED}),
    State.AWAITING_PAYMENT: frozenset({State.DRAFT, State.PAID, State.CANCELLED, State.VOIDED}),
    State.PAID: frozenset({State.IN_TRANSIT, State.VOIDED}),
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
        return self.unit_price_minor * self.qty

    @property
    def tax_minor(self) -> int:
        return money.line_tax(self.net_minor, self.tax_rate)

    @property
    def total_minor(self) -> int:
        return self.net_minor + self.tax_minor


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
        if self.gap_minor > 0:
            return Kind.UPGRADE
        return Kind.EVEN if self.gap_minor == 0 else Kind.LESS

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
        raise DomainError(
            "NO_RECEIPT_REFUSED",
            "Returns without a receipt are not accepted at this store.",
        )
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
    new_sale_id: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    finalized_at: datetime | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ state
    def _move(self, target: State) -> None:
        if target not in TRANSITIONS[self.state]:
            raise IllegalTransition(
                "ILLEGAL_TRANSITION",
                f"Exchange {self.number} is {self.state.value.replace('_', ' ').lower()}; "
                f"it cannot become {target.value.replace('_', ' ').lower()}.",
                state=str(self.state), target=str(target),
            )
        self.events.append(Event("exchange.state", {"from": str(self.state), "to": str(target)}))
        self.state = target

    def _require(self, *states: State, action: str) -> None:
        if self.state not in states:
            raise IllegalTransition(
                "ILLEGAL_TRANSITION",
                f"Cannot {action}: exchange {self.number} is "
                f"{self.state.value.replace('_', ' ').lower()}.",
                state=str(self.state),
            )

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
        self._require(*EDITABLE_STATES, action="change the items")
        if self.payments:
            raise DomainError(
                "BASKET_LOCKED",
                "A payment was already taken: void the exchange to change its items.",
            )
        if self.state is not State.DRAFT:
            self._move(State.DRAFT)
        self.submitted_by = None  # a changed basket is checked and locked in again

    def _check_qty(self, qty: int, policy: PolicyConfig) -> None:
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 1:
            raise DomainError("INVALID_QUANTITY", f"Quantity {qty!r} must be a whole number ≥ 1.")
        if qty > policy.max_line_qty:
            raise DomainError(
                "QUANTITY_TOO_LARGE",
                f"Quantity {qty} is more than {policy.max_line_qty} on one line.",
            )

    def _next_line_no(self) -> int:
        return 1 + max((ln.line_no for ln in [*self.returned, *self.requested]), default=0)

    def attach_sale(self, sale: Sale) -> None:
        """The customer's receipt, scanned after the exchange was started."""
        self._require(*EDITABLE_STATES, action="attach a receipt")
        if any(r.sale_line_id is not None for r in self.returned) and \
                self.original_sale_id != sale.sale_id:
            raise DomainError("DIFFERENT_SALE",
                              "Items of another sale are already being returned: start a "
                              "separate exchange for this receipt.")
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
            raise DomainError(
                "DIFFERENT_SALE",
                f"This exchange already returns items of sale {self.original_order_number}; "
                "start a separate exchange for another receipt.",
            )
        if sale.currency != self.currency:
            raise DomainError("CURRENCY_MISMATCH",
                              f"Sale {sale.order_number} is in {sale.currency}.")
        if not item.returnable:
            raise DomainError("NON_RETURNABLE", f"{item.name} cannot be returned or exchanged.")
        if now - sale.sold_at > timedelta(days=policy.return_window_days):
            raise DomainError(
                "RETURN_WINDOW_EXPIRED",
                f"Sale {sale.order_number} is older than the {policy.return_window_days}-day "
                "return window.",
            )
        line = sale.line(line_id)
        if line.sku != item.sku:
            raise DomainError(
                "ITEM_NOT_ON_LINE",
                f"{item.name} is not line {line_id} of sale {sale.order_number} "
                f"(that line is {line.name}).")
        existing = next((r for r in self.returned if r.sale_line_id == line_id), None)
        already_here = existing.qty if existing else 0
        if already_here + qty > line.returnable_qty:
            raise DomainError(
                "QTY_EXCEEDS_PURCHASED",
                f"Only {line.returnable_qty} of {line.name} can be returned from sale "
                f"{sale.order_number} ({line.qty} bought, {line.returned_qty} already returned).",
            )
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
            raise DomainError("NON_RETURNABLE", f"{item.name} cannot be returned or exchanged.")
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
            raise DomainError("QUANTITY_TOO_LARGE",
                              f"Quantity {total} is more than {policy.max_line_qty} on one line.")
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

    def remove_line(self, line_no: int) -> None:
        self._edit()
        before = len(self.returned) + len(self.requested)
        self.returned = [r for r in self.returned if r.line_no != line_no]
        self.requested = [r for r in self.requested if r.line_no != line_no]
        if len(self.returned) + len(self.requested) == before:
            raise DomainError("UNKNOWN_LINE", f"Exchange {self.number} has no line {line_no}.")
        self.events.append(Event("line.removed", {"line_no": line_no}))

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
        content = {
            "sale": self.original_sale_id,
            "returned": [[r.sku, r.qty, r.sale_line_id, r.credit_minor] for r in self.returned],
            "requested": [[r.sku, r.qty, r.unit_price_minor, str(r.tax_rate)]
                          for r in self.requested],
        }
        return hashlib.sha256(canonical_json(content).encode()).hexdigest()

    @property
    def approval_valid(self) -> bool:
        return self.approval is not None and self.approval.content_hash == self.content_hash()

    def evaluate(self, policy: PolicyConfig, ctx: Context) -> list[Finding]:
        """Basket-level checks; line-level ones already refused bad lines at scan time."""
        val = self.valuation()
        findings: list[Finding] = []
        if not self.returned:
            findings.append(Finding("NO_RETURNED_ITEMS", Severity.BLOCK,
                                    "Scan the item the customer is bringing back."))
        # Nothing requested is a plain return (seed 2: returning an item received in
        # an exchange); it settles as an exchange for less with the whole credit refunded.
        receipt_lines = any(r.sale_line_id is not None for r in self.returned)
        if receipt_lines and ctx.sale_age_days is not None and \
                ctx.sale_age_days > policy.return_window_days:
            findings.append(Finding(
                "RETURN_WINDOW_EXPIRED", Severity.BLOCK,
                f"Sale {self.original_order_number} is now older than the "
                f"{policy.return_window_days}-day return window."))
        for sku in ctx.out_of_stock:
            findings.append(Finding("OUT_OF_STOCK", Severity.BLOCK,
                                    f"{sku} is not in stock; offer another item."))
        if val.new_total_minor > policy.max_exchange_value_minor:
            findings.append(Finding(
                "VALUE_CAP_EXCEEDED", Severity.BLOCK,
                f"New items total {money.format_plain(val.new_total_minor, self.currency)}, "
                "more than the exchange limit of "
                f"{money.format_plain(policy.max_exchange_value_minor, self.currency)}."))
        no_receipt_credit = sum(r.credit_minor for r in self.returned if r.sale_line_id is None)
        if val.gap_minor < 0 and no_receipt_credit and \
                policy.no_receipt is NoReceiptPolicy.REFUSE:
            findings.append(Finding("NO_RECEIPT_REFUND_REFUSED", Severity.BLOCK,
                                    "Items without a receipt cannot be refunded."))
        if abs(val.gap_minor) > policy.approval_gap_minor:
            findings.append(Finding(
                "APPROVAL_GAP", Severity.APPROVAL,
                f"A difference of {money.format_plain(abs(val.gap_minor), self.currency)} "
                "needs a manager's approval."))
        if self.customer_id and \
                ctx.customer_exchanges_today >= policy.max_exchanges_per_customer_per_day:
            findings.append(Finding(
                "CUSTOMER_DAILY_LIMIT", Severity.APPROVAL,
                f"This customer already made {ctx.customer_exchanges_today} exchanges today; "
                "a manager must approve another."))
        refund = max(0, -val.gap_minor)
        limit = policy.max_refunds_per_csr_per_day_minor
        if refund and ctx.csr_refunds_today_minor + refund > limit:
            findings.append(Finding(
                "CSR_REFUND_LIMIT", Severity.APPROVAL,
                "This refund takes you over your daily refund limit; a manager must approve it."))
        self.findings = findings
        return findings

    # ------------------------------------------------------------------ lifecycle
    def submit(self, by: str, policy: PolicyConfig, ctx: Context,
               stock_unconfirmed: bool = False) -> list[Finding]:
        """Lock the basket in: refuse, ask for approval, or move to payment."""
        self._require(State.DRAFT, action="lock in the exchange")
        findings = self.evaluate(policy, ctx)
        blocks = blocking(findings)
        if blocks:
            raise DomainError(blocks[0].code, blocks[0].message,
                              findings=[f.as_dict() for f in findings])
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
            raise DomainError("SELF_APPROVAL",
                              "You cannot approve your own exchange: call another manager.")
        if not approver_can_approve:
            raise DomainError("NOT_AUTHORIZED",
                              f"{approver_id} is not allowed to approve exchanges.")
        if not reason or not reason.strip():
            raise DomainError("APPROVAL_REASON_REQUIRED", "Choose a reason for the approval.")
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
        self._require(State.AWAITING_PAYMENT, action="take a payment")
        if tender.kind is not TenderKind.PAYMENT or tender.amount_minor < 0:
            raise DomainError("INVALID_AMOUNT", "A payment must be a positive amount.")
        due = self.remaining_due_minor
        if due <= 0:
            raise DomainError("NOTHING_DUE", "Nothing more is due on this exchange.")
        if tender.reference and any(t.reference == tender.reference for t in self.payments):
            raise DomainError("DUPLICATE_PAYMENT",
                              f"Payment {tender.reference} is already recorded on this exchange.")
        if tender.exact_minor > due:
            raise DomainError(
                "OVERPAYMENT",
                f"Only {money.format_plain(due, self.currency)} is due; "
                f"{money.format_plain(tender.exact_minor, self.currency)} is too much.")
        if tender.method == "cash" and tender.rounding_minor and \
                tender.amount_minor != money.cash_round(due, policy.cash_rounding_increment):
            raise DomainError("INVALID_ROUNDING",
                              "Cash rounding applies only to the final cash amount.")
        self.tenders.append(tender)
        self.events.append(Event("payment.recorded", _tender_payload(tender)))
        return tender

    def cash_payment(self, tendered_minor: int, policy: PolicyConfig, tender_id: str,
                     now: datetime) -> Tender:
        """Cash handed over: settle the rounded remainder (with change) or part of it."""
        due = self.remaining_due_minor
        rounded_due = money.cash_round(due, policy.cash_rounding_increment)
        if tendered_minor <= 0:
            raise DomainError("INVALID_AMOUNT", "Enter the cash the customer handed over.")
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
                raise DomainError("SALE_REQUIRED", "The original sale must be loaded to settle.")
            draws += draw_credit(sale.funding, receipt_credit)
        refund = max(0, -self.valuation().gap_minor)
        return split_refund(draws, refund)

    def check_conservation(self) -> None:
        val = self.valuation()
        paid = sum(t.amount_minor for t in self.payments)
        refunded = sum(t.amount_minor for t in self.refunds)
        rounding = sum(t.rounding_minor for t in self.tenders)
        lhs = val.returned_credit_minor + paid - refunded - rounding
        if lhs != val.new_total_minor:
            raise DomainError(
                "MONEY_NOT_CONSERVED",
                f"Returned credit plus payments minus refunds is "
                f"{money.format_plain(lhs, self.currency)}, but the new items total "
                f"{money.format_plain(val.new_total_minor, self.currency)}: "
                "the exchange cannot be finalized.",
                left=lhs, right=val.new_total_minor,
            )

    def check_finalizable(self) -> None:
        """Everything but the money: state, payment complete, approval still valid."""
        kind = self.valuation().kind
        if self.state is State.PENDING_APPROVAL:
            raise DomainError("APPROVAL_REQUIRED",
                              "A manager must approve this exchange before it is finalized.")
        if kind is Kind.UPGRADE:
            self._require(State.AWAITING_PAYMENT, action="finalize before payment")
            if self.remaining_due_minor > 0:
                raise DomainError(
                    "PAYMENT_INCOMPLETE",
                    f"{money.format_plain(self.remaining_due_minor, self.currency)} is still "
                    "due: take the payment before finalizing.")
        else:
            self._require(State.DRAFT, action="finalize")
            if self.submitted_by is None:
                raise DomainError("NOT_SUBMITTED", "Lock the exchange in before finalizing.")
        if self.approval_required and not self.approval_valid:
            raise DomainError("APPROVAL_REQUIRED",
                              "A manager must approve this exchange as it stands now.")

    def finalize(self, sale: Sale | None, refunds: list[Tender], draws: list[Draw],
                 now: datetime) -> None:
        """Settle: check approval and conservation, record refunds, lock the money in."""
        self.check_finalizable()
        for refund in refunds:
            if refund.kind is not TenderKind.REFUND:
                raise DomainError("INVALID_TENDER", "Only refunds are recorded at finalize.")
        self.tenders.extend(refunds)
        try:
            self.check_conservation()
        except DomainError:
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
        self._require(State.PAID, action="hand over the items")
        self._move(State.IN_TRANSIT)

    def complete(self, links: dict[str, str]) -> None:
        self._require(State.IN_TRANSIT, action="complete")
        self.links.update(links)
        self._move(State.COMPLETED)

    def cancel(self, reason: str) -> None:
        if self.money_moved:
            raise DomainError("MONEY_MOVED",
                              "Money has already moved: void the exchange instead of cancelling.")
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
            raise DomainError(
                "VOID_ITEMS_RETURNED",
                f"Items of this exchange were already returned in {later_exchanges[0]}: "
                "void or cancel that one first.")
        if not self.money_moved and self.state is State.AWAITING_PAYMENT:
            raise DomainError("NO_MONEY_MOVED", "Nothing was paid yet: cancel instead of voiding.")
        if self.refunds:
            raise DomainError(
                "VOID_REFUND_ISSUED",
                "This exchange already refunded money: process a return of the new items "
                "instead of a void.")
        if not reason or not reason.strip():
            raise DomainError("VOID_REASON_REQUIRED", "Give a reason for the void.")
        self._require(State.AWAITING_PAYMENT, State.PAID, State.IN_TRANSIT, action="void")
        owed = {p.tender_id: p.amount_minor for p in self.payments}
        given = {c.compensates: c.amount_minor for c in compensations}
        if owed != given:
            raise DomainError("VOID_MISMATCH",
                              "Each payment must be refunded in full by the void.")
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
