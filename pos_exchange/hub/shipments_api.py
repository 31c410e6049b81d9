"""The shipments part of the HTTP API (FastAPI router; hub/shipments.py does the work).

Register token (the counter):
- ``GET /v1/locations/stock?sku=&qty=``: the item's stock at the chain's other stores and
  warehouses, nearest first.
- ``POST /v1/shipments/holds``: hold an exchange's shipments at their sources at lock-in,
  all or none (409 OUT_OF_STOCK names the sku, what is available and where).
- ``DELETE /v1/shipments/holds/{exchange_uuid}``: give unpaid holds back.
- ``GET /v1/shipments/updates?since=``: the store's shipments changed after a version.
- ``POST /v1/shipments/{id}/refund-claim``: before the automatic refund of an unfulfillable
  shipment (hub/shipment_refunds.py); the refund itself comes as an outbox record.

A manager (signed in): ``POST /v1/shipments/{id}/resource`` (to, expected, note).

The fulfilling location (a person whose scope covers it, or that store's own register):
- ``GET /v1/shipments?location=&state=``: shipments to pick (with the full address);
- ``POST /v1/shipments/{id}/dispatch`` (carrier, tracking), ``/deliver``,
  ``/unfulfillable`` (reason): out of order is 409 with a sentence.
Release to the source is not an endpoint: the paid, settled record does it at ingest.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.hub import shipment_refunds, shipments
from pos_exchange.hub.access import Caller, Register, SignedIn
from pos_exchange.hub.people_api import ERRORS
from pos_exchange.hub.tokens import Principal

router = APIRouter()
Sku = Annotated[str, Query(min_length=1, max_length=64)]
Location = Annotated[str, Query(pattern=r"^[A-Za-z0-9]{1,8}$")]
ShipmentId = Annotated[str, Path(min_length=1, max_length=36)]
Uuid = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{36}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HoldLine(_In):
    line: Annotated[StrictInt, Field(ge=1, le=100_000)]
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=200)] = ""
    qty: Annotated[StrictInt, Field(ge=1, le=20)]


class HoldShipment(_In):
    shipment_id: Annotated[str, Field(min_length=1, max_length=36)]
    source: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}$")]
    number: Annotated[str, Field(max_length=40)] | None = None
    address: dict[Annotated[str, Field(max_length=20)], Annotated[str, Field(max_length=200)]]
    lines: Annotated[list[HoldLine], Field(min_length=1, max_length=50)]


class HoldIn(_In):
    exchange_uuid: Annotated[str, Field(pattern=r"^[0-9a-fA-F-]{36}$")]
    shipments: Annotated[list[HoldShipment], Field(min_length=1, max_length=10)]


class DispatchIn(_In):
    carrier: Annotated[str, Field(max_length=64)]
    tracking: Annotated[str, Field(max_length=100)]


class UnfulfillableIn(_In):
    reason: Annotated[str, Field(max_length=200)]


class ResourceIn(_In):
    to: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,8}$",
                             description="the new source (a store or a warehouse)")]
    expected: Annotated[str, Field(
        pattern=r"^[A-Za-z0-9]{1,8}$",
        description="the source the manager saw: another one now is a 409")]
    note: Annotated[str, Field(max_length=200)] = ""


def _actor(who: Any) -> shipments.Actor:
    if isinstance(who, Principal):   # the source store's own register
        return shipments.Actor(f"register:{who.store}/{who.register}",
                               lambda location: location == who.store)
    person = who.person
    return shipments.Actor(person.user_id, person.may_act_on)


@router.get("/v1/locations/stock", responses=ERRORS, tags=["shipments"])
def stock_elsewhere(sku: Sku, who: Register, request: Request,
                    qty: Annotated[int, Query(ge=1, le=20)] = 1) -> dict[str, Any]:
    """Where else the item is: other stores and warehouses, nearest first."""
    return {"locations": shipments.stock_elsewhere(request.app.state.engine, who.store,
                                                   sku, qty)}


@router.post("/v1/shipments/holds", status_code=201, responses=ERRORS, tags=["shipments"])
def hold(body: HoldIn, who: Register, request: Request) -> JSONResponse:
    held = shipments.hold(request.app.state.engine, who, body.exchange_uuid,
                          [s.model_dump() for s in body.shipments], request.app.state.clock())
    return JSONResponse({"shipments": held}, status_code=201)


@router.delete("/v1/shipments/holds/{exchange_uuid}", responses=ERRORS, tags=["shipments"])
def release(exchange_uuid: Uuid, who: Register, request: Request) -> dict[str, Any]:
    return {"released": shipments.release_holds(request.app.state.engine, who, exchange_uuid,
                                                request.app.state.clock())}


@router.get("/v1/shipments/updates", responses=ERRORS, tags=["shipments"])
def updates(who: Register, request: Request,
            since: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0) -> dict[str, Any]:
    return shipments.updates(request.app.state.engine, who, since)


@router.get("/v1/shipments", responses=ERRORS, tags=["shipments"])
def listing(location: Location, who: Caller, request: Request,
            state: Annotated[list[str] | None, Query()] = None) -> dict[str, Any]:
    states = state or [str(ShipmentState.AWAITING_FULFILMENT)]
    return {"shipments": shipments.listing(request.app.state.engine, _actor(who), location,
                                           states)}


@router.post("/v1/shipments/{shipment_id}/dispatch", responses=ERRORS, tags=["shipments"])
def dispatch(shipment_id: ShipmentId, body: DispatchIn, who: Caller,
             request: Request) -> dict[str, Any]:
    return shipments.act(request.app.state.engine, _actor(who), shipment_id,
                         ShipmentState.IN_TRANSIT, request.app.state.clock(),
                         carrier=body.carrier, tracking=body.tracking)


@router.post("/v1/shipments/{shipment_id}/deliver", responses=ERRORS, tags=["shipments"])
def deliver(shipment_id: ShipmentId, who: Caller, request: Request) -> dict[str, Any]:
    return shipments.act(request.app.state.engine, _actor(who), shipment_id,
                         ShipmentState.COMPLETED, request.app.state.clock())


@router.post("/v1/shipments/{shipment_id}/unfulfillable", responses=ERRORS,
             tags=["shipments"])
def unfulfillable(shipment_id: ShipmentId, body: UnfulfillableIn, who: Caller,
                  request: Request) -> dict[str, Any]:
    return shipments.act(request.app.state.engine, _actor(who), shipment_id,
                         ShipmentState.UNFULFILLABLE, request.app.state.clock(),
                         reason=body.reason)


@router.post("/v1/shipments/{shipment_id}/refund-claim", responses=ERRORS,
             tags=["shipments"])
def claim_refund(shipment_id: ShipmentId, who: Register, request: Request) -> dict[str, Any]:
    """The ordering store's register, before it refunds an unfulfillable shipment:
    ``refund`` true (from now on it is never re-sourced) or false (re-sourced first)."""
    return shipment_refunds.claim(request.app.state.engine, who, shipment_id,
                                  request.app.state.clock())


@router.post("/v1/shipments/{shipment_id}/resource", responses=ERRORS, tags=["shipments"])
def resource(shipment_id: ShipmentId, body: ResourceIn, who: SignedIn,
             request: Request) -> dict[str, Any]:
    """A manager (the ordering store's, or head office) gives the shipment to another
    source instead of the refund; journaled under their name. 409 when it was refunded or
    re-sourced meanwhile, or the new source lacks stock; 422 for the same source."""
    return shipments.resource(request.app.state.engine, _actor(who), shipment_id, body.to,
                              request.app.state.clock(), expected=body.expected,
                              note=body.note)
