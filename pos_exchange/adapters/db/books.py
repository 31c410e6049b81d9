"""The business tables read as stored, for `audit verify --deep` (services/books.py)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, select, text, union

from pos_exchange.adapters.db import schema as t
from pos_exchange.services.books import (
    BookDraw,
    BookExchange,
    BookLine,
    BookMove,
    BookOutbox,
    Books,
    BookTender,
    StockLevel,
)

OUTBOX_PRUNED = "outbox_pruned_seq"  # sync_state: see adapters/db/outbox.py (retention)
LEDGER_FROM = "stock_ledger_from"  # sync_state: the journal head when the ledger began
CHUNK = 500                        # uuids per IN (...) list


class BooksRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _rows(self, query: Select[Any], column: Any,
              uuids: Collection[str] | None) -> Iterable[Any]:
        if uuids is None:
            yield from self.conn.execute(query)
            return
        ordered = sorted(uuids)
        for i in range(0, len(ordered), CHUNK):
            yield from self.conn.execute(query.where(column.in_(ordered[i:i + CHUNK])))

    def snapshot(self, uuids: Collection[str] | None = None) -> Books:
        ex, sales = t.exchanges, t.sales
        exchanges = {r.uuid: BookExchange(r.uuid, r.number, r.state, r.currency, r.created_by,
                                          r.order_number, r.customer_id, r.approver_id,
                                          r.gap_minor)
                     for r in self._rows(
                         select(ex.c.uuid, ex.c.number, ex.c.state, ex.c.currency,
                                ex.c.created_by, sales.c.order_number, ex.c.customer_id,
                                ex.c.approver_id, ex.c.gap_minor)
                         .outerjoin(sales, sales.c.sale_id == ex.c.original_sale_id),
                         ex.c.uuid, uuids)}
        ret, req = t.exchange_returned, t.exchange_requested
        lines = [BookLine(r.exchange_uuid, "returned", r.line_no, r.sku, r.qty,
                          _sum(r.credit_net_minor, r.credit_tax_minor),
                          r.sale_line_id, bool(r.restock), None, None)
                 for r in self._rows(select(ret), ret.c.exchange_uuid, uuids)]
        lines += [BookLine(r.exchange_uuid, "requested", r.line_no, r.sku, r.qty, None, None,
                           False, r.unit_price_minor, r.tax_rate)
                  for r in self._rows(select(req), req.c.exchange_uuid, uuids)]
        tn = t.exchange_tenders
        tenders = [BookTender(r.tender_id, r.exchange_uuid, r.kind, r.method, r.amount_minor,
                              r.rounding_minor, r.tendered_minor, r.change_minor, r.status,
                              r.payment_id, r.card_brand, r.card_last4, r.reference)
                   for r in self._rows(
                       select(tn.c.tender_id, tn.c.exchange_uuid, tn.c.kind, tn.c.method,
                              tn.c.amount_minor, tn.c.rounding_minor, tn.c.tendered_minor,
                              tn.c.change_minor, tn.c.status, tn.c.payment_id,
                              tn.c.card_brand, tn.c.card_last4, tn.c.reference)
                       .order_by(tn.c.exchange_uuid, tn.c.position), tn.c.exchange_uuid,
                       uuids)]
        dr = t.exchange_draws
        draws = [BookDraw(r.exchange_uuid, r.seq, r.payment_id, r.use, r.amount_minor)
                 for r in self._rows(select(dr).order_by(dr.c.exchange_uuid, dr.c.seq),
                                     dr.c.exchange_uuid, uuids)]
        sm = t.stock_moves
        moves = [BookMove(r.exchange_uuid, r.sku, r.qty) for r in self._rows(
            select(sm.c.exchange_uuid, sm.c.sku, sm.c.qty)
            .where(sm.c.kind == "move", sm.c.exchange_uuid.is_not(None)),
            sm.c.exchange_uuid, uuids)]
        ob = t.outbox
        outbox = [BookOutbox(r.id, r.exchange_uuid, r.topic, r.payload, r.status)
                  for r in self._rows(select(ob.c.id, ob.c.exchange_uuid, ob.c.topic,
                                             ob.c.payload, ob.c.status).order_by(ob.c.id),
                                      ob.c.exchange_uuid, uuids)]
        ledger_from = self.conn.scalar(select(t.sync_state.c.value)
                                       .where(t.sync_state.c.key == LEDGER_FROM)) or 0
        pruned = self.conn.scalar(select(t.sync_state.c.value)
                                  .where(t.sync_state.c.key == OUTBOX_PRUNED)) or 0
        return Books(exchanges, lines, tenders, draws, moves, outbox, self._stock(),
                     int(ledger_from), int(pruned))

    def _stock(self) -> list[StockLevel]:
        """Each item's level beside its ledger: the last ``set`` plus the moves after it
        (indexed lookups per item: ix_stock_moves_sku_id)."""
        rows = self.conn.execute(text(
            "SELECT s.sku, s.on_hand, "
            "(SELECT m.qty FROM stock_moves m WHERE m.sku = s.sku AND m.kind = 'set' "
            " ORDER BY m.id DESC LIMIT 1) AS base, "
            "(SELECT COALESCE(SUM(m.qty), 0) FROM stock_moves m WHERE m.sku = s.sku "
            " AND m.kind = 'move' AND m.id > COALESCE((SELECT MAX(l.id) FROM stock_moves l "
            " WHERE l.sku = s.sku AND l.kind = 'set'), 0)) AS moved "
            "FROM stock s ORDER BY s.sku"))
        return [StockLevel(r.sku, r.on_hand, None if r.base is None else _sum(r.base, r.moved))
                for r in rows]

    def recent_exchanges(self, since: datetime) -> set[str]:
        ex, tn, ob, aj = t.exchanges, t.exchange_tenders, t.outbox, t.audit_journal
        journaled = select(aj.c.exchange_uuid).where(aj.c.exchange_uuid == ex.c.uuid)
        query = union(select(ex.c.uuid).where(ex.c.created_at >= since),
                      select(tn.c.exchange_uuid).where(tn.c.created_at >= since),
                      select(ob.c.exchange_uuid).where(ob.c.created_at >= since),
                      select(ex.c.uuid).where(~journaled.exists()))
        return {uuid for (uuid,) in self.conn.execute(query)}


def _sum(*values: Any) -> Any:
    """Integers add up; a value of another type (a damaged or edited row) is shown as it
    is, for the deep check to name."""
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return sum(values)
    return " + ".join(repr(v) for v in values)
