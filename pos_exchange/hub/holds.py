"""Stock holds that never became an exchange: the hoarding report.

A hold is tied to the exchange whose UUID it carries: the settled record commits it, the
cancelled one releases it. A hold is *orphaned* when no record of its exchange ever
reached the hub and the hold is over: it expired (or is past its expiry and not yet
swept) or its register released it. One row per held line: store, register, sku, qty,
when it was held, when it expired (or would have) and how it ended.

A record that arrives late (a register offline for a while) makes its hold no longer
orphaned: the report is of what the hub knows now.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, or_, select

from pos_exchange.domain.errors import BadInput
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading
from pos_exchange.hub.stock import EXPIRED, HELD, RELEASED

ISO = "%Y-%m-%dT%H:%M:%S.%fZ"
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def as_utc(moment: datetime | None, what: str = "since") -> datetime | None:
    """A caller's datetime in UTC (a naive one is taken as UTC); refused if it cannot be."""
    if moment is None:
        return None
    try:
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise BadInput("INVALID_TIME", what=what, moment=moment.isoformat()) from None
    return max(moment, EARLIEST)


def orphaned(engine: Engine, now: datetime, since: datetime | None = None,
             store: str | None = None) -> list[dict[str, Any]]:
    """Orphaned holds made at or after ``since``, of one store or all, oldest first."""
    r, lines = t.reservations.c, t.reservation_lines.c
    over = or_(r.status.in_([EXPIRED, RELEASED]), and_(r.status == HELD, r.expires_at <= now))
    no_exchange = ~exists().where(t.records.c.exchange_uuid == r.exchange_uuid)
    query = (select(r.reservation_id, r.exchange_uuid, r.store_id, r.register_id, r.status,
                    r.created_at, r.expires_at, r.closed_at, lines.sku, lines.qty)
             .join(t.reservation_lines, lines.reservation_id == r.reservation_id)
             .where(over, no_exchange)
             .order_by(r.created_at, r.reservation_id, lines.sku))
    since = as_utc(since)
    if since is not None:
        query = query.where(r.created_at >= since)
    if store is not None:
        query = query.where(r.store_id == store)
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [{"store": row.store_id, "register": row.register_id, "sku": row.sku,
             "qty": row.qty, "held_at": row.created_at.strftime(ISO),
             "expires_at": row.expires_at.strftime(ISO),
             "ended": RELEASED if row.status == RELEASED else EXPIRED,
             "ended_at": (row.closed_at if row.status == RELEASED and row.closed_at
                          else row.expires_at).strftime(ISO),
             "reservation_id": row.reservation_id, "exchange_uuid": row.exchange_uuid}
            for row in rows]
