"""Who is calling: a register (machine) or a signed-in person, as FastAPI dependencies.

- ``register_only``: a register token (``tokens.Principal``); the exchange, stock and
  anchor endpoints. A person's session is not a register token (401).
- ``register_or_person``: either; the reconciliation list, whose scope follows the caller.
- ``person_only``: a signed-in person (``sessions.Session``); a valid register token gets
  403 NOT_A_PERSON: it is a machine and never acts as a person (docs/architecture.md; "People and
  machines"), whatever record it is about.

A person's secret comes from ``Authorization: Bearer`` or, for the browser console, from
the HttpOnly ``pos_hub_session`` cookie. A state-changing request authenticated by the
cookie must come from the hub's own pages: an ``Origin`` of another site is refused (403),
on top of SameSite=Strict.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from pos_exchange.hub import sessions
from pos_exchange.hub.db import reading
from pos_exchange.hub.errors import Forbidden
from pos_exchange.hub.sessions import Session
from pos_exchange.hub.tokens import Principal, authenticate

bearer = HTTPBearer(auto_error=False,
                    description="a register's token, or a person's session token")
cookie = APIKeyCookie(name=sessions.COOKIE, auto_error=False,
                      description="a person's session (the browser console)")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
Cookie = Annotated[str | None, Depends(cookie)]


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


def register_only(request: Request, credentials: Bearer) -> Principal:
    with reading(request.app.state.engine) as conn:
        who = authenticate(conn, credentials.credentials if credentials else None)
    request.state.principal = who  # for the request log line
    return who


def register_or_person(request: Request, credentials: Bearer,
                       cookie_secret: Cookie) -> Principal | Session:
    secret = credentials.credentials if credentials else None
    from_cookie = secret is None and bool(cookie_secret)
    secret = secret or cookie_secret
    if secret:
        session = sessions.find(request.app.state.engine, secret, _now(request))
        if session is not None:
            if from_cookie and request.method not in SAFE_METHODS:
                _same_origin(request)
            request.state.person = session.person
            return session
    return register_only(request, credentials if not from_cookie else None)


def person_only(request: Request, who: Annotated[Principal | Session,
                                                 Depends(register_or_person)]) -> Session:
    if isinstance(who, Principal):
        raise Forbidden("NOT_A_PERSON")
    return who


def _same_origin(request: Request) -> None:
    origin = request.headers.get("origin")
    if origin is None:
        return
    if urlsplit(origin).netloc.lower() != (request.headers.get("host") or "").lower():
        raise Forbidden("CROSS_SITE_REQUEST")


Caller = Annotated[Principal | Session, Depends(register_or_person)]
Register = Annotated[Principal, Depends(register_only)]
SignedIn = Annotated[Session, Depends(person_only)]

__all__ = ["Caller", "Register", "SignedIn", "person_only", "register_only",
           "register_or_person"]
