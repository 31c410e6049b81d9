"""The hub's own document numbers: return orders (RO), sale orders (SO), receipts (RC).

Each is ``<kind>-<store>-<n>``, gapless per store and kind. The sequence row is
incremented with a conditional UPDATE … RETURNING inside the transaction that stores the
record: the row lock (PostgreSQL) or the write lock (SQLite BEGIN IMMEDIATE) serializes
concurrent ingests, and a rollback returns the number, so no number is ever skipped.

Which record gets which number (the rules are here, in one place):
- every exchange gets one return order, on its first record of any topic; a cancelled
  exchange keeps its number as a *cancelled* return order, so the series has no holes;
- a sale order only once the exchange was settled and requested something (a voided
  record of a settled exchange shows the same one); cancelled ones get none;
- one receipt per tender id, so a void's record repeats the payment's receipt and adds
  one for each compensating refund.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select, update

from pos_exchange.hub import schema as t
from pos_exchange.hub import sequences
from pos_exchange.hub.wire import ExchangeRecord, Links
from pos_exchange.sqlkit.engine import AnyRow

if TYPE_CHECKING:
    from pos_exchange.hub.ingest_page import Exchange


def next_number(conn: Connection, store: str, kind: str) -> str:
    return f"{kind}-{store}-{sequences.take(conn, store, kind):06d}"


def is_settled(doc: ExchangeRecord, topic: str) -> bool:
    """Settled now, or voided after it was settled (finalized_at is set at settlement)."""
    return topic == "exchange.settled" or (
        topic == "exchange.voided" and doc.finalized_at is not None)


def assign(conn: Connection, exchange: Exchange | AnyRow, doc: ExchangeRecord, topic: str,
           take: Callable[[str], str] | None = None,
           known_receipts: Mapping[str, str] | None = None) -> Links:
    """Links for this record; ``exchange`` is the locked hub_exchanges row. ``take``
    gives the next number of a kind (a page's block, ``hub/ingest_page.py``; else one
    sequence update each); ``known_receipts`` the exchange's receipts when the caller
    knows them (a new exchange has none), else they are read."""
    store = exchange.store_id
    number = take or (lambda kind: next_number(conn, store, kind))
    return_order = exchange.return_order or number("RO")
    sale_order = exchange.sale_order
    if sale_order is None and doc.requested and is_settled(doc, topic):
        sale_order = number("SO")
    if (return_order, sale_order) != (exchange.return_order, exchange.sale_order):
        conn.execute(update(t.exchanges).where(t.exchanges.c.uuid == exchange.uuid)
                     .values(return_order=return_order, sale_order=sale_order))
    known = dict(known_receipts) if known_receipts is not None else dict(conn.execute(
        select(t.receipts.c.tender_id, t.receipts.c.receipt)
        .where(t.receipts.c.exchange_uuid == exchange.uuid)).all())
    receipts: dict[str, str] = {}
    new: list[dict[str, str]] = []
    for tender in doc.tenders:
        receipt = known.get(tender.id)
        if receipt is None:
            receipt = known[tender.id] = number("RC")
            new.append({"exchange_uuid": exchange.uuid, "tender_id": tender.id,
                        "receipt": receipt})
        receipts[tender.id] = receipt
    if new:
        conn.execute(t.receipts.insert(), new)
    return Links(return_order=return_order,
                 sale_order=sale_order if is_settled(doc, topic) else None,
                 receipts=receipts)
