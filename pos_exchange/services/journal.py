"""Writing domain events to the audit journal, inside the caller's unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pos_exchange.domain.exchange import Event, Exchange
from pos_exchange.services.ports import Runtime, UnitOfWork


def record(uow: UnitOfWork, rt: Runtime, user: str, event: str, payload: dict[str, Any],
           now: datetime, exchange_uuid: str | None = None) -> None:
    uow.journal.append(ts=now, store=rt.store_id, register=rt.register_id, user=user,
                       event=event, exchange_uuid=exchange_uuid, payload=payload)


def record_exchange(uow: UnitOfWork, rt: Runtime, user: str, ex: Exchange,
                    now: datetime) -> list[Event]:
    events = ex.pop_events()
    for ev in events:
        payload = {"number": ex.number, "currency": ex.currency, **ev.payload}
        record(uow, rt, user, ev.type, payload, now, ex.uuid)
    return events
