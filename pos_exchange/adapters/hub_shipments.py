"""The hub's shipment endpoints for the register (services/shipments.ShipmentHub).

Any transport trouble or token problem means shipping is unavailable (a sentence), never
a half-held shipment: the hub's hold is one transaction. A 409 OUT_OF_STOCK names the sku,
what is available and where.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.domain.errors import ConfigError, Refused, Unavailable
from pos_exchange.services.ports import HubRejected
from pos_exchange.services.shipments import LocationStock


class HubShipments:
    def __init__(self, client: Callable[[], HubClient]) -> None:
        self._client = client   # built on first use: a missing token only matters then

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return self._client()._request(method, path, **kwargs)
        except HubRejected as exc:
            body = exc.params.get("body") or {}
            if exc.code == "OUT_OF_STOCK":
                raise Refused("OUT_OF_STOCK", variant="source", sku=body.get("sku"),
                              available=body.get("available"),
                              source=body.get("source", "?"), asked=body.get("asked", "?")
                              ) from None
            raise
        except (Unavailable, ConfigError) as exc:   # unreachable, or no/refused token
            raise Unavailable("SHIPPING_OFFLINE", error=exc.code) from None

    def stock_elsewhere(self, sku: str, qty: int) -> list[LocationStock]:
        answer = self._call("GET", "/v1/locations/stock", params={"sku": sku, "qty": qty})
        return [LocationStock(r["location"], r["name"], r["kind"], int(r["available"]),
                              r.get("distance_km")) for r in answer["locations"]]

    def hold(self, exchange_uuid: str, shipments: Sequence[Mapping[str, Any]]) -> None:
        self._call("POST", "/v1/shipments/holds",
                   json={"exchange_uuid": exchange_uuid, "shipments": list(shipments)})

    def release(self, exchange_uuid: str) -> None:
        self._call("DELETE", f"/v1/shipments/holds/{exchange_uuid}")

    def updates(self, since: int) -> tuple[list[dict[str, Any]], int]:
        rows: list[dict[str, Any]] = []
        while True:
            answer = self._call("GET", "/v1/shipments/updates", params={"since": since})
            rows += answer["shipments"]
            since = int(answer["version"])
            if not answer.get("more"):
                return rows, since

    def claim_refund(self, shipment_id: str) -> bool:
        answer = self._call("POST", f"/v1/shipments/{shipment_id}/refund-claim")
        return bool(answer.get("refund"))
