"""POST /v1/exchanges: the wire contract, status by status, on real register documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pos_exchange.domain.numbering import format_number, parse_number
from pos_exchange.hub import tokens
from tests.hub.conftest import message

SETTLED, VOIDED, CANCELLED = "exchange.settled", "exchange.voided", "exchange.cancelled"


def post(client, headers, document, topic=SETTLED):
    return client.post("/v1/exchanges", json=message(document, topic), headers=headers)


def moved(document, store="S001", register="R01"):
    """The document as if another store's or register's (a consistent number included)."""
    _store, _register, seq = parse_number(document["number"])
    document.update(store=store, register=register,
                    number=format_number(store, register, seq))
    return document


def now():
    return datetime.now(UTC)


def test_settled_exchange_is_accepted_with_the_hubs_numbers(client, auth, doc):
    document = doc("upgrade")
    response = post(client, auth(), document)
    assert response.status_code == 200, response.text
    tender = document["tenders"][0]["id"]
    assert response.json() == {
        "uuid": document["uuid"], "topic": SETTLED, "status": "accepted", "flags": [],
        "links": {"return_order": "RO-S001-000001", "sale_order": "SO-S001-000001",
                  "receipts": {tender: "RC-S001-000001"}}}


def test_every_real_document_passes_the_checks(client, auth, documents):
    headers = auth()
    for name, item in documents.items():
        response = post(client, headers, item["document"], item["topic"])
        assert response.status_code == 200, (name, response.text)
        assert response.json()["flags"] == [], name


def test_replay_returns_the_identical_body_and_no_new_numbers(client, auth, doc):
    headers, document = auth(), doc("upgrade")
    first = post(client, headers, document)
    again = post(client, headers, document)           # a new message id, same content
    assert again.status_code == 200 and again.content == first.content
    other = doc("less")
    assert post(client, headers, other).json()["links"]["return_order"] == "RO-S001-000002"


def test_journal_head_is_not_part_of_the_content(client, auth, doc):
    headers, document = auth(), doc("upgrade")
    first = post(client, headers, document)
    document["journal_head"] = {"seq": document["journal_head"]["seq"] + 5, "hash": "a" * 64}
    assert post(client, headers, document).content == first.content


@pytest.mark.parametrize("change", ["amount", "audit"])
def test_changed_content_under_the_same_uuid_and_topic_is_409(client, auth, doc, change):
    headers, document = auth(), doc("upgrade")
    first = post(client, headers, document)
    if change == "amount":
        document["tenders"][0]["amount"] += 100
    else:
        document["audit"][-1]["ts"] = "2026-11-20T16:00:00.000000Z"
    response = post(client, headers, document)
    assert response.status_code == 409
    assert "different content" in response.json()["detail"]
    assert post(client, headers, doc("upgrade")).content == first.content  # first one kept
    # The refused version waits for a person on the reconciliation list (once, reopened
    # if it was resolved), against the record the hub kept.
    items = client.get("/v1/reconciliation", headers=headers).json()
    [item] = [i for i in items if i["uuid"] == first.json()["uuid"]]
    assert "CONTENT_CONFLICT" in item["flags"]
    assert any("first version was kept" in d["message"] for d in item["details"])


def test_void_reuses_the_settled_numbers_and_adds_a_receipt_per_refund(client, auth, doc):
    headers = auth()
    settled = post(client, headers, doc("voided_settled")).json()
    voided_doc = doc("voided")
    voided = post(client, headers, voided_doc, VOIDED).json()
    payment, refund = (t["id"] for t in voided_doc["tenders"])
    assert voided["status"] == "accepted" and voided["topic"] == VOIDED
    assert voided["links"]["return_order"] == settled["links"]["return_order"]
    assert voided["links"]["sale_order"] == settled["links"]["sale_order"]
    assert voided["links"]["receipts"] == {payment: settled["links"]["receipts"][payment],
                                           refund: "RC-S001-000002"}


def test_void_arriving_before_its_settlement_gets_the_same_numbers(client, auth, doc):
    headers = auth()
    voided = post(client, headers, doc("voided"), VOIDED).json()
    settled = post(client, headers, doc("voided_settled")).json()
    assert settled["links"]["return_order"] == voided["links"]["return_order"]
    assert settled["links"]["sale_order"] == voided["links"]["sale_order"]


def test_cancelled_exchange_gets_only_a_return_order(client, auth, doc):
    response = post(client, auth(), doc("cancelled"), CANCELLED)
    assert response.status_code == 200
    assert response.json()["links"] == {"return_order": "RO-S001-000001", "sale_order": None,
                                        "receipts": {}}


def test_plain_return_has_no_sale_order(client, auth, doc):
    links = post(client, auth(), doc("no_receipt")).json()["links"]
    assert links["sale_order"] is None and len(links["receipts"]) == 1


def test_numbers_are_per_store(client, auth, doc):
    post(client, auth(), doc("upgrade"))
    links = post(client, auth("S002"), moved(doc("less"), "S002")).json()["links"]
    assert links["return_order"] == "RO-S002-000001" and links["sale_order"] == "SO-S002-000001"


# ---------------------------------------------------------------------- refusals
def test_missing_unknown_and_revoked_tokens_are_401(client, hub_engine, doc):
    document = doc("upgrade")
    missing = post(client, {}, document)
    assert missing.status_code == 401 and "Missing bearer token" in missing.json()["detail"]
    assert missing.headers["www-authenticate"] == "Bearer"
    unknown = post(client, {"Authorization": "Bearer not-a-token"}, document)
    assert unknown.status_code == 401 and unknown.json()["detail"] == "Unknown token."
    token_id, token = tokens.create(hub_engine, "S001", "R01", now())
    headers = {"Authorization": f"Bearer {token}"}
    assert post(client, headers, document).status_code == 200
    tokens.revoke(hub_engine, token_id, now())
    revoked = post(client, headers, document)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
    assert client.get("/v1/anchors/latest", headers=headers).status_code == 401


def test_no_token_is_checked_before_the_document(client, doc):
    response = client.post("/v1/exchanges", json={"topic": "nonsense"})
    assert response.status_code == 401


def test_another_stores_or_registers_exchange_is_403(client, auth, doc):
    document = doc("upgrade")
    for headers in (auth("S002", "R01"), auth("S001", "R02")):
        response = post(client, headers, document)
        assert response.status_code == 403
        assert "cannot send an exchange of S001/R01" in response.json()["detail"]


def test_a_uuid_of_another_register_is_409(client, auth, doc):
    post(client, auth(), doc("upgrade"))
    response = post(client, auth("S001", "R02"), moved(doc("upgrade"), register="R02"))
    assert response.status_code == 409 and "another register" in response.json()["detail"]


def test_body_over_one_mebibyte_is_413(client, auth, doc):
    document = doc("upgrade")
    document["padding"] = "x" * (1024 * 1024)
    response = post(client, auth(), document)
    assert response.status_code == 413
    assert response.json() == {"detail": "request body over 1048576 bytes"}


def test_chunked_body_over_the_limit_is_413(client, auth):
    def chunks():
        yield b'{"message_id": "m", "document": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'
    response = client.post("/v1/exchanges", content=chunks(),
                           headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize(("doctor", "where"), [
    (lambda m: m["document"]["tenders"][0].update(amount="6385"), "document.tenders.0.amount"),
    (lambda m: m["document"]["tenders"][0].update(amount=63.85), "document.tenders.0.amount"),
    (lambda m: m["document"]["requested"][0].update(qty=0), "document.requested.0.qty"),
    (lambda m: m["document"]["requested"][0].update(tax_rate=0.0825),
     "document.requested.0.tax_rate"),
    (lambda m: m["document"].pop("valuation"), "document.valuation"),
    (lambda m: m["document"].pop("journal_head"), "document.journal_head"),
    (lambda m: m["document"]["tenders"][0].update(last4="4242424242424242"),
     "document.tenders.0.last4"),
    (lambda m: m.update(topic="exchange.lost"), "topic"),
    (lambda m: m.update(topic=CANCELLED), "topic exchange.cancelled needs state CANCELLED"),
    (lambda m: m["document"].update(number="EX-S001-R01-000002-Z"), "wrong check character"),
    (lambda m: m["document"].update(currency="XXX"), "currency XXX is not supported"),
])
def test_malformed_records_are_422_with_the_field_named(client, auth, doc, doctor, where):
    body = message(doc("upgrade"))
    doctor(body)
    response = client.post("/v1/exchanges", json=body, headers=auth())
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("invalid request: ") and where in detail
    assert "6385" not in json.dumps(response.json()["errors"])  # input is not echoed back


def test_invalid_json_is_422(client, auth):
    response = client.post("/v1/exchanges", content=b"{not json",
                           headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("invalid request")


def test_health_and_openapi_need_no_token(client):
    assert client.get("/health").json() == {"status": "ok", "db": "ok"}
    spec = client.get("/openapi.json").json()
    assert {"/v1/exchanges", "/v1/anchors", "/v1/anchors/latest", "/v1/reconciliation",
            "/v1/reconciliation/{uuid}/resolve", "/health"} <= set(spec["paths"])
