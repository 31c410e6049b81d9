"""An in-memory stand-in for the hub's shipment endpoints (services/shipments.ShipmentHub).

It behaves like hub/shipments.py on one process: stock per location, holds all or none
per exchange (a new hold replaces the exchange's earlier ones), release only through
``settle`` with the payment gate, and a version per change for the register's pull. The
real hub runs the same scenarios in tests/hub/test_shipments_e2e.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pos_exchange.domain.errors import Refused, Unavailable
from pos_exchange.domain.shipment import ShipmentState, shipment_move
from pos_exchange.services.shipments import LocationStock


class FakeShipmentHub:
    def __init__(self, stock: Mapping[str, Mapping[str, int]]) -> None:
        self.stock = {loc: dict(levels) for loc, levels in stock.items()}
        self.held: dict[str, dict[str, Any]] = {}      # shipment id -> row
        self.version = 0
        self.online = True

    def _up(self) -> None:
        if not self.online:
            raise Unavailable("HUB_UNREACHABLE", error="ConnectionError")

    def stock_elsewhere(self, sku: str, qty: int) -> list[LocationStock]:
        self._up()
        return [LocationStock(loc, loc, "warehouse" if loc.startswith("W") else "store",
                              levels.get(sku, 0) - self._reserved(loc, sku), None)
                for loc, levels in sorted(self.stock.items()) if levels.get(sku, 0)]

    def _reserved(self, loc: str, sku: str) -> int:
        return sum(line["qty"] for row in self.held.values()
                   if row["source"] == loc and row["state"] == "PENDING"
                   for line in row["lines"] if line["sku"] == sku)

    def hold(self, exchange_uuid: str, shipments: Sequence[Mapping[str, Any]]) -> None:
        self._up()
        self.release(exchange_uuid)
        for s in shipments:
            for line in s["lines"]:
                free = self.stock.get(s["source"], {}).get(line["sku"], 0) - \
                    self._reserved(s["source"], line["sku"])
                if free < line["qty"]:
                    raise Refused("OUT_OF_STOCK", variant="source", sku=line["sku"],
                                  available=free, source=s["source"], asked=line["qty"])
        for s in shipments:
            self.held[s["shipment_id"]] = {"exchange_uuid": exchange_uuid,
                                           "shipment_id": s["shipment_id"],
                                           "source": s["source"], "lines": list(s["lines"]),
                                           "state": "PENDING"}

    def release(self, exchange_uuid: str) -> None:
        for sid in [k for k, r in self.held.items()
                    if r["exchange_uuid"] == exchange_uuid and r["state"] == "PENDING"]:
            del self.held[sid]

    # --- what the hub and the source do
    def settle(self, exchange_uuid: str) -> None:
        """The paid, settled record arrived: the held shipments go to their sources."""
        for row in self.held.values():
            if row["exchange_uuid"] == exchange_uuid and row["state"] == "PENDING":
                for line in row["lines"]:
                    self.stock[row["source"]][line["sku"]] -= line["qty"]
                row["state"] = str(ShipmentState.AWAITING_FULFILMENT)
                self._bump(row)

    def act(self, shipment_id: str, target: ShipmentState, **details: str) -> None:
        row = self.held[shipment_id]
        shipment_move(ShipmentState(row["state"]), target, shipment_id)
        row.update(state=str(target), **details)
        self._bump(row)

    def claim_refund(self, shipment_id: str) -> bool:
        """As the hub: the refund of an unfulfillable shipment is claimed once, and then a
        re-source is refused (and a re-sourced one is never refunded)."""
        self._up()
        row = self.held[shipment_id]
        if row["state"] != str(ShipmentState.UNFULFILLABLE) or \
                row.get("resolution") not in (None, "REFUND"):
            return False
        row["resolution"] = "REFUND"
        return True

    def resource(self, shipment_id: str, source: str) -> None:
        """A manager moves the shipment to ``source`` (the hub's rules, in short)."""
        row = self.held[shipment_id]
        if row.get("resolution") or row["state"] not in (
                str(ShipmentState.AWAITING_FULFILMENT), str(ShipmentState.UNFULFILLABLE)):
            raise Refused("SHIPMENT_RESOURCE", variant="refunded", shipment=shipment_id,
                          shipment_state=row["state"])
        for line in row["lines"]:
            if self.stock.get(source, {}).get(line["sku"], 0) < line["qty"]:
                raise Refused("OUT_OF_STOCK", variant="source", sku=line["sku"],
                              available=0, source=source, asked=line["qty"])
        for line in row["lines"]:
            self.stock[source][line["sku"]] -= line["qty"]
        row.update(source=source, state=str(ShipmentState.AWAITING_FULFILMENT), reason=None)
        self._bump(row)

    def _bump(self, row: dict[str, Any]) -> None:
        self.version += 1
        row["version"] = self.version

    def updates(self, since: int) -> tuple[list[dict[str, Any]], int]:
        self._up()
        rows = sorted((r for r in self.held.values() if r.get("version", 0) > since),
                      key=lambda r: r["version"])
        return [dict(r) for r in rows], self.version
