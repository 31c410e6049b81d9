"""Card payments on the simulated reader: exactly once, through every way it can go wrong.

The simulated reader (pos_exchange/plugins/terminals/simulated/terminal.py) is the demo-mode
backend; the same service code runs against Stripe in test_stripe_payments.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pos_exchange.bootstrap import open_app
from pos_exchange.domain.card_attempts import AttemptStatus
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.messages import render
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.terminal import TerminalUnavailable
from tests.flows import BETTER, GOOD
from tests.flows import upgrade_awaiting_payment as upgrade

DECLINE, FUNDS = "4000000000000002", "4000000000009995"


@pytest.fixture
def reader():
    return SimulatedTerminal(auto_present=None)  # the test presents the card itself


@pytest.fixture
def card_app(db_path, clock, reader):
    application = open_app(str(db_path), clock=clock, terminal=reader)
    yield application
    application.close()



def count(app, sql):
    with app.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_card_approved_records_one_payment_with_brand_and_last4(card_app, reader):
    ex = upgrade(card_app)
    pay = card_app.payments
    attempt = pay.start(ex.number, "csr1")
    assert attempt.status is AttemptStatus.PROCESSING and attempt.intent_id
    assert pay.poll(attempt.attempt_id).status is AttemptStatus.PROCESSING
    reader.present(attempt.intent_id)
    done = pay.poll(attempt.attempt_id)
    assert done.status is AttemptStatus.SUCCEEDED
    ex = card_app.exchanges.get(ex.number)
    assert [(t.method, t.amount_minor, t.card_brand, t.card_last4, t.reference)
            for t in ex.payments] == [("card", 6385, "visa", "4242", attempt.intent_id)]
    assert pay.poll(attempt.attempt_id).status is AttemptStatus.SUCCEEDED  # idempotent
    assert len(card_app.exchanges.get(ex.number).payments) == 1
    assert card_app.exchanges.finalize(ex.number, "csr1").state is State.IN_TRANSIT


def test_decline_then_retry_with_another_card(card_app, reader):
    ex = upgrade(card_app)
    pay = card_app.payments
    first = pay.start(ex.number, "csr1")
    reader.present(first.intent_id, FUNDS)
    first = pay.poll(first.attempt_id)
    assert first.status is AttemptStatus.DECLINED
    assert first.decline_code == "insufficient_funds" and \
        "insufficient funds" in render(first.reason, {"variant": first.decline_code})
    assert card_app.exchanges.get(ex.number).payments == []
    second = pay.start(ex.number, "csr1")
    assert second.idempotency_key != first.idempotency_key
    reader.present(second.intent_id)
    assert pay.poll(second.attempt_id).status is AttemptStatus.SUCCEEDED
    assert len(card_app.exchanges.get(ex.number).payments) == 1


def test_nothing_else_may_change_the_exchange_while_a_card_is_in_flight(card_app, reader):
    ex = upgrade(card_app)
    attempt = card_app.payments.start(ex.number, "csr1")
    for call in (lambda: card_app.exchanges.pay_cash(ex.number, "csr1", "100"),
                 lambda: card_app.exchanges.cancel(ex.number, "csr1"),
                 lambda: card_app.exchanges.scan_requested(ex.number, "csr1", GOOD),
                 lambda: card_app.payments.start(ex.number, "csr1")):
        with pytest.raises(PosError) as err:
            call()
        assert err.value.code == "CARD_PAYMENT_IN_PROGRESS"
    canceled = card_app.payments.cancel(attempt.attempt_id, "csr1")
    assert canceled.status is AttemptStatus.CANCELED
    assert card_app.exchanges.cancel(ex.number, "csr1").state is State.CANCELLED


def test_split_tender_cash_then_card_and_a_decline_loses_nothing(card_app, reader):
    ex = upgrade(card_app)
    card_app.exchanges.pay_cash(ex.number, "csr1", "20.00")
    attempt = card_app.payments.start(ex.number, "csr1")
    assert attempt.amount_minor == 6385 - 2000
    reader.present(attempt.intent_id, DECLINE)
    assert card_app.payments.poll(attempt.attempt_id).status is AttemptStatus.DECLINED
    # The cash stays recorded; the customer walks away: the void refunds the cash.
    voided = card_app.exchanges.void(ex.number, "csr1", "card declined, customer left")
    assert voided.state is State.VOIDED
    assert [(t.method, t.amount_minor) for t in voided.refunds] == [("cash", 2000)]


def test_split_tender_completes_with_card_for_the_rest(card_app, reader):
    ex = upgrade(card_app)
    card_app.exchanges.pay_cash(ex.number, "csr1", "20.00")
    attempt = card_app.payments.start(ex.number, "csr1")
    reader.present(attempt.intent_id)
    card_app.payments.poll(attempt.attempt_id)
    ex = card_app.exchanges.finalize(ex.number, "csr1")
    assert [(t.method, t.amount_minor) for t in ex.payments] == [("cash", 2000),
                                                                 ("card", 4385)]


def test_restart_mid_payment_recovers_the_same_intent_and_never_charges_twice(
        db_path, clock, reader):
    first = open_app(str(db_path), clock=clock, terminal=reader)
    ex = upgrade(first)
    attempt = first.payments.start(ex.number, "csr1")
    reader.present(attempt.intent_id)  # the reader succeeds...
    first.close()                      # ...and the register dies before recording it
    second = open_app(str(db_path), clock=clock, terminal=reader)
    try:
        [recovered] = second.payments.recover()
        assert recovered.status is AttemptStatus.SUCCEEDED
        assert recovered.intent_id == attempt.intent_id
        assert len(second.exchanges.get(ex.number).payments) == 1
        assert second.payments.recover() == []
        assert len(reader._intents) == 1
    finally:
        second.close()


def test_crash_before_the_intent_id_was_stored_finds_it_again_by_key(card_app, reader,
                                                                     monkeypatch):
    ex = upgrade(card_app)
    real_process = reader.process
    monkeypatch.setattr(reader, "process", lambda intent_id: (_ for _ in ()).throw(
        TerminalUnavailable("TERMINAL_UNREACHABLE", error="network down")))
    with pytest.raises(TerminalUnavailable):
        card_app.payments.start(ex.number, "csr1")
    monkeypatch.setattr(reader, "process", real_process)
    [attempt] = [a for a in card_app.payments.recover()]
    # Never handed to a reader, so recovery cancels it: nothing charged, no second intent.
    assert attempt.status is AttemptStatus.CANCELED
    assert len(reader._intents) == 1
    assert card_app.exchanges.get(ex.number).payments == []


def test_offline_card_is_refused_with_a_reason_and_cash_still_works(card_app, reader):
    ex = upgrade(card_app)
    reader.online = False
    with pytest.raises(PosError) as err:
        card_app.payments.start(ex.number, "csr1")
    assert err.value.code == "TERMINAL_OFFLINE" and "cash" in render(err.value)
    assert count(card_app, "select status from card_attempts") == "failed"
    tender = card_app.exchanges.pay_cash(ex.number, "csr1", "70")
    assert tender.change_minor == 615


def test_card_refunds_queue_offline_and_run_once_on_reconnect(card_app, reader):
    svc = card_app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.submit(ex.number, "csr1")
    ex = svc.finalize(ex.number, "csr1")  # plain return: 20.57 back to the Visa
    assert [(t.method, str(t.status)) for t in ex.refunds] == [("card", "pending")]
    reader.online = False
    assert [r["status"] for r in card_app.payments.execute_pending_refunds()] == ["queued"]
    assert str(svc.get(ex.number).refunds[0].status) == "pending"
    reader.online = True
    assert [r["status"] for r in card_app.payments.execute_pending_refunds()] == ["succeeded"]
    refund = svc.get(ex.number).refunds[0]
    assert str(refund.status) == "confirmed" and refund.reference.startswith("re_sim_")
    assert card_app.payments.execute_pending_refunds() == []
    assert "refund.executed" in [e["event"] for e in svc.record(ex.number).as_json()["audit"]]


def test_blocking_pay_cancels_a_stuck_reader_on_timeout(card_app, reader):
    ex = upgrade(card_app)
    attempt = card_app.payments.pay(ex.number, "csr1", timeout_s=0.05, interval_s=0.01)
    assert attempt.status is AttemptStatus.CANCELED
    assert card_app.exchanges.get(ex.number).payments == []


def test_drawer_total_counts_cash_in_and_out(card_app):
    ex = upgrade(card_app)
    card_app.exchanges.pay_cash(ex.number, "csr1", "100")
    card_app.exchanges.finalize(ex.number, "csr1")
    back = card_app.exchanges.start("csr1", sale_key=ex.number)
    card_app.exchanges.scan_returned(back.number, "csr1", BETTER)
    card_app.exchanges.scan_requested(back.number, "csr1", GOOD)
    card_app.exchanges.submit(back.number, "csr1")
    card_app.exchanges.finalize(back.number, "csr1")  # 20.57 to the Visa, 43.28 cash back
    assert card_app.drawer.expected_total() == {"cash_in": 6385, "cash_out": 4328,
                                                "expected": 2057}


def test_amount_rules_for_a_card(card_app):
    ex = upgrade(card_app)
    for amount in ("0", "63.86", "-1", "abc"):
        with pytest.raises(PosError):
            card_app.payments.start(ex.number, "csr1", amount)
    assert count(card_app, "select count(*) from card_attempts") == 0
