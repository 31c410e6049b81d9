"""Prices and credits checked against the hub's own records (issue 10): a record whose
price, totals and cash were all changed consistently still disagrees with the hub's price
history and with its own journal; a credit larger than the original sale really paid is
flagged when the hub knows the sale. Through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from pos_exchange.demo.data import demo_items
from pos_exchange.domain.money import line_tax
from pos_exchange.hub import catalogue
from pos_exchange.hub.db import writing
from pos_exchange.hub.sales import feed
from pos_exchange.hub.sales_model import SaleIn
from tests.conftest import DEMO_NOW
from tests.hub.chain import stock_the_hub
from tests.hub.conftest import message

RATE = Decimal("0.0825")


def cheaper(document, price):
    """The new item's price cut to ``price``, every derived figure and the cash rewritten
    to agree: nothing in the record's arithmetic gives it away."""
    line = document["requested"][0]
    net = price * line["qty"]
    tax = line_tax(net, RATE)
    line.update(unit_price=price, net=net, tax=tax, total=net + tax)
    val = document["valuation"]
    val.update(new_net=net, new_tax=tax, new_total=net + tax)
    gap = net + tax - val["returned_credit"]
    val["gap"] = gap
    [cash] = [t for t in document["tenders"] if t["kind"] == "payment"]
    cash["amount"] = gap
    return document


def details(client, headers):
    """The flagged record's messages, by code."""
    [item] = client.get("/v1/reconciliation", headers=headers).json()
    said: dict[str, list[str]] = {}
    for d in item["details"]:
        said.setdefault(d["code"], []).append(d["message"])
    return said, item["flags"]


@pytest.fixture
def priced(hub_engine):
    stock_the_hub(hub_engine)
    return hub_engine


def test_a_consistently_doctored_price_is_flagged(client, auth, doc, priced):
    document = cheaper(doc("upgrade"), 6799)        # 77.99 → 67.99
    headers = auth()
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert (body["status"], body["flags"]) == ("flagged", ["PRICE_MISMATCH"])
    said, _ = details(client, headers)
    assert said["PRICE_MISMATCH"] == [
        "Crew T-Shirt (Better) was charged 67.99, but the hub's prices from 2026-11-20 to "
        "2026-11-20 were 77.99",
        "Crew T-Shirt (Better) is 1 at 67.99 in the record, but its own journal scanned 1 "
        "at 77.99"]


def test_a_doctored_journal_does_not_hide_it_from_the_price_history(client, auth, doc, priced):
    document = cheaper(doc("upgrade"), 6799)
    for entry in document["audit"]:             # the journal entry rewritten too
        if entry["event"] == "line.requested":
            entry["payload"]["unit_price"] = 6799
    headers = auth()
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert body["flags"] == ["PRICE_MISMATCH"]
    said, _ = details(client, headers)
    assert said["PRICE_MISMATCH"] == [
        "Crew T-Shirt (Better) was charged 67.99, but the hub's prices from 2026-11-20 to "
        "2026-11-20 were 77.99"]


def test_without_the_price_history_the_journal_still_catches_it(client, auth, doc):
    document = cheaper(doc("upgrade"), 6799)
    headers = auth()
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert body["flags"] == ["PRICE_MISMATCH"]
    said, _ = details(client, headers)
    assert said["PRICE_MISMATCH"] == ["Crew T-Shirt (Better) is 1 at 67.99 in the record, "
                                      "but its own journal scanned 1 at 77.99"]


def test_a_promotional_price_in_force_is_not_a_mismatch(client, auth, doc, hub_engine):
    stock_the_hub(hub_engine)
    catalogue.load_price_history(hub_engine, [("APP-TSHIRT-B-002", DEMO_NOW.date(), 6799)])
    document = cheaper(doc("upgrade"), 6799)
    for entry in document["audit"]:
        if entry["event"] == "line.requested":
            entry["payload"]["unit_price"] = 6799
    body = client.post("/v1/exchanges", json=message(document), headers=auth()).json()
    assert body["status"] == "accepted", body



def test_a_price_the_hub_did_not_have_yet_says_so(client, auth, doc, hub_engine):
    """The hub learnt the item's price only after the exchange's day: the flag says it
    had no price then (not an empty list of prices)."""
    later = DEMO_NOW + timedelta(days=5)
    catalogue.upsert_items(hub_engine, demo_items(later.date()), later)
    headers = auth()
    body = client.post("/v1/exchanges", json=message(doc("upgrade")), headers=headers).json()
    assert body["flags"] == ["PRICE_MISMATCH"]
    said, _ = details(client, headers)
    assert said["PRICE_MISMATCH"] == [
        "Crew T-Shirt (Better) was charged 77.99, but the hub had no price for it from "
        "2026-11-20 to 2026-11-20"]


def the_demo_sale(engine):
    """S001-000001 as the demo till sold it, fed to the hub."""
    with writing(engine) as conn:
        feed(conn, [SaleIn.model_validate({
            "order_number": "S001-000001", "store": "S001", "currency": "USD",
            "sold_at": "2026-11-17T15:30:00Z",
            "lines": [{"line": 1, "sku": "APP-TSHIRT-G-001", "name": "Crew T-Shirt (Good)",
                       "qty": 1, "unit_price": 1900, "net": 1900, "tax_rate": "0.0825",
                       "tax": 157}],
            "tenders": [{"method": "card", "amount": 2057, "brand": "visa", "last4": "4242",
                         "reference": "pi_demo_000001", "id": "pi_demo_000001"}]})],
             DEMO_NOW)


def test_a_credit_larger_than_the_sale_paid_is_flagged(client, auth, doc, hub_engine):
    the_demo_sale(hub_engine)
    document = doc("upgrade")
    returned = document["returned"][0]
    returned["credit_net"] += 500                 # 5.00 more credit, consistently
    returned["credit"] += 500
    val = document["valuation"]
    for key in ("returned_net", "returned_credit"):
        val[key] += 500
    val["gap"] -= 500
    [cash] = [t for t in document["tenders"] if t["kind"] == "payment"]
    cash["amount"] -= 500
    document["draws"][0]["amount"] += 500
    headers = auth()
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert body["flags"] == ["CREDIT_MISMATCH", "OVER_REFUND"]
    said, _ = details(client, headers)
    assert said == {
        "CREDIT_MISMATCH": [
            "Crew T-Shirt (Good) is returned 1 for 25.57 in the record, but its own journal "
            "says 1 for 20.57",
            "1 × Crew T-Shirt (Good) are credited 25.57, but sale S001-000001 paid 20.57 for "
            "them"],
        "OVER_REFUND": ["Visa •••• 4242 paid 20.57 on sale S001-000001; other exchanges "
                        "already drew 0.00 and this one drew 25.57: 5.00 more than it paid"]}


def test_the_undoctored_record_against_its_sale_is_accepted(client, auth, doc, hub_engine):
    the_demo_sale(hub_engine)
    stock_the_hub(hub_engine)
    body = client.post("/v1/exchanges", json=message(doc("upgrade")), headers=auth()).json()
    assert (body["status"], body["flags"]) == ("accepted", [])
