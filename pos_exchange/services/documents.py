"""The exchange as a plain document: for `exchange show`, the outbox, and receipts.

Amounts are integer minor units plus the currency; `format_plain` strings are
added beside them for people reading JSON.
"""

from __future__ import annotations

import json
from typing import Any

from pos_exchange.adapters.db.repositories import SaleRepository
from pos_exchange.domain.exchange import Exchange
from pos_exchange.domain.journal import JournalEntry
from pos_exchange.domain.money import format_plain


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def exchange_document(ex: Exchange, entries: list[JournalEntry],
                      sales: SaleRepository | None = None) -> dict[str, Any]:
    val = ex.valuation()
    cur = ex.currency
    new_sale_number = None
    if sales is not None and ex.new_sale_id:
        new_sale_number = sales.order_number(ex.new_sale_id)
    return {
        "uuid": ex.uuid,
        "number": ex.number,
        "store": ex.store_id,
        "register": ex.register_id,
        "state": str(ex.state),
        "kind": str(val.kind),
        "currency": cur,
        "created_by": ex.created_by,
        "created_at": _iso(ex.created_at),
        "finalized_at": _iso(ex.finalized_at),
        "customer": ex.customer_id,
        "stock_unconfirmed": ex.stock_unconfirmed,
        "original_sale": ex.original_order_number,
        "returned": [{
            "line": r.line_no, "sku": r.sku, "name": r.name, "qty": r.qty,
            "sale_line": r.sale_line_id, "condition": r.condition, "restock": r.restock,
            "credit_net": r.credit_net_minor, "credit_tax": r.credit_tax_minor,
            "credit": r.credit_minor, "tax_rate": str(r.tax_rate),
            "credit_text": format_plain(r.credit_minor, cur)} for r in ex.returned],
        "requested": [{
            "line": r.line_no, "sku": r.sku, "name": r.name, "qty": r.qty,
            "unit_price": r.unit_price_minor, "net": r.net_minor, "tax": r.tax_minor,
            "total": r.total_minor, "tax_rate": str(r.tax_rate),
            "total_text": format_plain(r.total_minor, cur)} for r in ex.requested],
        "valuation": {**val.as_dict(), **{
            f"{k}_text": format_plain(v, cur) for k, v in val.as_dict().items()
            if isinstance(v, int)}},
        "findings": [f.as_dict() for f in ex.findings],
        "approval": None if ex.approval is None else {
            "approver": ex.approval.approver_id, "reason": ex.approval.reason,
            "at": _iso(ex.approval.approved_at), "valid": ex.approval_valid},
        "tenders": [{
            "id": t.tender_id, "kind": str(t.kind), "method": t.method,
            "amount": t.amount_minor, "amount_text": format_plain(t.amount_minor, cur),
            "rounding": t.rounding_minor, "tendered": t.tendered_minor, "change": t.change_minor,
            "status": str(t.status), "payment": t.payment_id, "brand": t.card_brand,
            "last4": t.card_last4, "reference": t.reference, "compensates": t.compensates,
            "at": _iso(t.created_at)} for t in ex.tenders],
        "draws": [{"payment": d.payment_id, "method": d.method, "use": d.use,
                   "amount": d.amount_minor} for d in ex.draws],
        "links": {**ex.links, "new_sale": new_sale_number},
        "audit": [{"seq": e.seq, "ts": e.ts, "user": e.user, "event": e.event,
                   "payload": json.loads(e.payload), "hash": e.hash} for e in entries],
    }
