"""Signed-in sessions of people: an opaque secret, stored as its SHA-256, with expiries.

``sign_in`` checks the password (``people``), opens a session and returns its secret once.
The secret travels as ``Authorization: Bearer <secret>`` (scripts, the JSON API) or, for
the browser console, in the ``pos_hub_session`` cookie (HttpOnly, SameSite=Strict and
Secure; browsers keep a Secure cookie on http://localhost too): ``set_cookie`` /
``clear_cookie``.

A session ends after 8 hours without a request (idle) and 12 hours after sign-in at the
latest (absolute), at sign-out, when its password changes and when the account is
disabled. The secret is 256 random bits, so a plain SHA-256 is enough to look it up (as
for register tokens) and a copy of the database opens no session.

Every sign-in, refused sign-in and sign-out is journaled. A refused sign-in journals the
account only when it exists (so a password typed into the ID field is never written);
a password is never journaled, logged or stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from starlette.responses import Response

from pos_exchange.hub import journal, people
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Unauthorized
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.people import Person

IDLE = timedelta(hours=8)
ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)   # last_seen is written at most once a minute
COOKIE = "pos_hub_session"
ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Session:
    session_id: str
    person: Person
    expires_at: datetime          # the earlier of idle and absolute expiry
    absolute_expires_at: datetime

    def view(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "user_id": self.person.user_id,
                "name": self.person.name, "role": self.person.role,
                "store": self.person.store, "expires_at": self.expires_at.strftime(ISO),
                "absolute_expires_at": self.absolute_expires_at.strftime(ISO)}


def _refusal(verdict: people.Verdict) -> Unauthorized:
    if verdict.refusal == "ACCOUNT_LOCKED" and verdict.locked_until is not None:
        # The hub serves many time zones: it states the time in UTC, and says so.
        return Unauthorized("ACCOUNT_LOCKED", variant="password",
                            until=f"{verdict.locked_until:%H:%M} UTC")
    return Unauthorized("BAD_CREDENTIALS", variant="password")


def sign_in(engine: Engine, user_id: str, password: str, now: datetime) -> tuple[str, Session]:
    """(secret, session), or Unauthorized. A failure is counted and journaled (committed)
    before it is raised."""
    attempt = people.try_password(engine, user_id, password)
    secret = secrets.token_urlsafe(32)
    session_id = "ses_" + secrets.token_hex(8)
    with writing(engine) as conn:
        verdict = people.settle_attempt(conn, attempt, now)
        person = verdict.person
        if person is None:
            row = attempt.row
            journal.append(conn, now=now, user=journal.NOBODY, event="session.refused",
                           store=(row.store_id or journal.ANY) if row is not None
                           else journal.ANY,
                           payload={"account": row.user_id if row is not None else None,
                                    "reason": verdict.refusal,
                                    "locked_until": verdict.locked_until.strftime(ISO)
                                    if verdict.locked_until else None})
        else:
            conn.execute(t.sessions.insert().values(
                session_id=session_id, token_sha256=digest(secret), user_id=person.user_id,
                created_at=now, last_seen_at=now, expires_at=now + ABSOLUTE))
            journal.append(conn, now=now, user=person.user_id, event="session.signed_in",
                           store=person.scope, payload={"session": session_id,
                                                        "role": person.role})
    if person is None:
        log_event("session.refused", 30, status=verdict.refusal,
                  account=attempt.row.user_id if attempt.row is not None else None)
        raise _refusal(verdict)
    log_event("session.signed_in", user=person.user_id, session=session_id, status="ok")
    return secret, Session(session_id, person, min(now + IDLE, now + ABSOLUTE),
                           now + ABSOLUTE)


def find(engine: Engine, secret: str, now: datetime) -> Session | None:
    """The open session of this secret (its idle clock restarted), None if the secret is
    not a session's (it may be a register token), or Unauthorized if it ended."""
    s = t.sessions.c
    with reading(engine) as conn:
        row = conn.execute(select(t.sessions).where(s.token_sha256 == digest(secret))).first()
        person = people.active_person(conn, row.user_id) if row is not None else None
    if row is None:
        return None
    if row.ended_at is not None:
        raise Unauthorized("SESSION_ENDED")
    if person is None:
        raise Unauthorized("SESSION_ENDED", variant="disabled")
    idle_end = row.last_seen_at + IDLE
    if now >= row.expires_at or now >= idle_end:
        raise Unauthorized("SESSION_EXPIRED")
    if now - row.last_seen_at >= TOUCH_EVERY:
        with writing(engine) as conn:
            conn.execute(update(t.sessions).where(s.session_id == row.session_id,
                                                  s.last_seen_at < now)
                         .values(last_seen_at=now))
        idle_end = now + IDLE
    return Session(row.session_id, person, min(idle_end, row.expires_at), row.expires_at)


def sign_out(engine: Engine, session: Session, now: datetime) -> None:
    with writing(engine) as conn:
        ended = conn.execute(update(t.sessions).where(
            t.sessions.c.session_id == session.session_id, t.sessions.c.ended_at.is_(None))
            .values(ended_at=now, end_reason="signed_out")).rowcount
        if ended:
            journal.append(conn, now=now, user=session.person.user_id,
                           event="session.signed_out", store=session.person.scope,
                           payload={"session": session.session_id})
    log_event("session.signed_out", user=session.person.user_id, session=session.session_id,
              status="ok")


def set_cookie(response: Response, secret: str, *, secure: bool = True) -> None:
    """The browser console's way to hold a session: the page's scripts cannot read it
    (HttpOnly), and no other site's page can send it (SameSite=Strict). Its lifetime is
    the session's absolute one; the hub checks idle expiry itself."""
    response.set_cookie(COOKIE, secret, max_age=int(ABSOLUTE.total_seconds()), path="/",
                        httponly=True, samesite="strict", secure=secure)


def clear_cookie(response: Response, *, secure: bool = True) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
