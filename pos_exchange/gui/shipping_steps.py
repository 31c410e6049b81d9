"""The counter's shipping steps, Qt-free (run in workers, like gui/steps.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import Unavailable
from pos_exchange.gui import steps
from pos_exchange.gui.screen import tr
from pos_exchange.services.shipments import LocationStock, ShippingService

if TYPE_CHECKING:
    from pos_exchange.bootstrap import App


def _shipping(app: App) -> ShippingService:
    if app.shipping is None or not app.shipping.available:
        raise Unavailable("SHIPPING_OFFLINE")
    return app.shipping


def find_elsewhere(app: App, code: str, qty: int = 1) -> tuple[Item, list[LocationStock]]:
    """The item and where else it is (``qty`` at least), nearest first (network: a
    worker's job)."""
    shipping = _shipping(app)
    item = app.exchanges.item(code)
    return item, shipping.stock_elsewhere(item.sku, qty)


def ship_item(app: App, key: str | None, user: str, code: str, source: str,
              address: Mapping[str, str]) -> steps.Snapshot:
    """Add the item as a line shipped from ``source`` to ``address``."""
    ex = _shipping(app).request_shipped(key, user, code, source, address)
    return steps.snapshot(app, ex.number, user)


def ship_line(app: App, key: str, user: str, line_no: int, source: str,
              address: Mapping[str, str]) -> steps.Snapshot:
    """A line already in the basket, shipped from ``source`` to ``address`` instead."""
    _shipping(app).ship_line(key, user, line_no, source, address)
    return steps.snapshot(app, key, user, tr(
        "{item} ships from {source}.", item=_line_name(app, key, line_no), source=source))


def take_now(app: App, key: str, user: str, line_no: int) -> steps.Snapshot:
    """A shipped line handed over at the counter after all (its shipment's fee goes
    with the shipment's last line). Needs no hub: nothing is held before lock-in."""
    if app.shipping is None:   # no shipping here: then no line ships either
        raise Unavailable("SHIPPING_OFFLINE")
    app.shipping.take_now(key, user, line_no)
    return steps.snapshot(app, key, user, tr(
        "{item} is taken now, from this store.", item=_line_name(app, key, line_no)))


def _line_name(app: App, key: str, line_no: int) -> str:
    ex = app.exchanges.get(key)
    return next((r.name for r in ex.requested if r.line_no == line_no), str(line_no))
