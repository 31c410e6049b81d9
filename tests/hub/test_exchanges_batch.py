"""POST /v1/exchanges/batch: many records in one transaction, still idempotent per record,
with one result per record, on real register documents (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.hub.conftest import message
from tests.hub.conftest import moved_to as moved

SETTLED, VOIDED, CANCELLED = "exchange.settled", "exchange.voided", "exchange.cancelled"


def batch(client, headers, messages):
    return client.post("/v1/exchanges/batch", json={"records": messages}, headers=headers)


def held(engine):
    with engine.connect() as conn:
        return conn.execute(text("select count(*), count(distinct exchange_uuid) "
                                 "from hub_records")).one()


def test_a_batch_answers_each_record_as_the_single_endpoint_would(client, auth, documents,
                                                                   hub_engine):
    headers = auth()
    messages = [message(item["document"], item["topic"]) for item in documents.values()]
    response = batch(client, headers, messages)
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == [200] * len(messages)
    assert [r["message_id"] for r in results] == [m["message_id"] for m in messages]
    # The same records again, one by one: each is a replay with the identical ack.
    for m, result in zip(messages, results, strict=True):
        single = client.post("/v1/exchanges", json={**m, "message_id": m["message_id"] + "x"},
                             headers=headers)
        assert single.status_code == 200 and single.json() == result["ack"]
    assert tuple(held(hub_engine)) == (len(messages), len(messages) - 1)  # one voided too
    numbers = sorted(r["ack"]["links"]["return_order"] for r in results)
    assert numbers[0] == "RO-S001-000001" and len(set(numbers)) == len(numbers) - 1


def test_a_batch_sent_again_after_a_lost_answer_is_taken_once(client, auth, doc, hub_engine):
    headers = auth()
    messages = [message(doc("upgrade")), message(doc("less")), message(doc("no_receipt"))]
    first = batch(client, headers, messages).json()["results"]
    again = batch(client, headers, messages).json()["results"]     # the answer was lost
    assert again == first
    assert tuple(held(hub_engine)) == (3, 3)
    # A later batch that repeats one record and adds a new one: the repeat is replayed.
    later = batch(client, headers, [messages[1], message(doc("cancelled"), CANCELLED)])
    results = later.json()["results"]
    assert results[0] == first[1] and results[1]["status"] == 200
    assert results[1]["ack"]["links"]["return_order"] == "RO-S001-000004"   # no gap
    assert tuple(held(hub_engine)) == (4, 4)


def test_a_refused_record_does_not_sink_the_others(client, auth, doc, hub_engine):
    headers = auth()
    original = doc("upgrade")
    assert batch(client, headers, [message(original)]).status_code == 200
    changed = doc("upgrade")
    changed["tenders"][0]["amount"] += 100           # other content, same uuid and topic
    invalid = message(doc("less"))
    invalid["document"]["tenders"] = "not a list"
    wrong = message(moved(doc("no_receipt"), register="R02"))  # not this token's register
    good = message(doc("less"))
    response = batch(client, headers, [message(changed), invalid, wrong, good])
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert [r["status"] for r in results] == [409, 422, 403, 200]
    assert results[0]["code"] == "CONTENT_CHANGED" and results[0]["detail"]
    assert results[1]["detail"].startswith("invalid request: document")
    assert results[2]["code"] == "WRONG_REGISTER"
    assert results[3]["ack"]["links"]["return_order"] == "RO-S001-000002"   # none lost
    assert tuple(held(hub_engine)) == (2, 2)
    with hub_engine.connect() as conn:                  # the conflict is filed for a person
        flags = conn.execute(text("select flags from hub_reconciliation")).scalars().all()
    assert [json.loads(f) for f in flags] == [["CONTENT_CONFLICT"]]


def test_records_of_one_exchange_keep_their_order_in_a_batch(client, auth, doc, hub_engine):
    headers = auth()
    settled, voided = doc("voided_settled"), doc("voided")
    response = batch(client, headers, [message(settled), message(voided, VOIDED)])
    acks = [r["ack"] for r in response.json()["results"]]
    assert [a["topic"] for a in acks] == [SETTLED, VOIDED]
    assert acks[0]["links"]["return_order"] == acks[1]["links"]["return_order"]
    # A cancellation after them breaks the lifecycle: refused alone, filed, others kept.
    late = doc("voided")
    late["state"] = "CANCELLED"
    results = batch(client, headers, [message(late, CANCELLED), message(doc("less"))]).json()
    assert [r["status"] for r in results["results"]] == [409, 200]
    assert results["results"][0]["code"] == "LIFECYCLE_ORDER"


def test_the_batch_itself_is_bounded_and_needs_a_register_token(client, auth, doc):
    assert batch(client, {}, [message(doc("upgrade"))]).status_code == 401
    assert batch(client, auth(), []).status_code == 422
    too_many = [message(doc("upgrade"))] * 201
    assert batch(client, auth(), too_many).status_code in (413, 422)
