"""Register tokens: random bearer secrets, shown once, stored only as their SHA-256.

A token is bound to one store and one register; everything a request can read or write
is scoped by that binding, and a token is a machine: it never acts as a person
(``access.py``). The hash is enough to look a token up (it is 256 bits of randomness, so
no salt or slow hash is needed), and a copy of the database reveals none.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from pos_exchange.domain.errors import NotFound, Refused
from pos_exchange.domain.numbering import check_code
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Unauthorized


@dataclass(frozen=True)
class Principal:
    """Who is calling: the register a valid token belongs to."""

    token_id: str
    store: str
    register: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(engine: Engine, store: str, register: str, now: datetime,
           label: str | None = None) -> tuple[str, str]:
    """Return (token id, token). The token itself is never stored nor logged."""
    store, register = check_code(store, "store"), check_code(register, "register")
    token = secrets.token_urlsafe(32)
    token_id = "tok_" + secrets.token_hex(6)
    with writing(engine) as conn:
        conn.execute(t.tokens.insert().values(
            token_id=token_id, token_sha256=token_digest(token), store_id=store,
            register_id=register, label=label, created_at=now))
    return token_id, token


def revoke(engine: Engine, token_id: str, now: datetime) -> Principal:
    with writing(engine) as conn:
        row = conn.execute(select(t.tokens).where(t.tokens.c.token_id == token_id)).first()
        if row is None:
            raise NotFound("UNKNOWN_TOKEN", token=token_id)
        if row.revoked_at is not None:
            raise Refused("TOKEN_ALREADY_REVOKED", token=token_id, at=row.revoked_at)
        conn.execute(update(t.tokens).where(t.tokens.c.token_id == token_id)
                     .values(revoked_at=now))
    return Principal(row.token_id, row.store_id, row.register_id)


def list_tokens(engine: Engine, include_revoked: bool = False) -> list[dict[str, Any]]:
    query = select(t.tokens.c.token_id, t.tokens.c.store_id, t.tokens.c.register_id,
                   t.tokens.c.label, t.tokens.c.created_at, t.tokens.c.revoked_at) \
        .order_by(t.tokens.c.store_id, t.tokens.c.register_id, t.tokens.c.created_at)
    if not include_revoked:
        query = query.where(t.tokens.c.revoked_at.is_(None))
    with reading(engine) as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def authenticate(conn: Connection, token: str | None) -> Principal:
    if not token:
        raise Unauthorized("TOKEN_MISSING")
    row = conn.execute(select(t.tokens).where(
        t.tokens.c.token_sha256 == token_digest(token))).first()
    if row is None:
        raise Unauthorized("TOKEN_UNKNOWN")
    if row.revoked_at is not None:
        raise Unauthorized("TOKEN_REVOKED")
    return Principal(row.token_id, row.store_id, row.register_id)
