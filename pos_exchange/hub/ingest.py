"""Receiving one exchange record: idempotent by (uuid, topic), re-checked, numbered.

Content identity is the SHA-256 of the document's canonical JSON (sorted keys, no spaces,
the same ``canonical_json`` as the register's journal) *without* ``journal_head``: that
field is where the register's whole journal stood when the record was written, not a
fact of this exchange (it is anchored separately, via /v1/anchors). ``audit`` stays in:
it is the exchange's own journal entries with their hashes, and a different history
under the same uuid and topic is exactly what a person must look at (409).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from pos_exchange.domain.journal import canonical_json
from pos_exchange.hub import links, truth
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import Flag, check_document, flag_codes
from pos_exchange.hub.db import insert_if_absent, writing
from pos_exchange.hub.errors import Conflict, Forbidden
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.tokens import Principal
from pos_exchange.hub.wire import ExchangeAck, ExchangeMessage
from pos_exchange.sqlkit.engine import AnyRow

IDENTITY_EXCLUDES = frozenset({"journal_head"})


def content_digest(document: dict[str, Any]) -> str:
    body = {k: v for k, v in document.items() if k not in IDENTITY_EXCLUDES}
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    body: str           # the exact 200 body; a replay returns the stored one
    status: str         # accepted | flagged
    flags: list[str]
    replayed: bool


def ingest(engine: Engine, who: Principal, message: ExchangeMessage,
           raw_document: dict[str, Any], now: datetime) -> Outcome:
    doc = message.document
    if (doc.store, doc.register_id) != (who.store, who.register):
        raise Forbidden("WRONG_REGISTER", store=who.store, register=who.register,
                        their_store=doc.store, their_register=doc.register_id)
    uuid, topic = doc.uuid.lower(), message.topic
    digest = content_digest(raw_document)
    with writing(engine) as conn:
        exchange = _own(conn, who, uuid, doc.number, now)
        stored = conn.execute(select(t.records.c.id, t.records.c.content_sha256,
                                     t.records.c.response, t.records.c.status)
                              .where(t.records.c.exchange_uuid == uuid,
                                     t.records.c.topic == topic)).first()
        if stored is not None and stored.content_sha256 == digest:
            return _replay(who, uuid, topic, stored)
        outcome = None if stored is not None else \
            _record(conn, who, exchange, message, raw_document, digest, now)
    if outcome is not None:  # committed
        log_event("exchange.ingested", store=who.store, register=who.register, uuid=uuid,
                  topic=topic, status=outcome.status, flags=outcome.flags)
        return outcome
    assert stored is not None
    # Other content under a uuid and topic the hub already holds. The register will
    # dead-letter the record; a person must see it here too (after this transaction).
    _file_conflict(engine, who, stored.id, uuid, topic, doc.number, message.message_id,
                   digest, now)
    log_event("exchange.conflict", store=who.store, register=who.register, uuid=uuid,
              topic=topic, status="conflict")
    raise Conflict("CONTENT_CHANGED", uuid=uuid, topic=topic)


def _record(conn: Connection, who: Principal, exchange: AnyRow, message: ExchangeMessage,
            raw_document: dict[str, Any], digest: str, now: datetime) -> Outcome:
    """A new (uuid, topic): checked, numbered, stored with its exact answer."""
    doc, topic, uuid = message.document, message.topic, exchange.uuid
    findings = check_document(doc, topic)
    findings += truth.at_ingest(conn, who, doc, topic, now)  # against the hub's own records
    flags = flag_codes(findings)
    status = "flagged" if flags else "accepted"
    ack = ExchangeAck(uuid=uuid, topic=topic, status=status, flags=flags,
                      links=links.assign(conn, exchange, doc, topic))
    body = json.dumps(ack.model_dump(mode="json"), separators=(",", ":"))
    head = doc.journal_head
    assert head is not None  # ExchangeMessage requires it on the wire
    record_id = conn.execute(t.records.insert().values(
        exchange_uuid=uuid, topic=topic, message_id=message.message_id,
        store_id=who.store, register_id=who.register, content_sha256=digest,
        document=canonical_json(raw_document), response=body, status=status,
        journal_seq=head.seq, journal_hash=head.hash,
        received_at=now)).inserted_primary_key[0]  # type: ignore[index]  # always one row
    if flags:
        conn.execute(t.reconciliation.insert().values(
            record_id=record_id, exchange_uuid=uuid, topic=topic, store_id=who.store,
            register_id=who.register, number=doc.number, flags=json.dumps(flags),
            details=json.dumps([f.as_dict() for f in findings]), created_at=now))
    return Outcome(body, status, flags, replayed=False)


def _own(conn: Connection, who: Principal, uuid: str, number: str, now: datetime) -> AnyRow:
    """The exchange's row, locked until commit (FOR UPDATE on PostgreSQL; SQLite already
    holds the write lock): concurrent records of one exchange are taken one at a time."""
    query = select(t.exchanges).where(t.exchanges.c.uuid == uuid).with_for_update()
    row = conn.execute(query).first()
    if row is None:
        insert_if_absent(conn, t.exchanges, uuid=uuid, store_id=who.store,
                         register_id=who.register, number=number, first_seen_at=now)
        row = conn.execute(query).one()
    if (row.store_id, row.register_id) != (who.store, who.register):
        raise Conflict("UUID_TAKEN", uuid=uuid)
    return row


def _file_conflict(engine: Engine, who: Principal, record_id: int, uuid: str, topic: str,
                   number: str, message_id: str, digest: str, now: datetime) -> None:
    """Put the refused second version on the reconciliation list, against the record the
    hub kept: CONTENT_CONFLICT is added to (and reopens) that record's entry."""
    detail = Flag("CONTENT_CONFLICT", {"message_id": message_id,
                                       "digest": digest[:12]}).as_dict()
    rec = t.reconciliation
    with writing(engine) as conn:
        row = conn.execute(select(rec.c.id, rec.c.flags, rec.c.details)
                           .where(rec.c.record_id == record_id)).first()
        if row is None:
            conn.execute(rec.insert().values(
                record_id=record_id, exchange_uuid=uuid, topic=topic, store_id=who.store,
                register_id=who.register, number=number, flags=json.dumps(["CONTENT_CONFLICT"]),
                details=json.dumps([detail]), created_at=now))
            return
        flags = json.loads(row.flags)
        if "CONTENT_CONFLICT" not in flags:
            flags.append("CONTENT_CONFLICT")
        conn.execute(rec.update().where(rec.c.id == row.id).values(
            flags=json.dumps(flags), details=json.dumps([*json.loads(row.details), detail]),
            resolved_at=None, resolved_by=None))


def _replay(who: Principal, uuid: str, topic: str, stored: AnyRow) -> Outcome:
    log_event("exchange.replayed", store=who.store, register=who.register, uuid=uuid,
              topic=topic, status=stored.status)
    ack = json.loads(stored.response)
    return Outcome(stored.response, stored.status, ack["flags"], replayed=True)
