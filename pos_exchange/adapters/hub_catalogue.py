"""HTTP client of the hub's catalogue, stock and reservations (requests).

``HubUnavailable`` (no connection, timeout, 5xx, 429): try again later, or work from the
local snapshot (offline, the exchange is marked *unconfirmed*). ``OutOfStock``
(409 OUT_OF_STOCK): the hub holds nothing for this exchange; ``.sku`` names the line.
Other refusals raise ``HubRejected`` (or ``HubAuthError`` for 401/403), as the sync
client does. The token is sent as a bearer header and never logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.services.ports import HubRejected, OutOfStock


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
                ttl_s: int = 900) -> dict[str, Any]:
        """Hold every line or none; the same exchange again returns the same hold."""
        return self._call("POST", "/v1/reservations", json={
            "exchange_uuid": exchange_uuid, "ttl_s": ttl_s,
            "lines": [{"sku": line["sku"], "qty": int(line["qty"])} for line in lines]})

    def release(self, reservation_id: str) -> dict[str, Any]:
        return self._call("DELETE", f"/v1/reservations/{reservation_id}")

    def commit(self, reservation_id: str) -> dict[str, Any]:
        return self._call("POST", f"/v1/reservations/{reservation_id}/commit")

    def order(self, order_number: str) -> dict[str, Any]:
        return self._call("GET", f"/v1/orders/{order_number}")
