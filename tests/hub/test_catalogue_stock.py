"""Catalogue and stock deltas, reservations and the orders lookup, through the API."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from pos_exchange.hub import catalogue, stock
from pos_exchange.hub import schema as t
from pos_exchange.hub.api import create_app
from tests.hub.conftest import message

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def item(sku, price=1000, **extra):
    return {"sku": sku, "name": f"Item {sku}", "category": "Test", "price_minor": price,
            "tax_class": "standard", "returnable": True, "barcodes": [f"20{sku[-3:]}"],
            **extra}


@pytest.fixture
def shelf(hub_engine):
    """Items A-001..E-005; S001 holds A:5 B:2 C:1 D:0, S002 holds A:9."""
    catalogue.upsert_items(hub_engine, [item(f"{c}-00{i}") for i, c in enumerate("ABCDE", 1)],
                           NOW)
    stock.set_stock(hub_engine, "S001", {"A-001": 5, "B-002": 2, "C-003": 1, "D-004": 0}, NOW)
    stock.set_stock(hub_engine, "S002", {"A-001": 9}, NOW)
    return hub_engine


def level(engine, sku, store="S001"):
    with engine.connect() as conn:
        row = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
            t.stock.c.store_id == store, t.stock.c.sku == sku)).one()
    return row.on_hand, row.reserved


def reserve(client, headers, lines, exchange=None, ttl_s=900):
    body = {"exchange_uuid": exchange or str(uuidlib.uuid4()), "ttl_s": ttl_s,
            "lines": [{"sku": sku, "qty": qty} for sku, qty in lines]}
    return client.post("/v1/reservations", json=body, headers=headers)


def test_catalogue_pages_deltas_in_version_order(client, auth, shelf):
    headers = auth()
    seen, since, pages = [], 0, 0
    while True:
        body = client.get("/v1/catalogue", params={"since": since, "limit": 2},
                          headers=headers).json()
        seen += body["items"]
        since, pages = body["version"], pages + 1
        if not body["more"]:
            break
    assert pages == 3 and [i["sku"] for i in seen] == ["A-001", "B-002", "C-003", "D-004",
                                                       "E-005"]
    versions = [i["version"] for i in seen]
    assert versions == sorted(set(versions)) and since == versions[-1]
    assert seen[0] == {"sku": "A-001", "name": "Item A-001", "category": "Test",
                       "price_minor": 1000, "tax_class": "standard", "returnable": True,
                       "barcodes": ["20001"], "version": versions[0], "deleted": False}
    # Nothing new → empty page at the same version; an unchanged re-load is no change.
    assert client.get("/v1/catalogue", params={"since": since}, headers=headers).json() == {
        "items": [], "version": since, "more": False}
    assert catalogue.upsert_items(shelf, [item("A-001")], NOW) == 0
    assert catalogue.upsert_items(shelf, [item("B-002", price=1200), item("F-006")], NOW) == 2
    assert catalogue.delete_items(shelf, ["C-003"], NOW) == 1
    body = client.get("/v1/catalogue", params={"since": since}, headers=headers).json()
    assert [(i["sku"], i["price_minor"], i["deleted"]) for i in body["items"]] == [
        ("B-002", 1200, False), ("F-006", 1000, False), ("C-003", 1000, True)]
    assert body["version"] == since + 3 and body["more"] is False


def test_catalogue_and_stock_need_a_token_and_a_sane_query(client, auth, shelf):
    assert client.get("/v1/catalogue").status_code == 401
    assert client.get("/v1/stock").status_code == 401
    headers = auth()
    assert client.get("/v1/catalogue", params={"limit": 1001}, headers=headers
                      ).status_code == 422
    assert client.get("/v1/stock", params={"since": -1}, headers=headers).status_code == 422


def test_stock_deltas_are_scoped_to_the_tokens_store(client, auth, shelf):
    s1 = client.get("/v1/stock", params={"since": 0}, headers=auth("S001")).json()
    assert [(r["sku"], r["on_hand"], r["available"]) for r in s1["stock"]] == [
        ("A-001", 5, 5), ("B-002", 2, 2), ("C-003", 1, 1), ("D-004", 0, 0)]
    s2 = client.get("/v1/stock", headers=auth("S002", "R01")).json()
    assert [(r["sku"], r["on_hand"]) for r in s2["stock"]] == [("A-001", 9)]
    # A hold changes availability: the row comes back as a delta of its store only.
    assert reserve(client, auth("S001"), [("A-001", 2)]).status_code == 201
    delta = client.get("/v1/stock", params={"since": s1["version"]}, headers=auth()).json()
    assert [(r["sku"], r["reserved"], r["available"]) for r in delta["stock"]] == [
        ("A-001", 2, 3)]
    assert client.get("/v1/stock", params={"since": s2["version"]},
                      headers=auth("S002")).json()["stock"] == []


def test_a_reservation_holds_every_line_or_none(client, auth, shelf):
    headers = auth()
    refused = reserve(client, headers, [("A-001", 2), ("B-002", 3)])
    assert refused.status_code == 409
    assert refused.json() == {"code": "OUT_OF_STOCK", "sku": "B-002", "available": 2,
                              "detail": "Only 2 of B-002 available at S001; 3 asked. "
                                        "Nothing was reserved."}
    assert level(shelf, "A-001") == (5, 0)                     # rolled back
    assert reserve(client, headers, [("E-005", 1)]).json()["code"] == "OUT_OF_STOCK"  # no row
    held = reserve(client, headers, [("A-001", 2), ("B-002", 2), ("A-001", 1)])
    assert held.status_code == 201, held.text
    assert held.json()["status"] == "held"
    assert held.json()["lines"] == [{"sku": "A-001", "qty": 3}, {"sku": "B-002", "qty": 2}]
    assert level(shelf, "A-001") == (5, 3) and level(shelf, "B-002") == (2, 2)
    # Another store's stock is not touched, and its token cannot see this hold.
    assert level(shelf, "A-001", "S002") == (9, 0)
    rid = held.json()["reservation_id"]
    assert client.delete(f"/v1/reservations/{rid}", headers=auth("S002")).status_code == 404


def test_re_reserving_the_same_exchange_is_idempotent(client, auth, shelf):
    headers, exchange = auth(), str(uuidlib.uuid4())
    first = reserve(client, headers, [("B-002", 1)], exchange)
    again = reserve(client, headers, [("B-002", 1)], exchange)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert level(shelf, "B-002") == (2, 1)
    # The hold is its register's: another register of the store cannot take it over.
    other_register = reserve(client, auth("S001", "R02"), [("B-002", 1)], exchange)
    assert other_register.status_code == 409 and other_register.json()["code"] == "UUID_TAKEN"
    assert level(shelf, "B-002") == (2, 1)
    # The basket changed before it was settled: the new lines replace the hold...
    other = reserve(client, headers, [("B-002", 2)], exchange)
    assert other.status_code == 201 and other.json()["lines"] == [{"sku": "B-002", "qty": 2}]
    assert other.json()["reservation_id"] == first.json()["reservation_id"]
    assert level(shelf, "B-002") == (2, 2)
    # ...all or nothing: a basket that cannot be held leaves the previous hold as it was.
    too_many = reserve(client, headers, [("B-002", 3)], exchange)
    assert too_many.status_code == 409 and too_many.json()["code"] == "OUT_OF_STOCK"
    assert level(shelf, "B-002") == (2, 2)
    back = reserve(client, headers, [("B-002", 1)], exchange)
    assert back.status_code == 201 and level(shelf, "B-002") == (2, 1)
    taken = reserve(client, auth("S002"), [("A-001", 1)], exchange)
    assert taken.status_code == 409 and taken.json()["code"] == "UUID_TAKEN"
    # Released, the same exchange can hold again (same reservation id).
    rid = first.json()["reservation_id"]
    assert client.delete(f"/v1/reservations/{rid}", headers=headers).json()["status"] == \
        "released"
    assert level(shelf, "B-002") == (2, 0)
    assert client.delete(f"/v1/reservations/{rid}", headers=headers).status_code == 200
    redo = reserve(client, headers, [("B-002", 2)], exchange)
    assert redo.status_code == 201 and redo.json()["reservation_id"] == rid
    assert level(shelf, "B-002") == (2, 2)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_expired_holds_are_released_lazily(shelf, auth):
    clock = Clock()
    with TestClient(create_app(shelf, clock=clock)) as client:
        headers = auth()
        first = reserve(client, headers, [("C-003", 1)], ttl_s=60)
        assert first.status_code == 201
        assert first.json()["expires_at"] == "2026-11-21T09:01:00.000000Z"
        assert reserve(client, headers, [("C-003", 1)]).status_code == 409
        clock.now += timedelta(seconds=61)
        assert level(shelf, "C-003") == (1, 1)                 # nothing swept in between
        second = reserve(client, headers, [("C-003", 1)])
        assert second.status_code == 201, second.text
        assert level(shelf, "C-003") == (1, 1)                 # the old hold gave it back
        rid = first.json()["reservation_id"]
        gone = client.delete(f"/v1/reservations/{rid}", headers=headers)
        assert gone.status_code == 200 and gone.json()["status"] == "expired"
        assert level(shelf, "C-003") == (1, 1)                 # not given back twice
        # An expired hold the register commits anyway is taken again only if available.
        late = client.post(f"/v1/reservations/{rid}/commit", headers=headers)
        assert late.status_code == 409 and late.json()["code"] == "OUT_OF_STOCK"
        # A hold past expiry that nobody swept is still counted: DELETE releases it.
        clock.now += timedelta(seconds=1000)
        sid = second.json()["reservation_id"]
        assert client.delete(f"/v1/reservations/{sid}", headers=headers).json()["status"] \
            == "released"
        assert level(shelf, "C-003") == (1, 0)


def test_commit_turns_the_hold_into_a_stock_decrement(client, auth, shelf):
    headers = auth()
    rid = reserve(client, headers, [("A-001", 2)]).json()["reservation_id"]
    done = client.post(f"/v1/reservations/{rid}/commit", headers=headers)
    assert done.status_code == 200 and done.json()["status"] == "committed"
    changed = reserve(client, headers, [("B-002", 1), ("A-001", 1)], done.json()["exchange_uuid"])
    assert changed.status_code == 409 and changed.json()["code"] == "RESERVATION_MISMATCH"
    assert level(shelf, "A-001") == (3, 0)
    assert client.post(f"/v1/reservations/{rid}/commit", headers=headers).json() == done.json()
    assert level(shelf, "A-001") == (3, 0)
    refused = client.delete(f"/v1/reservations/{rid}", headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "RESERVATION_COMMITTED"
    assert client.post("/v1/reservations/rsv_nope/commit", headers=headers).status_code == 404


def test_ingesting_the_settled_exchange_commits_its_hold(client, auth, hub_engine, doc):
    document = doc("upgrade")
    skus = [line["sku"] for line in document["requested"]]
    catalogue.upsert_items(hub_engine, [item(sku) for sku in skus], NOW)
    stock.set_stock(hub_engine, "S001", dict.fromkeys(skus, 4), NOW)
    headers = auth()
    held = reserve(client, headers, [(line["sku"], line["qty"]) for line in
                                     document["requested"]], document["uuid"])
    assert held.status_code == 201
    sent = client.post("/v1/exchanges", json=message(document), headers=headers)
    assert sent.status_code == 200, sent.text
    assert level(hub_engine, skus[0]) == (4 - document["requested"][0]["qty"], 0)
    rid = held.json()["reservation_id"]
    assert client.post(f"/v1/reservations/{rid}/commit", headers=headers).json()["status"] \
        == "committed"


def test_orders_lookup_knows_exchange_sales_and_what_was_returned(client, auth, doc):
    headers, sale = auth(), doc("upgrade")
    ack = client.post("/v1/exchanges", json=message(sale), headers=headers).json()
    number = ack["links"]["sale_order"]
    order = client.get(f"/v1/orders/{number}", headers=headers)
    assert order.status_code == 200, order.text
    body = order.json()
    assert body["order_number"] == number and body["status"] == "settled"
    assert [(line["sku"], line["qty"], line["returnable_qty"]) for line in body["lines"]] == [
        (line["sku"], line["qty"], line["qty"]) for line in sale["requested"]]
    # A later exchange returning one unit of it, with this order as its original sale.
    later = doc("no_receipt")
    later["original_sale"] = number
    later["returned"][0]["sku"] = sale["requested"][0]["sku"]
    later["returned"][0]["sale_line"] = 1   # the index counts returns by sale line
    assert client.post("/v1/exchanges", json=message(later), headers=headers
                       ).status_code == 200
    lines = client.get(f"/v1/orders/{number}", headers=headers).json()["lines"]
    assert lines[0]["returnable_qty"] == sale["requested"][0]["qty"] - \
        later["returned"][0]["qty"]
    assert client.get(f"/v1/orders/{number}", headers=auth("S002")).status_code == 404
    missing = client.get("/v1/orders/SO-S001-999999", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "UNKNOWN_ORDER"
