"""The seeds' three exchanges (more, even, less), exact to the cent.

Figures are worked by hand in the comments, independent of the code under test.
The original sales use different tax rates from the new items, one has an order
discount, and the cash legs use 0.05 cash rounding.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import Kind, State, Tender, TenderKind
from pos_exchange.domain.policy import PolicyFacts
from tests.unit.builders import CASH_05, NOW, POLICY, exchange, item, sale, sale_line

OLD_RATE, NEW_RATE, REDUCED = "0.07", Decimal("0.0825"), Decimal("0.0225")


def refunds_for(ex, sale_, policy):
    """What the service does at finalize: refund draws become refund tenders."""
    from pos_exchange.domain.money import cash_refund_round

    draws = ex.plan_refunds(sale_, "nr")
    tenders = []
    for i, d in enumerate(x for x in draws if x.use == "refund"):
        amount = cash_refund_round(d.amount_minor, policy.cash_rounding_increment) \
            if d.method == "cash" else d.amount_minor
        tenders.append(Tender(f"r{i}", TenderKind.REFUND, d.method, amount, NOW, d.payment_id,
                              rounding_minor=d.amount_minor - amount))
    return draws, tenders


def test_more_upgrade_with_order_discount_old_tax_rate_and_cash_rounding():
    # Bought 2 shirts at 40.00 with 10% off the order: line net 72.00, tax at the
    # old 7%: 5.04, paid 77.04 by card.
    s = sale([sale_line(1, "SHIRT", 2, 7200, OLD_RATE)], [("pi_1", "card", 7704)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("SHIRT", 4000), POLICY, NOW)
    # One shirt back: 36.00 + 2.52 tax = 38.52 credit (what was really paid).
    assert (ex.returned[0].credit_net_minor, ex.returned[0].credit_tax_minor) == (3600, 252)
    ex.request(item("JACKET", 5999), 1, NEW_RATE, CASH_05)
    val = ex.valuation()
    # New: 59.99 + 8.25% = 4.949175 -> 4.95 tax, 64.94 total. Gap 26.42.
    assert (val.new_net_minor, val.new_tax_minor, val.new_total_minor) == (5999, 495, 6494)
    assert (val.gap_minor, val.kind) == (2642, Kind.UPGRADE)
    ex.submit("csr1", CASH_05, PolicyFacts())
    assert ex.state is State.AWAITING_PAYMENT
    # Cash: 26.42 rounds to 26.40 (the 0.02 is a rounding line); 30.00 given, 3.60 change.
    cash = ex.cash_payment(3000, CASH_05, "cash-1", NOW)
    assert (cash.amount_minor, cash.rounding_minor, cash.change_minor) == (2640, -2, 360)
    assert ex.remaining_due_minor == 0
    draws, refunds = refunds_for(ex, s, CASH_05)
    assert refunds == []
    assert [(d.payment_id, d.use, d.amount_minor) for d in draws] == [("pi_1", "carry", 3852)]
    ex.finalize(s, refunds, draws, NOW)
    # 38.52 + 26.40 - 0 - (-0.02) = 64.94
    assert ex.state is State.PAID


def test_even_exchange_across_tax_classes():
    # Paid 50.00 + 8.25% = 4.125 -> 4.13: credit 54.13.
    s = sale([sale_line(1, "LAMP", 1, 5000, "0.0825")], [("cash-0", "cash", 5413)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("LAMP", 5000), POLICY, NOW)
    # A reduced-rate book at 52.94: tax 1.19115 -> 1.19, total 54.13.
    ex.request(item("BOOKSET", 5294, "reduced"), 1, REDUCED, POLICY)
    assert (ex.valuation().gap_minor, ex.valuation().kind) == (0, Kind.EVEN)
    ex.submit("csr1", POLICY, PolicyFacts())
    assert ex.state is State.DRAFT  # even exchanges skip the payment step
    draws, refunds = refunds_for(ex, s, POLICY)
    ex.finalize(s, refunds, draws, NOW)
    assert ex.state is State.PAID and ex.tenders == []


def test_less_refunds_original_tenders_in_order_each_capped():
    # Paid 77.99 + 6.43 tax = 84.42 as cash 30.02 then Visa 54.40.
    s = sale([sale_line(1, "BOOTS", 1, 7799, "0.0825")],
             [("cash-0", "cash", 3002), ("pi_2", "card", 5440)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("BOOTS", 7799), POLICY, NOW)
    ex.request(item("SOCKS", 1900), 1, NEW_RATE, CASH_05)  # 19.00 + 1.57 = 20.57
    val = ex.valuation()
    assert (val.returned_credit_minor, val.new_total_minor, val.gap_minor) == (8442, 2057, -6385)
    ex.submit("csr1", CASH_05, PolicyFacts())
    draws, refunds = refunds_for(ex, s, CASH_05)
    # 63.85 back: the whole cash tender first (30.02, paid out as 30.00 after
    # cash rounding), then 33.83 to the Visa; 20.57 of Visa stays on the new sale.
    assert [(d.payment_id, d.use, d.amount_minor) for d in draws] == [
        ("cash-0", "refund", 3002), ("pi_2", "refund", 3383), ("pi_2", "carry", 2057)]
    assert [(r.method, r.amount_minor, r.rounding_minor) for r in refunds] == [
        ("cash", 3000, 2), ("card", 3383, 0)]
    ex.finalize(s, refunds, draws, NOW)
    # 84.42 + 0 - 63.83 - 0.02 = 20.57
    assert ex.state is State.PAID


def test_finalize_refuses_money_not_conserved_and_changes_nothing():
    s = sale([sale_line(1, "BOOTS", 1, 7799, "0.0825")], [("pi_2", "card", 8442)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("BOOTS", 7799), POLICY, NOW)
    ex.request(item("SOCKS", 1900), 1, NEW_RATE, POLICY)
    ex.submit("csr1", POLICY, PolicyFacts())
    draws, refunds = refunds_for(ex, s, POLICY)
    refunds[0].amount_minor += 1  # one cent too generous
    with pytest.raises(PosError) as err:
        ex.finalize(s, refunds, draws, NOW)
    assert err.value.code == "MONEY_NOT_CONSERVED"
    assert ex.state is State.DRAFT and ex.tenders == [] and ex.draws == []


def test_partial_returns_of_one_line_add_up_exactly():
    # 3 units for 100.00 net: credits 33.33 + 33.34 + 33.33 = 100.00, never 99.99.
    s = sale([sale_line(1, "MUG", 3, 10000, "0.0825")], [("pi", "card", 10825)])
    credits = []
    for returned_before in range(3):
        line = sale_line(1, "MUG", 3, 10000, "0.0825", returned=returned_before)
        s2 = sale([line], [("pi", "card", 10825)])
        ex = exchange()
        ex.return_from_sale(s2, 1, 1, item("MUG", 3334), POLICY, NOW)
        credits.append((ex.returned[0].credit_net_minor, ex.returned[0].credit_tax_minor))
    assert [c[0] for c in credits] == [3333, 3334, 3333]
    assert sum(c[0] + c[1] for c in credits) == s.gross_minor
