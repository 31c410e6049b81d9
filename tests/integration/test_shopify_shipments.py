"""The Shopify adapter maps a shipped line to the exchange's fulfillment order at the chosen
location (issue 12), against recorded requests and schema-shaped responses. No network.

The document is a real exchange run through the service layer (a fake shipment hub,
tests/fakes): the better T-shirt is taken now, the best one ships from warehouse W1 with a
fee. After ``returnProcess`` Shopify's order routing put both exchange items on one
fulfillment order at the store; the adapter reads the order's fulfillment orders and moves
the shipped line's units to W1's Shopify location (``fulfillmentOrderMove``). Built from
Shopify's documented schema (2026-01), NOT verified against a live shop.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from pos_exchange.adapters.oms.shopify import (
    EXCHANGE_FULFILLMENT_ORDERS,
    FULFILLMENT_ORDER_MOVE,
    OmsRejected,
    ShopifyExchangeSync,
    build_return_create,
    exchange_items,
    shipped_lines,
)
from pos_exchange.bootstrap import App
from pos_exchange.domain.errors import ConfigError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.shipment import FeeTable
from pos_exchange.services.shipments import ShippingService
from tests.fakes.shipment_hub import FakeShipmentHub
from tests.flows import BETTER, GOOD
from tests.integration.test_shopify_adapter import (
    ORDER,
    VARIANTS,
    client,
    fixture,
    mapping,
    pinned,
)

BEST = "APP-TSHIRT-P-003"
W1_LOCATION = "gid://shopify/Location/2000000001"
ADDRESS = {"name": "Ana Muster", "line1": "Bahnhofstrasse 1", "city": "Zürich",
           "postal_code": "8001", "country": "CH"}
SHIPMENT_ID = "5e0c2a8d-7b14-4c39-9f61-3d2e8a0b1c47"


def shipped_mapping(**overrides: Any) -> Any:
    values = {"variants": {**VARIANTS, BEST: "gid://shopify/ProductVariant/4410000003"},
              "locations": {"W1": W1_LOCATION}, **overrides}
    return mapping(**values)


@pytest.fixture
def shipped(app: App) -> dict[str, Any]:
    """S001-000001's T-shirt back; the better one taken now, the best one shipped from W1
    (fee 9.00), the gap paid in cash, settled: AWAITING_FULFILMENT."""
    svc = app.exchanges
    ship = ShippingService(svc, FakeShipmentHub({"W1": {BEST: 2}}), FeeTable({"CH": 900}))
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    ship.request_shipped(ex.number, "csr1", BEST, "W1", ADDRESS)
    if svc.submit(ex.number, "csr1").state is State.PENDING_APPROVAL:   # over the threshold
        svc.approve(ex.number, "mgr1", "9999", "ships from the warehouse")
    svc.pay_cash(ex.number, "csr1", str(Decimal(svc.get(ex.number).remaining_due_minor) / 100))
    svc.finalize(ex.number, "csr1")
    doc = pinned(svc.record(ex.number).as_json())
    for s in doc["shipments"]:
        s["shipment"] = SHIPMENT_ID
    return doc


def test_the_document_ships_the_best_shirt_from_w1(shipped: dict[str, Any]) -> None:
    best = next(r for r in shipped["requested"] if r["sku"] == BEST)
    assert shipped["state"] == "AWAITING_FULFILMENT"
    assert shipped_lines(shipped) == {best["line"]: "W1"}
    # The fee line is a charge, not a product: it is no exchange line item at Shopify.
    assert [r["sku"] for r in exchange_items(shipped)] == [BETTER, BEST]
    _query, variables = build_return_create(shipped, shipped_mapping())
    assert [x["variantId"] for x in variables["returnInput"]["exchangeLineItems"]] == \
        [VARIANTS[BETTER], "gid://shopify/ProductVariant/4410000003"]


def test_the_shipped_line_moves_to_the_sources_location(shipped: dict[str, Any]) -> None:
    shop, transport, _slept = client([fixture("shipped.return_create.success.json"),
                                      fixture("shipped.return_process.success.json"),
                                      fixture("shipped.fulfillment_orders.json"),
                                      fixture("shipped.fulfillment_order_move.success.json"),
                                      fixture("manual_payment.success.json")])
    links = ShopifyExchangeSync(shop, shipped_mapping()).push(shipped)
    assert links["shopify_fulfillment_orders"] == ["gid://shopify/FulfillmentOrder/3300000003"]
    sent = transport.bodies()
    assert [b["query"].split("(")[0].split()[-1] for b in sent] == [
        "ExchangeReturnCreate", "ExchangeReturnProcess", "ExchangeFulfillmentOrders",
        "ExchangeFulfillmentOrderMove", "ExchangeManualPayment"]
    assert sent[2] == {"query": EXCHANGE_FULFILLMENT_ORDERS,
                       "variables": {"returnId": "gid://shopify/Return/9910000002",
                                     "orderId": ORDER}}
    # Only the shipped line's unit moves; the counter line stays at the store.
    assert sent[3] == {"query": FULFILLMENT_ORDER_MOVE, "variables": {
        "id": "gid://shopify/FulfillmentOrder/3300000002", "newLocationId": W1_LOCATION,
        "fulfillmentOrderLineItems": [
            {"id": "gid://shopify/FulfillmentOrderLineItem/2200000003", "quantity": 1}]}}
    process = sent[1]["variables"]["input"]["exchangeLineItems"]
    assert [x["id"] for x in process] == ["gid://shopify/ExchangeLineItem/6610000002",
                                          "gid://shopify/ExchangeLineItem/6610000003"]


def test_sent_again_a_line_already_at_its_location_is_not_moved(
        shipped: dict[str, Any]) -> None:
    shop, transport, _slept = client([fixture("shipped.return_create.success.json"),
                                      fixture("shipped.return_process.success.json"),
                                      fixture("shipped.fulfillment_orders.placed.json"),
                                      fixture("manual_payment.success.json")])
    links = ShopifyExchangeSync(shop, shipped_mapping()).push(shipped)
    assert links["shopify_fulfillment_orders"] == []
    assert "fulfillmentOrderMove" not in json.dumps(transport.bodies())


def test_an_unmapped_location_sends_nothing(shipped: dict[str, Any]) -> None:
    shop, transport, _slept = client([])
    with pytest.raises(ConfigError) as err:
        ShopifyExchangeSync(shop, shipped_mapping(locations={})).push(shipped)
    assert err.value.code == "SHOPIFY_UNMAPPED_LOCATION" and transport.sent == []


def test_a_refused_move_says_why_and_keeps_the_links_so_far(shipped: dict[str, Any]) -> None:
    shop, _transport, _slept = client([
        fixture("shipped.return_create.success.json"),
        fixture("shipped.return_process.success.json"),
        fixture("shipped.fulfillment_orders.json"),
        fixture("shipped.fulfillment_order_move.user_errors.json")])
    with pytest.raises(OmsRejected) as err:
        ShopifyExchangeSync(shop, shipped_mapping()).push(shipped)
    assert "does not stock the item" in err.value.params["detail"]
    assert err.value.params["links"]["shopify_return"] == "gid://shopify/Return/9910000002"


def test_an_unfulfillable_shipment_is_not_moved(shipped: dict[str, Any]) -> None:
    shipped["shipments"][0]["state"] = "UNFULFILLABLE"   # refunded instead
    shop, transport, _slept = client([fixture("shipped.return_create.success.json"),
                                      fixture("shipped.return_process.success.json"),
                                      fixture("manual_payment.success.json")])
    links = ShopifyExchangeSync(shop, shipped_mapping()).push(shipped)
    assert "shopify_fulfillment_orders" not in links and len(transport.sent) == 3
