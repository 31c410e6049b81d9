"""The counter's shipping steps, Qt-free (run in workers, like gui/steps.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import Unavailable
from pos_exchange.gui import steps
from pos_exchange.services.shipments import LocationStock, ShippingService

if TYPE_CHECKING:
    from pos_exchange.bootstrap import App


def _shipping(app: App) -> ShippingService:
    if app.shipping is None or not app.shipping.available:
        raise Unavailable("SHIPPING_OFFLINE")
    return app.shipping


def find_elsewhere(app: App, code: str) -> tuple[Item, list[LocationStock]]:
    """The item and where else it is, nearest first (network: a worker's job)."""
    shipping = _shipping(app)
    item = app.exchanges.item(code)
    return item, shipping.stock_elsewhere(item.sku)


def ship_item(app: App, key: str | None, user: str, code: str, source: str,
              address: Mapping[str, str]) -> steps.Snapshot:
    """Add the item as a line shipped from ``source`` to ``address``."""
    ex = _shipping(app).request_shipped(key, user, code, source, address)
    return steps.snapshot(app, ex.number, user)


def take_now(app: App, key: str, user: str, line_no: int) -> steps.Snapshot:
    _shipping(app).take_now(key, user, line_no)
    return steps.snapshot(app, key, user)
