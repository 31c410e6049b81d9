"""The refund of a shipment that could not ship, as a hub record of its own (issue 12).

When the source marks a shipment unfulfillable, the register pulls the news and:

1. claims the refund (``claim``, ``POST /v1/shipments/{id}/refund-claim``): a conditional
   change of the locked shipment row, ``resolution`` NULL → REFUND, only while it is
   UNFULFILLABLE. From then on a manager can no longer re-source it; a shipment a manager
   re-sourced first is never refunded (the claim answers False). One row lock decides it,
   on SQLite and PostgreSQL.
2. refunds its lines and fee along the tender lineage and writes the refund record
   (topic ``shipment.refunded``, ``services/record.py ShipmentRefundRecord``) to its outbox
   in the same transaction.

``record`` stores that record at ingest, inside the batch's transaction: once per shipment
(the table's primary key): the same content again is replayed byte for byte, other content
is refused (SHIPMENT_REFUNDED). It is refused too when it overreaches (``checks.
shipment_refund_excess``): a line back more than it owes, a tender more than it has left,
measured against the hub's own settled record, not the register's copy. Each refund tender
gets its receipt number under the exchange's ID (``hub_receipts``), so the hub's order
records link return order, sale order, shipment and every receipt, refunds included.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.journal import canonical_json
from pos_exchange.domain.money import Money
from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.hub import journal, links
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import shipment_refund_excess
from pos_exchange.hub.db import writing
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.tokens import Principal
from pos_exchange.hub.wire import ExchangeAck, Links
from pos_exchange.services.record import (
    ExchangeRecord,
    ShipmentRefundMessage,
)
from pos_exchange.services.topics import REFUND_TOPIC
from pos_exchange.sqlkit.engine import AnyRow

REFUND, REFUNDED = "REFUND", "REFUNDED"   # hub_shipments.resolution
UNFULFILLABLE = str(ShipmentState.UNFULFILLABLE)


def _row(conn: Connection, shipment_id: str) -> AnyRow | None:
    return conn.execute(select(t.shipments).where(t.shipments.c.shipment_id == shipment_id)
                        .with_for_update()).first()


def claim(engine: Engine, who: Principal, shipment_id: str, now: datetime) -> dict[str, Any]:
    """The ordering store's register claims the automatic refund (see the docstring)."""
    with writing(engine) as conn:
        row = _row(conn, shipment_id)
        if row is None or row.store_id != who.store:
            raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=shipment_id)
        refund = row.state == UNFULFILLABLE and row.resolution in (None, REFUND, REFUNDED)
        if refund and row.resolution is None:
            conn.execute(update(t.shipments).where(t.shipments.c.shipment_id == shipment_id)
                         .values(resolution=REFUND, updated_at=now))
            journal.append(conn, now=now, user=f"register:{who.store}/{who.register}",
                           event="shipment.refund_claimed", store=row.store_id,
                           exchange_uuid=row.exchange_uuid,
                           payload={"shipment": shipment_id, "source": row.source_id,
                                    "reason": row.reason})
        return {"shipment_id": shipment_id, "refund": refund, "state": row.state,
                "source": row.source_id}


def _settled(conn: Connection, uuid: str) -> ExchangeRecord | None:
    text = conn.execute(select(t.records.c.document).where(
        t.records.c.exchange_uuid == uuid, t.records.c.topic == "exchange.settled")
    ).scalar_one_or_none()
    return None if text is None else ExchangeRecord.model_validate(json.loads(text))


def _left(settled: ExchangeRecord, earlier: list[dict[str, Any]]) -> dict[str, int]:
    """What each tender of the exchange's lineage can still give back for a shipment: its
    own payments (what they really paid), the credit it carried from the original tenders,
    less the shipment refunds the hub already holds against them (as the register's
    ``Exchange.refund_sources``)."""
    left: dict[str, int] = {}
    for x in settled.tenders:
        if x.kind == "payment" and x.compensates is None:
            left[x.id] = left.get(x.id, 0) + x.amount - x.rounding
    for d in settled.draws:
        if d.use == "carry":
            left[d.payment] = left.get(d.payment, 0) + d.amount
    for doc in earlier:
        for x in doc["tenders"]:
            if x.get("payment") in left:
                left[x["payment"]] -= int(x["amount"])
    return left


def record(conn: Connection, who: Principal, exchange: AnyRow, message: ShipmentRefundMessage,
           raw_document: dict[str, Any], digest: str, now: datetime) -> tuple[str, bool]:
    """Store one refund record (its exact answer, and whether it was a replay); refused
    with a sentence when it is not this shipment's one refund within what it owes."""
    doc, uuid = message.document, exchange.uuid
    row = _row(conn, doc.shipment)
    if row is None or row.exchange_uuid != uuid or row.store_id != who.store:
        raise NotFound("UNKNOWN_SHIPMENT", variant="hub", shipment=doc.shipment)
    r = t.shipment_refunds.c
    stored = conn.execute(select(r.content_sha256, r.response, r.total_minor).where(
        r.shipment_id == doc.shipment)).first()
    settled = _settled(conn, uuid)
    cur = settled.currency if settled is not None else doc.currency
    if stored is not None:
        if stored.content_sha256 == digest:
            return stored.response, True
        raise Conflict("SHIPMENT_REFUNDED", shipment=doc.shipment,
                       total=Money(int(stored.total_minor), cur))
    if row.state != UNFULFILLABLE or row.resolution not in (None, REFUND):
        raise Conflict("SHIPMENT_REFUND_STATE", shipment=doc.shipment,
                       shipment_state=row.state, source=row.source_id)
    shipment = next((s for s in settled.shipments if s.shipment == doc.shipment), None) \
        if settled is not None else None
    if settled is None or shipment is None:
        raise NotFound("UNKNOWN_SHIPMENT", shipment=doc.shipment, number=doc.number)
    if doc.currency != cur:
        raise Conflict("SHIPMENT_REFUND_EXCEEDS", variant="currency", shipment=doc.shipment,
                       currency=doc.currency, expected=cur)
    totals = {x.line: x.total for x in settled.requested if x.line is not None}
    owed = {n: totals.get(n, 0) for n in [*shipment.lines, *(
        [shipment.fee_line] if shipment.fee_line is not None else [])]}
    earlier = [json.loads(text) for text in conn.execute(
        select(r.document).where(r.exchange_uuid == uuid)).scalars()]
    refunds = [(int((x.compensates or "").rsplit(":", 1)[1]), x.payment, x.amount)
               for x in doc.tenders]
    excess = shipment_refund_excess(owed, refunds, _left(settled, earlier))
    if excess is not None:
        variant, found = excess
        raise Conflict("SHIPMENT_REFUND_EXCEEDS", variant=variant, shipment=doc.shipment,
                       **{k: Money(v, cur) if k in ("refund", "owed", "left") else v
                          for k, v in found.items()})
    receipts: dict[str, str] = {}
    for x in doc.tenders:   # each refund a receipt of the exchange (hub/links.py numbers)
        receipts[x.id] = links.next_number(conn, exchange.store_id, "RC")
        conn.execute(t.receipts.insert().values(exchange_uuid=uuid, tender_id=x.id,
                                                receipt=receipts[x.id]))
    total = sum(x.amount for x in doc.tenders)
    ack = ExchangeAck(uuid=uuid, topic=REFUND_TOPIC, status="accepted", flags=[],
                      links=Links(return_order=exchange.return_order,
                                  sale_order=exchange.sale_order, receipts=receipts))
    body = json.dumps(ack.model_dump(mode="json"), separators=(",", ":"))
    conn.execute(t.shipment_refunds.insert().values(
        shipment_id=doc.shipment, exchange_uuid=uuid, store_id=who.store,
        register_id=who.register, message_id=message.message_id, content_sha256=digest,
        total_minor=total, short_minor=doc.short, document=canonical_json(raw_document),
        response=body, received_at=now))
    conn.execute(update(t.shipments).where(t.shipments.c.shipment_id == doc.shipment)
                 .values(resolution=REFUNDED, updated_at=now))
    journal.append(conn, now=now, user=f"register:{who.store}/{who.register}",
                   event="shipment.refunded", store=exchange.store_id, exchange_uuid=uuid,
                   payload={"shipment": doc.shipment, "source": row.source_id,
                            "total": total, "short": doc.short, "currency": cur,
                            "receipts": sorted(receipts.values())})
    return body, False


def of_exchange(conn: Connection, uuid: str) -> dict[str, dict[str, Any]]:
    """The refunds the hub holds for an exchange's shipments, by shipment id."""
    r = t.shipment_refunds.c
    return {row.shipment_id: {"total_minor": int(row.total_minor),
                              "short_minor": int(row.short_minor),
                              "document": json.loads(row.document)}
            for row in conn.execute(select(r.shipment_id, r.total_minor, r.short_minor,
                                           r.document).where(r.exchange_uuid == uuid))}
