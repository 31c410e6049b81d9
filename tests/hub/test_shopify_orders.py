"""The Shopify orders pull against recorded Admin GraphQL answers (no network): cursor
paging, ``updated_at`` deltas, the mapping onto the sales feed, and a changed order that
replaces the hub's copy while an older copy never does. The answers are built from
Shopify's documented schema (2026-01), not captured from a live shop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from pos_exchange.adapters.oms.shopify_orders import OrdersMapping, feed, pull
from pos_exchange.hub import schema as t
from tests.integration.test_shopify_adapter import client as shopify_client

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shopify"
MAPPING = OrdersMapping("W01", {"gid://shopify/Location/9002": "S002"})


def fixture(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_pull_pages_by_cursor_and_maps_orders_onto_the_feed():
    shop, transport, slept = shopify_client([fixture("orders.page1.json"),
                                             fixture("orders.page2.json")])
    pulled = pull(shop, MAPPING, None, first=2)
    assert transport.bodies() == [fixture("orders.request.page1.json"),
                                  fixture("orders.request.page2.json")]
    assert pulled.pages == 2 and slept == []
    assert pulled.updated_at == "2026-11-05T09:00:01Z"
    web, pos = pulled.sales
    assert web == {
        "order_number": "#1001", "store": "W01", "sold_at": "2026-11-02T10:15:00Z",
        "currency": "USD", "source": "shopify", "updated_at": "2026-11-02T10:20:00Z",
        # 2 × 19.00 with 3.80 of order discount allocated; two tax lines, 2.14 + 0.68.
        "lines": [{"line": 1, "sku": "APP-TSHIRT-G-001", "name": "Crew T-Shirt (Good)",
                   "qty": 2, "unit_price": 1900, "net": 3420, "tax_rate": "0.0825",
                   "tax": 282}],
        # 42.02 paid, 5.00 of it shipping: not returnable, taken off the tender.
        "tenders": [{"id": "gid://shopify/OrderTransaction/5531100001", "method": "card",
                     "amount": 3702, "reference": "gid://shopify/OrderTransaction/5531100001",
                     "brand": "visa", "last4": "4242"}],
        "customer": {"id": "7001", "name": "Ada Lovelace", "phone": "+15125550101",
                     "email": "ada@example.com"}}
    assert pos["store"] == "S002"                       # rung up at a POS location
    assert [(tn["method"], tn["amount"], tn.get("last4")) for tn in pos["tenders"]] == [
        ("cash", 5000, None), ("card", 3442, "5555")]   # the failed attempt is not a tender
    assert "customer" not in pos
    assert pulled.skipped == [("#1003", "its payments do not cover its lines yet")]


def test_the_delta_asks_from_the_watermark():
    shop, transport, _ = shopify_client([fixture("orders.changed.json")])
    pulled = pull(shop, MAPPING, "2026-11-05T09:00:01Z", first=2)
    assert transport.bodies() == [fixture("orders.request.delta.json")]
    [changed] = pulled.sales
    # One of the two T-shirts refunded at Shopify: one left, at its share of the line.
    assert [(ln["qty"], ln["net"], ln["tax"]) for ln in changed["lines"]] == [(1, 1710, 141)]
    assert [tn["amount"] for tn in changed["tenders"]] == [1851]
    assert changed["customer"]["email"] == "ada.l@example.com"
    assert pulled.updated_at == "2026-11-06T08:30:00Z"


class HubFeed:
    """The hub's POST /v1/sales as the pull's ``SalesFeed`` (head office may feed any
    store's sales)."""

    def __init__(self, client, headers):
        self.client, self.headers = client, headers

    def post_sales(self, sales):
        answer = self.client.post("/v1/sales", json={"sales": list(sales)},
                                  headers=self.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture
def hub_feed(client, person):
    return HubFeed(client, person())


def test_pulled_orders_reach_the_hub_once_and_a_changed_order_replaces_its_copy(
        hub_feed, hub_engine):
    shop, _, _ = shopify_client([fixture("orders.page1.json"), fixture("orders.page2.json"),
                                 fixture("orders.page1.json"), fixture("orders.page2.json"),
                                 fixture("orders.changed.json"),
                                 fixture("orders.page1.json"), fixture("orders.page2.json")])
    first = pull(shop, MAPPING, None, first=2)
    assert feed(first, hub_feed) == {"created": 2, "updated": 0, "unchanged": 0, "stale": 0}
    again = pull(shop, MAPPING, None, first=2)              # the same pages once more
    assert feed(again, hub_feed) == {"created": 0, "updated": 0, "unchanged": 2, "stale": 0}
    changed = pull(shop, MAPPING, first.updated_at, first=2)
    assert feed(changed, hub_feed) == {"created": 0, "updated": 1, "unchanged": 0,
                                       "stale": 0}
    with hub_engine.connect() as conn:
        sale = conn.execute(select(t.sales).where(t.sales.c.order_number == "#1001")).one()
        lines = conn.execute(select(t.sale_lines.c.qty, t.sale_lines.c.net_minor)
                             .where(t.sale_lines.c.order_number == "#1001")).all()
        count = len(conn.execute(select(t.sales.c.order_number)).all())
    assert (sale.customer_email, sale.source, sale.store_id) == ("ada.l@example.com",
                                                                 "shopify", "W01")
    assert [tuple(r) for r in lines] == [(1, 1710)] and count == 2
    # An older copy of the order (a late page of the first pull) never replaces the newer.
    late = pull(shop, MAPPING, None, first=2)
    assert feed(late, hub_feed)["stale"] == 1
