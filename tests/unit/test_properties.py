"""Property-based tests of the money primitives and of the exchange aggregate.

Pure domain: no database. The reference values are computed independently of the
code under test (exact ``Fraction`` arithmetic), so a property failing here means the
engine loses or creates money, not that two copies of one formula disagree.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import count

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from pos_exchange.domain import money
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import Exchange, Kind, State, Tender, TenderKind
from pos_exchange.domain.policy import NoReceiptPolicy, PolicyConfig, PolicyFacts
from pos_exchange.domain.sale import Draw, Funding, Sale, SaleLine, draw_credit

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
CASH_INCREMENT = 5

# Limits far above anything generated, so the money path is never stopped by a policy.
GENEROUS = PolicyConfig(
    approval_gap_minor=10**12,
    max_exchange_value_minor=10**12,
    return_window_days=3650,
    max_exchanges_per_customer_per_day=10**6,
    max_refunds_per_csr_per_day_minor=10**12,
    no_receipt=NoReceiptPolicy.CURRENT_PRICE,
    max_line_qty=99,
    cash_rounding_increment=CASH_INCREMENT,
)

KNOWN_RATES = [Decimal(r) for r in ("0", "0.0225", "0.05", "0.077", "0.0825", "0.19", "0.2")]
rates = st.sampled_from(KNOWN_RATES) | st.decimals(
    min_value=Decimal(0), max_value=Decimal("0.5"), places=4, allow_nan=False,
    allow_infinity=False)


def half_up(value: Fraction) -> int:
    """Reference rounding, half away from zero, in exact arithmetic."""
    if value >= 0:
        return math.floor(value + Fraction(1, 2))
    return -math.floor(-value + Fraction(1, 2))


# ---------------------------------------------------------------------------- allocate

weight_lists = st.lists(st.integers(0, 10**6), min_size=1, max_size=20).filter(
    lambda ws: sum(ws) > 0)


@given(total=st.integers(0, 10**9), weights=weight_lists)
def test_allocate_parts_add_up_and_are_proportional(total: int, weights: list[int]) -> None:
    parts = money.allocate(total, weights)
    weight_sum = sum(weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert part >= 0
        exact = Fraction(total * weight, weight_sum)
        assert abs(part - exact) < 1, (part, exact)
        assert math.floor(exact) <= part <= math.ceil(exact)
        if weight == 0:
            assert part == 0
    # A heavier weight never gets less; equal weights differ by at most one unit.
    for i, wi in enumerate(weights):
        for j, wj in enumerate(weights):
            if wi > wj:
                assert parts[i] >= parts[j]
            elif wi == wj:
                assert abs(parts[i] - parts[j]) <= 1


@given(total=st.integers(0, 10**9), weights=weight_lists, factor=st.integers(1, 1000))
def test_allocate_depends_only_on_the_weight_ratios(total: int, weights: list[int],
                                                     factor: int) -> None:
    assert money.allocate(total, weights) == money.allocate(total, [w * factor for w in weights])


@given(total=st.integers(1, 10**6), n=st.integers(0, 5))
def test_allocate_refuses_what_it_cannot_split(total: int, n: int) -> None:
    with pytest.raises(ValueError):
        money.allocate(-total, [1] * max(n, 1))
    with pytest.raises(ValueError):
        money.allocate(total, [0] * n)
    assert money.allocate(0, []) == []


# ---------------------------------------------------------------------------- prorate

@st.composite
def partitions(draw: st.DrawFn, max_qty: int = 99) -> tuple[int, list[int]]:
    """A line quantity and an ordered split of all its units into partial takes."""
    qty = draw(st.integers(1, max_qty))
    takes, left = [], qty
    while left:
        take = draw(st.integers(1, left))
        takes.append(take)
        left -= take
    return qty, takes


@given(line_total=st.integers(0, 10**10), split=partitions())
def test_prorate_partial_takes_add_up_to_the_line_total(line_total: int,
                                                        split: tuple[int, list[int]]) -> None:
    qty, takes = split
    before, credits = 0, []
    for take in takes:
        credit = money.prorate(line_total, qty, before, take)
        assert 0 <= credit <= line_total
        # Each partial is within one minor unit of its exact share.
        assert abs(credit - Fraction(line_total * take, qty)) <= 1
        before += take
        credits.append(credit)
        # Path independence: what was credited so far is what one take of that many gives.
        assert sum(credits) == money.prorate(line_total, qty, 0, before)
    assert sum(credits) == line_total


@given(line_total=st.integers(0, 10**10), qty=st.integers(1, 99), data=st.data())
def test_prorate_is_monotone_and_refuses_out_of_range(line_total: int, qty: int,
                                                      data: st.DataObject) -> None:
    before = data.draw(st.integers(0, qty))
    taking = data.draw(st.integers(0, qty - before))
    assert money.prorate(line_total, qty, before, 0) == 0
    if taking < qty - before:
        assert money.prorate(line_total, qty, before, taking) <= \
            money.prorate(line_total, qty, before, taking + 1)
    with pytest.raises(ValueError):
        money.prorate(line_total, qty, before, qty - before + 1)
    with pytest.raises(ValueError):
        money.prorate(line_total, qty, -1, 1)


# ---------------------------------------------------------------------------- cash_round

increments = st.sampled_from([2, 5, 10, 25, 50, 100]) | st.integers(2, 1000)


@given(x=st.integers(-10**9, 10**9), inc=increments)
def test_cash_round_is_nearest_multiple_half_up_and_idempotent(x: int, inc: int) -> None:
    r = money.cash_round(x, inc)
    assert r % inc == 0
    assert 2 * abs(r - x) <= inc
    if 2 * abs(r - x) == inc:      # a tie goes away from zero (half up on the magnitude)
        assert abs(r) > abs(x)
    assert money.cash_round(r, inc) == r
    assert money.cash_round(-x, inc) == -r
    assert r == half_up(Fraction(x, inc)) * inc


@given(x=st.integers(-10**9, 10**9), y=st.integers(-10**9, 10**9), inc=increments)
def test_cash_round_is_monotone(x: int, y: int, inc: int) -> None:
    lo, hi = sorted((x, y))
    assert money.cash_round(lo, inc) <= money.cash_round(hi, inc)


@given(x=st.integers(-10**9, 10**9), inc=st.integers(-5, 1))
def test_cash_round_without_an_increment_is_the_identity(x: int, inc: int) -> None:
    assert money.cash_round(x, inc) == x


# ---------------------------------------------------------------------------- line_tax

@given(net=st.integers(0, 10**12), rate=rates)
def test_line_tax_is_decimal_half_up(net: int, rate: Decimal) -> None:
    tax = money.line_tax(net, rate)
    exact = Fraction(net) * Fraction(rate)
    assert tax == half_up(exact)
    assert tax == math.floor(exact + Fraction(1, 2))
    assert abs(tax - exact) <= Fraction(1, 2)
    assert 0 <= tax <= net


@given(a=st.integers(0, 10**12), b=st.integers(0, 10**12), rate=rates)
def test_line_tax_is_monotone_in_net(a: int, b: int, rate: Decimal) -> None:
    lo, hi = sorted((a, b))
    assert money.line_tax(lo, rate) <= money.line_tax(hi, rate)


@given(net=st.integers(1, 10**9), rate=rates)
def test_line_tax_refuses_a_negative_net(net: int, rate: Decimal) -> None:
    with pytest.raises(PosError) as err:
        money.line_tax(-net, rate)
    assert err.value.code == "NEGATIVE_AMOUNT"


@given(currency=st.sampled_from(["USD", "JPY", "KWD", "CHF"]), data=st.data())
def test_format_and_parse_round_trip(currency: str, data: st.DataObject) -> None:
    cap = int(money.MAX_MAJOR_AMOUNT.scaleb(money.exponent(currency)))
    minor = data.draw(st.integers(0, cap))
    assert money.to_minor(money.format_plain(minor, currency), currency) == minor
    with pytest.raises(PosError) as err:
        money.to_minor(money.format_plain(cap + 1 + minor, currency), currency)
    assert err.value.code == "AMOUNT_TOO_LARGE"


# ---------------------------------------------------------------------------- the aggregate

_ids = count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


@st.composite
def sales(draw: st.DrawFn) -> Sale:
    """A past sale: discounted lines at various tax rates, some units already returned
    (their credit already drawn from the tenders), paid by a split of cash and cards."""
    lines = []
    for line_id in range(1, draw(st.integers(1, 4)) + 1):
        qty = draw(st.integers(1, 6))
        unit = draw(st.integers(1, 60_000))
        discount = draw(st.integers(0, qty * unit // 2))   # its share of an order discount
        net = qty * unit - discount
        rate = draw(st.sampled_from(KNOWN_RATES))
        returned = draw(st.integers(0, qty - 1))
        lines.append(SaleLine(line_id, f"OLD-{line_id}", f"Old item {line_id}", qty, unit, net,
                              rate, money.line_tax(net, rate), returned))
    gross = sum(ln.gross_minor for ln in lines)
    n_tenders = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(0, gross), min_size=n_tenders - 1,
                                max_size=n_tenders - 1)))
    amounts = [b - a for a, b in zip([0, *cuts], [*cuts, gross], strict=True)]
    funding = []
    for n, amount in enumerate(amounts, 1):
        method = draw(st.sampled_from(["cash", "card"]))
        if amount:
            funding.append(Funding(f"pay-{n}", method, amount, 0,
                                   "visa" if method == "card" else None,
                                   "4242" if method == "card" else None))
    # Units returned earlier already took their credit from the tenders, in tender order.
    earlier = sum(money.prorate(ln.net_minor, ln.qty, 0, ln.returned_qty)
                  + money.prorate(ln.tax_minor, ln.qty, 0, ln.returned_qty) for ln in lines)
    drawn: dict[str, int] = {}
    for d in draw_credit(tuple(funding), earlier):
        drawn[d.payment_id] = drawn.get(d.payment_id, 0) + d.amount_minor
    funding = [dataclasses.replace(f, drawn_minor=drawn.get(f.payment_id, 0)) for f in funding]
    sold_at = NOW - timedelta(days=draw(st.integers(0, 30)))
    return Sale("sale-1", "S001-000123", None, sold_at, "C0001", "USD", tuple(lines),
                tuple(funding))


def fresh_exchange() -> Exchange:
    return Exchange(uuid=new_id("ex"), number="EX-S001-R01-000001-V", store_id="S001",
                    register_id="R01", currency="USD", created_by="csr1", created_at=NOW)


def refund_tender(draw: Draw, increment: int = CASH_INCREMENT) -> Tender:
    """A refund as the service books it: cash is rounded down, the rounding is its own line."""
    amount = draw.amount_minor
    if draw.method == "cash":
        amount = money.cash_refund_round(draw.amount_minor, increment)
    return Tender(new_id("refund"), TenderKind.REFUND, draw.method, amount, NOW,
                  draw.payment_id, rounding_minor=draw.amount_minor - amount,
                  card_brand=draw.card_brand, card_last4=draw.card_last4)


def card_payment(amount: int) -> Tender:
    tid = new_id("card")
    return Tender(tid, TenderKind.PAYMENT, "card", amount, NOW, payment_id=tid,
                  card_brand="visa", card_last4="4242", reference=f"pi_{tid}")


def build_basket(sale: Sale, data: st.DataObject) -> Exchange:
    """Return some units of the sale (in one or two scans a line) and request new items."""
    ex = fresh_exchange()
    open_lines = [ln for ln in sale.lines if ln.returnable_qty]
    chosen = data.draw(st.lists(st.sampled_from(open_lines), min_size=1, max_size=len(open_lines),
                                unique_by=lambda ln: ln.line_id), label="returned lines")
    for ln in chosen:
        qty = data.draw(st.integers(1, ln.returnable_qty), label=f"qty line {ln.line_id}")
        first = data.draw(st.integers(1, qty), label="first scan")
        item = Item(ln.sku, ln.name, ln.unit_price_minor, "standard")
        ex.return_from_sale(sale, ln.line_id, first, item, GENEROUS, NOW)
        if qty > first:
            ex.return_from_sale(sale, ln.line_id, qty - first, item, GENEROUS, NOW)
    if data.draw(st.booleans(), label="no-receipt item too"):
        unit = data.draw(st.integers(1, 20_000))
        ex.return_without_receipt(Item("NR-1", "Unreceipted", unit, "standard"),
                                  data.draw(st.integers(1, 3)), unit,
                                  data.draw(st.sampled_from(KNOWN_RATES)), GENEROUS)
    for n in range(data.draw(st.integers(1, 3), label="requested items")):
        price = data.draw(st.integers(1, 150_000), label="price")
        ex.request(Item(f"NEW-{n}", f"New item {n}", price, "standard"),
                   data.draw(st.integers(1, 4), label="qty"), data.draw(rates, label="rate"),
                   GENEROUS)
    return ex


def expected_credit(sale: Sale, ex: Exchange) -> int:
    """Independent valuation: each returned line's prorated share of what was paid."""
    total = 0
    for r in ex.returned:
        if r.sale_line_id is None:
            total += r.credit_net_minor + half_up(Fraction(r.credit_net_minor)
                                                  * Fraction(r.tax_rate))
            continue
        ln = sale.line(r.sale_line_id)
        got = ln.returned_qty + r.qty
        for amount in (ln.net_minor, ln.tax_minor):
            total += half_up(Fraction(amount * got, ln.qty)) \
                - half_up(Fraction(amount * ln.returned_qty, ln.qty))
    return total


def pay_in_full(ex: Exchange, data: st.DataObject) -> None:
    """Settle the amount due in a random split of card and cash (cash rounded to 0.05)."""
    for _ in range(3):
        due = ex.remaining_due_minor
        if due <= 0:
            return
        method = data.draw(st.sampled_from(["card", "cash"]), label="method")
        partial = due > 1 and data.draw(st.booleans(), label="partial")
        if method == "card":
            amount = data.draw(st.integers(1, due - 1), label="card amount") if partial else due
            ex.add_payment(card_payment(amount), GENEROUS)
            continue
        rounded = money.cash_round(due, CASH_INCREMENT)
        if partial and min(due, rounded) > 1:
            # Less than the rounded amount due: taken as is, no rounding line.
            tendered = data.draw(st.integers(1, min(due, rounded) - 1), label="cash part")
            tender = ex.cash_payment(tendered, GENEROUS, new_id("cash"), NOW)
            assert (tender.amount_minor, tender.rounding_minor) == (tendered, 0)
        else:
            tendered = rounded + data.draw(st.integers(0, 10_000), label="extra cash")
            if tendered <= 0:
                tendered = CASH_INCREMENT
            tender = ex.cash_payment(tendered, GENEROUS, new_id("cash"), NOW)
            assert tender.amount_minor == rounded
            assert tender.amount_minor % CASH_INCREMENT == 0
            assert tender.rounding_minor == rounded - due
            assert tender.change_minor == tendered - rounded
    if ex.remaining_due_minor > 0:
        ex.add_payment(card_payment(ex.remaining_due_minor), GENEROUS)


@settings(max_examples=300)
@given(sale=sales(), data=st.data())
def test_exchange_settles_with_money_conserved_to_the_cent(sale: Sale,
                                                            data: st.DataObject) -> None:
    ex = build_basket(sale, data)
    val = ex.valuation()
    event(f"kind={val.kind}")
    assert val.returned_credit_minor == expected_credit(sale, ex)
    assert val.new_total_minor == sum(r.net_minor + half_up(Fraction(r.net_minor)
                                                            * Fraction(r.tax_rate))
                                      for r in ex.requested)

    ex.submit("csr1", GENEROUS, PolicyFacts())
    if val.kind is Kind.UPGRADE:
        assert ex.state is State.AWAITING_PAYMENT
        pay_in_full(ex, data)
        assert ex.remaining_due_minor == 0
    else:
        assert ex.state is State.DRAFT

    draws = ex.plan_refunds(sale, "nr-1")
    refunds = [refund_tender(d) for d in draws if d.use == "refund"]
    ex.finalize(sale, refunds, draws, NOW)
    assert ex.state is State.PAID
    ex.check_conservation()

    paid = sum(t.amount_minor for t in ex.payments)
    refunded = sum(t.amount_minor for t in ex.refunds)
    rounding = sum(t.rounding_minor for t in ex.tenders)
    assert val.returned_credit_minor + paid - refunded - rounding == val.new_total_minor
    # Exact amounts: payments cover exactly the upgrade gap, refunds exactly the downgrade gap.
    assert sum(t.exact_minor for t in ex.payments) == max(0, val.gap_minor)
    assert sum(d.amount_minor for d in draws if d.use == "refund") == max(0, -val.gap_minor)
    for t in ex.tenders:
        if t.kind is TenderKind.PAYMENT:   # the final cash payment: to the nearest step
            assert abs(t.rounding_minor) * 2 <= CASH_INCREMENT
        else:                              # cash refunds: down, never more than exact
            assert 0 <= t.rounding_minor < CASH_INCREMENT
        if t.rounding_minor:
            assert t.method == "cash" and t.amount_minor % CASH_INCREMENT == 0

    # Refunds go to the tenders in order: every refund draw comes before every carried one.
    uses = [d.use for d in draws]
    assert uses == sorted(uses, key=lambda use: use != "refund")
    # The draws hand out the whole returned credit, never more than a tender has left.
    assert sum(d.amount_minor for d in draws) == val.returned_credit_minor
    available = {f.payment_id: f.available_minor for f in sale.funding}
    taken: dict[str, int] = {}
    for d in draws:
        assert d.amount_minor > 0
        taken[d.payment_id] = taken.get(d.payment_id, 0) + d.amount_minor
    for payment_id, amount in taken.items():
        if payment_id != "nr-1":
            assert amount <= available[payment_id], (payment_id, amount)
    # What funds the new sale (carried credit + exact payments) is exactly its total.
    carried = sum(d.amount_minor for d in draws if d.use == "carry")
    assert carried + sum(t.exact_minor for t in ex.payments) == val.new_total_minor


@settings(max_examples=200)
@given(sale=sales(), data=st.data(),
       delta=st.integers(-5_000, 5_000).filter(lambda d: d != 0))
def test_a_wrong_refund_or_payment_is_refused_as_money_not_conserved(
        sale: Sale, data: st.DataObject, delta: int) -> None:
    ex = build_basket(sale, data)
    ex.submit("csr1", GENEROUS, PolicyFacts())
    if ex.valuation().kind is Kind.UPGRADE:
        pay_in_full(ex, data)
    draws = ex.plan_refunds(sale, "nr-1")
    refunds = [refund_tender(d) for d in draws if d.use == "refund"]

    # A refund that is off by ``delta`` (or a stray one) cannot settle, and changes nothing.
    wrong = copy.deepcopy(refunds)
    if wrong:
        i = data.draw(st.integers(0, len(wrong) - 1), label="tampered refund")
        d = delta if wrong[i].amount_minor + delta >= 0 else -delta
        wrong[i] = dataclasses.replace(wrong[i], amount_minor=wrong[i].amount_minor + d)
    else:
        wrong = [Tender(new_id("refund"), TenderKind.REFUND, "card", abs(delta), NOW, "pay-1")]
    tenders_before, state_before = list(ex.tenders), ex.state
    with pytest.raises(PosError) as err:
        ex.finalize(sale, wrong, draws, NOW)
    assert err.value.code == "MONEY_NOT_CONSERVED"
    assert ex.tenders == tenders_before and ex.state is state_before
    assert ex.finalized_at is None and ex.draws == []

    # The right refunds still settle it afterwards.
    ex.finalize(sale, refunds, draws, NOW)
    ex.check_conservation()

    # Any later tampering with a recorded amount is caught by the conservation check.
    for mutate in ("payment", "refund", "rounding"):
        tampered = copy.deepcopy(ex)
        if mutate == "payment":
            tampered.tenders.append(card_payment(abs(delta)))
        elif mutate == "refund" and tampered.refunds:
            t = tampered.refunds[0]
            d = delta if t.amount_minor + delta >= 0 else -delta
            tampered.tenders[tampered.tenders.index(t)] = dataclasses.replace(
                t, amount_minor=t.amount_minor + d)
        else:
            t = tampered.tenders[0] if tampered.tenders else None
            if t is None:
                tampered.tenders.append(Tender(new_id("refund"), TenderKind.REFUND, "cash", 0,
                                               NOW, "pay-1", rounding_minor=delta))
            else:
                tampered.tenders[0] = dataclasses.replace(
                    t, rounding_minor=t.rounding_minor + delta)
        with pytest.raises(PosError) as err:
            tampered.check_conservation()
        assert err.value.code == "MONEY_NOT_CONSERVED"
