"""The sales part of the HTTP API (FastAPI router): the feed, the lookup, the delta pull.

- ``POST /v1/sales`` (body: ``hub/sales_model.py``, ``docs/sale-feed.schema.json``): up to
  500 sales, stored all or none, idempotent by order number (``created`` | ``updated`` |
  ``unchanged`` | ``stale`` per sale). Who may feed: a register token the sales of its own
  store (a till, or the web shop's own token), a store manager their store's, head office
  any store's; another store's sale is refused (403 OTHER_STORE).
- ``GET /v1/sales/lookup?key=`` (register token): one sale by receipt barcode, order
  number or an exchange's SO number, from **any store of the chain**: a receipt is proof of
  purchase wherever the customer brings it. Its lines carry what the rest of the chain
  returned (``returned_qty``, ``returnable_qty``), its tenders what the rest drew
  (``drawn``); the asking register's own exchanges are left out, it counts them itself.
- ``GET /v1/sales/search?q=`` (register token): open sales whose customer matches by name,
  id, phone or email, across the chain, at most 20, newest first, phone and email masked.
- ``GET /v1/sales?since=&sold_since=&limit=`` (register token): the token's **own store's**
  sales changed after version ``since`` (sold since ``sold_since``, the return window), in
  version order, for the register's offline copy.

A sale is not a record: a register may read any store's sales (that is how a customer
returns anywhere), but never another register's exchange records, flags or holds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from pos_exchange.domain.errors import BadInput, NotFound
from pos_exchange.hub import sales
from pos_exchange.hub.access import Caller, Register
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Forbidden
from pos_exchange.hub.people_api import ERRORS
from pos_exchange.hub.sales import Viewer
from pos_exchange.hub.sales_model import SalesIn, SalesOut, in_range
from pos_exchange.hub.tokens import Principal

router = APIRouter()
INT32 = 2**31 - 1
MAX_PAGE = 200
Key = Annotated[str, Query(min_length=1, max_length=64,
                           description="receipt barcode, order number or SO number")]


def _viewer(who: Principal) -> Viewer:
    return Viewer(store=who.store, register=who.register)


@router.post("/v1/sales", response_model=SalesOut, responses=ERRORS, tags=["sales"])
def post_sales(body: SalesIn, who: Caller, request: Request) -> dict[str, Any]:
    """Feed sales into the hub's index (all or none, idempotent by order number)."""
    caller = who if isinstance(who, Principal) else who.person
    for sale in body.sales:
        allowed = sale.store == caller.store if isinstance(caller, Principal) \
            else caller.may_act_on(sale.store)
        if not allowed:
            raise Forbidden("OTHER_STORE", store=caller.store or "-")
    with writing(request.app.state.engine) as conn:
        return {"results": sales.feed(conn, body.sales, request.app.state.clock())}


@router.get("/v1/sales/lookup", responses=ERRORS, tags=["sales"])
def lookup(key: Key, who: Register, request: Request) -> dict[str, Any]:
    """One sale of any store, with what the rest of the chain took back from it."""
    with reading(request.app.state.engine) as conn:
        row = sales.find(conn, key)
        if row is None:
            raise NotFound("UNKNOWN_SALE", key=key)
        [wire] = sales.wire_many(conn, [row], request.app.state.clock(), _viewer(who))
    return wire


@router.get("/v1/sales/search", responses=ERRORS, tags=["sales"])
def search(q: Annotated[str, Query(min_length=1, max_length=100)], who: Register,
           request: Request) -> dict[str, Any]:
    """Sales of customers matching ``q`` (name, id, phone, email), across the chain."""
    with reading(request.app.state.engine) as conn:
        return {"matches": sales.search(conn, q)}


@router.get("/v1/sales", responses=ERRORS, tags=["sales"])
def since(who: Register, request: Request,
          since: Annotated[int, Query(ge=0, le=INT32)] = 0,
          sold_since: datetime | None = None,
          limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE) -> dict[str, Any]:
    """This store's sales changed after ``since``; while ``more``, ask again with the
    answer's ``version``."""
    if sold_since is not None:
        if sold_since.tzinfo is None:
            sold_since = sold_since.replace(tzinfo=UTC)   # a naive time is UTC
        try:
            sold_since = in_range(sold_since)
        except ValueError:
            raise BadInput("INVALID_TIME", what="sold_since",
                           moment=sold_since.isoformat()[:40]) from None
    with reading(request.app.state.engine) as conn:
        return sales.since(conn, who.store, since, sold_since, limit,
                           request.app.state.clock(), _viewer(who))
