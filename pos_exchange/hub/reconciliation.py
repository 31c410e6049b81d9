"""Flagged records waiting for a person, scoped to the caller's store."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, update

from pos_exchange.domain.errors import NotFound
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.tokens import Principal

ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


def _iso(value: datetime | None) -> str | None:
    return value.strftime(ISO) if value is not None else None


def items(engine: Engine, who: Principal, include_resolved: bool = False
          ) -> list[dict[str, Any]]:
    r = t.reconciliation
    query = select(r).where(r.c.store_id == who.store).order_by(r.c.id)
    if not include_resolved:
        query = query.where(r.c.resolved_at.is_(None))
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [{"id": row.id, "uuid": row.exchange_uuid, "number": row.number,
             "topic": row.topic, "register": row.register_id, "flags": json.loads(row.flags),
             "details": json.loads(row.details), "created_at": _iso(row.created_at),
             "resolved_at": _iso(row.resolved_at), "resolved_by": row.resolved_by,
             "note": row.note} for row in rows]


def resolve(engine: Engine, who: Principal, uuid: str, note: str, by: str,
            now: datetime) -> dict[str, Any]:
    """Close every open item of one exchange. Another store's exchange is simply not
    found (404): a register cannot even learn that it exists."""
    r = t.reconciliation
    uuid = uuid.lower()
    mine = (r.c.exchange_uuid == uuid) & (r.c.store_id == who.store)
    with writing(engine) as conn:
        rows = conn.execute(select(r.c.id, r.c.resolved_at).where(mine)).all()
        if not rows:
            raise NotFound("NOTHING_FLAGGED", uuid=uuid, store=who.store)
        if all(row.resolved_at is not None for row in rows):
            raise Conflict("ALREADY_RESOLVED", uuid=uuid)
        done = conn.execute(update(r).where(mine, r.c.resolved_at.is_(None))
                            .values(resolved_at=now, resolved_by=by, note=note)).rowcount
    log_event("reconciliation.resolved", store=who.store, register=who.register, uuid=uuid,
              status="resolved", by=by, items=done)
    return {"uuid": uuid, "resolved": done, "resolved_at": _iso(now), "by": by, "note": note}
