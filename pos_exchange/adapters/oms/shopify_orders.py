"""Shopify orders into the hub's sales index: the Admin GraphQL ``orders`` query, paged by
cursor, as deltas by ``updated_at``.

``pull(client, since)`` asks for every order updated at or after ``since`` (Shopify's
search syntax ``updated_at:>='…'``, sorted by ``UPDATED_AT``), follows
``pageInfo.endCursor`` while ``hasNextPage``, and maps each order onto the sales feed's
schema (``hub/sales_model.py``); ``feed(pull, hub)`` posts them to ``POST /v1/sales``,
which is idempotent by order number, so a page fetched twice (the ``>=`` boundary, a
retry) changes nothing, and an order changed at Shopify since (edited, refunded, a new
email) replaces the hub's copy.

The mapping, and what it assumes:
- order number: the order's ``name`` (``#1001``); store: the POS location's store code
  (``locations``) or the web shop's (``store``); sold at ``processedAt``;
- a line: ``currentQuantity`` (what is left after edits and refunds); its ``net`` is the
  original unit price × quantity minus every discount allocated to it (order-level
  discounts included), its tax the sum of its tax lines at the sum of their rates, both
  prorated to the current quantity by the domain's ``prorate``;
- tenders: successful ``SALE`` / ``CAPTURE`` transactions minus their successful
  refunds; ``cash`` / ``manual`` gateways are cash, ``gift_card`` is store credit, any
  other is a card whose refund goes to the transaction (``reference`` = its id), with the
  brand and last four digits Shopify shows — never more of the card;
- what the tenders paid beyond the lines (shipping, tips) is not returnable: it is taken
  off the last tenders, so a refund can never reach it. An order its tenders do not
  cover yet (pending payment) is skipped and reported, and comes back when it is paid.

NOT VERIFIED AGAINST A LIVE SHOP: the query and the answers follow Shopify's documented
schema (version 2026-01) and are pinned by recorded fixtures (tests/fixtures/shopify).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from pos_exchange.adapters.oms.shopify import ShopifyClient
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.money import prorate, to_minor

PAGE = 50
CASH_GATEWAYS = frozenset({"cash", "manual", "cash on delivery (cod)"})
STORE_CREDIT_GATEWAYS = frozenset({"gift_card"})
PAID_KINDS = frozenset({"SALE", "CAPTURE"})

ORDERS_QUERY = """\
query OrdersSince($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id
      name
      processedAt
      updatedAt
      currencyCode
      email
      phone
      customer { id displayName }
      retailLocation { id }
      lineItems(first: 100) {
        nodes {
          sku
          name
          quantity
          currentQuantity
          originalUnitPriceSet { shopMoney { amount } }
          discountAllocations { allocatedAmountSet { shopMoney { amount } } }
          taxLines { rate priceSet { shopMoney { amount } } }
        }
      }
      transactions(first: 50) {
        id
        kind
        status
        gateway
        amountSet { shopMoney { amount } }
        parentTransaction { id }
        paymentDetails { ... on CardPaymentDetails { company number } }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class OrdersMapping:
    """Where Shopify's orders belong in the chain: ``store`` for web orders, ``locations``
    (a POS location's gid → store code) for orders rung up at a Shopify POS."""

    store: str
    locations: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Pull:
    sales: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)   # (order, why)
    updated_at: str | None = None      # the newest updatedAt seen: the next ``since``
    pages: int = 0


def orders_variables(since: str | None, after: str | None = None,
                     first: int = PAGE) -> dict[str, Any]:
    return {"first": first, "after": after,
            "query": f"updated_at:>='{since}'" if since else None}


def _money(bag: Mapping[str, Any] | None, currency: str) -> int:
    return to_minor(str(((bag or {}).get("shopMoney") or {}).get("amount") or "0"), currency)


def _line(node: Mapping[str, Any], n: int, currency: str) -> dict[str, Any] | None:
    ordered, left = int(node.get("quantity") or 0), int(node.get("currentQuantity") or 0)
    if left <= 0 or ordered <= 0:
        return None
    unit = _money(node.get("originalUnitPriceSet"), currency)
    discount = sum(_money(d.get("allocatedAmountSet"), currency)
                   for d in node.get("discountAllocations") or [])
    taxes = node.get("taxLines") or []
    tax = sum(_money(x.get("priceSet"), currency) for x in taxes)
    rate = sum((Decimal(str(x.get("rate") or 0)) for x in taxes), Decimal(0))
    net_all = unit * ordered - discount
    return {"line": n, "sku": node.get("sku") or f"shopify-line-{n}",
            "name": (node.get("name") or "")[:200], "qty": left, "unit_price": unit,
            "net": prorate(net_all, ordered, 0, left), "tax_rate": str(rate.normalize()),
            "tax": prorate(tax, ordered, 0, left)}


def _method(gateway: str, details: Mapping[str, Any] | None) -> str:
    key = gateway.strip().lower()
    if key in CASH_GATEWAYS:
        return "cash"
    if key in STORE_CREDIT_GATEWAYS:
        return "store_credit"
    return "card"


def _tenders(transactions: Sequence[Mapping[str, Any]], currency: str
             ) -> list[dict[str, Any]]:
    ok = [t for t in transactions if t.get("status") == "SUCCESS"]
    refunded: dict[str, int] = {}
    for t in ok:
        if t.get("kind") == "REFUND" and t.get("parentTransaction"):
            parent = t["parentTransaction"]["id"]
            refunded[parent] = refunded.get(parent, 0) + _money(t.get("amountSet"), currency)
    tenders = []
    for t in ok:
        if t.get("kind") not in PAID_KINDS:
            continue
        amount = _money(t.get("amountSet"), currency) - refunded.get(t["id"], 0)
        if amount <= 0:
            continue
        details = t.get("paymentDetails") or {}
        method = _method(str(t.get("gateway") or ""), details)
        tender: dict[str, Any] = {"id": str(t["id"])[-64:], "method": method,
                                  "amount": amount}
        if method == "card":
            tender["reference"] = str(t["id"])
            brand = "_".join(str(details.get("company") or "").lower().split())
            if brand.replace("_", "").isalpha() and 2 <= len(brand) <= 20:
                tender["brand"] = brand
            digits = "".join(ch for ch in str(details.get("number") or "") if ch.isdigit())
            if len(digits) >= 4:
                tender["last4"] = digits[-4:]
        tenders.append(tender)
    return tenders


def _cap(tenders: list[dict[str, Any]], due: int) -> list[dict[str, Any]] | None:
    """Take what was paid beyond the lines off the last tenders; None if underpaid."""
    excess = sum(t["amount"] for t in tenders) - due
    if excess < 0:
        return None
    kept = []
    for tender in reversed(tenders):
        take = min(excess, tender["amount"])
        excess -= take
        if tender["amount"] - take:
            kept.append({**tender, "amount": tender["amount"] - take})
    return list(reversed(kept))


def to_sale(order: Mapping[str, Any], mapping: OrdersMapping) -> dict[str, Any]:
    """One Shopify order as a sale of the feed (raises ValueError when it cannot be one)."""
    currency = str(order["currencyCode"])
    lines = [line for n, node in enumerate((order.get("lineItems") or {}).get("nodes") or [], 1)
             if (line := _line(node, n, currency)) is not None]
    if not lines:
        raise ValueError("nothing left on it to return")
    due = sum(line["net"] + line["tax"] for line in lines)
    tenders = _cap(_tenders(order.get("transactions") or [], currency), due)
    if not tenders:
        raise ValueError("its payments do not cover its lines yet")
    location = (order.get("retailLocation") or {}).get("id")
    customer = order.get("customer") or {}
    sale: dict[str, Any] = {
        "order_number": str(order["name"]), "store": mapping.locations.get(location or "",
                                                                           mapping.store),
        "sold_at": order.get("processedAt") or order["updatedAt"], "currency": currency,
        "lines": lines, "tenders": tenders, "source": "shopify",
        "updated_at": order["updatedAt"]}
    who = {"id": (customer.get("id") or "").rsplit("/", 1)[-1] or None,
           "name": customer.get("displayName"), "phone": order.get("phone"),
           "email": order.get("email")}
    who = {k: v for k, v in who.items() if v}
    if who:
        sale["customer"] = who
    return sale


def pull(client: ShopifyClient, mapping: OrdersMapping, since: str | None,
         first: int = PAGE, max_pages: int = 200) -> Pull:
    """Every order updated at or after ``since``, page by page."""
    out = Pull(updated_at=since)
    after = None
    for _ in range(max_pages):
        # A query, not a mutation: ``mutate`` is the client's one GraphQL call (same
        # retries on throttling, same error mapping).
        page = client.mutate(ORDERS_QUERY, orders_variables(since, after, first),
                             root="orders")
        out.pages += 1
        for order in page.get("nodes") or []:
            try:
                out.sales.append(to_sale(order, mapping))
            except (ValueError, PosError) as exc:
                out.skipped.append((str(order.get("name")), str(exc)))
            stamp = order.get("updatedAt")
            if stamp and (out.updated_at is None or stamp > out.updated_at):
                out.updated_at = stamp
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            break
        after = info.get("endCursor")
    return out


class SalesFeed(Protocol):
    def post_sales(self, sales: Sequence[Mapping[str, Any]]) -> dict[str, Any]: ...


def feed(pulled: Pull, hub: SalesFeed, batch: int = 500) -> dict[str, int]:
    """Post the pulled sales to the hub; counts by outcome."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "stale": 0}
    for start in range(0, len(pulled.sales), batch):
        for result in hub.post_sales(pulled.sales[start:start + batch])["results"]:
            counts[result["status"]] += 1
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """One round, for a scheduler: pull what changed since the state file's watermark,
    feed it to the hub, then move the watermark. Tokens come from the environment
    (POS_EXCHANGE_SHOPIFY_TOKEN) and the keyring (the hub token, as for a register)."""
    import os

    from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
    from pos_exchange.adapters.secrets import hub_token

    parser = argparse.ArgumentParser(prog="python -m pos_exchange.adapters.oms.shopify_orders")
    parser.add_argument("--shop", required=True, help="the-shop.myshopify.com")
    parser.add_argument("--store", required=True, help="the web shop's store code")
    parser.add_argument("--hub-url", required=True)
    parser.add_argument("--state", required=True, type=Path, help="watermark file (JSON)")
    args = parser.parse_args(argv)
    state = json.loads(args.state.read_text()) if args.state.exists() else {}
    client = ShopifyClient(args.shop, os.environ.get("POS_EXCHANGE_SHOPIFY_TOKEN", ""))
    pulled = pull(client, OrdersMapping(args.store.upper()), state.get("updated_at"))
    counts = feed(pulled, HubCatalogueClient(args.hub_url, hub_token()))
    args.state.write_text(json.dumps({"updated_at": pulled.updated_at}))
    print(f"{len(pulled.sales)} orders in {pulled.pages} pages: {counts}; "
          f"skipped {len(pulled.skipped)}")
    for name, why in pulled.skipped:
        print(f"  skipped {name}: {why}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
