"""The people's part of the HTTP API: sessions and reports (FastAPI router).

``POST /v1/session`` signs a person in (account ID + password → a session token, shown
once); ``GET /v1/session`` says who is signed in; ``DELETE /v1/session`` signs out.
``GET /v1/reports/orphan-holds`` lists the stock holds that never became an exchange
(head office: every store or ``store``; a store manager: their store). A register token
gets 403 on every endpoint that needs a person.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from pos_exchange.hub import holds, sessions
from pos_exchange.hub.access import SignedIn
from pos_exchange.hub.reconciliation import scope_of
from pos_exchange.hub.wire import Problem

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem} for code in (401, 403, 404, 409, 413, 422, 503)}
StoreCode = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{1,8}$",
                                        description="one store (head office only)")]


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class SessionInfo(BaseModel):
    session_id: str
    user_id: str
    name: str
    role: Literal["head_office", "store_manager"]
    store: str | None
    expires_at: str = Field(description="when it ends unless used (8 h idle, 12 h at most)")
    absolute_expires_at: str


class SessionOut(SessionInfo):
    token: str = Field(description="the session's secret: send it as a bearer token; it "
                                   "is shown only this once")


class OrphanHold(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    store: str
    register_id: str = Field(alias="register")
    sku: str
    qty: int
    held_at: str
    expires_at: str
    ended: Literal["expired", "released"]
    ended_at: str
    reservation_id: str
    exchange_uuid: str


router = APIRouter()


@router.post("/v1/session", response_model=SessionOut, status_code=201, responses=ERRORS,
             tags=["people"])
def sign_in(body: SignIn, request: Request) -> JSONResponse:
    """Sign a person in. Five wrong passwords in a row lock the account for 30 minutes."""
    state = request.app.state
    secret, session = sessions.sign_in(state.engine, body.user_id, body.password,
                                       state.clock())
    request.state.person = session.person
    return JSONResponse({**session.view(), "token": secret}, status_code=201,
                        headers={"Cache-Control": "no-store"})


@router.get("/v1/session", response_model=SessionInfo, responses=ERRORS, tags=["people"])
def who_am_i(session: SignedIn) -> dict[str, Any]:
    return session.view()


@router.delete("/v1/session", status_code=204, responses=ERRORS, tags=["people"])
def sign_out(session: SignedIn, request: Request) -> Response:
    """End this session (its token, or the console's cookie, stops working)."""
    sessions.sign_out(request.app.state.engine, session, request.app.state.clock())
    response = Response(status_code=204)
    sessions.clear_cookie(response)
    return response


@router.get("/v1/reports/orphan-holds", response_model=list[OrphanHold], responses=ERRORS,
            tags=["people", "reports"])
def orphan_holds(session: SignedIn, request: Request, since: datetime | None = None,
                 store: StoreCode = None) -> list[dict[str, Any]]:
    """Holds that ended (expired or released) with no record of their exchange at the
    hub, made at or after ``since`` (a naive time is UTC), oldest first, one row per
    line."""
    scope = scope_of(session.person, store)
    return holds.orphaned(request.app.state.engine, request.app.state.clock(), since,
                          scope.store)
