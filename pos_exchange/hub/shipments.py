"""Shipments at the hub: stock at other locations, holds at the source, release, the source's work.

- ``stock_elsewhere``: an item's available stock at every location but the asking store,
  nearest first when both have coordinates, else in the configured order.
- ``hold``: at lock-in, every shipment of an exchange is held at its source in ONE write
  transaction, each line a conditional ``UPDATE … WHERE on_hand - reserved >= q``
  (``stock._apply``, the same all-or-none reservation as the counter's): of ten registers
  racing for a warehouse's last unit exactly one wins, on SQLite and PostgreSQL. A new
  hold of the same exchange replaces its earlier one (a re-lock-in after an edit).
- ``at_ingest``: the exchange's settled record releases its shipments to their sources, only
  when the gap (fee included) is fully paid and the money is conserved
  (``domain.shipment.releasable``); otherwise they stay held and the record is flagged
  SHIPMENT_UNPAID. A cancelled or voided record gives the held units back. Release takes
  the units off the source's stock; a hold that lapsed meanwhile is taken again if the
  units are still there, else the shipment is UNFULFILLABLE at once (reason NO_STOCK).
- ``act``: the source dispatches (carrier + tracking), delivers, or marks it unfulfillable
  (with a reason): the one lifecycle rule of ``domain.shipment`` refuses dispatching twice
  or delivering before dispatch. Each step is journaled in the hub's journal.
- ``updates``: what changed for the ordering store's exchanges since a version, for the
  register's pull.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from pos_exchange.domain.errors import BadInput, IllegalTransition, NotFound
from pos_exchange.domain.exchange import State, settlement_balance, settlement_parts
from pos_exchange.domain.money import format_plain
from pos_exchange.domain.shipment import ShipmentState, releasable, shipment_move
from pos_exchange.hub import journal
from pos_exchange.hub import schema as t
from pos_exchange.hub import stock as hub_stock
from pos_exchange.hub.catalogue import take_versions
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Conflict, Forbidden
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord
from pos_exchange.sqlkit.engine import AnyRow

SHIPMENT_KIND = "SH"          # the ordering store's version counter for shipment changes
HOLD_TTL = timedelta(minutes=30)
KINDS = ("store", "warehouse")
PENDING = str(ShipmentState.PENDING)
SETTLED_STATES = frozenset({State.AWAITING_FULFILMENT, State.IN_TRANSIT, State.COMPLETED})


@dataclass(frozen=True)
class Actor:
    """Who works a shipment: a person whose scope covers the source, the source store's
    own register, or the hub's command line (any location)."""

    user: str
    may_act_on: Callable[[str], bool]


def _iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else None


# --- locations ---------------------------------------------------------------------------

def set_location(engine: Engine, location_id: str, name: str, kind: str,
                 lat: float | None = None, lon: float | None = None,
                 sort_order: int = 100) -> None:
    """Add or change a location (a store or a warehouse)."""
    location_id = location_id.strip().upper()
    if kind not in KINDS:
        raise BadInput("INVALID_LOCATION_KIND", kind=kind, kinds=", ".join(KINDS))
    values = {"name": name, "kind": kind, "sort_order": int(sort_order),
              "lat_e6": None if lat is None else round(lat * 1_000_000),
              "lon_e6": None if lon is None else round(lon * 1_000_000)}
    with writing(engine) as conn:
        done = conn.execute(update(t.locations).where(t.locations.c.location_id == location_id)
                            .values(**values)).rowcount
        if not done:
            conn.execute(t.locations.insert().values(location_id=location_id, **values))


def _km(a: AnyRow | None, b: AnyRow) -> int | None:
    """Great-circle distance in whole km (coordinates are not money: floats are fine)."""
    if a is None or None in (a.lat_e6, a.lon_e6, b.lat_e6, b.lon_e6):
        return None
    la1, lo1, la2, lo2 = (math.radians(v / 1_000_000)
                          for v in (a.lat_e6, a.lon_e6, b.lat_e6, b.lon_e6))
    h = math.sin((la2 - la1) / 2) ** 2 + \
        math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return round(2 * 6371 * math.asin(math.sqrt(h)))


def stock_elsewhere(engine: Engine, here: str, sku: str, qty: int = 1
                    ) -> list[dict[str, Any]]:
    """Locations other than ``here`` with at least ``qty`` of ``sku`` available."""
    with reading(engine) as conn:
        places = {r.location_id: r for r in conn.execute(select(t.locations))}
        rows = conn.execute(select(t.stock.c.store_id, t.stock.c.on_hand, t.stock.c.reserved)
                            .where(t.stock.c.sku == sku, t.stock.c.store_id != here)).all()
    origin = places.get(here)
    found = []
    for row in rows:
        place = places.get(row.store_id)
        available = row.on_hand - row.reserved
        if place is None or available < qty:
            continue   # stock of a place that is not a shipping location stays private
        found.append({"location": place.location_id, "name": place.name, "kind": place.kind,
                      "available": available, "distance_km": _km(origin, place),
                      "sort_order": place.sort_order})
    # Nearest first where both sides have coordinates; then the configured order.
    found.sort(key=lambda f: (f["distance_km"] is None, f["distance_km"] or 0,
                              f["sort_order"], f["location"]))
    return found


# --- holds -------------------------------------------------------------------------------

def _lines(conn: Connection, shipment_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """Units by sku, per shipment."""
    out: dict[str, dict[str, int]] = {sid: {} for sid in shipment_ids}
    for row in conn.execute(select(t.shipment_lines).where(
            t.shipment_lines.c.shipment_id.in_(list(shipment_ids)))):
        units = out[row.shipment_id]
        units[row.sku] = units.get(row.sku, 0) + row.qty
    return out


def _give_back(conn: Connection, rows: Iterable[AnyRow], now: datetime) -> None:
    """Held units of these (held) shipments go back to their sources' availability."""
    rows = [r for r in rows if r.held]
    lines = _lines(conn, [r.shipment_id for r in rows])
    for row in sorted(rows, key=lambda r: (r.source_id, r.shipment_id)):
        hub_stock._apply(conn, row.source_id, now, give_back=lines[row.shipment_id])
        conn.execute(update(t.shipments).where(t.shipments.c.shipment_id == row.shipment_id)
                     .values(held=False, updated_at=now))


def _expire(conn: Connection, source: str, skus: Iterable[str], now: datetime) -> None:
    """Lapsed holds at ``source`` touching these skus give their units back (lazily)."""
    ids = conn.execute(
        select(t.shipments.c.shipment_id).distinct()
        .join(t.shipment_lines, t.shipment_lines.c.shipment_id == t.shipments.c.shipment_id)
        .where(t.shipments.c.source_id == source, t.shipments.c.state == PENDING,
               t.shipments.c.held.is_(True), t.shipments.c.expires_at <= now,
               t.shipment_lines.c.sku.in_(list(skus)))
        .order_by(t.shipments.c.shipment_id)).scalars().all()
    if ids:
        _give_back(conn, _locked(conn, t.shipments.c.shipment_id.in_(ids)), now)


def _locked(conn: Connection, where: Any) -> list[AnyRow]:
    return list(conn.execute(select(t.shipments).where(where)
                             .order_by(t.shipments.c.shipment_id).with_for_update()))


def hold(engine: Engine, who: Principal, exchange_uuid: str,
         shipments: Sequence[Mapping[str, Any]], now: datetime,
         ttl: timedelta = HOLD_TTL) -> list[dict[str, Any]]:
    """Hold every shipment at its source, all or none (see the module's docstring)."""
    uuid = exchange_uuid.lower()
    with writing(engine) as conn:
        earlier = _locked(conn, t.shipments.c.exchange_uuid == uuid)
        if any((r.store_id, r.register_id) != (who.store, who.register) for r in earlier):
            raise Forbidden("OTHER_REGISTER", register=earlier[0].register_id)
        if any(r.state != PENDING for r in earlier):
            raise BadInput("SHIPMENT_TRANSITION", variant="release",
                           shipment=earlier[0].shipment_id, shipment_state=earlier[0].state,
                           shipment_target=PENDING)
        _give_back(conn, earlier, now)
        ids = [r.shipment_id for r in earlier]
        if ids:
            conn.execute(t.shipment_lines.delete().where(
                t.shipment_lines.c.shipment_id.in_(ids)))
            conn.execute(t.shipments.delete().where(t.shipments.c.shipment_id.in_(ids)))
        known = {r.location_id for r in conn.execute(select(t.locations.c.location_id))}
        for shipment in sorted(shipments, key=lambda s: (s["source"], s["shipment_id"])):
            source = str(shipment["source"]).upper()
            if source not in known:
                raise NotFound("UNKNOWN_LOCATION", location=source)
            wanted: dict[str, int] = {}
            for line in shipment["lines"]:
                wanted[line["sku"]] = wanted.get(line["sku"], 0) + int(line["qty"])
            _expire(conn, source, wanted, now)
            try:
                hub_stock._apply(conn, source, now, give_back={}, hold=wanted)
            except hub_stock.NotEnoughStock as exc:
                raise hub_stock.NotEnoughStock(
                    "OUT_OF_STOCK", variant="source", sku=exc.params["sku"],
                    available=exc.params["available"], source=source,
                    asked=exc.params["asked"]) from None
            conn.execute(t.shipments.insert().values(
                shipment_id=shipment["shipment_id"], exchange_uuid=uuid, store_id=who.store,
                register_id=who.register, source_id=source, state=PENDING, held=True,
                address=json.dumps(dict(shipment["address"]), sort_keys=True),
                number=shipment.get("number"),
                version=take_versions(conn, who.store, SHIPMENT_KIND, 1),
                expires_at=now + ttl, created_at=now, updated_at=now))
            conn.execute(t.shipment_lines.insert(), [
                {"shipment_id": shipment["shipment_id"], "line_no": int(line["line"]),
                 "sku": line["sku"], "name": str(line.get("name") or line["sku"])[:200],
                 "qty": int(line["qty"])} for line in shipment["lines"]])
        return [_view(conn, r) for r in _locked(conn, t.shipments.c.exchange_uuid == uuid)]


def release_holds(engine: Engine, who: Principal, exchange_uuid: str, now: datetime) -> int:
    """The register gives an exchange's unpaid holds back (lock-in failed after them)."""
    with writing(engine) as conn:
        return _drop_unpaid(conn, exchange_uuid.lower(), who.store, now)


def _drop_unpaid(conn: Connection, uuid: str, store: str, now: datetime) -> int:
    rows = [r for r in _locked(conn, t.shipments.c.exchange_uuid == uuid)
            if r.state == PENDING]
    if any(r.store_id != store for r in rows):
        raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=uuid)
    _give_back(conn, rows, now)
    ids = [r.shipment_id for r in rows]
    if ids:
        conn.execute(t.shipment_lines.delete().where(t.shipment_lines.c.shipment_id.in_(ids)))
        conn.execute(t.shipments.delete().where(t.shipments.c.shipment_id.in_(ids)))
    return len(ids)


# --- the payment gate: the settled record releases --------------------------------------

def paid_in_full(doc: ExchangeRecord) -> bool:
    """The gap (fee included) fully paid and the money conserved, by the record's own
    tenders (the hub re-computed the valuation in ``checks.py``)."""
    if doc.finalized_at is None or doc.state not in SETTLED_STATES:
        return False   # a record of an exchange the register has not settled
    tenders = [(x.kind, x.amount, x.rounding, x.compensates) for x in doc.tenders]
    paid, _refunded, _rounding = settlement_parts(tenders)
    exact_paid = paid - sum(x.rounding for x in doc.tenders
                            if x.kind == "payment" and x.compensates is None)
    balance = settlement_balance(doc.valuation.returned_credit, tenders)
    return releasable(doc.valuation.gap, exact_paid, balance, doc.valuation.new_total)


def at_ingest(conn: Connection, who: Principal, doc: ExchangeRecord, topic: str,
              now: datetime) -> list[Flag]:
    """Inside the record's ingest transaction (hub/ingest.py)."""
    uuid = doc.uuid.lower()
    if topic in ("exchange.cancelled", "exchange.voided"):
        _drop_unpaid(conn, uuid, who.store, now)   # never paid: its holds go back
        return []
    if topic != "exchange.settled" or not doc.shipments:
        return []
    held = {r.shipment_id: r for r in _locked(conn, t.shipments.c.exchange_uuid == uuid)}
    flags: list[Flag] = []
    paid = paid_in_full(doc)
    for shipment in doc.shipments:
        row = held.get(shipment.shipment)
        if row is None or row.store_id != who.store:
            flags.append(Flag("SHIPMENT_NOT_HELD", {"shipment": shipment.shipment}))
            continue
        if row.state != PENDING:
            continue   # released already: a shipment is never released twice
        if not paid:
            flags.append(Flag("SHIPMENT_UNPAID", {"shipment": row.shipment_id,
                                                  "source": row.source_id}))
            continue
        _release(conn, row, doc.number, now)
    return flags


def _release(conn: Connection, row: AnyRow, number: str, now: datetime) -> None:
    shipment_move(ShipmentState(row.state), ShipmentState.AWAITING_FULFILMENT,
                  row.shipment_id)
    units = _lines(conn, [row.shipment_id])[row.shipment_id]
    lapsed = not row.held or row.expires_at <= now
    try:
        if lapsed:
            if row.held:
                _give_back(conn, [row], now)
            with conn.begin_nested():
                hub_stock._apply(conn, row.source_id, now, give_back={}, retake=units)
        else:
            hub_stock._apply(conn, row.source_id, now, give_back={}, take=units)
    except hub_stock.NotEnoughStock:
        _set(conn, row, state=str(ShipmentState.UNFULFILLABLE), reason="NO_STOCK",
             now=now, held=False, number=number)
        return
    _set(conn, row, state=str(ShipmentState.AWAITING_FULFILMENT), now=now, held=False,
         number=number)
    journal.append(conn, now=now, user="hub",
                   event="shipment.released", store=row.source_id,
                   exchange_uuid=row.exchange_uuid,
                   payload={"shipment": row.shipment_id, "source": row.source_id,
                            "number": number, "units": units})


def _set(conn: Connection, row: AnyRow, *, state: str, now: datetime,
         **values: Any) -> None:
    conn.execute(update(t.shipments).where(t.shipments.c.shipment_id == row.shipment_id)
                 .values(state=state, updated_at=now,
                         version=take_versions(conn, row.store_id, SHIPMENT_KIND, 1),
                         **values))


# --- the source's work -------------------------------------------------------------------

def act(engine: Engine, actor: Actor, shipment_id: str, target: ShipmentState,
        now: datetime, *, carrier: str | None = None, tracking: str | None = None,
        reason: str | None = None) -> dict[str, Any]:
    """Dispatch, deliver or mark unfulfillable; refused with a sentence out of order."""
    carrier, tracking, reason = ((v or "").strip() or None for v in (carrier, tracking,
                                                                      reason))
    if target is ShipmentState.IN_TRANSIT and not (carrier and tracking):
        raise BadInput("DISPATCH_DETAILS_REQUIRED")
    if target is ShipmentState.UNFULFILLABLE and not reason:
        raise BadInput("UNFULFILLABLE_REASON_REQUIRED")
    if target not in (ShipmentState.IN_TRANSIT, ShipmentState.COMPLETED,
                      ShipmentState.UNFULFILLABLE):
        raise BadInput("SHIPMENT_TRANSITION", shipment=shipment_id, shipment_state="-",
                       shipment_target=str(target))
    with writing(engine) as conn:
        rows = _locked(conn, t.shipments.c.shipment_id == shipment_id)
        if not rows or not actor.may_act_on(rows[0].source_id):
            raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=shipment_id)
        row = rows[0]
        try:
            shipment_move(ShipmentState(row.state), target, shipment_id)
        except IllegalTransition as exc:   # 409: it conflicts with what the hub holds
            raise Conflict(exc.code, **exc.params) from None
        details = {k: v for k, v in (("carrier", carrier), ("tracking", tracking),
                                     ("reason", reason)) if v is not None}
        _set(conn, row, state=str(target), now=now, **details)
        journal.append(conn, now=now, user=actor.user,
                       event=f"shipment.{str(target).lower()}", store=row.source_id,
                       exchange_uuid=row.exchange_uuid,
                       payload={"shipment": shipment_id, "number": row.number, **details})
        [fresh] = _locked(conn, t.shipments.c.shipment_id == shipment_id)
        return _view(conn, fresh)


# --- a manager re-sources a shipment ---------------------------------------------------

RESOURCEABLE = (str(ShipmentState.AWAITING_FULFILMENT), str(ShipmentState.UNFULFILLABLE))


def resource(engine: Engine, actor: Actor, shipment_id: str, to: str, now: datetime, *,
             expected: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Give a paid shipment to another source, instead of the automatic refund.

    Allowed while it waits to leave (AWAITING_FULFILMENT) or was just marked UNFULFILLABLE
    and its register has not claimed the refund yet (``resolution`` NULL,
    hub/shipment_refunds.py): never both a refund and a re-source. ``expected``: the source
    the manager saw; another one means someone re-sourced it meanwhile (409). The units are
    taken at the new source in this transaction, all lines or none, with the same
    conditional update as a hold (``on_hand - reserved >= q``), so two re-sources (or a
    re-source and a lock-in) never promise the same last unit. Units released from the old
    source go back to it only when it had not given up (it never said they were missing)."""
    to = (to or "").strip().upper()
    with writing(engine) as conn:
        rows = _locked(conn, t.shipments.c.shipment_id == shipment_id)
        if not rows or not actor.may_act_on(rows[0].store_id):
            raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=shipment_id)
        row = rows[0]
        if expected and expected.strip().upper() != row.source_id:
            raise Conflict("SHIPMENT_RESOURCE", variant="moved", shipment=shipment_id,
                           source=row.source_id, expected=expected.strip().upper())
        if row.resolution is not None:
            raise Conflict("SHIPMENT_RESOURCE", variant="refunded", shipment=shipment_id)
        if row.state not in RESOURCEABLE:
            raise Conflict("SHIPMENT_RESOURCE", variant="state", shipment=shipment_id,
                           shipment_state=row.state)
        if to == row.source_id:
            raise BadInput("SHIPMENT_RESOURCE", variant="same", shipment=shipment_id,
                           source=to)
        if conn.execute(select(t.locations.c.location_id)
                        .where(t.locations.c.location_id == to)).first() is None:
            raise NotFound("UNKNOWN_LOCATION", location=to)
        units = _lines(conn, [shipment_id])[shipment_id]
        _expire(conn, to, units, now)   # lapsed holds there give their units back first
        try:
            hub_stock._apply(conn, to, now, give_back={}, retake=units)
        except hub_stock.NotEnoughStock as exc:
            raise hub_stock.NotEnoughStock(
                "OUT_OF_STOCK", variant="source", sku=exc.params["sku"],
                available=exc.params["available"], source=to,
                asked=exc.params["asked"]) from None
        if row.state == str(ShipmentState.AWAITING_FULFILMENT):
            hub_stock._apply(conn, row.source_id, now, give_back={}, restock=units)
        _set(conn, row, state=str(ShipmentState.AWAITING_FULFILMENT), now=now,
             source_id=to, resourced_from=row.source_id, reason=None, carrier=None,
             tracking=None)
        journal.append(conn, now=now, user=actor.user, event="shipment.resourced",
                       store=row.store_id, exchange_uuid=row.exchange_uuid,
                       payload={"shipment": shipment_id, "number": row.number,
                                "from": row.source_id, "to": to, "was": row.state,
                                "units": units, "note": (note or "").strip() or None})
        [fresh] = _locked(conn, t.shipments.c.shipment_id == shipment_id)
        return _view(conn, fresh)


def listing(engine: Engine, actor: Actor, location: str,
            states: Sequence[str] = (str(ShipmentState.AWAITING_FULFILMENT),)
            ) -> list[dict[str, Any]]:
    """The shipments a location has to work, oldest first (with the full address)."""
    location = location.upper()
    if not actor.may_act_on(location):
        raise Forbidden("OTHER_STORE", store=location)
    with reading(engine) as conn:
        rows = conn.execute(select(t.shipments).where(
            t.shipments.c.source_id == location, t.shipments.c.state.in_(list(states)))
            .order_by(t.shipments.c.created_at, t.shipments.c.shipment_id)).all()
        return [_view(conn, r, address=True) for r in rows]


def updates(engine: Engine, who: Principal, since: int, limit: int = 200
            ) -> dict[str, Any]:
    """Shipments of the register's store changed after version ``since`` (paged)."""
    with reading(engine) as conn:
        rows = conn.execute(select(t.shipments).where(
            t.shipments.c.store_id == who.store, t.shipments.c.version > since)
            .order_by(t.shipments.c.version).limit(limit + 1)).all()
        page = rows[:limit]
        return {"shipments": [_view(conn, r) for r in page],
                "version": page[-1].version if page else since, "more": len(rows) > limit}


def _view(conn: Connection, row: AnyRow, address: bool = False) -> dict[str, Any]:
    lines = conn.execute(select(t.shipment_lines).where(
        t.shipment_lines.c.shipment_id == row.shipment_id)
        .order_by(t.shipment_lines.c.line_no)).all()
    view = {"shipment_id": row.shipment_id, "exchange_uuid": row.exchange_uuid,
            "number": row.number, "store": row.store_id, "source": row.source_id,
            "state": row.state, "held": bool(row.held), "carrier": row.carrier,
            "tracking": row.tracking, "reason": row.reason, "version": row.version,
            "resolution": row.resolution, "resourced_from": row.resourced_from,
            "expires_at": _iso(row.expires_at), "updated_at": _iso(row.updated_at),
            "lines": [{"line": r.line_no, "sku": r.sku, "name": r.name, "qty": r.qty}
                      for r in lines]}
    refund = conn.execute(select(t.shipment_refunds.c.total_minor,
                                 t.shipment_refunds.c.document).where(
        t.shipment_refunds.c.shipment_id == row.shipment_id)).first()
    view["refunded_minor"] = None if refund is None else int(refund.total_minor)
    view["refunded"] = None if refund is None else format_plain(
        int(refund.total_minor), json.loads(refund.document)["currency"])
    if address:
        view["address"] = json.loads(row.address)
    return view
