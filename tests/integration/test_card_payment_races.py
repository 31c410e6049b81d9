"""Races and half-finished steps around a card payment: the reviewed failure modes.

Each test is one interleaving that once charged twice, lost a captured payment or
left an exchange stuck; each must end with money recorded exactly as it moved.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from pos_exchange.bootstrap import open_app
from pos_exchange.domain.card_attempts import AttemptStatus
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.card_payments import PAYMENT_UNCERTAIN
from pos_exchange.services.terminal import CardOutcome, CardStatus, TerminalUnavailable
from tests.flows import upgrade_awaiting_payment as upgrade


class StickyReader(SimulatedTerminal):
    """A reader mid-EMV: cancel does nothing and the outcome is not known yet."""

    def __init__(self) -> None:
        super().__init__(auto_present=None)
        self.outcome = CardOutcome.PENDING

    def cancel(self, intent_id: str) -> None:
        pass

    def status(self, intent_id: str) -> CardStatus:
        if self.outcome is CardOutcome.SUCCEEDED:
            return CardStatus(CardOutcome.SUCCEEDED, intent_id, "visa", "4242")
        return CardStatus(self.outcome, intent_id)


def open_with(db_path, clock, reader):
    return open_app(str(db_path), clock=clock, terminal=reader)


def test_cancel_while_the_intent_is_being_created_stays_cancelled(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    app = open_with(db_path, clock, reader)
    ex = upgrade(app)
    real_create = reader.create_intent

    def create_then_cancel(*args, **kwargs):
        intent = real_create(*args, **kwargs)
        with app.engine.connect() as conn:
            attempt_id = conn.execute(text("select attempt_id from card_attempts")).scalar()
        app.payments.cancel(attempt_id, "csr1")  # the CSR hits Cancel meanwhile
        return intent

    reader.create_intent = create_then_cancel
    with pytest.raises(PosError) as err:
        app.payments.start(ex.number, "csr1")
    assert err.value.code == "CARD_PAYMENT_CANCELLED"
    [intent] = reader._intents.values()
    assert intent.status == "canceled"            # never handed to the reader
    with app.engine.connect() as conn:
        assert conn.execute(text("select status from card_attempts")).scalar() == "canceled"
    app.exchanges.pay_cash(ex.number, "csr1", "100")  # nothing blocks the cash
    assert app.exchanges.finalize(ex.number, "csr1").state is State.IN_TRANSIT
    app.close()


def test_cancel_of_a_payment_still_processing_is_uncertain_not_cancelled(db_path, clock):
    reader = StickyReader()
    app = open_with(db_path, clock, reader)
    ex = upgrade(app)
    attempt = app.payments.start(ex.number, "csr1")
    after = app.payments.cancel(attempt.attempt_id, "csr1")
    assert after.status is AttemptStatus.UNCERTAIN and after.reason == PAYMENT_UNCERTAIN
    assert [a.status for a in app.payments.recover()] == [AttemptStatus.UNCERTAIN]
    reader.outcome = CardOutcome.SUCCEEDED           # it went through after all
    assert app.payments.poll(attempt.attempt_id).status is AttemptStatus.SUCCEEDED
    assert len(app.exchanges.get(ex.number).payments) == 1
    app.close()


def test_crash_right_after_stripe_created_the_intent_recovers_without_a_second_one(
        db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    app = open_with(db_path, clock, reader)
    ex = upgrade(app)
    real_create = reader.create_intent

    def create_then_die(*args, **kwargs):
        real_create(*args, **kwargs)
        raise SystemExit("power cut")  # not a PosError: nothing after it runs

    reader.create_intent = create_then_die
    with pytest.raises(SystemExit):
        app.payments.start(ex.number, "csr1")
    reader.create_intent = real_create
    app.close()
    app = open_with(db_path, clock, reader)
    [recovered] = app.payments.recover()
    assert recovered.status is AttemptStatus.CANCELED and recovered.intent_id
    assert len(reader._intents) == 1                 # found again by its key
    assert app.exchanges.get(ex.number).payments == []
    app.close()


def test_a_deactivated_csr_does_not_block_recording_a_captured_payment(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    app = open_with(db_path, clock, reader)
    ex = upgrade(app)
    attempt = app.payments.start(ex.number, "csr1")
    reader.present(attempt.intent_id)
    with app.engine.begin() as conn:
        conn.execute(text("update users set active = 0 where user_id = 'csr1'"))
    [recovered] = app.payments.recover()
    assert recovered.status is AttemptStatus.SUCCEEDED
    assert len(app.exchanges.get(ex.number).payments) == 1
    app.close()


def test_void_after_a_partial_card_payment_refunds_that_card(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    app = open_with(db_path, clock, reader)
    ex = upgrade(app)
    first = app.payments.start(ex.number, "csr1", "40.00")
    reader.present(first.intent_id)
    app.payments.poll(first.attempt_id)
    second = app.payments.start(ex.number, "csr1")
    reader.present(second.intent_id, "4000000000000002")
    assert app.payments.poll(second.attempt_id).status is AttemptStatus.DECLINED
    app.exchanges.void(ex.number, "csr1", "second card declined, customer left")
    assert [r["status"] for r in app.payments.execute_pending_refunds()] == ["succeeded"]
    assert reader._intents[first.intent_id].refunded == 4000
    app.close()


def test_an_in_person_refund_whose_answer_was_lost_is_not_paid_twice(db_path, clock):
    reader = SimulatedTerminal(auto_present="4506445006931933", delay_s=0)
    app = open_with(db_path, clock, reader)
    svc = app.exchanges
    ex = upgrade(app)
    assert app.payments.pay(ex.number, "csr1", interval_s=0.01).card_brand == "interac"
    svc.finalize(ex.number, "csr1")
    back = svc.start("csr1", sale_key=ex.number)
    svc.scan_returned(back.number, "csr1", "APP-TSHIRT-B-002")
    svc.submit(back.number, "csr1")
    back = svc.finalize(back.number, "csr1")      # a plain return: 84.42 back
    interac = next(t for t in back.refunds if t.card_brand == "interac")
    real_status = reader.in_person_refund_status

    def refunded_then_network_drops(intent_id):
        result = real_status(intent_id)
        if result is not None:
            raise TerminalUnavailable("TERMINAL_UNREACHABLE", error="network down")
        return result

    reader.in_person_refund_status = refunded_then_network_drops
    with pytest.raises(TerminalUnavailable):
        app.payments.refund_in_person(interac.tender_id, "csr1", interval_s=0.01)
    reader.in_person_refund_status = real_status
    done = app.payments.refund_in_person(interac.tender_id, "csr1", interval_s=0.01)
    assert done["status"] == "succeeded"
    paid = next(t for t in svc.get(ex.number).payments if t.method == "card")
    assert reader._intents[paid.reference].refunded == interac.amount_minor  # once
    app.close()


def test_the_database_refuses_a_second_record_of_one_payment_intent(app):
    ex = upgrade(app)
    app.exchanges.record_card_payment(ex.number, "csr1", "10.00", brand="visa",
                                      last4="4242", reference="pi_once")
    other = app.exchanges.start("csr1")
    with app.engine.begin() as conn, pytest.raises(Exception, match="UNIQUE"):
        conn.execute(text(
            "insert into exchange_tenders (tender_id, exchange_uuid, position, kind, method, "
            "amount_minor, rounding_minor, change_minor, status, payment_id, reference, "
            "created_at) values ('t2', :u, 0, 'payment', 'card', 1000, 0, 0, 'confirmed', "
            "'t2', 'pi_once', '2026-11-20T15:30:00.000000Z')"), {"u": other.uuid})
