"""The Stripe emulator, driven only through stripe-python 16's ``StripeClient``."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import stripe

from tests.fakes import DECLINES, TEST_API_KEY, StripeEmulator, stripe_emulator

VISA = "4242424242424242"
PICKLE = "/tmp/localstripe.pickle"


@pytest.fixture
def emulator():
    with stripe_emulator() as emu:
        yield emu


@pytest.fixture
def client(emulator):
    return emulator.client(max_network_retries=2)


def _key() -> str:
    return str(uuid.uuid4())


def _intent(client, amount=1000, key=None, **extra):
    params = {"amount": amount, "currency": "eur", "payment_method_types": ["card_present"],
              "capture_method": "automatic", "metadata": {"exchange": "EX-1"}, **extra}
    return client.v1.payment_intents.create(params=params,
                                            options={"idempotency_key": key or _key()})


def _pay(client, reader_id, amount=1000, number=VISA):
    pi = _intent(client, amount)
    client.v1.terminal.readers.process_payment_intent(reader_id,
                                                      params={"payment_intent": pi["id"]})
    reader = client.v1.test_helpers.terminal.readers.present_payment_method(
        reader_id, params={"type": "card_present", "card_present": {"number": number}})
    return pi["id"], reader


def _all_intents(client):
    return client.v1.payment_intents.list(params={"limit": 100})["data"]


def test_binds_loopback_only(emulator):
    assert emulator.url.startswith("http://127.0.0.1:")
    assert emulator.localstripe_url.startswith("http://127.0.0.1:")


def test_happy_path_charge(emulator, client):
    pi = _intent(client, 2599)
    assert pi["status"] == "requires_payment_method"
    assert pi["payment_method_types"] == ["card_present"]
    assert pi["metadata"]["exchange"] == "EX-1"

    reader = client.v1.terminal.readers.process_payment_intent(
        emulator.reader_id, params={"payment_intent": pi["id"]})
    assert reader["action"]["type"] == "process_payment_intent"
    assert reader["action"]["status"] == "in_progress"
    assert reader["action"]["process_payment_intent"]["payment_intent"] == pi["id"]
    assert client.v1.payment_intents.retrieve(pi["id"])["status"] == "requires_payment_method"

    reader = client.v1.test_helpers.terminal.readers.present_payment_method(
        emulator.reader_id, params={"type": "card_present", "card_present": {"number": VISA}})
    assert reader["action"]["status"] == "succeeded"
    assert client.v1.terminal.readers.retrieve(emulator.reader_id)["action"]["status"] == \
        "succeeded"

    paid = client.v1.payment_intents.retrieve(pi["id"], params={"expand": ["latest_charge"]})
    assert paid["status"] == "succeeded"
    assert paid["amount_received"] == 2599
    details = paid["latest_charge"]["payment_method_details"]
    assert details["type"] == "card_present"
    assert (details["card_present"]["brand"], details["card_present"]["last4"]) == \
        ("visa", "4242")
    # Not expanded: an id, as in Stripe.
    assert client.v1.payment_intents.retrieve(pi["id"])["latest_charge"].startswith("ch_")


def test_readers_list_by_location(emulator, client):
    emulator.register_reader(location="tml_other", label="Back office")
    found = client.v1.terminal.readers.list(params={"location": "tml_test"})["data"]
    assert [r["id"] for r in found] == [emulator.reader_id]
    assert found[0]["device_type"] == "simulated_wisepos_e"
    assert found[0]["status"] == "online"


@pytest.mark.parametrize("number", sorted(DECLINES))
def test_decline_families(emulator, client, number):
    expected = DECLINES[number]
    pi_id, reader = _pay(client, emulator.reader_id, number=number)
    assert reader["action"]["status"] == "failed"
    assert reader["action"]["failure_code"] == expected.code
    assert reader["action"]["failure_message"] == expected.message

    intent = client.v1.payment_intents.retrieve(pi_id)
    assert intent["status"] == "requires_payment_method"
    assert intent["payment_method"] is None
    error = intent["last_payment_error"]
    assert (error["type"], error["code"], error["decline_code"]) == \
        ("card_error", expected.code, expected.decline_code)
    assert error["message"] == expected.message
    assert error["payment_method"]["card_present"]["last4"] == number[-4:]


def test_declined_intent_can_be_retried_with_another_card(emulator, client):
    pi_id, _ = _pay(client, emulator.reader_id, number="4000000000009995")
    client.v1.terminal.readers.process_payment_intent(emulator.reader_id,
                                                      params={"payment_intent": pi_id})
    reader = client.v1.test_helpers.terminal.readers.present_payment_method(
        emulator.reader_id, params={"type": "card_present", "card_present": {"number": VISA}})
    assert reader["action"]["status"] == "succeeded"
    intent = client.v1.payment_intents.retrieve(pi_id, params={"expand": ["latest_charge"]})
    assert intent["status"] == "succeeded"
    assert intent["last_payment_error"] is None
    assert intent["latest_charge"]["payment_method_details"]["card_present"]["last4"] == "4242"


def test_idempotent_create_replays_the_same_intent(emulator, client):
    key = _key()
    first = _intent(client, key=key)
    again = _intent(client, key=key)
    assert again["id"] == first["id"]
    assert first.last_response.headers.get("Idempotent-Replayed") is None
    assert again.last_response.headers["Idempotent-Replayed"] == "true"
    assert [pi["id"] for pi in _all_intents(client)] == [first["id"]]
    posts = [e for e in emulator.requests_log if e.path == "/v1/payment_intents"
             and e.method == "POST"]
    assert [(e.idempotency_key, e.status) for e in posts] == [(key, 200), (key, 200)]


def test_same_key_other_params_is_an_idempotency_error(client):
    key = _key()
    _intent(client, 1000, key=key)
    with pytest.raises(stripe.IdempotencyError) as info:
        _intent(client, 1001, key=key)
    assert info.value.http_status == 400
    assert info.value.json_body["error"]["type"] == "idempotency_error"
    with pytest.raises(stripe.IdempotencyError):  # same key on another endpoint
        client.v1.refunds.create(params={"payment_intent": "pi_x", "amount": 1},
                                 options={"idempotency_key": key})
    assert len(_all_intents(client)) == 1


def test_lost_response_is_retried_with_the_same_key(emulator, client):
    emulator.drop_response_once("POST", r"^/v1/payment_intents$")
    key = _key()
    pi = _intent(client, key=key)  # max_network_retries=2: the first answer is lost
    assert [p["id"] for p in _all_intents(client)] == [pi["id"]]
    posts = [e for e in emulator.requests_log if e.path == "/v1/payment_intents"
             and e.method == "POST"]
    assert [(e.idempotency_key, e.status) for e in posts] == [(key, None), (key, 200)]
    assert pi.last_response.headers["Idempotent-Replayed"] == "true"


def test_lost_response_without_client_retries_surfaces_then_replays(emulator):
    no_retry = emulator.client(max_network_retries=0)
    emulator.drop_response_once("POST", r"^/v1/payment_intents$")
    key = _key()
    with pytest.raises(stripe.APIConnectionError):
        _intent(no_retry, key=key)
    created = _all_intents(no_retry)
    assert len(created) == 1  # Stripe accepted it although the answer never came
    assert _intent(no_retry, key=key)["id"] == created[0]["id"]
    assert len(_all_intents(no_retry)) == 1


def test_concurrent_duplicates_create_one_intent(emulator):
    key, ids, go = _key(), [], threading.Barrier(5)

    def create():
        client = emulator.client()
        go.wait(5)
        ids.append(_intent(client, key=key)["id"])

    threads = [threading.Thread(target=create) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(ids) == 5 and len(set(ids)) == 1
    assert len(_all_intents(emulator.client())) == 1


def test_lost_reader_response_is_replayed_not_busy(emulator, client):
    pi = _intent(client)
    emulator.drop_response_once("POST", r"/process_payment_intent$")
    reader = client.v1.terminal.readers.process_payment_intent(
        emulator.reader_id, params={"payment_intent": pi["id"]})
    assert reader["action"]["status"] == "in_progress"  # not terminal_reader_busy
    assert reader.last_response.headers["Idempotent-Replayed"] == "true"


def test_client_timeout_after_stripe_accepted(emulator):
    slow = emulator.client(max_network_retries=1, http_client=stripe.RequestsClient(timeout=0.3))
    emulator.delay(0.6, method="POST", path_regex=r"^/v1/payment_intents$",
                   after_processing=True)
    key = _key()
    pi = _intent(slow, key=key)  # times out once, the retry gets the stored answer
    assert pi.last_response.headers["Idempotent-Replayed"] == "true"
    assert [p["id"] for p in _all_intents(slow)] == [pi["id"]]
    posts = [e for e in emulator.requests_log if e.method == "POST"]
    assert [(e.idempotency_key, e.status) for e in posts] == [(key, 200), (key, 200)]


def test_stuck_reader_can_be_cancelled(emulator, client):
    pi = _intent(client)
    client.v1.terminal.readers.process_payment_intent(emulator.reader_id,
                                                      params={"payment_intent": pi["id"]})
    time.sleep(0.3)  # nobody taps: still in progress
    assert client.v1.terminal.readers.retrieve(emulator.reader_id)["action"]["status"] == \
        "in_progress"

    other = _intent(client)
    with pytest.raises(stripe.InvalidRequestError) as busy:
        client.v1.terminal.readers.process_payment_intent(emulator.reader_id,
                                                          params={"payment_intent": other["id"]})
    assert busy.value.code == "terminal_reader_busy"

    reader = client.v1.terminal.readers.cancel_action(emulator.reader_id)
    assert reader["action"] is None
    assert client.v1.payment_intents.retrieve(pi["id"])["status"] == "requires_payment_method"
    assert client.v1.payment_intents.cancel(pi["id"])["status"] == "canceled"
    with pytest.raises(stripe.InvalidRequestError):  # nothing left to cancel
        client.v1.terminal.readers.cancel_action(emulator.reader_id)
    # The reader is free again.
    reader = client.v1.terminal.readers.process_payment_intent(
        emulator.reader_id, params={"payment_intent": other["id"]})
    assert reader["action"]["status"] == "in_progress"


def test_auto_present_completes_like_a_tap(emulator, client):
    emulator.auto_present(VISA, delay=0.1)
    pi = _intent(client)
    client.v1.terminal.readers.process_payment_intent(emulator.reader_id,
                                                      params={"payment_intent": pi["id"]})
    deadline = time.monotonic() + 5
    while client.v1.terminal.readers.retrieve(emulator.reader_id)["action"]["status"] == \
            "in_progress":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert client.v1.payment_intents.retrieve(pi["id"])["status"] == "succeeded"


def test_offline_reader(emulator, client):
    emulator.set_reader_status(emulator.reader_id, "offline")
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.terminal.readers.process_payment_intent(
            emulator.reader_id, params={"payment_intent": _intent(client)["id"]})
    assert info.value.code == "terminal_reader_offline"


def test_partial_refunds_are_capped(emulator, client):
    pi_id, _ = _pay(client, emulator.reader_id, amount=1000)
    key = _key()
    first = client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 400},
                                     options={"idempotency_key": key})
    assert (first["amount"], first["status"]) == (400, "succeeded")
    replay = client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 400},
                                      options={"idempotency_key": key})
    assert replay["id"] == first["id"]
    client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 500})
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 101})
    assert too_much.value.code == "amount_too_large"
    client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 100})
    with pytest.raises(stripe.InvalidRequestError) as done:
        client.v1.refunds.create(params={"payment_intent": pi_id, "amount": 1})
    assert done.value.code == "charge_already_refunded"
    charge = client.v1.payment_intents.retrieve(
        pi_id, params={"expand": ["latest_charge"]})["latest_charge"]
    assert (charge["amount_refunded"], charge["refunded"]) == (1000, True)


def test_refund_of_an_unpaid_intent_is_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as info:
        client.v1.refunds.create(params={"payment_intent": _intent(client)["id"], "amount": 1})
    assert info.value.code == "charge_not_refundable"


def test_bad_keys_get_stripes_401(emulator):
    for key in ("sk_live_abcdefgh1234", "pk_test_abcdefgh1234", "garbage"):
        with pytest.raises(stripe.AuthenticationError) as info:
            emulator.client(key).v1.payment_intents.list()
        error = info.value.json_body["error"]
        assert error["type"] == "invalid_request_error"
        assert error["message"].startswith("Invalid API Key provided: ")
        assert key not in error["message"]  # masked like Stripe does
    assert {e.status for e in emulator.requests_log} == {401}
    # A restricted test key works.
    assert emulator.client("rk_test_abcdefgh1234").v1.payment_intents.list()["data"] == []


def test_only_configured_keys_when_given():
    with stripe_emulator(api_keys=[TEST_API_KEY]) as emu:
        with pytest.raises(stripe.AuthenticationError):
            emu.client("sk_test_someone_else").v1.terminal.readers.list()
        assert emu.client().v1.terminal.readers.list()["data"][0]["id"] == emu.reader_id


def test_card_number_is_not_kept_or_written(emulator, client):
    number = "4000000000009995"
    before = os.stat(PICKLE).st_mtime_ns if os.path.exists(PICKLE) else None
    _pay(client, emulator.reader_id, number=number)
    after = os.stat(PICKLE).st_mtime_ns if os.path.exists(PICKLE) else None
    assert after == before
    assert number not in repr(emulator.requests_log)
    assert number not in repr(vars(emulator))


def test_stop_leaves_no_threads_and_can_restart():
    baseline = set(threading.enumerate())
    for _ in range(2):
        with stripe_emulator() as emu:
            assert emu.client().v1.terminal.readers.list()["data"]
            with pytest.raises(RuntimeError):
                StripeEmulator().start()  # localstripe's store is process-global
        assert set(threading.enumerate()) <= baseline
