"""HTTP client of the hub's catalogue, stock and reservations (requests).

``HubUnavailable`` (no connection, timeout, 5xx, 429): try again later, or work from the
local snapshot (offline, the exchange is marked *unconfirmed*). ``OutOfStock``
(409 OUT_OF_STOCK): the hub holds nothing for this exchange; ``.sku`` names the line.
Other refusals raise ``HubRejected`` (or ``HubAuthError`` for 401/403), as the sync
client does. The token is sent as a bearer header and never logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_sales import LOOKUP_TIMEOUT, sale_copy
from pos_exchange.domain.errors import Refused
from pos_exchange.services.ports import HubRejected, OutOfStock
from pos_exchange.services.views import SaleCopy

# What a 409 QTY_EXCEEDS_PURCHASED names, for the register's own sentence.
RETURN_PARAMS = ("item", "sale", "bought", "returned", "returnable")


class HubCatalogueClient(HubClient):
    """Catalogue, stock and reservations: the same session, token and error mapping as
    the exchange client; a 409 OUT_OF_STOCK becomes ``OutOfStock`` naming the SKU."""

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return self._request(method, path, **kwargs)
        except HubRejected as exc:
            body = exc.params.get("body") or {}
            if exc.code == "OUT_OF_STOCK":
                raise OutOfStock("OUT_OF_STOCK", variant="hub", sku=body.get("sku"),
                                 available=body.get("available")) from None
            if exc.code == "QTY_EXCEEDS_PURCHASED":  # another register holds or took it
                raise Refused("QTY_EXCEEDS_PURCHASED",
                              **{k: body.get(k) for k in RETURN_PARAMS}) from None
            raise

    def catalogue_since(self, version: int, limit: int = 1000
                        ) -> tuple[list[dict[str, Any]], int, bool]:
        """(items changed after ``version``, the page's highest version, more pages?)"""
        body = self._call("GET", "/v1/catalogue", params={"since": version, "limit": limit})
        return body["items"], int(body["version"]), bool(body["more"])

    def stock_since(self, version: int, limit: int = 1000
                    ) -> tuple[list[dict[str, Any]], int, bool]:
        """(this store's stock rows changed after ``version``, highest version, more?)"""
        body = self._call("GET", "/v1/stock", params={"since": version, "limit": limit})
        return body["stock"], int(body["version"]), bool(body["more"])

    def reserve(self, exchange_uuid: str, lines: Iterable[Mapping[str, Any]],
                ttl_s: int = 900, *, returns: Iterable[Mapping[str, Any]] = (),
                activity: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Hold every line or none, with the returned sale lines (409
        QTY_EXCEEDS_PURCHASED: none held); the same exchange again returns the same hold.
        ``activity`` is counted for the daily limits; the answer's ``limits`` has the
        day's counts."""
        body: dict[str, Any] = {
            "exchange_uuid": exchange_uuid, "ttl_s": ttl_s,
            "lines": [{"sku": line["sku"], "qty": int(line["qty"])} for line in lines]}
        returns = [{"order": r["order"], "line": int(r["line"]), "qty": int(r["qty"])}
                   for r in returns]
        if returns:
            body["returns"] = returns
        if activity is not None:
            body["activity"] = dict(activity)
        return self._call("POST", "/v1/reservations", json=body)

    def release(self, reservation_id: str) -> dict[str, Any]:
        return self._call("DELETE", f"/v1/reservations/{reservation_id}")

    def commit(self, reservation_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/reservations/{reservation_id}/commit")

    def order(self, order_number: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/orders/{order_number}")

    # ------------------------------------------------------------------ sales index
    def sale(self, key: str) -> dict[str, Any]:
        """A sale of any store by receipt barcode, order number or SO number (404:
        ``HubRejected`` UNKNOWN_SALE)."""
        return self._call("GET", "/v1/sales/lookup", params={"key": key},
                          timeout=LOOKUP_TIMEOUT)

    def search_sales(self, text: str) -> dict[str, Any]:
        return self._call("GET", "/v1/sales/search", params={"q": text[:100]},
                          timeout=LOOKUP_TIMEOUT)

    def sales_since(self, version: int, sold_since: datetime | None = None,
                    limit: int = 200) -> tuple[list[SaleCopy], int, bool]:
        """(this store's sales changed after ``version``, highest version, more?)"""
        params: dict[str, Any] = {"since": version, "limit": limit}
        if sold_since is not None:
            params["sold_since"] = sold_since.isoformat()
        body = self._call("GET", "/v1/sales", params=params)
        return [sale_copy(s) for s in body["sales"]], int(body["version"]), bool(body["more"])

    def post_sales(self, sales: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
        """Feed sales (the ``POST /v1/sales`` schema): all stored or none."""
        return self._call("POST", "/v1/sales", json={"sales": list(sales)})
