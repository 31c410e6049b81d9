"""The transactional outbox: records written with the change they report, sent later by
the sync worker (services/sync.py) and deduplicated by the hub."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pos_exchange.adapters.db import schema as tables
from pos_exchange.domain.journal import canonical_json
from pos_exchange.services.views import DeadLetter, OutboxRecord, OutboxSummary


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, message_id: str, exchange_uuid: str, topic: str,
            payload: Mapping[str, Any], now: datetime) -> None:
        self.conn.execute(insert(tables.outbox).values(
            message_id=message_id, exchange_uuid=exchange_uuid, topic=topic,
            payload=canonical_json(payload), created_at=now, attempts=0, status="pending"))

    def pending_count(self) -> int:
        return self.conn.scalar(select(func.count()).select_from(tables.outbox)
                                .where(tables.outbox.c.status == "pending")) or 0

    def due(self, now: datetime, limit: int) -> list[OutboxRecord]:
        """Pending records whose retry time has come, oldest first."""
        o = tables.outbox
        query = (select(o.c.id, o.c.message_id, o.c.exchange_uuid, o.c.topic, o.c.payload,
                        o.c.attempts)
                 .where(o.c.status == "pending",
                        (o.c.next_attempt_at.is_(None)) | (o.c.next_attempt_at <= now))
                 .order_by(o.c.id).limit(limit))
        return [OutboxRecord(*row) for row in self.conn.execute(query)]

    def mark_sent(self, outbox_id: int) -> None:
        self.conn.execute(update(tables.outbox).where(tables.outbox.c.id == outbox_id)
                          .values(status="sent", last_error=None,
                                  attempts=tables.outbox.c.attempts + 1))

    def retry_later(self, outbox_id: int, next_at: datetime, error: str) -> None:
        self.conn.execute(update(tables.outbox).where(tables.outbox.c.id == outbox_id)
                          .values(attempts=tables.outbox.c.attempts + 1, next_attempt_at=next_at,
                                  last_error=error))

    def dead_letter(self, outbox_id: int, error: str) -> None:
        self.conn.execute(update(tables.outbox).where(tables.outbox.c.id == outbox_id)
                          .values(status="dead", attempts=tables.outbox.c.attempts + 1,
                                  last_error=error))

    def requeue(self, outbox_id: int) -> bool:
        """A manager sends a dead-lettered record again (after fixing its cause)."""
        done = self.conn.execute(update(tables.outbox).where(tables.outbox.c.id == outbox_id,
                                                        tables.outbox.c.status == "dead")
                                 .values(status="pending", attempts=0, next_attempt_at=None))
        return done.rowcount == 1

    def summary(self) -> OutboxSummary:
        """Counts by status and the oldest unsent record: index-only reads (the status
        index), cheap enough for the status bar after every step."""
        o = tables.outbox
        counts: dict[str, int] = {
            status: int(n) for status, n in
            self.conn.execute(select(o.c.status, func.count()).group_by(o.c.status))}
        oldest = self.conn.scalar(select(func.min(o.c.created_at))
                                  .where(o.c.status == "pending"))
        return OutboxSummary(counts.get("pending", 0), counts.get("sent", 0),
                             counts.get("dead", 0), oldest)

    def dead_letters(self) -> list[DeadLetter]:
        o = tables.outbox
        return [DeadLetter(*row) for row in self.conn.execute(
            select(o.c.id, o.c.exchange_uuid, o.c.topic, o.c.attempts, o.c.last_error,
                   o.c.created_at).where(o.c.status == "dead").order_by(o.c.id))]

    def by_exchange(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        o = tables.outbox
        for uuid, topic in self.conn.execute(select(o.c.exchange_uuid, o.c.topic)
                                             .order_by(o.c.id)):
            out[uuid].append(topic)
        return dict(out)
