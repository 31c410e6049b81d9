"""The hub's sales index as the register sees it: lookup, search, and the wire shape.

``HubSales`` implements ``services.ports.SaleLookup``: a receipt scan, an order number or
a customer's name, phone or email is asked at the hub (any store of the chain), and the
answer becomes a ``SaleCopy`` the register keeps for offline use. When the hub does not
answer, the register's own copy decides; after a failure the hub is not asked again for
``quiet_s`` seconds, so an offline counter never waits on the network at every scan.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.sale import Funding, Sale, SaleLine
from pos_exchange.services.ports import HubRejected
from pos_exchange.services.views import SaleCopy, SaleMatch

if TYPE_CHECKING:
    from pos_exchange.adapters.hub_catalogue import HubCatalogueClient

log = logging.getLogger(__name__)
LOOKUP_TIMEOUT = (1.5, 5.0)   # connect, read: a counter lookup must answer quickly
QUIET_S = 30.0


def _time(text: str | None) -> datetime:
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def sale_copy(body: Mapping[str, Any]) -> SaleCopy:
    """A sale of ``GET /v1/sales/lookup`` (or of a delta page) as the register keeps it."""
    customer = body.get("customer") or {}
    lines = tuple(SaleLine(
        int(ln["line"]), ln["sku"], ln.get("name") or ln["sku"], int(ln["qty"]),
        int(ln["unit_price"]), int(ln["net"]), Decimal(str(ln["tax_rate"])), int(ln["tax"]),
        returned_qty=int(ln.get("returned_qty") or 0),
        credited_net_minor=ln.get("credited_net"), credited_tax_minor=ln.get("credited_tax"))
        for ln in body.get("lines") or [])
    funding = tuple(Funding(
        str(tn["id"]), tn["method"], int(tn["amount"]), int(tn.get("drawn") or 0),
        tn.get("brand"), tn.get("last4")) for tn in body.get("tenders") or [])
    order = str(body["order_number"])
    sale = Sale(order, order, body.get("receipt_barcode"), _time(body["sold_at"]),
                customer.get("id"), body["currency"], lines, funding,
                body.get("source_exchange"), store_id=body.get("store"),
                source=body.get("source"))
    return SaleCopy(sale, customer.get("name"), customer.get("phone"), customer.get("email"),
                    body.get("version"), body.get("status") == "voided",
                    {str(tn["id"]): str(tn["reference"]) for tn in body.get("tenders") or []
                     if tn.get("reference")})


def sale_match(body: Mapping[str, Any]) -> SaleMatch:
    return SaleMatch(body["order_number"], _time(body["sold_at"]), body.get("customer_id"),
                     body.get("name"), body.get("phone"), body.get("store"),
                     body.get("email"))


class HubSales:
    """``SaleLookup`` over the hub's HTTP API (``hub/sales_api.py``)."""

    def __init__(self, client: Callable[[], HubCatalogueClient], *, quiet_s: float = QUIET_S,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._client, self.quiet_s, self._monotonic = client, quiet_s, monotonic
        self._quiet_until = 0.0   # built on first use: a missing token only matters then

    def _ask(self, call: Callable[[HubCatalogueClient], Any]) -> Any:
        if self._monotonic() < self._quiet_until:
            return None
        try:
            return call(self._client())
        except HubRejected as exc:     # 404 and the like: the hub does not know it
            log.info("hub sale lookup: %s", exc.code)
            return None
        except PosError as exc:        # unreachable, token refused: decide locally
            log.warning("hub sale lookup failed (%s): working from the local copy", exc.code)
            self._quiet_until = self._monotonic() + self.quiet_s
            return None

    def find(self, key: str) -> SaleCopy | None:
        body = self._ask(lambda client: client.sale(key))
        return sale_copy(body) if body else None

    def search(self, text: str) -> list[SaleMatch] | None:
        body = self._ask(lambda client: client.search_sales(text))
        return [sale_match(m) for m in body.get("matches", [])] if body else None
