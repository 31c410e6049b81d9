"""``GET /v1/orders/{number}``: one of the store's own orders, as the sales index knows it.

A view of ``hub/sales.py`` kept for the registers that speak it: the store's sales of any
source (fed, imported, pulled from Shopify, or an exchange's new items), found by order
number, receipt barcode or the hub's sale-order number (``SO-<store>-<n>``), each line
with ``returnable_qty`` = what the whole chain has left to return of it (the domain's
``SaleLine.returnable_qty`` over the ledger, ``hub/ledger.py``). Scoped to the token's
store: another store's order is not found (404). The chain-wide lookup a register uses
at the counter is ``GET /v1/sales/lookup`` (``sales_api.py``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from pos_exchange.domain.errors import NotFound
from pos_exchange.hub import sales
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading
from pos_exchange.hub.tokens import Principal


def lookup(engine: Engine, who: Principal, order_number: str, now: datetime) -> dict[str, Any]:
    with reading(engine) as conn:
        row = sales.find(conn, order_number)
        if row is None or row.store_id != who.store:
            raise NotFound("UNKNOWN_ORDER", order=order_number[:64], store=who.store)
        sale = sales.load(conn, [row], now)[row.order_number]
        exchange = conn.execute(select(t.exchanges.c.number, t.exchanges.c.sale_order).where(
            t.exchanges.c.uuid == row.source_exchange_uuid)).first() \
            if row.source_exchange_uuid else None
    voided = row.status == sales.VOIDED
    return {"order_number": exchange.sale_order if exchange and exchange.sale_order
            else row.order_number,
            "register_number": row.order_number if exchange else None,
            "store": row.store_id, "source": row.source,
            "exchange_uuid": row.source_exchange_uuid,
            "exchange_number": exchange.number if exchange else None,
            "status": "voided" if voided else "settled", "currency": row.currency,
            "finalized_at": sales._iso(row.sold_at),
            "lines": [{"line": ln.line_id, "sku": ln.sku, "name": ln.name, "qty": ln.qty,
                       "unit_price": ln.unit_price_minor, "net": ln.net_minor,
                       "tax": ln.tax_minor, "total": ln.gross_minor,
                       "tax_rate": str(ln.tax_rate),
                       "returnable_qty": 0 if voided else max(0, ln.returnable_qty)}
                      for ln in sale.lines]}
