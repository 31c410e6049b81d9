"""Use cases of the new shipment at the counter (issue 12).

- ``stock_elsewhere``: the item's stock at the chain's other stores and warehouses, from the
  hub, nearest first. Offline there is no answer: shipping is unavailable (a sentence), and
  the counter path works as before.
- ``ship_line`` / ``take_now``: choose how a requested line is fulfilled; shipped lines get
  a validated address (``services/addresses.py``) and the fee from the config table.
- ``hold`` (called by ``ExchangeService.submit``): the shipped lines are held at their
  source at lock-in, all or none, before the counter lines are held at this store.
- ``pull_updates``: what the sources did (dispatched, delivered, unfulfillable) since the
  last pull, applied to the exchanges here, each in one transaction with its journal entry.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any, Protocol
from uuid import NAMESPACE_URL, uuid5

from pos_exchange.domain.errors import IllegalTransition, NotFound, PosError, Unavailable
from pos_exchange.domain.exchange import Exchange, Tender, TenderKind, TenderStatus
from pos_exchange.domain.shipment import (
    FeeTable,
    Shipment,
    ShipmentState,
    plan_line_refunds,
    refund_key,
)
from pos_exchange.services import addresses
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime, UnitOfWorkFactory
from pos_exchange.services.topics import REFUND_TOPIC

log = logging.getLogger(__name__)
SYNC_KEY = "shipments"  # sync_state key: the last shipment version pulled from the hub


@dataclass(frozen=True)
class LocationStock:
    """One location's stock of an item, as the hub answers it."""

    location: str
    name: str
    kind: str                 # store | warehouse
    available: int
    distance_km: int | None   # None: the location has no coordinates (configured order)


class ShipmentHub(Protocol):
    """The hub's shipment endpoints (``adapters/hub_shipments.py``; a fake in tests)."""

    def stock_elsewhere(self, sku: str, qty: int) -> list[LocationStock]:
        """Raises Unavailable when the hub does not answer."""

    def hold(self, exchange_uuid: str, shipments: Sequence[Mapping[str, Any]]) -> None:
        """Hold every shipment at its source, all or none (replacing this exchange's
        earlier holds). Raises Refused OUT_OF_STOCK (variant "source") or Unavailable."""

    def release(self, exchange_uuid: str) -> None:
        """Give this exchange's unreleased holds back (best effort; they expire anyway)."""

    def updates(self, since: int) -> tuple[list[dict[str, Any]], int]:
        """Shipments of this store's exchanges changed after ``since``, and the version."""

    def claim_refund(self, shipment_id: str) -> bool:
        """Before refunding an unfulfillable shipment: True when the hub agrees that it is
        refunded (from now on it can never be re-sourced); False when a manager re-sourced
        it first (its news follows in the pull). Idempotent for the same register."""


def _at(rt: Runtime) -> str:
    return rt.clock().isoformat()


class ShippingService:
    def __init__(self, exchanges: ExchangeService, hub: ShipmentHub | None,
                 fees: FeeTable | None = None) -> None:
        self.exchanges, self.hub = exchanges, hub
        self.uow: UnitOfWorkFactory = exchanges.uow
        self.rt: Runtime = exchanges.rt
        self.fees = fees or FeeTable()
        # Load, change, save + journal + commit as one (ExchangeService.transaction).
        self._transaction = exchanges.transaction
        exchanges.shipments = self   # lock-in holds the shipped lines at their sources

    @property
    def available(self) -> bool:
        return self.hub is not None

    def _hub(self) -> ShipmentHub:
        if self.hub is None:
            raise Unavailable("SHIPPING_OFFLINE")
        return self.hub

    # ------------------------------------------------------------------ queries
    def stock_elsewhere(self, sku: str, qty: int = 1) -> list[LocationStock]:
        """Other locations with at least ``qty`` available, nearest first."""
        found = self._hub().stock_elsewhere(sku, qty)
        return [s for s in found if s.location != self.rt.store_id and s.available >= qty]

    # ------------------------------------------------------------------ basket
    def ship_line(self, key: str, user: str, line_no: int, source: str,
                  address: Mapping[str, str]) -> Exchange:
        """Ship requested line ``line_no`` from ``source`` to ``address``."""
        self._hub()
        clean = addresses.validate(address)
        with self._transaction(key, user) as (_uow, ex):
            existing = next((s for s in ex.shipments if s.source == source.upper()
                             and s.address == clean), None)
            ex.ship_line(line_no, source.upper(), clean, self.rt.ids(),
                         0 if existing else self.fees.fee(clean.country))
        return ex

    def request_shipped(self, key: str | None, user: str, code: str, source: str,
                        address: Mapping[str, str], qty: int = 1) -> Exchange:
        """An item the customer wants that this store does not have: added and shipped
        from ``source`` in one step (the counter's stock is not asked; the source's is
        held at lock-in)."""
        self._hub()
        clean = addresses.validate(address)
        with self._transaction(key, user) as (uow, ex):
            item = self.exchanges._item(uow, code)
            line = ex.request(item, qty, self.exchanges.taxes.rate(item.tax_class),
                              self.exchanges.policy)
            ex.mark_started(self.rt.clock())
            existing = next((s for s in ex.shipments if s.source == source.upper()
                             and s.address == clean), None)
            ex.ship_line(line.line_no, source.upper(), clean, self.rt.ids(),
                         0 if existing else self.fees.fee(clean.country))
        return ex

    def take_now(self, key: str, user: str, line_no: int) -> Exchange:
        with self._transaction(key, user) as (_uow, ex):
            ex.take_now(line_no)
        return ex

    # ------------------------------------------------------------------ lock-in
    def hold(self, ex: Exchange) -> None:
        """Hold the shipped lines at their sources (network: outside any transaction)."""
        if not ex.shipments:
            return
        by_line = {r.line_no: r for r in ex.requested}
        self._hub().hold(ex.uuid, [
            {"shipment_id": s.shipment_id, "source": s.source,
             "address": s.address.as_dict(),
             "lines": [{"line": n, "sku": by_line[n].sku, "name": by_line[n].name,
                        "qty": by_line[n].qty} for n in s.line_nos]}
            for s in ex.shipments])

    def release(self, ex: Exchange) -> None:
        if ex.shipments and self.hub is not None:
            with suppress(PosError):  # unreachable: the hold expires on its own
                self.hub.release(ex.uuid)

    # ------------------------------------------------------------------ the sources' news
    def pull_updates(self) -> int:
        """Apply what the hub says the sources did; returns how many changes applied.
        Each exchange's change is one transaction; the version advances after it, so a
        crash in between applies the same news again (a no-op)."""
        hub = self._hub()
        with self.uow(readonly=True) as uow:
            since = uow.catalogue.sync_version(SYNC_KEY)
        rows, version = hub.updates(since)
        applied = 0
        for row in rows:
            applied += self._apply(row)
        with self.uow() as uow:
            uow.catalogue.set_sync_version(SYNC_KEY, version)
            uow.commit()
        return applied

    def _apply(self, row: Mapping[str, Any]) -> int:
        target = ShipmentState(row["state"])
        if target is ShipmentState.PENDING:
            return 0  # the register put it there itself
        uuid, sid = str(row["exchange_uuid"]), str(row["shipment_id"])
        try:
            with self.uow(readonly=True) as uow:
                here = uow.exchanges.get(uuid).shipment(sid)
        except NotFound:
            return 0   # an exchange of another register of this store
        if (here.state, here.source) == (target, str(row["source"])):
            return 0   # known already (the same news again)
        if target is ShipmentState.UNFULFILLABLE and not self._hub().claim_refund(sid):
            return 0   # re-sourced by a manager first: that news comes next
        with self.uow() as uow:
            try:
                with self.exchanges._changing(uow, uuid, "sync", card_step=True,
                                              check_user=False) as ex:
                    changed = self._follow(ex, row, target)
            except IllegalTransition as exc:   # never let one row block the whole feed
                log.warning("shipment %s: news %s/%s not applied (%s)", sid, target,
                            row["source"], exc.code)
                return 0
            if changed and target is ShipmentState.UNFULFILLABLE:
                # Same transaction as the refund and its journal entries: the hub hears of
                # the refund exactly when it happened, once per shipment (record.py).
                from pos_exchange.services.record import shipment_refund

                refund = shipment_refund(ex, sid, _at(self.rt)).as_json()
                uow.outbox.add(self.rt.ids(), ex.uuid, REFUND_TOPIC, refund,
                               self.rt.clock())
            uow.commit()
        return int(changed)

    def _follow(self, ex: Exchange, row: Mapping[str, Any], target: ShipmentState) -> bool:
        shipment = ex.shipment(str(row["shipment_id"]))
        moved = False
        source = str(row["source"]).upper()
        if source != shipment.source:   # a manager re-sourced it at the hub
            moved = ex.shipment_resourced(shipment.shipment_id, source, _at(self.rt))
        if shipment.state is target:
            return moved
        steps = _path(shipment, target)
        for step in steps:
            ex.shipment_update(shipment.shipment_id, step, _at(self.rt),
                               carrier=row.get("carrier"), tracking=row.get("tracking"),
                               reason=row.get("reason"))
        if target is ShipmentState.UNFULFILLABLE:   # same transaction: never one without
            self._refund(ex, shipment.shipment_id)   # the other
        return moved or bool(steps)

    def _refund(self, ex: Exchange, shipment_id: str) -> None:
        """That line's share back along the tender lineage: a card through the refund
        queue (executed at sync, idempotent at the processor), cash as a refund owed at
        the customer's next visit, store credit at once. Each tender's id is derived from
        the shipment line, so the same news twice can never refund twice."""
        plan, short = plan_line_refunds(ex.unshipped_amounts(shipment_id), ex.refund_sources())
        now = self.rt.clock()
        refunds = []
        for n, (line_no, (payment_id, method, brand, last4, _left), amount) in \
                enumerate(plan):
            key = refund_key(shipment_id, line_no)
            refunds.append(Tender(
                str(uuid5(NAMESPACE_URL, f"pos-exchange/{ex.uuid}/{key}/{n}")),
                TenderKind.REFUND, method, amount, now, payment_id,
                status=TenderStatus.CONFIRMED if method == "store_credit"
                else TenderStatus.PENDING, card_brand=brand, card_last4=last4,
                compensates=key))
        ex.refund_unshipped(shipment_id, refunds, short)


def _path(shipment: Shipment, target: ShipmentState) -> list[ShipmentState]:
    """The steps from where the register's copy stands to where the hub says it is: a
    pull may have missed the dispatch of a shipment already delivered."""
    if target is ShipmentState.COMPLETED and \
            shipment.state is ShipmentState.AWAITING_FULFILMENT:
        return [ShipmentState.IN_TRANSIT, ShipmentState.COMPLETED]
    return [target]
