"""Flagged records waiting for a person.

Who sees what: a register token sees the flags on *its own* records (the register shows
them to its staff); a store manager sees their store's; head office sees every store's
(or one, with ``store``). Only a person resolves, with a reason: a store manager only in
their own store, head office anywhere. The resolver is the signed-in person, never a
field of the request. Each resolution is journaled in the hub's journal in the same
transaction as the change.

Another store's record is simply not found (404), for a register and for a store manager
alike: a caller cannot even learn that it exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from pos_exchange.domain.errors import BadInput, NotFound
from pos_exchange.hub import journal
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Conflict, Forbidden
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.people import Person
from pos_exchange.hub.tokens import Principal

ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def _iso(value: datetime | None) -> str | None:
    return value.strftime(ISO) if value is not None else None


@dataclass(frozen=True)
class Scope:
    """The records a caller may see: one store's (or all, None), one register's (or all)."""

    store: str | None
    register: str | None = None


def scope_of(who: Principal | Person, store: str | None = None) -> Scope:
    """A register: its own records. A person: their store, or any for head office. Asking
    for another store than one's own is refused (403: the caller named it)."""
    own = who.store
    if store is not None and own is not None and store.upper() != own:
        raise Forbidden("OTHER_STORE", store=own)
    if isinstance(who, Principal):
        return Scope(who.store, who.register)
    return Scope(own or (store.upper() if store else None))


def items(engine: Engine, scope: Scope, include_resolved: bool = False
          ) -> list[dict[str, Any]]:
    r = t.reconciliation
    query = select(r).order_by(r.c.id)
    if scope.store is not None:
        query = query.where(r.c.store_id == scope.store)
    if scope.register is not None:
        query = query.where(r.c.register_id == scope.register)
    if not include_resolved:
        query = query.where(r.c.resolved_at.is_(None))
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [{"id": row.id, "uuid": row.exchange_uuid, "number": row.number,
             "topic": row.topic, "store": row.store_id, "register": row.register_id,
             "flags": json.loads(row.flags), "details": json.loads(row.details),
             "created_at": _iso(row.created_at), "resolved_at": _iso(row.resolved_at),
             "resolved_by": row.resolved_by, "note": row.note} for row in rows]


def resolve(engine: Engine, person: Person, uuid: str, note: str,
            now: datetime) -> dict[str, Any]:
    """Close every open item of one exchange, as ``person``, with ``note`` as the reason."""
    reason = (note or "").strip()
    if not reason:
        raise BadInput("REASON_REQUIRED")
    r = t.reconciliation
    uuid = uuid.lower()
    mine = r.c.exchange_uuid == uuid
    if person.store is not None:
        mine = mine & (r.c.store_id == person.store)
    with writing(engine) as conn:
        rows = conn.execute(select(r.c.id, r.c.resolved_at, r.c.store_id, r.c.register_id,
                                   r.c.number, r.c.flags).where(mine).order_by(r.c.id)
                            .with_for_update()).all()
        if not rows:
            raise NotFound("NOTHING_FLAGGED", uuid=uuid, store=person.store,
                           variant=None if person.store else "anywhere")
        open_rows = [row for row in rows if row.resolved_at is None]
        if not open_rows:
            raise Conflict("ALREADY_RESOLVED", uuid=uuid)
        if not all(person.may_act_on(row.store_id) for row in open_rows):  # defence in depth
            raise Forbidden("NOT_YOUR_STORE", store=person.store)
        done = conn.execute(update(r).where(mine, r.c.resolved_at.is_(None))
                            .values(resolved_at=now, resolved_by=person.user_id,
                                    note=reason)).rowcount
        first = open_rows[0]
        journal.append(conn, now=now, user=person.user_id, event="reconciliation.resolved",
                       store=first.store_id, register=first.register_id, exchange_uuid=uuid,
                       payload={"number": first.number, "items": done, "role": person.role,
                                "flags": sorted({f for row in open_rows
                                                 for f in json.loads(row.flags)}),
                                "note": reason})
    log_event("reconciliation.resolved", store=first.store_id, register=first.register_id,
              uuid=uuid, status="resolved", by=person.user_id, items=done)
    return {"uuid": uuid, "resolved": done, "resolved_at": _iso(now), "by": person.user_id,
            "note": reason}
