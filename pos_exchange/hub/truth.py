"""The hub as the one truth of the chain, applied to every record it receives.

Called by ``ingest`` inside the record's own transaction, after the record's arithmetic was
re-checked (``checks.py``): the record is held against what the hub itself knows, and what
does not agree is flagged, never dropped (DESIGN §1, "One truth across registers and
stores"):
- its prices and credits against the price history and its own audit entries
  (``prices.py``: PRICE_MISMATCH, CREDIT_MISMATCH);
- its returns and refunds against the sale's ledger across every register and store
  (``ledger.py``: OVER_RETURN, OVER_REFUND, CREDIT_MISMATCH), which it then commits, and
  the new sale it created, indexed with its lineage;
- its customer's and CSR's day against the chain-wide limits (``limits.py``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from pos_exchange.hub import ledger, limits, prices
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord


def at_ingest(conn: Connection, who: Principal, doc: ExchangeRecord, topic: str,
              now: datetime) -> list[Flag]:
    flags: list[Flag] = []
    if topic == "exchange.settled":
        flags += prices.check_record(conn, doc, now)
        flags += ledger.settle_record(conn, who, doc, now)
    elif topic == "exchange.voided":
        ledger.void_record(conn, doc, now)
    elif topic == "exchange.cancelled":
        ledger.release(conn, doc.uuid.lower(), now)
    flags += limits.at_record(conn, who, doc, topic, now)
    return flags
