"""What each sale line has left to return and each tender has left to refund, across every
register and store: held at lock-in, committed by the settled record, checked across records.

- ``hold_returns``: at lock-in, in the stock hold's own transaction (one reservation, one
  expiry, all lines or none): every returned line of a sale the hub knows is held, or the
  whole lock-in is refused with QTY_EXCEEDS_PURCHASED (``SaleLine.returnable_qty``: the
  same rule the counter applies), so two registers online never return the same unit.
- ``settle_record``: a settled record commits its returns and draws. What a register did
  offline, on its own copy of the sale, is checked here against everything the hub holds:
  units beyond what the line had left (``over_returned``: OVER_RETURN), money beyond what
  a tender had left (``overdrawn``: OVER_REFUND), and a line credited more than the sale
  really paid for it (``SaleLine.credit_for``: CREDIT_MISMATCH). The excess is stored
  with the row and never counted again for others, so exactly the record that went over
  is flagged, with the amounts. Nothing is dropped.
- ``void_record`` / ``release``: a voided exchange gives its units and money back; a
  cancelled or expired lock-in its held units.

Rules are the domain's (``domain/sale.py``, ``domain/ledger.py``); this module only reads
and writes rows. Lock order: the caller's own row (reservation or exchange), then the sale
rows (``sales.lock``), then the sales' version counters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, select, update

from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.ledger import new_sale_funding, over_returned, overdrawn
from pos_exchange.domain.money import format_plain
from pos_exchange.domain.sale import Draw, Funding, Sale, SaleLine
from pos_exchange.hub import sales
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.sales import COMMITTED, HELD, RELEASED, Viewer
from pos_exchange.hub.sales_model import safe_time
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord

INT32 = 2**31 - 1
OVER_RETURN = "OVER_RETURN"
OVER_REFUND = "OVER_REFUND"
CREDIT_MISMATCH = "CREDIT_MISMATCH"
VOIDED = "voided"


class ReturnExceeded(Conflict):
    """409: a returned line cannot be held; nothing was held (stock included)."""

    exposed = ("order", "line", "item", "sale", "bought", "returned", "returnable")


@dataclass(frozen=True)
class ReturnLine:
    order: str
    line: int
    qty: int


def merge(lines: Iterable[ReturnLine]) -> dict[tuple[str, int], int]:
    merged: dict[tuple[str, int], int] = defaultdict(int)
    for r in lines:
        merged[(r.order, r.line)] += r.qty
    return dict(merged)


# --- lock-in ------------------------------------------------------------------------------

def held_for(conn: Connection, exchange_uuid: str) -> dict[tuple[str, int], int]:
    return {(r.order_number, r.line_id): r.qty for r in conn.execute(
        select(t.returns.c.order_number, t.returns.c.line_id, t.returns.c.qty).where(
            t.returns.c.exchange_uuid == exchange_uuid, t.returns.c.status == HELD))}


def hold_returns(conn: Connection, who: Principal, exchange_uuid: str, reservation_id: str,
                 lines: Sequence[ReturnLine], expires_at: datetime, now: datetime
                 ) -> dict[str, Any]:
    """Hold the returned units of every line whose sale the hub knows (replacing this
    exchange's earlier hold), or refuse them all. Sales the hub does not know are named
    in ``unknown``: the register decides those on its own copy (unconfirmed)."""
    wanted = merge(lines)
    rows = sales.lock(conn, {order for order, _ in wanted} | set(_held_orders(
        conn, exchange_uuid)))
    released = release(conn, exchange_uuid, now, touch=False)
    known = {key: qty for key, qty in wanted.items() if key[0] in rows}
    loaded = sales.load(conn, [rows[o] for o in sorted({o for o, _ in known})], now,
                        Viewer(exchange_uuid=exchange_uuid))
    for (order, line_id), qty in sorted(known.items()):
        line = _line(loaded[order], line_id)
        voided = rows[order].status == sales.VOIDED
        if line is None or voided or over_returned(line, qty):
            raise ReturnExceeded(
                "QTY_EXCEEDS_PURCHASED", order=order, line=line_id,
                item=line.name if line else f"#{line_id}", sale=order,
                bought=line.qty if line else 0, returned=line.returned_qty if line else 0,
                returnable=0 if line is None or voided else max(0, line.returnable_qty))
    for (order, line_id), qty in sorted(known.items()):
        conn.execute(t.returns.insert().values(
            exchange_uuid=exchange_uuid, order_number=order, line_id=line_id, qty=qty,
            over_qty=0, credit_net_minor=None, credit_tax_minor=None, status=HELD,
            reservation_id=reservation_id, store_id=who.store, register_id=who.register,
            expires_at=expires_at, created_at=now, updated_at=now))
    sales.touch(conn, {o for o, _ in known} | released, now)
    return {"returns": [{"order": o, "line": ln, "qty": q} for (o, ln), q in sorted(known.items())],
            "unknown": sorted({o for o, _ in wanted if o not in rows})}


def _held_orders(conn: Connection, exchange_uuid: str) -> set[str]:
    return {o for o, _ in held_for(conn, exchange_uuid)}


def _line(sale: Sale, line_id: int) -> SaleLine | None:
    try:
        return sale.line(line_id)
    except NotFound:
        return None


def release(conn: Connection, exchange_uuid: str, now: datetime, *,
            touch: bool = True, later: set[str] | None = None) -> set[str]:
    """Give the exchange's held units back (cancelled, replaced or released hold): the
    rows are removed, their sales take a new version. Returns the sales touched."""
    orders = _held_orders(conn, exchange_uuid)
    if not orders:
        return set()
    if touch:
        sales.lock(conn, orders)
    conn.execute(t.returns.delete().where(t.returns.c.exchange_uuid == exchange_uuid,
                                          t.returns.c.status == HELD))
    if touch:
        new_versions(conn, orders, now, later)
    return orders


def new_versions(conn: Connection, orders: set[str], now: datetime,
                 later: set[str] | None) -> None:
    """The sales take new versions now, or, with ``later``, are added to it: a page of
    records (hub/ingest_page.py) takes them once, before its commit."""
    if later is None:
        sales.touch(conn, orders, now)
    else:
        later |= orders


def expire(conn: Connection, exchange_uuid: str, now: datetime) -> None:
    """The hold lapsed: the rows stay (the orphaned-holds report) but no longer count."""
    conn.execute(update(t.returns).where(t.returns.c.exchange_uuid == exchange_uuid,
                                         t.returns.c.status == HELD)
                 .values(status=RELEASED, updated_at=now))


# --- the settled record -------------------------------------------------------------------

class _Flags:
    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.items: list[Flag] = []

    def money(self, minor: int) -> str:
        return format_plain(minor, self.currency)

    def add(self, code: str, **params: Any) -> None:
        self.items.append(Flag(code, params))


def settle_record(conn: Connection, who: Principal, doc: ExchangeRecord,
                  now: datetime, later: set[str] | None = None,
                  holds_returns: bool = True) -> list[Flag]:
    """Commit a settled record's returns and draws against the sale it returned from, flag
    what went beyond that sale's ledger, and index the new sale it created. ``later``:
    see ``new_versions``; ``holds_returns`` False: the caller knows the exchange holds
    no returned units (nothing to release)."""
    flags = _Flags(doc.currency)
    uuid = doc.uuid.lower()
    receipt_lines = [r for r in doc.returned if r.sale_line is not None]
    row = sales.find(conn, doc.original_sale) if doc.original_sale and receipt_lines else None
    original: Sale | None = None
    touched = set()
    if row is not None:
        row = sales.lock(conn, [row.order_number])[row.order_number]
        original = sales.load(conn, [row], now, Viewer(exchange_uuid=uuid))[row.order_number]
        _commit_returns(conn, who, doc, row, original, flags, now)
        _commit_draws(conn, who, doc, row.order_number, original, flags, now)
        touched.add(row.order_number)
    elif holds_returns:
        touched |= release(conn, uuid, now, touch=False)
    if doc.requested and doc.finalized_at:
        touched |= _index_new_sale(conn, who, doc, original,
                                   row.order_number if row else None, now)
    new_versions(conn, touched, now, later)   # once, every store's counter in store order
    return flags.items


def _commit_returns(conn: Connection, who: Principal, doc: ExchangeRecord, row: Any,
                    sale: Sale, flags: _Flags, now: datetime) -> None:
    uuid, order = doc.uuid.lower(), row.order_number
    conn.execute(t.returns.delete().where(t.returns.c.exchange_uuid == uuid,
                                          t.returns.c.status.in_([HELD, RELEASED])))
    taken: dict[int, list[Any]] = defaultdict(list)
    for r in doc.returned:
        if r.sale_line is not None and not 1 <= r.sale_line <= INT32:
            flags.add(OVER_RETURN, item=r.name or r.sku, sale=order, line=r.sale_line,
                      bought=0, before=0, qty=r.qty, over=r.qty)   # no such line, ever
        elif r.sale_line is not None:
            taken[r.sale_line].append(r)
    for line_id, records in sorted(taken.items()):
        qty = sum(r.qty for r in records)
        net = sum(r.credit_net for r in records)
        tax = sum(r.credit_tax for r in records)
        line = _line(sale, line_id)
        over = qty if line is None or row.status == sales.VOIDED else over_returned(line, qty)
        if over:
            flags.add(OVER_RETURN, item=line.name if line else records[0].sku, sale=order,
                      line=line_id, bought=line.qty if line else 0,
                      before=line.returned_qty if line else 0, qty=qty, over=over)
        elif line is not None:
            if line.sku != records[0].sku or \
                    any(Decimal(r.tax_rate) != line.tax_rate for r in records):
                flags.add(CREDIT_MISMATCH, variant="line", sale=order, line=line_id,
                          item=line.name, sku=records[0].sku, rate=records[0].tax_rate,
                          sale_rate=str(line.tax_rate))
            paid_net, paid_tax = line.credit_for(qty)
            if net + tax > paid_net + paid_tax:
                flags.add(CREDIT_MISMATCH, variant="sale", item=line.name, sale=order,
                          qty=qty, credit=flags.money(net + tax),
                          paid=flags.money(paid_net + paid_tax))
        conn.execute(t.returns.insert().values(
            exchange_uuid=uuid, order_number=order, line_id=line_id, qty=qty, over_qty=over,
            credit_net_minor=net, credit_tax_minor=tax, status=COMMITTED,
            reservation_id=None, store_id=who.store, register_id=who.register,
            expires_at=None, created_at=now, updated_at=now))


def _commit_draws(conn: Connection, who: Principal, doc: ExchangeRecord, order: str,
                  sale: Sale, flags: _Flags, now: datetime) -> None:
    """Each draw on the sale's tenders, in the record's order, against what the tender
    had left: a payment funding several slices of the sale is one tender here."""
    uuid = doc.uuid.lower()
    paid: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    label: dict[str, Funding] = {}
    for f in sale.funding:
        paid[f.payment_id] += f.amount_minor
        before[f.payment_id] += f.drawn_minor
        label.setdefault(f.payment_id, f)
    drawn_now: dict[str, int] = defaultdict(int)
    excess_now: dict[str, int] = defaultdict(int)
    store_credit = f"nr-{uuid}"   # the no-receipt credit this exchange issued itself
    for seq, d in enumerate(doc.draws, 1):
        if d.payment.lower() == store_credit:
            continue
        slice_ = Funding(d.payment, d.method or "", paid[d.payment],
                         before[d.payment] + drawn_now[d.payment] - excess_now[d.payment]) \
            if d.payment in paid else None
        excess = overdrawn(slice_, d.amount)
        drawn_now[d.payment] += d.amount
        excess_now[d.payment] += excess
        conn.execute(t.draws.insert().values(
            exchange_uuid=uuid, order_number=order, seq=seq, payment_id=d.payment,
            use=d.use, amount_minor=d.amount, excess_minor=excess, status=COMMITTED,
            store_id=who.store, register_id=who.register, created_at=now))
    for payment, excess in excess_now.items():
        if excess:
            slice_label = label[payment].label if payment in label else payment
            flags.add(OVER_REFUND, tender=slice_label, sale=order,
                      paid=flags.money(paid.get(payment, 0)),
                      before=flags.money(before.get(payment, 0)),
                      drawn=flags.money(drawn_now[payment]), excess=flags.money(excess))


def _index_new_sale(conn: Connection, who: Principal, doc: ExchangeRecord,
                    original: Sale | None, original_order: str | None,
                    now: datetime) -> set[str]:
    """The exchange's new items as a sale: the lines it sold, funded by the credit it
    carried and its payments (``new_sale_funding``, as the register books it)."""
    cards = {f.payment_id: f for f in original.funding} if original else {}
    refs = {pid: ref for (_o, pid), ref in sales.references(
        conn, [original_order] if original_order else []).items()}
    draws = [Draw(d.payment, d.method or "", d.amount, d.use,
                  cards[d.payment].card_brand if d.payment in cards else None,
                  cards[d.payment].card_last4 if d.payment in cards else None)
             for d in doc.draws]
    payments = [(p.id, p.method, p.amount - p.rounding, p.brand, p.last4)
                for p in doc.tenders if p.kind == "payment" and p.compensates is None]
    refs.update({p.id: p.reference for p in doc.tenders if p.kind == "payment"})
    lines = tuple(SaleLine(n, r.sku, r.name or r.sku, r.qty, r.unit_price, r.net,
                           Decimal(r.tax_rate), r.tax) for n, r in enumerate(doc.requested, 1))
    order = doc.number   # the register books its new sale under the exchange's number
    created = sales.index_exchange(
        conn, order_number=order, store=who.store,
        sold_at=sales_time(doc.finalized_at, now), currency=doc.currency,
        customer_id=doc.customer, exchange_uuid=doc.uuid.lower(), lines=lines,
        funding=new_sale_funding(draws, payments), references=refs, now=now)
    return {order} if created else set()


def sales_time(text: str | None, now: datetime) -> datetime:
    return safe_time(text, now)


def void_record(conn: Connection, doc: ExchangeRecord, now: datetime,
                later: set[str] | None = None) -> None:
    """A voided exchange: its returns and draws no longer count, its new sale is void."""
    uuid = doc.uuid.lower()
    orders = set(conn.execute(select(t.returns.c.order_number).where(
        t.returns.c.exchange_uuid == uuid)).scalars()) | set(conn.execute(
            select(t.draws.c.order_number).where(t.draws.c.exchange_uuid == uuid)).scalars())
    new_sale = doc.number
    own = conn.execute(select(t.sales.c.order_number).where(
        t.sales.c.order_number == new_sale, t.sales.c.source_exchange_uuid == uuid)).first()
    sales.lock(conn, orders | ({new_sale} if own else set()))
    conn.execute(update(t.returns).where(t.returns.c.exchange_uuid == uuid)
                 .values(status=VOIDED, updated_at=now))
    conn.execute(update(t.draws).where(t.draws.c.exchange_uuid == uuid).values(status=VOIDED))
    if own and sales.set_status(conn, new_sale, sales.VOIDED):
        orders.add(new_sale)
    new_versions(conn, orders, now, later)
