"""The hub's side of the back office's figures: one fact per exchange, projected from
the records it received, read back in one query per report.

``catch_up`` turns every record received since the last call into its exchange's fact
(``metrics.fact_from_record``, the definition the register's own query follows), keeping
the latest word on each exchange: a void over its settlement, a settlement over a
cancellation. It runs at the start of each report; the high-water mark is the
hub_sequences row ("*", "RF"), taken with a row lock, so two hub workers never project
the same record at once. Records are never
changed by it: the facts are a cache that can be rebuilt (``rebuild``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, String, delete, func, select, type_coerce, update

from pos_exchange.hub import schema as t
from pos_exchange.hub.db import insert_if_absent, reading, writing
from pos_exchange.services.metrics import ExchangeFact, Period, classify, fact_from_record
from pos_exchange.services.record import ExchangeRecord

MARK = ("*", "RF")
PRECEDENCE = {"exchange.cancelled": 0, "exchange.settled": 1, "exchange.voided": 2}
BATCH = 500


def _mark(conn: Connection) -> int:
    s = t.sequences.c
    insert_if_absent(conn, t.sequences, store_id=MARK[0], kind=MARK[1], value=0)
    return int(conn.execute(select(s.value).where(s.store_id == MARK[0], s.kind == MARK[1])
                            .with_for_update()).scalar_one())


def _cards(record: ExchangeRecord) -> str:
    """" visa:4242 mastercard:5555 ": brand and last four of every card tender."""
    found = sorted({f"{x.brand}:{x.last4}" for x in record.tenders if x.brand and x.last4})
    return f" {' '.join(found)} " if found else ""


def _row(record_id: int, topic: str, record: ExchangeRecord, fact: ExchangeFact
         ) -> dict[str, Any]:
    return {"uuid": fact.uuid, "record_id": record_id, "topic": topic,
            "store_id": fact.store, "register_id": fact.register, "number": fact.number,
            "csr": fact.csr, "customer": fact.customer, "currency": fact.currency,
            "outcome": fact.outcome, "kind": fact.kind, "day": fact.day.isoformat(),
            "started_at": fact.started_at, "finalized_at": fact.finalized_at,
            "gap_minor": fact.gap_minor, "returned_credit_minor": fact.returned_credit_minor,
            "paid_minor": fact.paid_minor, "reached_payment": fact.reached_payment,
            "payment_started": fact.payment_started, "uncertain_card": fact.uncertain_card,
            "card_declines": fact.card_declines, "approved": fact.approved,
            "flagged": fact.flagged, "handed_out": json.dumps([list(x) for x in
                                                               fact.handed_out]),
            "cards": _cards(record), **classified_columns(fact)}


def classified_columns(fact: ExchangeFact) -> dict[str, Any]:
    """The fact's ``c_*`` columns: what it contributes to the figures (metrics.classify)."""
    c = classify(fact)
    return {"c_duration_s": c.duration_s, "c_eligible": c.eligible,
            "c_not_covered": c.not_covered, "c_kept": c.kept,
            "c_incremental_minor": c.incremental_minor, "c_refund_minor": c.refund_minor,
            "c_credit_minor": c.credit_minor, "c_stock_counts": c.stock_counts,
            "c_listed": c.listed}


def catch_up(engine: Engine, batch: int = BATCH) -> int:
    """Project every record received since the last call; returns how many."""
    done = 0
    while True:
        with writing(engine) as conn:
            mark = _mark(conn)
            r = t.records.c
            rows = conn.execute(select(r.id, r.topic, r.document, r.status, r.exchange_uuid)
                                .where(r.id > mark).order_by(r.id).limit(batch)).all()
            if not rows:
                return done
            for row in rows:
                _project(conn, row.id, row.topic, row.document, row.status == "flagged")
            conn.execute(update(t.sequences).where(t.sequences.c.store_id == MARK[0],
                                                   t.sequences.c.kind == MARK[1])
                         .values(value=rows[-1].id))
            done += len(rows)


def _project(conn: Connection, record_id: int, topic: str, document: str,
             flagged: bool) -> None:
    record = ExchangeRecord.model_validate(json.loads(document))
    f = t.exchange_facts.c
    held = conn.execute(select(f.topic, f.flagged).where(f.uuid == record.uuid.lower())
                        ).first()
    flagged = flagged or bool(held and held.flagged) or bool(conn.scalar(
        select(func.count()).select_from(t.reconciliation)
        .where(t.reconciliation.c.exchange_uuid == record.uuid.lower())))
    if held is not None and PRECEDENCE[held.topic] > PRECEDENCE[topic]:
        if flagged and not held.flagged:
            conn.execute(update(t.exchange_facts).where(f.uuid == record.uuid.lower())
                         .values(flagged=True))
        return
    fact = fact_from_record(record, flagged=flagged)
    if fact is None:
        return
    values = _row(record_id, topic, record, fact)
    if held is None:
        conn.execute(t.exchange_facts.insert().values(**values))
    else:
        conn.execute(update(t.exchange_facts).where(f.uuid == fact.uuid).values(**values))


def rebuild(engine: Engine) -> int:
    """Drop the cache and project every record again (after a change of definition)."""
    with writing(engine) as conn:
        conn.execute(delete(t.exchange_facts))
        _mark(conn)
        conn.execute(update(t.sequences).where(t.sequences.c.store_id == MARK[0],
                                               t.sequences.c.kind == MARK[1]).values(value=0))
    return catch_up(engine)


def _moment(text: str | None) -> datetime | None:
    """UTCDateTime's text ("…Z") read with the C parser (strptime is 100× slower: a report
    reads a row per exchange of the period)."""
    return datetime.fromisoformat(text) if text else None


def fact_of(row: Any) -> ExchangeFact:
    """A fact from a row of FACT_COLUMNS (in that order)."""
    return ExchangeFact(
        row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7],
        date.fromisoformat(row[8]), _moment(row[9]), _moment(row[10]), row[11], row[12],
        row[13], bool(row[14]), bool(row[15]), bool(row[16]), row[17], bool(row[18]),
        row[19], () if row[20] == "[]" else tuple((sku, int(qty))
                                                  for sku, qty in json.loads(row[20])),
        bool(row[21]))


_f = t.exchange_facts.c
# In ExchangeFact's field order; times as their stored text (parsed by _moment).
FACT_COLUMNS = [_f.uuid, _f.number, _f.store_id, _f.register_id, _f.csr, _f.currency,
                _f.outcome, _f.kind, _f.day, type_coerce(_f.started_at, String),
                type_coerce(_f.finalized_at, String), _f.gap_minor, _f.returned_credit_minor,
                _f.paid_minor, _f.reached_payment, _f.payment_started, _f.uncertain_card,
                _f.card_declines, _f.approved, _f.customer, _f.handed_out, _f.flagged]


def facts(engine: Engine, period: Period, stores: Iterable[str] | None = None
          ) -> list[ExchangeFact]:
    """The facts of the period (of these stores, or all): one query."""
    query = select(*FACT_COLUMNS).where(_f.day >= period.start.isoformat(),
                                        _f.day <= period.end.isoformat())
    if stores is not None:
        query = query.where(_f.store_id.in_(sorted(set(stores))))
    with reading(engine) as conn:
        rows = conn.execute(query).all()    # one fetchall, not a fetch per row
    return [fact_of(row) for row in rows]
