"""The console's JSON twins: ``/v1/reports/...`` (a person's session; a register token
gets 403). Each answers what its console page shows, from the same functions
(hub/reports.py).

- ``GET /v1/reports/metrics?from=&to=&store=&csr=``: every figure of the period;
- ``GET /v1/reports/metrics/by?by=store|csr|day|store_csr_day&…``: the headline figures
  per group (a group that cannot be reported carries its refusal);
- ``GET /v1/reports/reconciliation``: the queue with claims, recomputation and journals;
- ``GET /v1/reports/exchanges?number=&customer=&brand=&last4=&from=&to=&store=``: search;
- ``GET /v1/reports/exchanges/{uuid}``: one exchange with its orders and receipts;
- ``GET /v1/reports/registers``: register health.
Money is in minor units with its ``currency``; shares are decimal strings.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from pos_exchange.domain.errors import BadInput, PosError
from pos_exchange.hub import register_health, reports
from pos_exchange.hub.access import SignedIn
from pos_exchange.hub.people_api import ERRORS, StoreCode
from pos_exchange.messages import render
from pos_exchange.services.metrics import Period, as_json, headline

router = APIRouter(prefix="/v1/reports", tags=["people", "reports"])
Day = Annotated[date | None, Query(description="the last business day, 2026-11-20")]
FromDay = Annotated[date | None, Query(alias="from",
                                       description="the first business day, 2026-11-01")]


def period_of(first: date | None, last: date | None, today: date) -> Period:
    """Both days, one (the other defaults to it), or none (today)."""
    return Period(first or last or today, last or first or today)


def _today(request: Request) -> date:
    return request.app.state.clock().date()


def _key(key: Any) -> dict[str, Any]:
    parts = key if isinstance(key, tuple) else (key,)
    names = ("store", "csr", "day") if len(parts) == 3 else \
        ("store", "day") if len(parts) == 2 and isinstance(parts[1], date) else \
        ("store", "csr") if len(parts) == 2 else ("store",)
    return {n: (p.isoformat() if isinstance(p, date) else p) for n, p in zip(names, parts,
                                                                              strict=True)}


def grouped_json(groups: dict[Any, Any]) -> list[dict[str, Any]]:
    return [{**_key(key), **({"refused": value.code, "sentence": render(value)}
                             if isinstance(value, PosError) else headline(value))}
            for key, value in groups.items()]


@router.get("/metrics", responses=ERRORS)
def get_metrics(session: SignedIn, request: Request, from_: FromDay = None, to: Day = None,
                store: StoreCode = None, csr: str | None = None) -> dict[str, Any]:
    """The seed's figures (422 with a sentence: an empty period, no exchange, only
    voids, several currencies)."""
    period = period_of(from_, to, _today(request))
    return as_json(reports.metrics(request.app.state.engine, session.person, period,
                                   store=store, csr=csr))


@router.get("/metrics/by", responses=ERRORS)
def get_grouped(session: SignedIn, request: Request, by: str = "store", from_: FromDay = None,
                to: Day = None, store: StoreCode = None,
                csr: str | None = None) -> list[dict[str, Any]]:
    if by not in reports.GROUPS:
        raise BadInput("UNKNOWN_GROUPING", by=by, choices=", ".join(reports.GROUPS))
    period = period_of(from_, to, _today(request))
    return grouped_json(reports.grouped(request.app.state.engine, session.person, period, by,
                                        store=store, csr=csr))


@router.get("/reconciliation", responses=ERRORS)
def get_queue(session: SignedIn, request: Request, store: StoreCode = None,
              include_resolved: bool = False) -> list[dict[str, Any]]:
    return reports.queue(request.app.state.engine, session.person, store=store,
                         include_resolved=include_resolved)


@router.get("/exchanges", responses=ERRORS)
def get_exchanges(session: SignedIn, request: Request, number: str | None = None,
                  customer: str | None = None, brand: str | None = None,
                  last4: str | None = None, from_: FromDay = None, to: Day = None,
                  store: StoreCode = None) -> list[dict[str, Any]]:
    return reports.search(request.app.state.engine, session.person, number=number,
                          customer=customer, brand=brand, last4=last4, first=from_, last=to,
                          store=store)


@router.get("/exchanges/{uuid}", responses=ERRORS)
def get_exchange(uuid: str, session: SignedIn, request: Request) -> dict[str, Any]:
    return reports.exchange(request.app.state.engine, session.person, uuid)


@router.get("/registers", responses=ERRORS)
def get_registers(session: SignedIn, request: Request,
                  store: StoreCode = None) -> list[dict[str, Any]]:
    scope = reports.scoped_store(session.person, store)
    rows = register_health.registers(request.app.state.engine, scope)
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in rows]
