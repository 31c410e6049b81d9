"""The hub's HTTP API (FastAPI): the /v1 wire contract the registers' sync client speaks.

Errors are JSON ``{"detail": "<sentence>"}`` (422 adds ``errors``, the field-by-field
list): 401 no/unknown/revoked token, 403 another store's or register's data, 404 not
found, 409 conflicts with what the hub holds, 413 body over 1 MiB, 422 malformed,
503 database unavailable (the register retries later). Every refusal also carries a
``code``; a 409 may add details (OUT_OF_STOCK adds ``sku`` and ``available``).

Exchange records: ``POST /v1/exchanges`` takes one, ``POST /v1/exchanges/batch`` up to
MAX_BATCH in one transaction with a result per record (see ``hub/ingest.py``).

Catalogue, stock, reservations and orders (all scoped to the token's store):
``GET /v1/catalogue?since=&limit=`` and ``GET /v1/stock?since=&limit=`` page deltas in
version order; ``POST /v1/reservations`` holds stock for an exchange (all or nothing,
idempotent by exchange UUID), ``DELETE /v1/reservations/{id}`` releases it and
``POST /v1/reservations/{id}/commit`` turns it into a stock decrement (ingesting the
exchange's settled record does that too; a cancelled record releases it);
``GET /v1/orders/{number}`` is one of the store's orders from the sales index with
returnable quantities. A hold belongs to the register that made it (another register of
the store: 403); it may also hold the returned units of sale lines (``returns``) and
count the lock-in for the daily limits (``activity``).

Sales (``sales_api.py``): ``POST /v1/sales`` feeds the index; ``GET /v1/sales/lookup``
and ``/v1/sales/search`` find a sale of any store; ``GET /v1/sales`` pages the token's
store's sales as deltas.

People and machines: a register token is a machine. Resolving a flag and reading
reports needs a person signed in (``POST /v1/session``, see ``people_api.py``); a
register token gets 403 there. ``GET /v1/reconciliation`` answers both: a register sees
the flags on its own records, a store manager their store's, head office every store's.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, Literal

import anyio.to_thread
from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, model_validator
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from pos_exchange import __version__
from pos_exchange.domain import params
from pos_exchange.domain.errors import (
    BadInput,
    ConfigError,
    NotFound,
    PosError,
    StorageError,
    Unavailable,
)
from pos_exchange.domain.journal import Anchor, JournalEntry
from pos_exchange.hub import (
    anchors,
    catalogue,
    ledger,
    orders,
    people_api,
    reconciliation,
    register_health,
    reports_api,
    sales_api,
    shipments_api,
    stock,
)
from pos_exchange.hub import schema as t
from pos_exchange.hub.access import Caller, Register, SignedIn
from pos_exchange.hub.body_limit import MAX_BODY_BYTES, BodyLimit
from pos_exchange.hub.console import pages as console
from pos_exchange.hub.db import reading
from pos_exchange.hub.errors import Conflict, Forbidden, Unauthorized
from pos_exchange.hub.ingest import AnyMessage, ingest, ingest_many
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.people import Person
from pos_exchange.hub.stock import DEFAULT_LIMITS, HoldLimits
from pos_exchange.hub.tokens import Principal
from pos_exchange.hub.wire import (
    UUID_PATTERN,
    AnchorOut,
    AnchorWithHealth,
    ExchangeAck,
    ExchangeMessage,
    ReconciliationItem,
    Resolved,
    ResolveIn,
)
from pos_exchange.messages import render
from pos_exchange.services.ports import utc_now
from pos_exchange.services.record import ShipmentRefundMessage
from pos_exchange.services.topics import REFUND_TOPIC

# HTTP status by error class, first match wins.
STATUS: list[tuple[type[PosError], int]] = [
    (Unauthorized, 401), (Forbidden, 403), (NotFound, 404), (Conflict, 409),
    (StorageError, 503), (Unavailable, 503), (BadInput, 422), (ConfigError, 500),
    (PosError, 422)]
ERRORS = people_api.ERRORS


async def raw_document(request: Request) -> dict[str, Any]:
    """The document exactly as sent, for content identity and storage. FastAPI has parsed
    and validated the body before this runs, so it is a JSON object here."""
    try:
        body = await request.json()
    except ValueError:
        return {}
    document = body.get("document") if isinstance(body, dict) else None
    return document if isinstance(document, dict) else {}


Who = Register
INT32 = 2**31 - 1  # versions are SQL INTEGERs: a larger "since" must be a 422, not a 503
Since = Annotated[int, Query(ge=0, le=INT32, description="the last version the register holds")]
Limit = Annotated[int, Query(ge=1, le=catalogue.MAX_PAGE)]
# Order numbers are short (SO-S001-000001, EX-S001-R01-000001-V); a long one is a 422,
# never a LIKE pattern the database gives up on (a 503 that clients retry for ever).
OrderNumber = Annotated[str, Path(min_length=1, max_length=64)]


class ReservationLine(BaseModel):
    sku: Annotated[str, Field(min_length=1, max_length=64)]
    qty: Annotated[StrictInt, Field(ge=1, le=100_000)]


class ReturnHoldLine(BaseModel):
    """A sale line the exchange takes back: held with the stock (hub/ledger.py)."""

    model_config = ConfigDict(extra="forbid")
    order: Annotated[str, Field(min_length=1, max_length=64)]
    line: Annotated[StrictInt, Field(ge=1, le=10_000)]
    qty: Annotated[StrictInt, Field(ge=1, le=100_000)]


class Activity(BaseModel):
    """Who and what the lock-in is, for the chain-wide daily limits (hub/limits.py)."""

    model_config = ConfigDict(extra="forbid")
    customer: Annotated[str, Field(max_length=64)] | None = None
    user: Annotated[str, Field(min_length=1, max_length=64)]
    refund: Annotated[StrictInt, Field(ge=0, le=10**13)] = 0
    created_at: Annotated[str, Field(max_length=40)] | None = None
    now: Annotated[str, Field(max_length=40)] | None = None
    timezone: Annotated[str, Field(max_length=64)] | None = None


class ReservationIn(BaseModel):
    exchange_uuid: Annotated[str, Field(pattern=UUID_PATTERN)]
    lines: Annotated[list[ReservationLine], Field(max_length=500)]
    ttl_s: Annotated[StrictInt, Field(ge=1, le=86_400)] = 900
    returns: Annotated[list[ReturnHoldLine], Field(max_length=500)] = []
    activity: Activity | None = None

    @model_validator(mode="after")
    def _something(self) -> ReservationIn:
        if not self.lines and not self.returns and self.activity is None:
            raise ValueError("a hold needs lines, returns or an activity")
        return self


# One outbox record: an exchange's (by its topic) or a shipment's refund.
Incoming = Annotated[ExchangeMessage | ShipmentRefundMessage, Field(discriminator="topic")]
MAX_BATCH = 200  # records per batch; the 1 MiB body limit bounds it too (~4 KB a record)


class ExchangeBatch(BaseModel):
    """Outbox records, oldest first. Each is checked on its own (an invalid one is a 422
    result, not a 422 for the batch), so a record is only ``object`` here."""

    model_config = ConfigDict(extra="forbid")
    records: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_BATCH)]


class BatchResult(BaseModel):
    message_id: str | None
    status: int = Field(description="200, or the status the single endpoint refuses with")
    ack: ExchangeAck | None = None
    code: str | None = None
    detail: str | None = None


class BatchAck(BaseModel):
    results: list[BatchResult]


class Reservation(BaseModel):
    reservation_id: str
    exchange_uuid: str
    status: Literal["held", "committed", "released", "expired"]
    expires_at: str
    lines: list[ReservationLine]
    returns: list[ReturnHoldLine] = []
    unknown: list[str] = Field(default=[], description="sales of ``returns`` the hub "
                               "does not know: the register decides them (unconfirmed)")
    limits: dict[str, Any] | None = Field(default=None, description="the day's counts: "
                                          "customer_exchanges, csr_refunds")


def create_app(engine: Engine, *, clock: Callable[[], datetime] = utc_now,
               max_body_bytes: int = MAX_BODY_BYTES,
               hold_limits: HoldLimits = DEFAULT_LIMITS,
               threads: int | None = None,
               on_close: Callable[[], None] | None = None) -> FastAPI:
    """``threads``: how many requests run at once (the thread pool FastAPI runs the
    endpoints in; the engine's pool is sized to match); ``on_close``: run when the server
    stops (the engine's disposal)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if threads is not None:
            anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        if on_close is not None:
            on_close()

    app = FastAPI(title="pos-exchange hub", version=__version__,
                  description="Central hub of the pos-exchange registers: exchange records, "
                              "journal anchors, reconciliation.", lifespan=lifespan)
    app.state.engine, app.state.clock = engine, clock
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    _errors(app)
    _request_log(app)
    app.include_router(people_api.router)
    app.include_router(reports_api.router)
    app.include_router(sales_api.router)
    app.include_router(shipments_api.router)
    console.mount(app)

    @app.get("/health", tags=["ops"])
    def health() -> JSONResponse:
        try:
            with reading(engine) as conn:
                conn.execute(text("SELECT 1"))
        except DBAPIError:
            return JSONResponse({"status": "degraded", "db": "error"}, status_code=503)
        return JSONResponse({"status": "ok", "db": "ok"})

    @app.post("/v1/exchanges", response_model=ExchangeAck, responses=ERRORS,
              tags=["exchanges"])
    def post_exchange(message: Incoming, who: Who,
                      raw: Annotated[dict[str, Any], Depends(raw_document)]) -> Response:
        """Record a settled, cancelled or voided exchange. Idempotent by (uuid, topic): the
        same content again returns the identical body; different content → 409. Topic
        ``shipment.refunded`` is a shipment's refund (hub/shipment_refunds.py), idempotent
        by shipment."""
        outcome = ingest(engine, who, message, raw, clock())
        if isinstance(message, ShipmentRefundMessage):
            return Response(content=outcome.body, media_type="application/json")
        try:  # the exchange's stock hold follows it; never fails the record itself
            stock.settle_exchange(engine, who, message.document.uuid, message.topic, clock())
        except PosError as exc:
            log_event("reservation.settle_failed", 30, store=who.store, register=who.register,
                      uuid=message.document.uuid, status=exc.code)
        return Response(content=outcome.body, media_type="application/json")

    @app.post("/v1/exchanges/batch", response_model=BatchAck, responses=ERRORS,
              tags=["exchanges"])
    def post_exchanges(batch: ExchangeBatch, who: Who) -> Response:
        """Up to MAX_BATCH records in one transaction, in the order sent (a register sends
        its outbox oldest first, so an exchange's records keep their order). Each record
        is idempotent by (uuid, topic) exactly as on ``POST /v1/exchanges``, and has its
        own result, in order: ``status`` 200 with the ``ack`` the single endpoint answers
        (a replay: the identical ack), or the status and ``code``/``detail`` the single
        endpoint would refuse it with. A refused record does not sink the others; a
        database failure is a 503 for the whole batch, which the register sends again."""
        now = clock()
        results: list[str] = [""] * len(batch.records)
        valid: list[tuple[int, AnyMessage, dict[str, Any]]] = []
        for i, item in enumerate(batch.records):
            try:
                message = ShipmentRefundMessage.model_validate(item) \
                    if item.get("topic") == REFUND_TOPIC else \
                    ExchangeMessage.model_validate(item)
            except ValidationError as exc:
                results[i] = _result(item.get("message_id"), 422, invalid_body(
                    [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]))
                continue
            valid.append((i, message, item["document"]))
        outcomes = ingest_many(engine, who, [(m, raw) for _i, m, raw in valid], now)
        done: list[tuple[str, str]] = []
        for (i, message, _raw), outcome in zip(valid, outcomes, strict=True):
            if isinstance(outcome, PosError):
                status, body = refusal_body(outcome)
                results[i] = _result(message.message_id, status, body)
            else:
                results[i] = _result(message.message_id, 200, ack=outcome.body)
                if not isinstance(message, ShipmentRefundMessage):
                    done.append((message.document.uuid, message.topic))
        _settle_holds(engine, who, done, now)
        return Response(content='{"results":[' + ",".join(results) + "]}",
                        media_type="application/json")

    @app.get("/v1/catalogue", responses=ERRORS, tags=["catalogue"])
    def get_catalogue(who: Who, since: Since = 0,
                      limit: Limit = catalogue.MAX_PAGE) -> dict[str, Any]:
        """Items changed after version ``since`` (0: all), in version order; while ``more``
        is true, ask again with ``since`` = the answer's ``version``."""
        return catalogue.since(engine, since, limit)

    @app.get("/v1/stock", responses=ERRORS, tags=["stock"])
    def get_stock(who: Who, since: Since = 0,
                  limit: Limit = catalogue.MAX_PAGE) -> dict[str, Any]:
        """The token's store's stock rows changed after ``since`` (available = on_hand -
        reserved), paged like the catalogue."""
        return stock.since(engine, who.store, since, limit)

    @app.post("/v1/reservations", response_model=Reservation, status_code=201,
              responses={**ERRORS, 200: {"model": Reservation,
                                         "description": "the existing hold, unchanged"}},
              tags=["stock"])
    def post_reservation(body: ReservationIn, who: Who) -> JSONResponse:
        """Hold every line or none (409 OUT_OF_STOCK names the sku), and the returned
        units of each sale line in ``returns`` with them (409 QTY_EXCEEDS_PURCHASED names
        the line; nothing is held). Idempotent by exchange UUID: the same lines again →
        200 with the same reservation. Capped against hoarding: 422 HOLD_TOO_LONG /
        HOLD_TOO_LARGE, 409 HOLD_LIMIT_REACHED. ``activity`` counts the lock-in for the
        daily limits and answers the day's counts in ``limits``."""
        held, created = stock.reserve(
            engine, who, body.exchange_uuid, [(line.sku, line.qty) for line in body.lines],
            body.ttl_s, clock(), hold_limits,
            returns=[ledger.ReturnLine(r.order, r.line, r.qty) for r in body.returns],
            activity=body.activity.model_dump() if body.activity else None)
        return JSONResponse(held, status_code=201 if created else 200)

    @app.delete("/v1/reservations/{reservation_id}", response_model=Reservation,
                responses=ERRORS, tags=["stock"])
    def delete_reservation(reservation_id: str, who: Who) -> dict[str, Any]:
        """Release a hold (a no-op if it was already released or expired)."""
        return stock.release(engine, who, reservation_id, clock())

    @app.post("/v1/reservations/{reservation_id}/commit", response_model=Reservation,
              responses=ERRORS, tags=["stock"])
    def commit_reservation(reservation_id: str, who: Who) -> dict[str, Any]:
        """The exchange was settled: the held units leave the stock."""
        return stock.commit(engine, who, reservation_id, clock())

    @app.get("/v1/orders/{order_number}", responses=ERRORS, tags=["orders"])
    def get_order(order_number: OrderNumber, who: Who) -> dict[str, Any]:
        """One of the store's orders (by order number, receipt or hub SO number) with each
        line's ``returnable_qty`` across the chain; another store's: 404."""
        return orders.lookup(engine, who, order_number, clock())

    @app.post("/v1/anchors", response_model=AnchorOut, responses=ERRORS, tags=["anchors"])
    def post_anchor(anchor: AnchorWithHealth, who: Who) -> AnchorOut:
        """Anchor this register's journal head, with the entries that lead to it from the
        head the hub holds. It is accepted only if it extends that head (409
        JOURNAL_REWOUND / JOURNAL_REWRITTEN / JOURNAL_BROKEN otherwise: an alarm); 409
        JOURNAL_GAP with ``from_seq`` asks for the entries from there. ``health``
        (optional): what the register reports about itself (register health)."""
        entries = [JournalEntry(e.seq, e.ts, e.store, e.register_id, e.user, e.event,
                                e.exchange, e.payload, e.prev_hash, e.hash)
                   for e in anchor.entries]
        held = anchors.record(engine, who, Anchor(anchor.seq, anchor.hash), entries,
                              clock())
        if anchor.health is not None:
            register_health.record(engine, who, anchor.health, clock())
        return AnchorOut(seq=held.seq, hash=held.hash)

    @app.get("/v1/anchors/latest", response_model=AnchorOut, responses=ERRORS,
             tags=["anchors"])
    def latest_anchor(who: Who) -> AnchorOut:
        """The register's latest accepted head (what `pos-exchange audit verify` checks
        the local journal against)."""
        held, _at = anchors.latest(engine, who)
        return AnchorOut(seq=held.seq, hash=held.hash)

    @app.get("/v1/reconciliation", response_model=list[ReconciliationItem], responses=ERRORS,
             tags=["reconciliation", "people"])
    def list_flagged(who: Caller, include_resolved: bool = False,
                     store: people_api.StoreCode = None) -> list[dict[str, Any]]:
        """Open flagged records (all with ``include_resolved``): a register token sees its
        own register's; a store manager their store's; head office every store's, or
        ``store``'s."""
        caller: Principal | Person = who if isinstance(who, Principal) else who.person
        return reconciliation.items(engine, reconciliation.scope_of(caller, store),
                                    include_resolved)

    @app.post("/v1/reconciliation/{uuid}/resolve", response_model=Resolved, responses=ERRORS,
              tags=["reconciliation", "people"])
    def resolve(uuid: str, body: ResolveIn, session: SignedIn) -> dict[str, Any]:
        """Close an exchange's flags with a reason, as the signed-in person (head office,
        or the store's manager). A register token gets 403; the resolver is never taken
        from the body."""
        return reconciliation.resolve(engine, session.person, uuid, body.note, clock())

    return app


def refusal_body(exc: PosError) -> tuple[int, dict[str, Any]]:
    """``detail`` is the sentence (English, from the shared catalogue) and ``code`` its
    reason code, which a register renders in its own language; a conflict adds the facts
    the register acts on (OUT_OF_STOCK: ``sku`` and ``available``)."""
    status = next(code for kind, code in STATUS if isinstance(exc, kind))
    body: dict[str, Any] = {"detail": render(exc), "code": exc.code}
    if isinstance(exc, Conflict):
        body.update(params.to_json({k: exc.params[k] for k in exc.exposed
                                    if k in exc.params}))
    return status, body


def invalid_body(raw_errors: Sequence[Any]) -> dict[str, Any]:
    """One readable sentence for the register's dead-letter list, then the details; the
    offending input is not echoed back (it may be a whole document)."""
    errors = [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"], "type": e["type"]}
              for e in raw_errors]
    parts = [f"{'.'.join(e['loc'][1:]) or 'body'}: {e['msg']}" for e in errors[:5]]
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return {"detail": "invalid request: " + "; ".join(parts) + more, "errors": errors}


def _result(message_id: Any, status: int, body: dict[str, Any] | None = None,
            ack: str | None = None) -> str:
    """One record's result in a batch answer; ``ack`` is the stored body, as is."""
    head = {"message_id": message_id if isinstance(message_id, str) else None,
            "status": status, **(body or {})}
    text = json.dumps(head, separators=(",", ":"))
    return text if ack is None else text[:-1] + ',"ack":' + ack + "}"


def _settle_holds(engine: Engine, who: Principal, done: list[tuple[str, str]],
                  now: datetime) -> None:
    """The stock holds of a batch's exchanges follow them (as after a single record): one
    read finds which of them hold stock; never fails the records themselves."""
    uuids = {uuid.lower() for uuid, _topic in done}
    if not uuids:
        return
    r = t.reservations
    with reading(engine) as conn:
        holding = set(conn.scalars(select(r.c.exchange_uuid).where(
            r.c.exchange_uuid.in_(uuids), r.c.store_id == who.store,
            r.c.register_id == who.register, r.c.status == stock.HELD)))
    for uuid, topic in done:
        if uuid.lower() not in holding:
            continue
        try:
            stock.settle_exchange(engine, who, uuid, topic, now)
        except PosError as exc:
            log_event("reservation.settle_failed", 30, store=who.store, register=who.register,
                      uuid=uuid, status=exc.code)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(PosError)
    def refusal(_request: Request, exc: PosError) -> JSONResponse:
        status, body = refusal_body(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)

    @app.exception_handler(DBAPIError)
    def database_error(_request: Request, exc: DBAPIError) -> JSONResponse:
        log_event("db.error", 40, status="unavailable", error=type(exc.orig).__name__)
        return JSONResponse({"detail": "The hub database is unavailable; retry later."},
                            status_code=503)

    @app.exception_handler(RequestValidationError)
    def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(invalid_body(exc.errors()), status_code=422)


def _request_log(app: FastAPI) -> None:
    @app.middleware("http")
    async def log_request(request: Request, call_next: Callable[..., Any]) -> Response:
        started = time.perf_counter()
        response: Response = await call_next(request)
        who: Principal | None = getattr(request.state, "principal", None)
        person: Person | None = getattr(request.state, "person", None)
        log_event("http.request", method=request.method, path=request.url.path,
                  status=response.status_code, ms=round((time.perf_counter() - started) * 1000),
                  store=who.store if who else person.store if person else None,
                  register=who.register if who else None,
                  user=person.user_id if person else None)
        return response
