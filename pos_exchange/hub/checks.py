"""Server-side re-check of an exchange record: never trust the register's totals.

Every derived number (line net, tax, total; valuation sums; gap) is recomputed from the
primitives (unit price, quantity, rate, credit net/tax, tender amounts) with the same
domain code the register uses, and each claimed value is compared with its recomputed
one. A difference *flags* the record for reconciliation; it is never rejected, because
the money already moved at the counter and a person must look at it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pos_exchange.domain.money import format_plain, line_tax
from pos_exchange.hub.wire import ExchangeDocument

TAX_MISMATCH = "TAX_MISMATCH"
TOTAL_MISMATCH = "TOTAL_MISMATCH"
CREDIT_MISMATCH = "CREDIT_MISMATCH"
GAP_MISMATCH = "GAP_MISMATCH"
MONEY_NOT_CONSERVED = "MONEY_NOT_CONSERVED"
REFUND_EXCEEDS_PAYMENT = "REFUND_EXCEEDS_PAYMENT"
STOCK_UNCONFIRMED = "STOCK_UNCONFIRMED"
# The order flags are reported in, whatever order the checks found them.
CODES = (TAX_MISMATCH, TOTAL_MISMATCH, CREDIT_MISMATCH, GAP_MISMATCH, MONEY_NOT_CONSERVED,
         REFUND_EXCEEDS_PAYMENT, STOCK_UNCONFIRMED)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def flag_codes(findings: list[Finding]) -> list[str]:
    found = {f.code for f in findings}
    return [code for code in CODES if code in found]


class _Checker:
    def __init__(self, doc: ExchangeDocument) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def money(self, minor: int) -> str:
        return format_plain(minor, self.doc.currency)

    def expect(self, code: str, what: str, claimed: int | None, actual: int) -> None:
        """Flag ``code`` when a claimed value differs from the recomputed one."""
        if claimed is not None and claimed != actual:
            self.findings.append(Finding(code, f"{what} is {self.money(claimed)} but "
                                               f"recomputes to {self.money(actual)}"))

    def flag(self, code: str, message: str) -> None:
        self.findings.append(Finding(code, message))


def check_document(doc: ExchangeDocument, topic: str) -> list[Finding]:
    c = _Checker(doc)
    new_net, new_tax, new_total = _check_requested(c)
    credit = _check_returned(c)
    val = doc.valuation
    c.expect(TOTAL_MISMATCH, "valuation.new_net", val.new_net, new_net)
    c.expect(TAX_MISMATCH, "valuation.new_tax", val.new_tax, new_tax)
    c.expect(TOTAL_MISMATCH, "valuation.new_total", val.new_total, new_total)
    gap = new_total - credit
    c.expect(GAP_MISMATCH, "valuation.gap", val.gap, gap)
    kind = "upgrade" if gap > 0 else "even" if gap == 0 else "less"
    for where, claimed in (("kind", doc.kind), ("valuation.kind", val.kind)):
        if claimed is not None and claimed != kind:
            c.flag(GAP_MISMATCH, f"{where} is {claimed} but a gap of {c.money(gap)} "
                                 f"makes it {kind}")
    settled = topic == "exchange.settled" or (
        topic == "exchange.voided" and doc.finalized_at is not None)
    if settled:
        _check_conservation(c, credit, new_total)
    if topic == "exchange.voided":
        _check_void_compensates(c)
    if topic == "exchange.cancelled" and doc.tenders:
        c.flag(MONEY_NOT_CONSERVED, "a cancelled exchange has tenders: money moved although "
                                    "nothing was exchanged")
    _check_refund_caps(c)
    if doc.stock_unconfirmed and topic == "exchange.settled":
        c.flag(STOCK_UNCONFIRMED, "stock was decided offline on the local snapshot: confirm "
                                  "the requested items were really available")
    return c.findings


def _check_requested(c: _Checker) -> tuple[int, int, int]:
    net_sum = tax_sum = total_sum = 0
    for line in c.doc.requested:
        net = line.unit_price * line.qty
        tax = line_tax(net, Decimal(line.tax_rate))
        where = f"requested line {line.sku}"
        c.expect(TOTAL_MISMATCH, f"{where} net", line.net, net)
        c.expect(TAX_MISMATCH, f"{where} tax at {line.tax_rate}", line.tax, tax)
        c.expect(TOTAL_MISMATCH, f"{where} total", line.total, net + tax)
        net_sum, tax_sum, total_sum = net_sum + net, tax_sum + tax, total_sum + net + tax
    return net_sum, tax_sum, total_sum


def _check_returned(c: _Checker) -> int:
    """Returned credit is what the original sale says was paid (prorated), which only the
    register's sale ledger knows; the hub checks its arithmetic, and the tax of lines
    returned without a receipt, whose tax the register computed from the rate."""
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
    """credit + Σpayments − Σrefunds − Σrounding = new total (DESIGN §1). A void's
    compensating refunds give back payments; they are not part of the settlement."""
    settling = [t for t in c.doc.tenders if t.compensates is None]
    paid = sum(t.amount for t in settling if t.kind == "payment")
    refunded = sum(t.amount for t in settling if t.kind == "refund")
    rounding = sum(t.rounding for t in settling)
    lhs = credit + paid - refunded - rounding
    if lhs != new_total:
        c.flag(MONEY_NOT_CONSERVED,
               f"returned credit {c.money(credit)} + payments {c.money(paid)} − refunds "
               f"{c.money(refunded)} − rounding {c.money(rounding)} = {c.money(lhs)}, but the "
               f"new items total {c.money(new_total)}")
    drawn = sum(d.amount for d in c.doc.draws)
    if c.doc.draws and drawn != credit:
        c.flag(CREDIT_MISMATCH, f"the credit drawn from the original tenders is "
                                f"{c.money(drawn)}, but the returned credit is {c.money(credit)}")


def _check_void_compensates(c: _Checker) -> None:
    given: dict[str, int] = defaultdict(int)
    for t in c.doc.tenders:
        if t.kind == "refund" and t.compensates is not None:
            given[t.compensates] += t.amount
    for p in c.doc.tenders:
        if p.kind == "payment" and given.get(p.id, 0) != p.amount:
            c.flag(MONEY_NOT_CONSERVED,
                   f"payment {p.id} of {c.money(p.amount)} was given back "
                   f"{c.money(given.get(p.id, 0))} by the void")


def _check_refund_caps(c: _Checker) -> None:
    """Within this record: a refund never exceeds what its source could give. Across
    records (what the original payment funded overall) is not checked yet."""
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
            c.flag(REFUND_EXCEEDS_PAYMENT,
                   f"the void gives back {c.money(amount)} to payment {source}, which paid "
                   f"{c.money(payments.get(source, 0))}")
    for source, amount in refunded.items():
        if amount > refundable.get(source, 0):
            c.flag(REFUND_EXCEEDS_PAYMENT,
                   f"refunds of {c.money(amount)} to payment {source or '(none)'} exceed the "
                   f"{c.money(refundable.get(source, 0))} drawn from it for refund")
