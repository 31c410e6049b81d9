"""Card payments through the real stripe-python HTTP stack, against the Stripe emulator.

The emulator (tests/fakes) serves PaymentIntents and refunds from localstripe and
emulates Terminal readers and idempotency in front of it; see tests/fakes/README.md.
These are the issue's fault tests: each ends with exactly one charge.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from pos_exchange import logs
from pos_exchange.bootstrap import open_app
from pos_exchange.domain.card_attempts import AttemptStatus
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.logs import log_path
from pos_exchange.messages import render
from pos_exchange.plugins.terminals.stripe.terminal import StripeTerminal
from tests.fakes import DECLINES, TEST_API_KEY, stripe_emulator
from tests.flows import BETTER, GOOD
from tests.flows import upgrade_awaiting_payment as upgrade

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def emulator():
    with stripe_emulator(api_keys=[TEST_API_KEY]) as emu:  # any other key gets a 401
        yield emu


@pytest.fixture
def emu(emulator):
    emulator.auto_present(None)
    yield emulator
    emulator.auto_present(None)


def stripe_app(db_path, clock, emu, key=TEST_API_KEY, retries=2, api_base=None):
    terminal = StripeTerminal.connect(key, emu.reader_id, "tml_test",
                                      api_base=api_base or emu.url,
                                      max_network_retries=retries)
    return open_app(str(db_path), clock=clock, terminal=terminal)


@pytest.fixture
def app(db_path, clock, emu):
    logs.configure()  # the no-card-data test reads what the flows logged
    application = stripe_app(db_path, clock, emu)
    yield application
    application.close()



def intents_for(emu, exchange_uuid):
    found = emu.client().v1.payment_intents.list(params={"limit": 100})
    return [pi for pi in found["data"]
            if pi["metadata"] and pi["metadata"]["exchange_uuid"] == exchange_uuid]


def test_card_payment_approved_on_the_reader(app, emu):
    ex = upgrade(app)
    emu.auto_present("4242424242424242")
    attempt = app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    assert attempt.status is AttemptStatus.SUCCEEDED
    ex = app.exchanges.get(ex.number)
    [payment] = ex.payments
    assert (payment.amount_minor, payment.card_brand, payment.card_last4) == \
        (6385, "visa", "4242")
    [pi] = intents_for(emu, ex.uuid)
    assert pi["id"] == payment.reference and pi["status"] == "succeeded"
    assert pi["amount"] == 6385 and pi["metadata"]["exchange_number"] == ex.number
    assert app.exchanges.finalize(ex.number, "csr1").state is State.IN_TRANSIT


@pytest.mark.parametrize("card", sorted(DECLINES))
def test_each_decline_family_gives_its_sentence_and_no_payment(app, emu, card):
    ex = upgrade(app)
    emu.auto_present(card)
    attempt = app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    assert attempt.status is AttemptStatus.DECLINED
    assert attempt.decline_code in {DECLINES[card].decline_code, DECLINES[card].code}
    # The attempt keeps the reason code; the sentence is the catalogue's, by decline code.
    assert attempt.reason == "CARD_DECLINED"
    assert render(attempt.reason, {"variant": attempt.decline_code}) == \
        render("CARD_DECLINED", {"variant": attempt.decline_code})
    assert app.exchanges.get(ex.number).payments == []
    emu.auto_present("4242424242424242")  # then the customer's other card works
    assert app.payments.pay(ex.number, "csr1", timeout_s=10,
                            interval_s=0.05).status is AttemptStatus.SUCCEEDED
    assert len(app.exchanges.get(ex.number).payments) == 1


def test_response_lost_after_stripe_accepted_the_intent_is_retried_to_the_same_one(app, emu):
    ex = upgrade(app)
    emu.drop_response_once("POST", r"^/v1/payment_intents$")
    emu.auto_present("4242424242424242")
    attempt = app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    assert attempt.status is AttemptStatus.SUCCEEDED
    assert len(intents_for(emu, ex.uuid)) == 1  # the retry reused the stored key
    creates = [r for r in emu.requests_log
               if r[0] == "POST" and r[1] == "/v1/payment_intents"
               and r[2] == attempt.idempotency_key]
    assert [r[3] for r in creates] == [None, 200]
    assert len(app.exchanges.get(ex.number).payments) == 1


def test_response_lost_without_retries_is_recovered_by_the_stored_key(db_path, clock, emu):
    app = stripe_app(db_path, clock, emu, retries=0)
    try:
        ex = upgrade(app)
        emu.drop_response_once("POST", r"^/v1/payment_intents$")
        with pytest.raises(PosError) as err:
            app.payments.start(ex.number, "csr1")
        assert err.value.code == "TERMINAL_UNREACHABLE"
        # The intent exists at Stripe though nothing reached a reader: no money moved,
        # and a new attempt is allowed. Exactly one intent was created for that key.
        assert len(intents_for(emu, ex.uuid)) == 1
        emu.auto_present("4242424242424242")
        assert app.payments.pay(ex.number, "csr1", timeout_s=10,
                                interval_s=0.05).status is AttemptStatus.SUCCEEDED
        assert len(app.exchanges.get(ex.number).payments) == 1
    finally:
        app.close()


def test_a_reader_stuck_in_progress_can_be_cancelled(app, emu):
    ex = upgrade(app)
    attempt = app.payments.start(ex.number, "csr1")
    assert app.payments.poll(attempt.attempt_id).status is AttemptStatus.PROCESSING
    assert emu.reader(emu.reader_id)["action"]["status"] == "in_progress"
    canceled = app.payments.cancel(attempt.attempt_id, "csr1")
    assert canceled.status is AttemptStatus.CANCELED
    assert emu.reader(emu.reader_id)["action"] is None
    [pi] = intents_for(emu, ex.uuid)
    assert pi["status"] == "canceled"
    assert app.exchanges.get(ex.number).payments == []


def test_killed_between_reader_success_and_local_commit_recovers_one_charge(
        db_path, clock, emu):
    app = stripe_app(db_path, clock, emu)
    ex = upgrade(app)
    app.close()
    emu.auto_present("4242424242424242")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.integration.stripe_kill_worker", str(db_path),
         emu.url, emu.reader_id, ex.number],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -9, proc.stderr
    assert "KILLING" in proc.stdout
    [pi] = intents_for(emu, ex.uuid)
    assert pi["status"] == "succeeded"          # the customer was charged...
    app = stripe_app(db_path, clock, emu)
    try:
        assert app.exchanges.get(ex.number).payments == []  # ...the register lost it
        [recovered] = app.payments.recover()
        assert recovered.status is AttemptStatus.SUCCEEDED
        [payment] = app.exchanges.get(ex.number).payments
        assert payment.reference == pi["id"] and payment.amount_minor == pi["amount"]
        assert app.payments.recover() == []
        assert len(intents_for(emu, ex.uuid)) == 1  # exactly one charge
        assert app.exchanges.finalize(ex.number, "csr1").state is State.IN_TRANSIT
    finally:
        app.close()


def test_exchange_for_less_refunds_the_original_card_partially(app, emu):
    svc = app.exchanges
    ex = upgrade(app)
    emu.auto_present("4242424242424242")
    paid = app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    svc.finalize(ex.number, "csr1")
    back = svc.start("csr1", sale_key=ex.number)
    svc.scan_returned(back.number, "csr1", BETTER)
    svc.scan_requested(back.number, "csr1", GOOD)
    svc.submit(back.number, "csr1")
    back = svc.finalize(back.number, "csr1")
    # 63.85 back: 20.57 to the demo sale's Visa, 43.28 to the card paid here.
    assert sorted(t.amount_minor for t in back.refunds) == [2057, 4328]
    results = app.payments.execute_pending_refunds()
    # The demo sale's intent was never at this Stripe: refused, kept for a manager.
    assert sorted((r["amount"], r["status"]) for r in results) == [
        (2057, "failed"), (4328, "succeeded")]
    refund_list = emu.client().v1.refunds.list(params={"payment_intent": paid.intent_id})
    assert [r["amount"] for r in refund_list["data"]] == [4328]
    assert app.payments.execute_pending_refunds() == []      # each runs once
    assert [r["amount_minor"] for r in app.payments.failed_refunds()] == [2057]


def test_wrong_and_missing_keys_are_clear_errors(db_path, clock, emu, monkeypatch):
    app = stripe_app(db_path, clock, emu, key="sk_test_wrong_key_123")
    try:
        ex = upgrade(app)
        with pytest.raises(PosError) as err:
            app.payments.start(ex.number, "csr1")
        assert err.value.code == "STRIPE_KEY_INVALID"
        assert "wrong_key" not in render(err.value)
    finally:
        app.close()
    from pos_exchange.adapters import secrets

    monkeypatch.delenv(secrets.STRIPE_ENV, raising=False)
    monkeypatch.setattr(secrets.keyring, "get_password", lambda *_: None)
    with pytest.raises(PosError) as err:
        secrets.stripe_key()
    assert err.value.code == "STRIPE_KEY_MISSING"
    monkeypatch.setenv(secrets.STRIPE_ENV, "pk_test_publishable")
    with pytest.raises(PosError) as err:
        secrets.stripe_key()
    assert err.value.code == "STRIPE_KEY_INVALID"


def test_offline_card_is_refused_cash_offered_and_refunds_wait(db_path, clock, emu):
    dead = stripe_app(db_path, clock, emu, retries=0, api_base="http://127.0.0.1:9")
    try:
        ex = upgrade(dead)
        with pytest.raises(PosError) as err:
            dead.payments.start(ex.number, "csr1")
        assert err.value.code == "TERMINAL_UNREACHABLE" and "cash" in render(err.value)
        dead.exchanges.pay_cash(ex.number, "csr1", "100")
        dead.exchanges.finalize(ex.number, "csr1")
        back = dead.exchanges.start("csr1", sale_key="S001-000001")
        with pytest.raises(PosError):  # the T-shirt already went back in `ex`
            dead.exchanges.scan_returned(back.number, "csr1", GOOD)
    finally:
        dead.close()


def test_readers_of_the_location_are_listed(app, emu):
    readers = app.payments.terminal.readers()
    assert [(r.reader_id, r.status) for r in readers] == [(emu.reader_id, "online")]


def test_no_card_number_or_key_is_stored_or_logged(app, emu, db_path):
    """Runs last in this module: scans everything the flows above could have written."""
    ex = upgrade(app)
    for card in ("4000000000009995", "4242424242424242"):
        emu.auto_present(card)
        app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    app.exchanges.finalize(ex.number, "csr1")
    app.engine.dispose()
    # Raw bytes of the database, its WAL and the log: no test card number, no key.
    raw = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert b"card attempt" in log_path().read_bytes()  # the flows were logged
    raw += log_path().read_bytes()
    for number in [*DECLINES, "4242424242424242"]:
        assert number.encode() not in raw
    assert not re.search(rb"\b(sk|rk)_(test|live)_[A-Za-z0-9]", raw)
    # Every text value in every table (outbox payloads included) and every log line:
    # no card-number-shaped run of 14-19 digits that passes the Luhn check.
    values = log_path().read_text().splitlines() if log_path().exists() else []
    with app.engine.connect() as conn:
        tables = conn.execute(text("select name from sqlite_master where type='table'"))
        for (table,) in tables.all():
            for row in conn.execute(text(f'select * from "{table}"')):
                values += [str(v) for v in row if v is not None]
    for value in values:
        for digits in re.findall(r"(?<!\d)\d{14,19}(?!\d)", value):
            assert not luhn(digits), f"card-number-shaped value stored: ...{digits[-4:]}"


def luhn(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def test_cli_pays_by_card_with_a_test_card_on_the_simulated_reader(db_path, clock, emu,
                                                                   monkeypatch, capsys):
    from pos_exchange import bootstrap
    from pos_exchange.cli import main

    app = stripe_app(db_path, clock, emu)
    ex = upgrade(app)
    app.close()
    monkeypatch.setattr(bootstrap, "make_terminal", lambda settings, **_: StripeTerminal.connect(
        TEST_API_KEY, emu.reader_id, api_base=emu.url))
    assert main(["--db", str(db_path), "pay", "card", ex.number, "--user", "csr1",
                 "--test-card", "4000000000009995", "--timeout", "5"]) == 1
    assert "insufficient funds" in capsys.readouterr().err
    assert main(["--db", str(db_path), "pay", "card", ex.number, "--user", "csr1",
                 "--test-card", "4242424242424242", "--timeout", "5"]) == 0
    out = capsys.readouterr().out
    assert "approved: Visa •••• 4242" in out and "63.85" in out
    live = StripeTerminal.connect("sk_live_abc", emu.reader_id, api_base=emu.url)
    with pytest.raises(PosError) as err:
        live.present_test_card("pi_x", "4242424242424242")
    assert err.value.code == "TEST_MODE_ONLY"


def test_interac_refunds_wait_for_the_customer_and_run_on_the_reader(app, emu):
    svc = app.exchanges
    ex = upgrade(app)
    emu.auto_present("4506445006931933")  # Interac debit
    paid = app.payments.pay(ex.number, "csr1", timeout_s=10, interval_s=0.05)
    assert paid.card_brand == "interac"
    svc.finalize(ex.number, "csr1")
    back = svc.start("csr1", sale_key=ex.number)
    svc.scan_returned(back.number, "csr1", BETTER)
    svc.scan_requested(back.number, "csr1", GOOD)
    svc.submit(back.number, "csr1")
    back = svc.finalize(back.number, "csr1")
    interac = next(t for t in back.refunds if t.card_brand == "interac")
    emu.auto_present(None)
    statuses = {r["tender"]: r["status"] for r in app.payments.execute_pending_refunds()}
    assert statuses[interac.tender_id] == "needs_customer"   # not run in the background
    # The customer never taps: cancelled on the reader, still queued.
    left = app.payments.refund_in_person(interac.tender_id, "csr1", timeout_s=0.2,
                                         interval_s=0.05)
    assert left["status"] == "queued" and emu.reader(emu.reader_id)["action"] is None
    done = app.payments.refund_in_person(interac.tender_id, "csr1", timeout_s=5,
                                         interval_s=0.05, test_card="4506445006931933")
    assert done == {"tender": interac.tender_id, "amount": 4328, "status": "succeeded"}
    refunds = emu.client().v1.refunds.list(params={"payment_intent": paid.intent_id})
    assert [r["amount"] for r in refunds["data"]] == [4328]
    refund = next(t for t in svc.get(back.number).refunds if t.tender_id == interac.tender_id)
    assert str(refund.status) == "confirmed" and refund.reference == refunds["data"][0]["id"]
    assert interac.tender_id not in {r["tender"] for r in
                                     app.payments.execute_pending_refunds()}
