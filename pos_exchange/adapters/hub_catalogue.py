"""HTTP client of the hub's catalogue, stock and reservations (requests).

``HubUnavailable`` (no connection, timeout, 5xx, 429): try again later, or work from the
local snapshot (DESIGN §1: offline, the exchange is marked *unconfirmed*). ``OutOfStock``
(409 OUT_OF_STOCK): the hub holds nothing for this exchange; ``.sku`` names the line.
Other refusals raise ``HubRejected`` (or ``HubAuthError`` for 401/403), as the sync
client does. The token is sent as a bearer header and never logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import requests

from pos_exchange.adapters.hub_client import TIMEOUT, HubAuthError, HubRejected, HubUnavailable
from pos_exchange.domain.errors import DomainError


class OutOfStock(DomainError):
    """The hub could not hold a line: nothing was reserved."""

    @property
    def sku(self) -> str | None:
        sku = self.details.get("sku")
        return str(sku) if sku is not None else None


class HubCatalogueClient:
    def __init__(self, base_url: str, token: str, session: requests.Session | None = None,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.request(method, self.base_url + path,
                                            timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise HubUnavailable("HUB_UNREACHABLE", "The central system cannot be reached; "
                                 "try again later.", detail=type(exc).__name__) from None
        status = response.status_code
        if status >= 500 or status == 429:
            raise HubUnavailable("HUB_ERROR", f"The central system answered {status}; "
                                 "try again later.")
        body = _json(response)
        if status in (401, 403):
            raise HubAuthError("HUB_TOKEN_REFUSED",
                               "The central system refused this register's token: IT must "
                               "issue a new one (pos-exchange-hub token create).")
        if status == 409 and body.get("code") == "OUT_OF_STOCK":
            raise OutOfStock("OUT_OF_STOCK", str(body.get("detail") or "Out of stock."),
                             sku=body.get("sku"), available=body.get("available"))
        if status >= 400:
            raise HubRejected(str(body.get("code") or "HUB_REJECTED"),
                              f"The central system refused the request ({status}): "
                              f"{str(body.get('detail') or response.text)[:300]}",
                              status=status)
        return body

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


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
