"""The transactional outbox: records written with the change they report, sent later by
the sync worker (services/sync.py) and deduplicated by the hub."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from pos_exchange.adapters.db import schema as tables
from pos_exchange.adapters.db.books import OUTBOX_PRUNED
from pos_exchange.domain.journal import canonical_json
from pos_exchange.services.views import DeadLetter, OutboxRecord, OutboxSummary


def _journal_seq(payload: str) -> int:
    """Where the register's journal stood when a record was written (its journal_head)."""
    try:
        head = json.loads(payload).get("journal_head") or {}
        return int(head.get("seq") or 0)
    except (ValueError, TypeError, AttributeError):
        return 0


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

    def mark_sent_many(self, outbox_ids: Sequence[int]) -> None:
        """A whole page at once (one statement per 500 ids)."""
        o = tables.outbox
        for start in range(0, len(outbox_ids), 500):
            chunk = list(outbox_ids[start:start + 500])
            self.conn.execute(update(o).where(o.c.id.in_(chunk))
                              .values(status="sent", last_error=None,
                                      attempts=o.c.attempts + 1))

    def prune_sent(self, before: datetime, limit: int) -> int:
        """Delete up to ``limit`` sent records created before ``before``, oldest first (by
        the status index); never a pending or dead-lettered one. The journal position the
        pruned records had reached is kept (``OUTBOX_PRUNED``), so ``audit verify --deep``
        knows their absence is the retention, not a deletion."""
        o = tables.outbox
        rows = self.conn.execute(select(o.c.id, o.c.payload)
                                 .where(o.c.status == "sent", o.c.created_at < before)
                                 .order_by(o.c.id).limit(limit)).all()
        if not rows:
            return 0
        reached = max(_journal_seq(payload) for _id, payload in rows)
        self.conn.execute(delete(o).where(o.c.id.in_([r.id for r in rows]),
                                          o.c.status == "sent"))
        state = tables.sync_state
        held = self.conn.scalar(select(state.c.value).where(state.c.key == OUTBOX_PRUNED))
        if held is None:
            self.conn.execute(insert(state).values(key=OUTBOX_PRUNED, value=reached))
        elif reached > held:
            self.conn.execute(update(state).where(state.c.key == OUTBOX_PRUNED)
                              .values(value=reached))
        return len(rows)

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

    def summary(self, count_sent: bool = False) -> OutboxSummary:
        """Unsent and dead-lettered counts and the oldest unsent record, for the status
        bar after every step: ranges of the status index (ix_outbox_status_id) that hold
        only what is unsent, plus one row for the oldest; never the sent records, never a
        payload. ``count_sent`` also counts the sent ones (``sync --status``)."""
        o = tables.outbox

        def count(status: str) -> int:
            return int(self.conn.scalar(select(func.count()).select_from(o)
                                        .where(o.c.status == status)) or 0)

        oldest = self.conn.scalar(select(o.c.created_at).where(o.c.status == "pending")
                                  .order_by(o.c.id).limit(1))
        return OutboxSummary(count("pending"), count("sent") if count_sent else None,
                             count("dead"), oldest)

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
