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

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from pos_exchange.hub import ledger, limits, prices
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord


def at_ingest(conn: Connection, who: Principal, doc: ExchangeRecord, topic: str,
              now: datetime, *,
              price_history: Mapping[str, list[tuple[date, int]]] | None = None,
              later_versions: set[str] | None = None, holds_returns: bool = True,
              activity: Any = limits.UNREAD) -> list[Flag]:
    """What a page of records read once for all of them (hub/ingest_page.py): the
    items' ``price_history``; ``holds_returns`` False when the exchange holds no returned
    units; its ``activity`` row (None: none). ``later_versions``: the sales to take new
    versions later, once for the page."""
    flags: list[Flag] = []
    if topic == "exchange.settled":
        flags += prices.check_record(conn, doc, now, known=price_history)
        flags += ledger.settle_record(conn, who, doc, now, later_versions, holds_returns)
    elif topic == "exchange.voided":
        ledger.void_record(conn, doc, now, later_versions)
    elif topic == "exchange.cancelled":
        ledger.release(conn, doc.uuid.lower(), now, later=later_versions)
    flags += limits.at_record(conn, who, doc, topic, now, activity)
    return flags
