"""A chain for the "one truth" tests: a real hub under uvicorn, registers of several stores
pointed at it, and sales fed to it as the tills and web shop do.

Each register is a real register database (a copy of the demo store) with the real hub
adapters (``HubStock``, ``HubSales``, ``HubClient``, ``HubCatalogueClient``) on its own
token. ``offline()`` cuts one register off the hub the way a dead network does: its HTTP
transport raises a connection error, so the adapters see ``HubUnavailable``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from stdnum import ean

from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_sales import HubSales
from pos_exchange.adapters.hub_stock import HubStock
from pos_exchange.bootstrap import App, open_app
from pos_exchange.config import Settings
from pos_exchange.demo.data import demo_items
from pos_exchange.domain.money import line_tax
from pos_exchange.hub import catalogue, stock, tokens
from pos_exchange.services.sync import Backoff, SyncService
from tests.conftest import DEMO_NOW
from tests.flows import BEST, BETTER, GOOD, copy_database


class Switch(HTTPAdapter):
    """A transport a test can cut: while ``down``, every request fails to connect."""

    def __init__(self) -> None:
        super().__init__()
        self.down = False

    def send(self, request: requests.PreparedRequest, *args: Any,
             **kwargs: Any) -> requests.Response:
        if self.down:
            raise requests.ConnectionError("network down (test)")
        return super().send(request, *args, **kwargs)


def session(switch: Switch) -> requests.Session:
    s = requests.Session()
    s.mount("http://", switch)
    return s


@dataclass
class Register:
    app: App
    sync: SyncService
    switch: Switch
    token: str
    store: str
    register: str
    hub_sales: HubSales = field(repr=False, default=None)  # type: ignore[assignment]

    @property
    def svc(self) -> Any:
        return self.app.exchanges

    @contextmanager
    def offline(self) -> Iterator[None]:
        self.switch.down = True
        try:
            yield
        finally:
            self.switch.down = False
            self.hub_sales._quiet_until = 0.0  # back online: ask the hub again at once

    def close(self) -> None:
        self.app.close()


def register(tmp_path: Path, demo_template: Path, clock: Any, hub_url: str, engine: Any,
             store: str, register_id: str, **settings: Any) -> Register:
    path = tmp_path / f"{store}-{register_id}.sqlite3"
    copy_database(demo_template, path)
    _id, token = tokens.create(engine, store, register_id, datetime.now(UTC))
    app = open_app(str(path), settings=Settings(store_id=store, register_id=register_id,
                                                hub_url=hub_url, **settings), clock=clock)
    switch = Switch()
    client = HubCatalogueClient(hub_url, token, session=session(switch))
    app.exchanges.stock = HubStock(lambda: client)
    lookups = HubSales(lambda: client)
    app.exchanges.hub_sales = lookups
    sync = SyncService(app.exchanges, app.audit,
                       HubClient(hub_url, token, session=session(switch)),
                       Backoff(base_s=0, cap_s=0, max_attempts=50), catalogue=client)
    return Register(app, sync, switch, token, store, register_id, lookups)


def stock_the_hub(engine: Any, stores: tuple[str, ...] = ("S001", "S002")) -> None:
    """The demo catalogue with its price history (as of the registers' demo day), and
    stock of the T-shirts in each store."""
    items = demo_items(DEMO_NOW.date())
    catalogue.upsert_items(engine, items, DEMO_NOW)
    catalogue.load_price_history(engine, [(i.sku, day, price) for i in items
                                          for day, price in i.price_history])
    for store in stores:
        stock.set_stock(engine, store, {GOOD: 50, BETTER: 50, BEST: 50}, DEMO_NOW)


def receipt(store_no: int, seq: int) -> str:
    body = f"29{store_no:04d}{seq:06d}"
    return body + ean.calc_check_digit(body)


def sale(order: str, store: str, *, sold_at: str = "2026-11-03T15:00:00Z",
         tenders: list[dict[str, Any]] | None = None, qty: int = 1,
         receipt_barcode: str | None = None, customer: str | None = "C0101",
         sku: str = GOOD, unit: int = 1900) -> dict[str, Any]:
    """A sale in the POST /v1/sales schema: ``qty`` × the good T-shirt (19.00 + 8.25 %)."""
    net = unit * qty
    tax = line_tax(net, Decimal("0.0825"))
    body: dict[str, Any] = {
        "order_number": order, "store": store, "sold_at": sold_at, "currency": "USD",
        "lines": [{"line": 1, "sku": sku, "name": "Crew T-Shirt (Good)", "qty": qty,
                   "unit_price": unit, "net": net, "tax_rate": "0.0825", "tax": tax}],
        "tenders": tenders or [{"method": "card", "amount": net + tax, "brand": "visa",
                                "last4": "4242", "reference": f"pi_{order.replace('-', '')}"}]}
    if receipt_barcode:
        body["receipt_barcode"] = receipt_barcode
    if customer:
        body["customer"] = {"id": customer, "name": "Ada Lovelace", "phone": "+1 512 555 0101",
                            "email": "ada@example.com"}
    return body


def feed(hub_url: str, engine: Any, store: str, *sales: dict[str, Any]) -> dict[str, Any]:
    """POST /v1/sales as the store's till does (its own register token)."""
    _id, token = tokens.create(engine, store, "T01", datetime.now(UTC))
    return HubCatalogueClient(hub_url, token).post_sales(list(sales))
