"""Server-side re-check of an exchange record: never trust the register's totals.

Every derived number (line net, tax, total; valuation sums; gap; kind; conservation; a
void's compensations) is recomputed from the primitives with the *same domain functions*
the register's aggregate uses (``domain/exchange.py``: ``line_amounts``, ``kind_of``,
``settlement_balance``, ``void_shortfalls``), and each claimed value is compared with its
recomputed one. A difference *flags* the record for reconciliation; it is never rejected,
because the money already moved at the counter and a person must look at it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pos_exchange.domain.exchange import (
    kind_of,
    line_amounts,
    settlement_balance,
    settlement_parts,
    void_shortfalls,
)
from pos_exchange.domain.money import format_plain, line_tax
from pos_exchange.messages import render
from pos_exchange.services.record import ExchangeRecord

TAX_MISMATCH = "TAX_MISMATCH"
TOTAL_MISMATCH = "TOTAL_MISMATCH"
CREDIT_MISMATCH = "CREDIT_MISMATCH"
GAP_MISMATCH = "GAP_MISMATCH"
MONEY_NOT_CONSERVED = "MONEY_NOT_CONSERVED"
REFUND_EXCEEDS_PAYMENT = "REFUND_EXCEEDS_PAYMENT"
STOCK_UNCONFIRMED = "STOCK_UNCONFIRMED"
# Found against the hub's own records (hub/truth.py): prices, the sales ledger, the limits.
PRICE_MISMATCH = "PRICE_MISMATCH"
OVER_RETURN = "OVER_RETURN"
OVER_REFUND = "OVER_REFUND"
CUSTOMER_DAILY_LIMIT = "CUSTOMER_DAILY_LIMIT"
CSR_REFUND_LIMIT = "CSR_REFUND_LIMIT"
# The order flags are reported in, whatever order the checks found them.
CODES = (TAX_MISMATCH, TOTAL_MISMATCH, CREDIT_MISMATCH, GAP_MISMATCH, MONEY_NOT_CONSERVED,
         REFUND_EXCEEDS_PAYMENT, STOCK_UNCONFIRMED, PRICE_MISMATCH, OVER_RETURN, OVER_REFUND,
         CUSTOMER_DAILY_LIMIT, CSR_REFUND_LIMIT)


@dataclass(frozen=True)
class Flag:
    """A reason to put the record before a person: a code and its parameters. The stored
    reconciliation item keeps the code and the English sentence from the shared catalogue,
    with amounts in the record's own plain figures ("6.44", the record's currency)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": render(self.code, self.params)}


def flag_codes(flags: list[Flag]) -> list[str]:
    found = {f.code for f in flags}
    return [code for code in CODES if code in found]


class _Checker:
    def __init__(self, doc: ExchangeRecord) -> None:
        self.doc = doc
        self.flags: list[Flag] = []

    def money(self, minor: int) -> str:
        return format_plain(minor, self.doc.currency)

    def expect(self, code: str, what: str, claimed: int | None, actual: int) -> None:
        """Flag ``code`` when a claimed value differs from the recomputed one."""
        if claimed is not None and claimed != actual:
            self.flag(code, variant="recomputed", what=what, claimed=self.money(claimed),
                      actual=self.money(actual))

    def flag(self, code: str, **values: Any) -> None:
        self.flags.append(Flag(code, values))


def check_document(doc: ExchangeRecord, topic: str) -> list[Flag]:
    c = _Checker(doc)
    new_net, new_tax, new_total = _check_requested(c)
    credit = _check_returned(c)
    val = doc.valuation
    c.expect(TOTAL_MISMATCH, "valuation.new_net", val.new_net, new_net)
    c.expect(TAX_MISMATCH, "valuation.new_tax", val.new_tax, new_tax)
    c.expect(TOTAL_MISMATCH, "valuation.new_total", val.new_total, new_total)
    gap = new_total - credit
    c.expect(GAP_MISMATCH, "valuation.gap", val.gap, gap)
    kind = str(kind_of(gap))
    for where, claimed in (("kind", doc.kind), ("valuation.kind", val.kind)):
        if claimed is not None and claimed != kind:
            c.flag(GAP_MISMATCH, variant="kind", what=where, claimed=claimed,
                   gap=c.money(gap), kind=kind)
    settled = topic == "exchange.settled" or (
        topic == "exchange.voided" and doc.finalized_at is not None)
    if settled:
        _check_conservation(c, credit, new_total)
    if topic == "exchange.voided":
        _check_void_compensates(c)
    if topic == "exchange.cancelled" and doc.tenders:
        c.flag(MONEY_NOT_CONSERVED, variant="cancelled")
    _check_refund_caps(c)
    if doc.stock_unconfirmed and topic == "exchange.settled":
        c.flag(STOCK_UNCONFIRMED, variant="record")
    return c.flags


def _check_requested(c: _Checker) -> tuple[int, int, int]:
    net_sum = tax_sum = total_sum = 0
    for line in c.doc.requested:
        net, tax, total = line_amounts(line.unit_price, line.qty, Decimal(line.tax_rate))
        where = f"requested line {line.sku}"
        c.expect(TOTAL_MISMATCH, f"{where} net", line.net, net)
        c.expect(TAX_MISMATCH, f"{where} tax at {line.tax_rate}", line.tax, tax)
        c.expect(TOTAL_MISMATCH, f"{where} total", line.total, total)
        net_sum, tax_sum, total_sum = net_sum + net, tax_sum + tax, total_sum + total
    return net_sum, tax_sum, total_sum


def _check_returned(c: _Checker) -> int:
    """Returned credit is what the original sale says was paid (prorated); here the hub
    checks its arithmetic, and the tax of lines returned without a receipt, whose tax the
    register computed from the rate."""
    net_sum = tax_sum = 0
    for line in c.doc.returned:
        where = f"returned line {line.sku}"
        c.expect(CREDIT_MISMATCH, f"{where} credit", line.credit,
                 line.credit_net + line.credit_tax)
        if line.sale_line is None:
            c.expect(TAX_MISMATCH, f"{where} tax at {line.tax_rate}", line.credit_tax,
                     line_tax(line.credit_net, Decimal(line.tax_rate)))
        net_sum, tax_sum = net_sum + line.credit_net, tax_sum + line.credit_tax
    val = c.doc.valuation
    c.expect(CREDIT_MISMATCH, "valuation.returned_net", val.returned_net, net_sum)
    c.expect(CREDIT_MISMATCH, "valuation.returned_tax", val.returned_tax, tax_sum)
    c.expect(CREDIT_MISMATCH, "valuation.returned_credit", val.returned_credit,
             net_sum + tax_sum)
    return net_sum + tax_sum


def _check_conservation(c: _Checker, credit: int, new_total: int) -> None:
    tenders = [(t.kind, t.amount, t.rounding, t.compensates) for t in c.doc.tenders]
    lhs = settlement_balance(credit, tenders)
    if lhs != new_total:
        paid, refunded, rounding = settlement_parts(tenders)
        c.flag(MONEY_NOT_CONSERVED, variant="record", credit=c.money(credit),
               paid=c.money(paid), refunded=c.money(refunded), rounding=c.money(rounding),
               left=c.money(lhs), right=c.money(new_total))
    drawn = sum(d.amount for d in c.doc.draws)
    if c.doc.draws and drawn != credit:
        c.flag(CREDIT_MISMATCH, variant="drawn", drawn=c.money(drawn), credit=c.money(credit))


def _check_void_compensates(c: _Checker) -> None:
    payments = {t.id: t.amount for t in c.doc.tenders if t.kind == "payment"}
    given = [(t.compensates, t.amount) for t in c.doc.tenders
             if t.kind == "refund" and t.compensates is not None]
    for payment_id, paid, back in void_shortfalls(payments, given):
        c.flag(MONEY_NOT_CONSERVED, variant="void", payment=payment_id, paid=c.money(paid),
               given=c.money(back))


def _check_refund_caps(c: _Checker) -> None:
    """Within this record: a refund never exceeds what its source could give. Across
    records (what the original payment funded overall) is the hub's ledger's job
    (hub/ledger.py: OVER_REFUND)."""
    payments = {t.id: t.amount for t in c.doc.tenders if t.kind == "payment"}
    refundable: dict[str, int] = defaultdict(int)
    for d in c.doc.draws:
        if d.use == "refund":
            refundable[d.payment] += d.amount
    compensated: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    for t in c.doc.tenders:
        if t.kind != "refund":
            continue
        if t.compensates is not None:
            compensated[t.compensates] += t.amount
        else:
            # A cash refund is rounded down: amount + rounding is what the draw allowed.
            refunded[t.payment or ""] += t.amount + t.rounding
    for source, amount in compensated.items():
        if amount > payments.get(source, 0):
            c.flag(REFUND_EXCEEDS_PAYMENT, variant="void", amount=c.money(amount),
                   payment=source, paid=c.money(payments.get(source, 0)))
    for source, amount in refunded.items():
        if amount > refundable.get(source, 0):
            c.flag(REFUND_EXCEEDS_PAYMENT, amount=c.money(amount), payment=source or "-",
                   drawn=c.money(refundable.get(source, 0)))


# --- the refund of a shipment that could not ship (issue 12; hub/shipment_refunds.py) ------

def shipment_refund_excess(owed: dict[int, int], refunds: list[tuple[int, str | None, int]],
                           left: dict[str, int]) -> tuple[str, dict[str, Any]] | None:
    """Unlike a flag, a refund record is *refused* when it overreaches (nothing moved at the
    hub yet, and the register's own plan, ``domain.shipment.plan_line_refunds``, never
    does): each line gives back at most what it owes (its total, by the hub's settled
    record), each tender at most what it has left to give back (what it paid, or the credit
    it carried, less the shipment refunds the hub holds against it). The first overreach as
    (variant, parameters), or None."""
    by_line: dict[int, int] = defaultdict(int)
    by_payment: dict[str, int] = defaultdict(int)
    for line, payment, amount in refunds:
        if line not in owed:
            return "line_unknown", {"line": line}
        if payment is None or payment not in left:
            return "payment", {"payment": str(payment)}
        by_line[line] += amount
        by_payment[payment] += amount
    for line, amount in sorted(by_line.items()):
        if amount > owed[line]:
            return "line", {"line": line, "refund": amount, "owed": owed[line]}
    for payment, amount in sorted(by_payment.items()):
        if amount > left[payment]:
            return "tender", {"payment": payment, "refund": amount, "left": left[payment]}
    return None
