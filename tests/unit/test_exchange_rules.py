"""Lifecycle, approval and policy rules of the exchange aggregate."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from pos_exchange.domain.errors import IllegalTransition, PosError
from pos_exchange.domain.exchange import TRANSITIONS, State, Tender, TenderKind
from pos_exchange.domain.policy import PolicyConfig, PolicyFacts, Severity
from pos_exchange.messages import render
from tests.unit.builders import NOW, POLICY, card_payment, exchange, item, sale, sale_line

RATE = Decimal("0.0825")


def upgrade(gap_policy: PolicyConfig = POLICY, price: int = 5000):
    s = sale([sale_line(1, "A", 2, 2000, "0.0825")], [("pi", "card", 2165)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("A", 1000), gap_policy, NOW)
    ex.request(item("B", price), 1, RATE, gap_policy)
    return ex, s


def codes(err):
    return err.value.code


def test_every_state_outside_the_table_is_refused():
    for state in State:
        for target in State:
            ex = exchange()
            ex.state = state
            if target in TRANSITIONS[state]:
                ex._move(target)
                assert ex.state is target
            else:
                with pytest.raises(IllegalTransition):
                    ex._move(target)


def test_payment_is_mandatory_before_in_transit():
    ex, s = upgrade()
    ex.submit("csr1", POLICY, PolicyFacts())
    with pytest.raises(PosError) as err:
        ex.hand_over()
    assert codes(err) == "ILLEGAL_TRANSITION"
    with pytest.raises(PosError) as err:
        ex.finalize(s, [], ex.plan_refunds(s, "nr"), NOW)
    assert codes(err) == "PAYMENT_INCOMPLETE"


def test_approval_needed_then_given_by_another_manager_and_bound_to_content():
    ex, _ = upgrade(price=20000)  # gap well above 100.00
    ex.submit("csr1", POLICY, PolicyFacts())
    assert ex.state is State.PENDING_APPROVAL
    with pytest.raises(PosError) as err:
        ex.approve("csr1", True, "ok", NOW)
    assert codes(err) == "SELF_APPROVAL"
    with pytest.raises(PosError) as err:
        ex.approve("csr2", False, "ok", NOW)
    assert codes(err) == "NOT_AUTHORIZED"
    with pytest.raises(PosError) as err:
        ex.approve("mgr1", True, "  ", NOW)
    assert codes(err) == "APPROVAL_REASON_REQUIRED"
    ex.approve("mgr1", True, "loyal customer", NOW)
    assert ex.state is State.AWAITING_PAYMENT and ex.approval_valid
    # Changing the basket voids the approval: it goes back to draft and needs a new one.
    ex.request(item("C", 100), 1, RATE, POLICY)
    assert ex.state is State.DRAFT and not ex.approval_valid
    ex.submit("csr1", POLICY, PolicyFacts())
    assert ex.state is State.PENDING_APPROVAL


def test_basket_is_frozen_once_a_payment_is_taken_and_cancel_becomes_void():
    ex, _ = upgrade()
    ex.submit("csr1", POLICY, PolicyFacts())
    ex.add_payment(card_payment(1000), POLICY)
    with pytest.raises(PosError) as err:
        ex.request(item("C", 100), 1, RATE, POLICY)
    assert codes(err) == "BASKET_LOCKED"
    with pytest.raises(PosError) as err:
        ex.cancel("changed mind")
    assert codes(err) == "MONEY_MOVED"
    refund = Tender("r1", TenderKind.REFUND, "card", 1000, NOW, "pay-card",
                    compensates="pay-card")
    ex.void("card declined for the rest", [refund])
    assert ex.state is State.VOIDED


def test_void_must_refund_every_payment_in_full():
    ex, _ = upgrade()
    ex.submit("csr1", POLICY, PolicyFacts())
    ex.add_payment(card_payment(1000), POLICY)
    short = Tender("r1", TenderKind.REFUND, "card", 999, NOW, "pay-card", compensates="pay-card")
    with pytest.raises(PosError) as err:
        ex.void("x", [short])
    assert codes(err) == "VOID_MISMATCH" and ex.state is State.AWAITING_PAYMENT


def test_overpayment_and_bad_amounts_are_refused():
    ex, _ = upgrade()
    ex.submit("csr1", POLICY, PolicyFacts())
    due = ex.remaining_due_minor
    with pytest.raises(PosError) as err:
        ex.add_payment(card_payment(due + 1), POLICY)
    assert codes(err) == "OVERPAYMENT"
    with pytest.raises(PosError) as err:
        ex.cash_payment(0, POLICY, "c", NOW)
    assert codes(err) == "INVALID_AMOUNT"
    assert ex.tenders == []


@pytest.mark.parametrize("qty", [0, -1, 1.5, True, 100])
def test_absurd_quantities_are_refused(qty):
    s = sale([sale_line(1, "A", 2, 2000, "0.0825")], [("pi", "card", 2165)])
    ex = exchange()
    with pytest.raises(PosError) as err:
        ex.return_from_sale(s, 1, qty, item("A", 1000), POLICY, NOW)
    assert codes(err) in {"INVALID_QUANTITY", "QUANTITY_TOO_LARGE"}
    assert ex.returned == []


def test_returned_quantity_window_and_non_returnable_rules():
    s = sale([sale_line(1, "A", 2, 2000, "0.0825", returned=1)], [("pi", "card", 2165)])
    ex = exchange()
    with pytest.raises(PosError) as err:
        ex.return_from_sale(s, 1, 2, item("A", 1000), POLICY, NOW)
    assert codes(err) == "QTY_EXCEEDS_PURCHASED"
    ex.return_from_sale(s, 1, 1, item("A", 1000), POLICY, NOW)
    with pytest.raises(PosError) as err:  # scanning it again: none left
        ex.return_from_sale(s, 1, 1, item("A", 1000), POLICY, NOW)
    assert codes(err) == "QTY_EXCEEDS_PURCHASED"
    old = sale([sale_line(1, "A", 1, 2000, "0.0825")], [("pi", "card", 2165)], days_ago=31)
    with pytest.raises(PosError) as err:
        exchange().return_from_sale(old, 1, 1, item("A", 1000), POLICY, NOW)
    assert codes(err) == "RETURN_WINDOW_EXPIRED"
    with pytest.raises(PosError) as err:
        exchange().return_from_sale(s, 1, 1, item("A", 1000, returnable=False), POLICY, NOW)
    assert codes(err) == "NON_RETURNABLE"


def test_policy_findings_carry_codes_and_sentences():
    policy = PolicyConfig(max_exchange_value_minor=4000, max_exchanges_per_customer_per_day=2)
    ex, _ = upgrade(policy)
    ex.customer_id = "C1"
    findings = ex.evaluate(policy, PolicyFacts(customer_exchanges_today=2, out_of_stock=("B",)))
    by_code = {f.code: f for f in findings}
    assert by_code["VALUE_CAP_EXCEEDED"].severity is Severity.BLOCK
    assert by_code["OUT_OF_STOCK"].severity is Severity.BLOCK
    assert by_code["CUSTOMER_DAILY_LIMIT"].severity is Severity.APPROVAL
    # Each finding renders to a full sentence at the edge (messages.py).
    assert all(render(f).endswith(".") for f in findings)
    with pytest.raises(PosError) as err:
        ex.submit("csr1", policy, PolicyFacts(out_of_stock=("B",)))
    assert codes(err) in {"VALUE_CAP_EXCEEDED", "OUT_OF_STOCK"}
    assert ex.state is State.DRAFT


def test_csr_refund_limit_asks_for_approval():
    s = sale([sale_line(1, "A", 1, 50000, "0.0825")], [("pi", "card", 54125)])
    ex = exchange()
    ex.return_from_sale(s, 1, 1, item("A", 50000), POLICY, NOW)
    ex.request(item("B", 47000), 1, RATE, POLICY)  # refund 32.40
    findings = ex.evaluate(POLICY, PolicyFacts(csr_refunds_today_minor=49000))
    assert [f.code for f in findings] == ["CSR_REFUND_LIMIT"]


def test_cancel_only_before_money_and_illegal_after_completion():
    ex, _ = upgrade()
    ex.cancel("customer left")
    assert ex.state is State.CANCELLED
    with pytest.raises(IllegalTransition):
        ex.request(item("C", 100), 1, RATE, POLICY)


def test_window_boundary_is_inclusive_of_the_last_day():
    s = sale([sale_line(1, "A", 1, 2000, "0.0825")], [("pi", "card", 2165)], days_ago=30)
    exchange().return_from_sale(s, 1, 1, item("A", 1000), POLICY, NOW)
    late = sale([sale_line(1, "A", 1, 2000, "0.0825")], [("pi", "card", 2165)], days_ago=30)
    with pytest.raises(PosError):
        exchange().return_from_sale(late, 1, 1, item("A", 1000), POLICY,
                                    NOW + timedelta(seconds=1))
