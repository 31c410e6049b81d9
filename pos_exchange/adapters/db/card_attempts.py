"""Card payment attempts and refund executions: the exactly-once bookkeeping."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from pos_exchange.adapters.db import schema as t
from pos_exchange.domain.card_attempts import OPEN, Attempt, AttemptStatus


class CardAttemptRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _attempt(row: Any) -> Attempt:
        return Attempt(row.attempt_id, row.exchange_uuid, row.amount_minor, row.currency,
                       row.idempotency_key, row.intent_id, AttemptStatus(row.status),
                       row.decline_code, row.message, row.card_brand, row.card_last4,
                       row.created_by)

    def add(self, attempt: Attempt, reader_id: str | None, now: datetime) -> None:
        self.conn.execute(insert(t.card_attempts).values(
            attempt_id=attempt.attempt_id, exchange_uuid=attempt.exchange_uuid,
            amount_minor=attempt.amount_minor, currency=attempt.currency,
            idempotency_key=attempt.idempotency_key, intent_id=attempt.intent_id,
            reader_id=reader_id, status=str(attempt.status), created_by=attempt.created_by,
            created_at=now, updated_at=now))

    def get(self, attempt_id: str) -> Attempt:
        row = self.conn.execute(select(t.card_attempts)
                                .where(t.card_attempts.c.attempt_id == attempt_id)).one()
        return self._attempt(row)

    @staticmethod
    def _columns(values: dict[str, Any]) -> dict[str, Any]:
        """Attempt fields to columns: the reason code lives in the ``message`` column."""
        if "status" in values:
            values["status"] = str(values["status"])
        if "reason" in values:
            values["message"] = values.pop("reason")
        return values

    def update(self, attempt_id: str, now: datetime, **values: Any) -> Attempt:
        values = self._columns(values)
        self.conn.execute(update(t.card_attempts)
                          .where(t.card_attempts.c.attempt_id == attempt_id)
                          .values(updated_at=now, **values))
        return self.get(attempt_id)

    def update_open(self, attempt_id: str, now: datetime,
                    **values: Any) -> tuple[Attempt, bool]:
        """Update only while the attempt is open; returns (attempt now, whether it changed)."""
        values = self._columns(values)
        done = self.conn.execute(
            update(t.card_attempts)
            .where(t.card_attempts.c.attempt_id == attempt_id,
                   t.card_attempts.c.status.in_([str(s) for s in OPEN]))
            .values(updated_at=now, **values))
        return self.get(attempt_id), done.rowcount == 1

    def open_for(self, exchange_uuid: str) -> list[Attempt]:
        return [self._attempt(r) for r in self.conn.execute(
            select(t.card_attempts).where(t.card_attempts.c.exchange_uuid == exchange_uuid,
                                          t.card_attempts.c.status.in_([str(s) for s in OPEN])))]

    def all_open(self) -> list[Attempt]:
        return [self._attempt(r) for r in self.conn.execute(
            select(t.card_attempts).where(t.card_attempts.c.status.in_([str(s) for s in OPEN]))
            .order_by(t.card_attempts.c.created_at))]

    # ---------------------------------------------------------------- refunds
    def pending_card_refunds(self) -> list[dict[str, Any]]:
        """Card refunds recorded on exchanges and not yet executed at the processor."""
        tn, pay, ex = t.exchange_tenders, t.payments, t.refund_executions
        # The card payment refunded: an earlier sale's (payments) or, for a void before
        # finalize, the payment tender on the same exchange (not yet in payments).
        paid = tn.alias("paid")
        query = (select(tn.c.tender_id, tn.c.exchange_uuid, tn.c.amount_minor,
                        tn.c.payment_id,
                        func.coalesce(pay.c.reference, paid.c.reference).label("intent_id"),
                        func.coalesce(pay.c.card_brand, paid.c.card_brand).label("brand"),
                        ex.c.attempts, ex.c.idempotency_key, ex.c.status.label("execution"))
                 .join(pay, pay.c.payment_id == tn.c.payment_id, isouter=True)
                 .join(paid, (paid.c.tender_id == tn.c.payment_id)
                       & (paid.c.kind == "payment"), isouter=True)
                 .join(ex, ex.c.tender_id == tn.c.tender_id, isouter=True)
                 .where(tn.c.kind == "refund", tn.c.method == "card",
                        tn.c.status == "pending",
                        (ex.c.status.is_(None)) | (ex.c.status == "pending"))
                 .order_by(tn.c.created_at))
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def failed_card_refunds(self) -> list[dict[str, Any]]:
        """Refunds the processor refused: a manager must settle them another way."""
        tn, ex = t.exchange_tenders, t.refund_executions
        query = (select(tn.c.tender_id, tn.c.exchange_uuid, tn.c.amount_minor,
                        ex.c.last_error)
                 .join(ex, ex.c.tender_id == tn.c.tender_id)
                 .where(ex.c.status == "failed").order_by(tn.c.created_at))
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def ensure_execution(self, tender_id: str, key: str, now: datetime) -> None:
        exists = self.conn.scalar(select(t.refund_executions.c.tender_id)
                                  .where(t.refund_executions.c.tender_id == tender_id))
        if not exists:
            self.conn.execute(insert(t.refund_executions).values(
                tender_id=tender_id, idempotency_key=key, status="pending", attempts=0,
                updated_at=now))

    def execution_done(self, tender_id: str, refund_id: str, ok: bool, message: str | None,
                       now: datetime) -> None:
        self.conn.execute(update(t.refund_executions)
                          .where(t.refund_executions.c.tender_id == tender_id)
                          .values(refund_id=refund_id or None,
                                  status="succeeded" if ok else "failed",
                                  attempts=t.refund_executions.c.attempts + 1,
                                  last_error=message, updated_at=now))
        if ok:  # the one status change a money record may take: pending -> confirmed
            self.conn.execute(update(t.exchange_tenders)
                              .where(t.exchange_tenders.c.tender_id == tender_id)
                              .values(status="confirmed", reference=refund_id))

    def execution_retry_later(self, tender_id: str, message: str, now: datetime) -> None:
        self.conn.execute(update(t.refund_executions)
                          .where(t.refund_executions.c.tender_id == tender_id)
                          .values(attempts=t.refund_executions.c.attempts + 1,
                                  last_error=message, updated_at=now))
