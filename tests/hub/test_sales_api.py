"""The sales feed and the lookup through the API (issue 10): POST /v1/sales idempotent by
order number, who may feed which store, the lookup scope of a register token, the customer
search, the delta pull of the token's own store, and /v1/orders on the index."""

from __future__ import annotations

import uuid as uuidlib

import pytest

from tests.hub.chain import receipt, sale
from tests.hub.conftest import message


def post(client, headers, *sales):
    return client.post("/v1/sales", json={"sales": list(sales)}, headers=headers)


def test_the_feed_is_idempotent_by_order_number(client, auth):
    till = auth("S002", "T01")
    first = post(client, till, sale("S002-000001", "S002"), sale("S002-000002", "S002"))
    assert first.status_code == 200, first.text
    assert [r["status"] for r in first.json()["results"]] == ["created", "created"]
    again = post(client, till, sale("S002-000001", "S002"))
    assert again.json()["results"] == [{"order_number": "S002-000001", "status": "unchanged",
                                        "version": first.json()["results"][0]["version"]}]
    edited = sale("S002-000001", "S002")
    edited["customer"]["email"] = "ada.lovelace@example.com"
    answer = post(client, till, edited).json()["results"][0]
    assert answer["status"] == "updated" and answer["version"] > 1


@pytest.mark.parametrize(("change", "where"), [
    (lambda s: s["tenders"][0].update(amount=2000), "the tenders pay 20.00 but the lines "
                                                    "come to 20.57"),
    (lambda s: s["tenders"][0].pop("reference"), "a card tender needs its processor payment"),
    (lambda s: s.update(order_number="EX-S001-R01-000001-V"), "EX- numbers are exchanges"),
    (lambda s: s.update(order_number="SO-S001-000001"), "SO- numbers are the hub's"),
    (lambda s: s["lines"][0].update(net=19.0), "sales.1.lines.0.net"),
    (lambda s: s.update(extra=1), "sales.1.extra"),
])
def test_a_bad_sale_is_refused_whole(client, auth, change, where):
    bad = sale("S001-000009", "S001")
    change(bad)
    answer = post(client, auth(), sale("S001-000008", "S001"), bad)
    assert answer.status_code == 422 and where in answer.json()["detail"]
    lookup = client.get("/v1/sales/lookup", params={"key": "S001-000008"}, headers=auth())
    assert lookup.status_code == 404                     # nothing of the batch was stored


def test_a_register_feeds_its_own_store_only_head_office_any(client, auth, person):
    refused = post(client, auth("S001"), sale("S002-000003", "S002"))
    assert refused.status_code == 403 and refused.json()["code"] == "OTHER_STORE"
    assert post(client, person(), sale("S002-000003", "S002")).status_code == 200
    manager = person("mgr1", "store_manager", "S001")
    assert post(client, manager, sale("S002-000004", "S002")).status_code == 403
    assert post(client, manager, sale("S001-000004", "S001")).status_code == 200


def test_a_receipt_belongs_to_one_sale(client, auth):
    scan = receipt(2, 5)
    assert post(client, auth("S002"), sale("S002-000005", "S002",
                                           receipt_barcode=scan)).status_code == 200
    other = post(client, auth("S002"), sale("S002-000006", "S002", receipt_barcode=scan))
    assert other.status_code == 409 and other.json()["code"] == "RECEIPT_TAKEN"


def test_any_register_of_the_chain_looks_a_sale_up(client, auth):
    scan = receipt(2, 7)
    post(client, auth("S002"), sale("S002-000007", "S002", receipt_barcode=scan))
    for key in (scan, "S002-000007", "s002-000007"):
        body = client.get("/v1/sales/lookup", params={"key": key},
                          headers=auth("S001", "R02")).json()
        assert body["order_number"] == "S002-000007" and body["store"] == "S002"
    assert body["lines"][0]["returnable_qty"] == 1
    assert body["tenders"] == [{"id": "pi_S002000007", "method": "card", "amount": 2057,
                                "brand": "visa", "last4": "4242",
                                "reference": "pi_S002000007", "drawn": 0}]
    missing = client.get("/v1/sales/lookup", params={"key": "S002-999999"}, headers=auth())
    assert missing.status_code == 404 and missing.json()["code"] == "UNKNOWN_SALE"
    # /v1/orders stays the store's own orders: another store's is not found there.
    assert client.get("/v1/orders/S002-000007", headers=auth("S001")).status_code == 404
    order = client.get("/v1/orders/S002-000007", headers=auth("S002")).json()
    assert [ln["returnable_qty"] for ln in order["lines"]] == [1]


def test_a_held_return_shows_to_others_but_not_to_the_register_holding_it(client, auth):
    post(client, auth("S001"), sale("S001-000010", "S001", qty=2))
    r01, r02 = auth("S001", "R01"), auth("S001", "R02")
    held = client.post("/v1/reservations", headers=r01, json={
        "exchange_uuid": str(uuidlib.uuid4()), "lines": [],
        "returns": [{"order": "S001-000010", "line": 1, "qty": 1}]})
    assert held.status_code == 201, held.text
    assert held.json()["returns"] == [{"order": "S001-000010", "line": 1, "qty": 1}]

    def left(headers):
        line = client.get("/v1/sales/lookup", params={"key": "S001-000010"},
                          headers=headers).json()["lines"][0]
        return line["returned_qty"], line["returnable_qty"]

    assert left(r02) == (1, 1)      # R01's hold counts for everyone else...
    assert left(r01) == (0, 2)      # ...R01 counts its own exchanges itself
    too_many = client.post("/v1/reservations", headers=r02, json={
        "exchange_uuid": str(uuidlib.uuid4()), "lines": [],
        "returns": [{"order": "S001-000010", "line": 1, "qty": 2}]})
    assert too_many.status_code == 409
    assert too_many.json() | {"detail": None} == {
        "code": "QTY_EXCEEDS_PURCHASED", "detail": None, "order": "S001-000010", "line": 1,
        "item": "Crew T-Shirt (Good)", "sale": "S001-000010", "bought": 2, "returned": 1,
        "returnable": 1}
    assert too_many.json()["detail"] == ("Only 1 of Crew T-Shirt (Good) can be returned from "
                                         "sale S001-000010 (2 bought, 1 already returned).")
    released = client.delete(f"/v1/reservations/{held.json()['reservation_id']}", headers=r01)
    assert released.status_code == 200
    assert left(r02) == (0, 2)


def test_the_customer_search_spans_the_chain_and_masks_contacts(client, auth):
    post(client, auth("S002"), sale("S002-000011", "S002"))
    for q in ("lovelace", "ADA LOVE", "5550101", "ada@example.com", "C0101"):
        matches = client.get("/v1/sales/search", params={"q": q},
                             headers=auth("S001", "R02")).json()["matches"]
        assert [m["order_number"] for m in matches] == ["S002-000011"], q
    assert matches[0] | {"sold_at": None} == {
        "order_number": "S002-000011", "sold_at": None, "store": "S002",
        "customer_id": "C0101", "name": "Ada Lovelace", "phone": "•••• 0101",
        "email": "a•••@example.com"}
    assert client.get("/v1/sales/search", params={"q": "ad"},
                      headers=auth()).json()["matches"] == []      # too short to search


def test_a_register_pulls_its_own_stores_sales_as_deltas(client, auth):
    post(client, auth("S001"), sale("S001-000012", "S001", sold_at="2026-10-01T10:00:00Z"),
         sale("S001-000013", "S001"), sale("S001-000014", "S001"))
    post(client, auth("S002"), sale("S002-000015", "S002"))
    headers = auth("S001", "R01")
    page = client.get("/v1/sales", params={"since": 0, "limit": 1,
                                           "sold_since": "2026-10-21T00:00:00Z"},
                      headers=headers).json()
    assert [s["order_number"] for s in page["sales"]] == ["S001-000013"] and page["more"]
    rest = client.get("/v1/sales", params={"since": page["version"],
                                           "sold_since": "2026-10-21T00:00:00Z"},
                      headers=headers).json()
    assert [s["order_number"] for s in rest["sales"]] == ["S001-000014"]
    assert not rest["more"]
    quiet = client.get("/v1/sales", params={"since": rest["version"]}, headers=headers).json()
    assert quiet["sales"] == [] and quiet["version"] == rest["version"]


def test_an_exchange_sale_joins_the_index_with_its_lineage(client, auth, doc):
    headers, upgrade = auth(), doc("upgrade")
    ack = client.post("/v1/exchanges", json=message(upgrade), headers=headers).json()
    body = client.get("/v1/sales/lookup", params={"key": ack["links"]["sale_order"]},
                      headers=auth("S002", "R09")).json()
    assert body["order_number"] == upgrade["number"] and body["source"] == "exchange"
    assert body["source_exchange"] == upgrade["uuid"]
    # Funded by the credit it carried from the Visa, then the cash paid at the counter.
    [cash] = [tn for tn in upgrade["tenders"] if tn["kind"] == "payment"]
    assert [(tn["id"], tn["method"], tn["amount"]) for tn in body["tenders"]] == [
        ("pi_demo_000001", "card", 2057), (cash["id"], "cash", cash["amount"])]
