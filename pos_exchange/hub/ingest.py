"""Receiving one exchange record: idempotent by (uuid, topic), re-checked, numbered.

Content identity is the SHA-256 of the document's canonical JSON (sorted keys, no spaces,
the same ``canonical_json`` as the register's journal) *without* ``journal_head``: that
field is where the register's whole journal stood when the record was written, not a
fact of this exchange (it is anchored separately, via /v1/anchors). ``audit`` stays in:
it is the exchange's own journal entries with their hashes, and a different history
under the same uuid and topic is exactly what a person must look at (409).

What a register may not do with its records (each a 409; a lifecycle conflict is also
filed against the record the hub kept, so a person sees it):
- give a number to two exchanges: a store's exchange numbers are unique
  (NUMBER_TAKEN), and an exchange keeps its number across topics;
- contradict an exchange's lifecycle: a cancelled exchange moved no money, so it has no
  settled or voided record, and a cancellation never follows one (LIFECYCLE_ORDER). A
  settled record may arrive after its voided one (the outbox retried it later) only if the
  voided record says the exchange was settled first.
A record whose journal entries differ from the register's chain the hub holds
(hub/anchors.py) is accepted and flagged JOURNAL_MISMATCH.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError

from pos_exchange.domain.errors import NotFound, PosError
from pos_exchange.domain.journal import canonical_json
from pos_exchange.hub import links, shipment_refunds, shipments, truth
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import Flag, check_document, flag_codes
from pos_exchange.hub.db import writing
from pos_exchange.hub.errors import Conflict, Forbidden
from pos_exchange.hub.ingest_page import Exchange, Held, Page
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.tokens import Principal
from pos_exchange.hub.wire import ExchangeAck, ExchangeMessage, ExchangeRecord
from pos_exchange.services.record import ShipmentRefundMessage

IDENTITY_EXCLUDES = frozenset({"journal_head"})
SETTLED, CANCELLED, VOIDED = "exchange.settled", "exchange.cancelled", "exchange.voided"
JOURNAL_MISMATCH = "JOURNAL_MISMATCH"
AnyMessage = ExchangeMessage | ShipmentRefundMessage


class LifecycleConflict(Conflict):
    exposed = ("held",)


def content_digest(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k not in IDENTITY_EXCLUDES}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    body: str           # the exact 200 body; a replay returns the stored one
    status: str         # accepted | flagged
    flags: list[str]
    replayed: bool


def ingest(engine: Engine, who: Principal, message: AnyMessage,
           raw_document: dict[str, Any], now: datetime) -> Outcome:
    """One record in its own transaction (``POST /v1/exchanges``): its outcome, or the
    refusal raised."""
    result = ingest_many(engine, who, [(message, raw_document)], now)[0]
    if isinstance(result, PosError):
        raise result
    return result


def ingest_many(engine: Engine, who: Principal,
                messages: Sequence[tuple[AnyMessage, dict[str, Any]]],
                now: datetime) -> list[Outcome | PosError]:
    """Records in ONE transaction (``POST /v1/exchanges/batch``), in the order sent, each
    in its own savepoint: a refused record is rolled back alone (its refusal filed for a
    person, as for a single record) and the others are kept. The answer has one result per
    record, in order. A database failure rolls back the whole batch: the register sends it
    again, and what was already held is replayed (idempotent per record)."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        results: list[Outcome | PosError] = []
        events: list[tuple[str, dict[str, Any]]] = []
        try:
            with writing(engine) as conn:
                page = Page(conn, who, [m.document for m, _raw in messages
                                        if isinstance(m, ExchangeMessage) and
                                        (m.document.store, m.document.register_id) ==
                                        (who.store, who.register)])
                for message, raw in messages:
                    results.append(_ingest_one(conn, page, who, message, raw, now, events))
                page.flush(now)
            break
        except DBAPIError as exc:
            # Records of one batch lock rows in record order (a sale's ledger, a
            # customer's day, the store's numbers); two batches can meet the same rows in
            # opposite orders, and PostgreSQL then rolls one of them back. Nothing of it
            # was kept: run it again, a few times.
            if attempt == DEADLOCK_ATTEMPTS or not _retryable(exc):
                raise
            log_event("exchange.batch_retried", 30, store=who.store, register=who.register,
                      status=str(getattr(exc.orig, "sqlstate", "")), attempt=attempt)
            time.sleep(random.uniform(0.005, 0.05) * attempt)
    for event, fields in events:  # after the commit: nothing is logged that was undone
        log_event(event, store=who.store, register=who.register, **fields)
    return results


DEADLOCK_ATTEMPTS = 5
RETRYABLE = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure


def _retryable(exc: DBAPIError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE


def _ingest_one(conn: Connection, page: Page, who: Principal, message: AnyMessage,
                raw_document: dict[str, Any], now: datetime,
                events: list[tuple[str, dict[str, Any]]]) -> Outcome | PosError:
    if isinstance(message, ShipmentRefundMessage):
        page.flush(now)   # it numbers its receipts itself
        return _ingest_refund(conn, who, message, raw_document, now, events)
    doc = message.document
    if (doc.store, doc.register_id) != (who.store, who.register):
        return Forbidden("WRONG_REGISTER", store=who.store, register=who.register,
                         their_store=doc.store, their_register=doc.register_id)
    uuid, topic = doc.uuid.lower(), message.topic
    digest = content_digest(raw_document)
    mark = page.numbers.mark()
    try:
        with conn.begin_nested():  # a refusal raised in here undoes this record only
            exchange, new = _own(conn, page, who, uuid, doc.number, now, doc, topic)
            held = list(page.records(uuid))
            stored = next((r for r in held if r.topic == topic), None)
            if stored is not None and stored.content_sha256 == digest:
                events.append(("exchange.replayed",
                               {"uuid": uuid, "topic": topic, "status": stored.status}))
                return _replay(stored)
            refusal = None if stored is not None else _out_of_order(topic, doc, held)
            outcome = None if stored is not None or refusal is not None else \
                _record(conn, page, who, exchange, new, message, raw_document, digest, now)
    except PosError as exc:
        page.numbers.restore(mark)
        page.forget(uuid, doc.number)
        return exc
    if outcome is not None:
        events.append(("exchange.ingested", {"uuid": uuid, "topic": topic,
                                             "status": outcome.status,
                                             "flags": outcome.flags}))
        return outcome
    page.flush(now)   # the conflict is filed against a record row the page may hold back
    if refusal is not None:
        _file_conflict(conn, who, held[-1].id, uuid, held[-1].topic, doc.number,
                       message.message_id, digest, now, code="LIFECYCLE_CONFLICT",
                       detail={"topic": topic, "held": refusal.params["held"]})
        events.append(("exchange.conflict", {"uuid": uuid, "topic": topic,
                                             "status": refusal.code}))
        return refusal
    assert stored is not None
    # Other content under a uuid and topic the hub already holds. The register will
    # dead-letter the record; a person must see it here too.
    _file_conflict(conn, who, stored.id, uuid, topic, doc.number, message.message_id,
                   digest, now)
    events.append(("exchange.conflict", {"uuid": uuid, "topic": topic,
                                         "status": "conflict"}))
    return Conflict("CONTENT_CHANGED", uuid=uuid, topic=topic)


def _ingest_refund(conn: Connection, who: Principal, message: ShipmentRefundMessage,
                   raw_document: dict[str, Any], now: datetime,
                   events: list[tuple[str, dict[str, Any]]]) -> Outcome | PosError:
    """A shipment's refund (hub/shipment_refunds.py): of an exchange the hub holds, by
    the register that owns it; once per shipment."""
    doc = message.document
    if (doc.store, doc.register_id) != (who.store, who.register):
        return Forbidden("WRONG_REGISTER", store=who.store, register=who.register,
                         their_store=doc.store, their_register=doc.register_id)
    uuid = doc.uuid.lower()
    try:
        with conn.begin_nested():  # a refusal raised in here undoes this record only
            exchange = conn.execute(select(t.exchanges).where(t.exchanges.c.uuid == uuid)
                                    .with_for_update()).first()
            if exchange is None or (exchange.store_id, exchange.register_id) != \
                    (who.store, who.register) or exchange.number != doc.number:
                raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=doc.shipment)
            body, replayed = shipment_refunds.record(conn, who, exchange, message,
                                                     raw_document,
                                                     content_digest(raw_document), now)
    except PosError as exc:
        events.append(("shipment.refund_refused", {"uuid": uuid, "shipment": doc.shipment,
                                                   "status": exc.code}))
        return exc
    events.append(("exchange.replayed" if replayed else "exchange.ingested",
                   {"uuid": uuid, "topic": message.topic, "status": "accepted"}))
    return Outcome(body, "accepted", [], replayed=replayed)


def _record(conn: Connection, page: Page, who: Principal, exchange: Exchange, new: bool,
            message: ExchangeMessage, raw_document: dict[str, Any], digest: str,
            now: datetime) -> Outcome:
    """A new (uuid, topic): checked, numbered, stored with its exact answer."""
    doc, topic, uuid = message.document, message.topic, exchange.uuid
    findings = check_document(doc, topic)
    versions: set[str] = set()   # the page takes them once, if this record is kept
    findings += truth.at_ingest(conn, who, doc, topic, now,  # against the hub's own records
                                price_history=page.prices, later_versions=versions,
                                holds_returns=uuid in page.holding,
                                activity=page.activity_row(uuid))
    findings += shipments.at_ingest(conn, who, doc, topic, now)  # release paid shipments
    flags = flag_codes(findings)
    mismatch = _journal_mismatch(page.journal, doc)
    if mismatch is not None:
        findings.append(mismatch)
        flags.append(JOURNAL_MISMATCH)
    status = "flagged" if flags else "accepted"
    linked = links.assign(conn, exchange, doc, topic, take=page.numbers.take,
                          known_receipts={} if new else None)
    page.linked(uuid, linked.return_order, exchange.sale_order or linked.sale_order)
    ack = ExchangeAck(uuid=uuid, topic=topic, status=status, flags=flags, links=linked)
    body = json.dumps(ack.model_dump(mode="json"), separators=(",", ":"))
    head = doc.journal_head
    assert head is not None  # ExchangeMessage requires it on the wire
    document = canonical_json(raw_document)
    record_id = conn.execute(t.records.insert().values(
        exchange_uuid=uuid, topic=topic, message_id=message.message_id,
        store_id=who.store, register_id=who.register, content_sha256=digest,
        document=document, response=body, status=status,
        journal_seq=head.seq, journal_hash=head.hash,
        received_at=now)).inserted_primary_key[0]  # type: ignore[index]  # always one row
    page.stored(uuid, Held(record_id, topic, document, digest, body, status))
    page.later_versions |= versions
    if flags:   # written with the page's others, before its commit (Page.flush)
        page.pending_reconciliation.append(dict(
            record_id=record_id, exchange_uuid=uuid, topic=topic, store_id=who.store,
            register_id=who.register, number=doc.number, flags=json.dumps(flags),
            details=json.dumps([f.as_dict() for f in findings]), created_at=now,
            resolved_at=None, resolved_by=None, note=None))
    return Outcome(body, status, flags, replayed=False)


def _out_of_order(topic: str, doc: ExchangeRecord, held: Sequence[Any]
                  ) -> LifecycleConflict | None:
    """A record that contradicts the topics the hub holds for its exchange."""
    topics = [r.topic for r in held]
    if not topics:
        return None
    if topic == CANCELLED or CANCELLED in topics:
        return LifecycleConflict("LIFECYCLE_ORDER", topic=topic, held=topics[-1])
    if topic == SETTLED and VOIDED in topics:
        voided = json.loads(next(r.document for r in held if r.topic == VOIDED))
        if not voided.get("finalized_at"):
            return LifecycleConflict("LIFECYCLE_ORDER", topic=topic, held=VOIDED)
    return None


def _journal_mismatch(journal: dict[int, str], doc: ExchangeRecord) -> Flag | None:
    """The record's own journal entries against the register's chain the hub holds
    (``journal``: its hashes for the page's entries, ``Page.journal``)."""
    carried = {e.seq: e.hash for e in doc.audit}
    if doc.journal_head is not None and doc.journal_head.seq:
        carried.setdefault(doc.journal_head.seq, doc.journal_head.hash)
    for seq in sorted(set(carried) & set(journal)):
        if journal[seq] != carried[seq]:
            return Flag(JOURNAL_MISMATCH, {"seq": seq})
    return None


def _own(conn: Connection, page: Page, who: Principal, uuid: str, number: str,
         now: datetime, doc: ExchangeRecord, topic: str) -> tuple[Exchange, bool]:
    """The exchange's row, locked until commit (FOR UPDATE on PostgreSQL, by the page;
    SQLite already holds the write lock): concurrent records of one exchange are taken
    one at a time. A number already given to another exchange of the store is refused;
    so is a new number for a known exchange. True with a row this record created: it
    carries its return order (and sale order) already."""
    row, new = page.exchange(uuid), False
    if row is None:
        owner = page.number_owner(number)
        if owner is not None and owner != uuid:
            raise Conflict("NUMBER_TAKEN", number=number, store=who.store)
        mark = page.numbers.mark()
        return_order = page.numbers.take("RO")
        sale_order = page.numbers.take("SO") \
            if doc.requested and links.is_settled(doc, topic) else None
        # ON CONFLICT DO NOTHING: a concurrent first record of this uuid, or of another
        # uuid with this number, committed first.
        dialect = {"sqlite": sqlite, "postgresql": postgresql}[conn.dialect.name]
        # (RETURNING, not rowcount: psycopg reports -1 for this statement.)
        inserted = conn.execute(dialect.insert(t.exchanges).values(
            uuid=uuid, store_id=who.store, register_id=who.register, number=number,
            return_order=return_order, sale_order=sale_order, first_seen_at=now)
            .on_conflict_do_nothing().returning(t.exchanges.c.uuid)).first()
        if inserted is not None:
            row, new = Exchange(uuid, who.store, who.register, number, return_order,
                                sale_order), True
            page.created(row)
        else:
            page.numbers.restore(mark)   # not used: no gap
            page.forget(uuid, number)
            row = page.exchange(uuid)
            if row is None:  # the number was taken meanwhile
                raise Conflict("NUMBER_TAKEN", number=number, store=who.store)
    if (row.store_id, row.register_id) != (who.store, who.register):
        raise Conflict("UUID_TAKEN", uuid=uuid)
    if row.number != number:
        raise Conflict("NUMBER_TAKEN", variant="changed", uuid=uuid, number=row.number,
                       sent=number)
    return row, new


def _file_conflict(conn: Connection, who: Principal, record_id: int, uuid: str, topic: str,
                   number: str, message_id: str, digest: str, now: datetime,
                   code: str = "CONTENT_CONFLICT",
                   detail: dict[str, Any] | None = None) -> None:
    """Put the refused version on the reconciliation list, against the record the hub
    kept: ``code`` (CONTENT_CONFLICT, LIFECYCLE_CONFLICT) is added to (and reopens) that
    record's entry (in the batch's transaction, after the refused record's savepoint was
    let go: nothing of the refused version is kept but this)."""
    shown = Flag(code, {"message_id": message_id, "digest": digest[:12], **(detail or {})}
                 ).as_dict()
    rec = t.reconciliation
    row = conn.execute(select(rec.c.id, rec.c.flags, rec.c.details)
                       .where(rec.c.record_id == record_id)).first()
    if row is None:
        conn.execute(rec.insert().values(
            record_id=record_id, exchange_uuid=uuid, topic=topic, store_id=who.store,
            register_id=who.register, number=number, flags=json.dumps([code]),
            details=json.dumps([shown]), created_at=now))
        return
    flags = json.loads(row.flags)
    if code not in flags:
        flags.append(code)
    conn.execute(rec.update().where(rec.c.id == row.id).values(
        flags=json.dumps(flags), details=json.dumps([*json.loads(row.details), shown]),
        resolved_at=None, resolved_by=None))


def _replay(stored: Held) -> Outcome:
    ack = json.loads(stored.response)
    return Outcome(stored.response, stored.status, ack["flags"], replayed=True)
