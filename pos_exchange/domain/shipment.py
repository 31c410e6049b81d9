"""The new shipment: requested lines sent to the customer from another store or a warehouse.

A requested line is either taken now (handed over at the counter, today's path) or shipped
from a chosen location. Shipped lines of one source form one shipment, with the customer's
address and an optional fee (a requested line of its own, so the valuation, the gap, the
receipt and the hub's re-computation include it with no special case).

Per shipment: ``PENDING`` (chosen, not paid) → ``AWAITING_FULFILMENT`` (the exchange is paid
and settled: the hub releases it to its source) → ``IN_TRANSIT`` (dispatched, with carrier and
tracking) → ``COMPLETED`` (delivered). ``UNFULFILLABLE`` (the source cannot ship it) refunds
its lines along the exchange's tender lineage, once per shipment line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pos_exchange.domain.errors import BadInput, IllegalTransition

FEE_SKU_PREFIX = "SHIPPING-"   # the fee line of a shipment: "SHIPPING-<source>"
# A refund of a line that could not ship names it in ``compensates``: "ship:<id>:<line>".
# Like a void's refunds it sits outside the settlement (the line was sold, then made good),
# and it is what makes the refund happen once per shipment line.
SHIP_REFUND_PREFIX = "ship:"


class ShipmentState(StrEnum):
    PENDING = "PENDING"
    AWAITING_FULFILMENT = "AWAITING_FULFILMENT"
    IN_TRANSIT = "IN_TRANSIT"
    COMPLETED = "COMPLETED"
    UNFULFILLABLE = "UNFULFILLABLE"


SHIPMENT_TRANSITIONS: dict[ShipmentState, frozenset[ShipmentState]] = {
    ShipmentState.PENDING: frozenset({ShipmentState.AWAITING_FULFILMENT}),
    ShipmentState.AWAITING_FULFILMENT: frozenset({ShipmentState.IN_TRANSIT,
                                                  ShipmentState.UNFULFILLABLE}),
    ShipmentState.IN_TRANSIT: frozenset({ShipmentState.COMPLETED}),
    ShipmentState.COMPLETED: frozenset(),
    ShipmentState.UNFULFILLABLE: frozenset(),
}
# What the source did, by the state it leads to (the word a refusal names).
ACTIONS = {ShipmentState.IN_TRANSIT: "dispatch", ShipmentState.COMPLETED: "deliver",
           ShipmentState.UNFULFILLABLE: "unfulfillable",
           ShipmentState.AWAITING_FULFILMENT: "release"}


def shipment_move(state: ShipmentState, target: ShipmentState, shipment: str) -> None:
    """Refuse a move the shipment lifecycle does not allow (one rule for register and hub):
    dispatching twice, delivering before dispatch, releasing an unpaid shipment."""
    if target not in SHIPMENT_TRANSITIONS[state]:
        raise IllegalTransition("SHIPMENT_TRANSITION", variant=ACTIONS.get(target, "move"),
                                shipment=shipment, shipment_state=str(state),
                                shipment_target=str(target))


def releasable(gap_minor: int, paid_minor: int, balance_minor: int,
               new_total_minor: int) -> bool:
    """The payment gate: a shipment goes to its source only when the gap (its fee included)
    is fully paid and the money is conserved (the exchange is settled)."""
    return paid_minor >= max(0, gap_minor) and balance_minor == new_total_minor


@dataclass(frozen=True)
class Address:
    """Where a shipment goes. Validated by ``services/addresses.py`` (per-country rules)."""

    name: str
    line1: str
    city: str
    postal_code: str
    country: str            # ISO 3166-1 alpha-2
    line2: str = ""
    region: str = ""        # state / province / canton, where the country uses one

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "line1": self.line1, "line2": self.line2,
                "city": self.city, "postal_code": self.postal_code,
                "country": self.country, "region": self.region}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Address:
        return cls(**{k: str(data.get(k) or "") for k in (
            "name", "line1", "city", "postal_code", "country", "line2", "region")})

    def masked(self) -> str:
        """What a receipt may show: initials, the town and the first characters of the
        postal code. Street and house number never print (a receipt is often thrown away)."""
        initials = "".join(part[0] + "." for part in self.name.split() if part)
        postal = self.postal_code[:2] + "*" * max(0, len(self.postal_code) - 2)
        return f"{initials} {postal} {self.city}, {self.country}".strip()


@dataclass
class Shipment:
    shipment_id: str
    source: str                       # the location that ships (a store or a warehouse)
    line_nos: tuple[int, ...]         # the requested lines it carries
    address: Address
    fee_minor: int = 0
    fee_line_no: int | None = None
    state: ShipmentState = ShipmentState.PENDING
    carrier: str | None = None
    tracking: str | None = None
    reason: str | None = None         # why it cannot ship
    history: list[tuple[str, str]] = field(default_factory=list)   # (state, at ISO)

    def move(self, target: ShipmentState, at: str) -> None:
        shipment_move(self.state, target, self.shipment_id)
        self.state = target
        self.history.append((str(target), at))

    def as_dict(self) -> dict[str, Any]:
        return {"shipment": self.shipment_id, "source": self.source,
                "lines": list(self.line_nos), "fee": self.fee_minor,
                "state": str(self.state), "carrier": self.carrier,
                "tracking": self.tracking, "reason": self.reason}


@dataclass(frozen=True)
class FeeTable:
    """Shipping fees from config: per destination country, with a default (minor units,
    tax included). An empty table means shipping is free."""

    by_country: Mapping[str, int] = field(default_factory=dict)
    default_minor: int = 0

    def fee(self, country: str) -> int:
        return int(self.by_country.get(country.upper(), self.default_minor))

    @classmethod
    def from_mapping(cls, table: Mapping[str, int]) -> FeeTable:
        """``{"CH": 900, "*": 1500}`` (config): ``*`` is every other country."""
        for key, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise BadInput("INVALID_SHIPPING_FEES", entry=f"{key}={value}")
        return cls({k.upper(): v for k, v in table.items() if k != "*"},
                   int(table.get("*", 0)))

    @classmethod
    def parse(cls, text: str) -> FeeTable:
        """``"CH=900,DE=1200,*=1500"``: country=minor units; ``*`` is every other country."""
        table: dict[str, int] = {}
        default = 0
        for part in (p.strip() for p in (text or "").split(",")):
            if not part:
                continue
            key, _, value = part.partition("=")
            if not value.strip().isdigit():
                raise BadInput("INVALID_SHIPPING_FEES", entry=part)
            if key.strip() == "*":
                default = int(value)
            else:
                table[key.strip().upper()] = int(value)
        return cls(table, default)


def fee_sku(source: str) -> str:
    return f"{FEE_SKU_PREFIX}{source}"


def is_fee_sku(sku: str) -> bool:
    return sku.startswith(FEE_SKU_PREFIX)


def shipped_line_nos(shipments: Iterable[Shipment]) -> set[int]:
    """Requested lines that do not leave over the counter: shipped lines and fee lines."""
    out: set[int] = set()
    for s in shipments:
        out.update(s.line_nos)
        if s.fee_line_no is not None:
            out.add(s.fee_line_no)
    return out


def refund_key(shipment_id: str, line_no: int) -> str:
    return f"{SHIP_REFUND_PREFIX}{shipment_id}:{line_no}"


# (payment id, method, brand, last4, what it can still give back)
RefundSource = tuple[str, str, "str | None", "str | None", int]


def plan_line_refunds(amounts: Sequence[tuple[int, int]], sources: Sequence[RefundSource]
                      ) -> tuple[list[tuple[int, RefundSource, int]], int]:
    """Each line's amount taken from the sources in order, each capped at what it has left:
    ([(line, source, amount)], what no source could give)."""
    left = [s[4] for s in sources]
    plan: list[tuple[int, RefundSource, int]] = []
    short = 0
    for line_no, amount in amounts:
        for i, source in enumerate(sources):
            take = min(amount, left[i])
            if take > 0:
                plan.append((line_no, source, take))
                left[i] -= take
                amount -= take
        short += amount
    return plan, short
