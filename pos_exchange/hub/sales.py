"""The sales index: every sale of the chain that can come back, in one place.

Sales arrive from the feed (``feed``: the tills and web shop over ``POST /v1/sales``, the
``sales import`` command, the Shopify pull) and from exchange records (``index_exchange``:
the new items an exchange sold, funded by the credit it carried plus its payments, so a
chain of exchanges keeps its lineage and per-tender caps across stores). They are keyed by
order number; a receipt barcode and an exchange's hub sale-order number (``SO-…``) find
them too.

What a sale has left is read from the ledger (``hub_returns``, ``hub_draws``, written by
``hub/ledger.py``) into the domain's own ``Sale``: a line's ``returned_qty`` and a tender's
``drawn_minor`` are what *other* exchanges took, so ``SaleLine.returnable_qty``,
``SaleLine.credit_for`` and ``draw_credit`` answer for the hub exactly as they do at the
counter. A register asking sees what the rest of the chain took (its own exchanges it
counts itself); a held return counts until its hold ends.

Every change to a sale or to what was returned of it takes a new version from its store's
counter (kind ``SL``), so a register pulls its store's sales as deltas, like the
catalogue. Reads load a page of sales in a fixed number of queries (no N+1).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pos_exchange.domain.sale import Funding, Sale, SaleLine
from pos_exchange.hub import schema as t
from pos_exchange.hub import sequences
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.sales_model import SaleIn

SALES_KIND = "SL"
OPEN, VOIDED = "open", "voided"
HELD, COMMITTED, RELEASED = "held", "committed", "released"
EXCHANGE_SOURCE = "exchange"
ISO = "%Y-%m-%dT%H:%M:%S.%fZ"


@dataclass(frozen=True)
class Viewer:
    """Whose view of a sale: the ledger rows of this exchange, or of this register, are
    left out (they are the asker's own and it counts them itself)."""

    exchange_uuid: str | None = None
    store: str | None = None
    register: str | None = None

    def excludes(self, row: Any) -> bool:
        if self.exchange_uuid is not None and row.exchange_uuid == self.exchange_uuid:
            return True
        return self.register is not None and (row.store_id, row.register_id) == (
            self.store, self.register)


EVERYONE = Viewer()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).strftime(ISO) if value is not None else None


def digits(text: str | None) -> str | None:
    found = "".join(ch for ch in text or "" if ch.isdigit())
    return found or None


# --- writing ------------------------------------------------------------------------------

def _insert_new(conn: Connection, table: Any, values: Mapping[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call inserted the row."""
    dialect = {"sqlite": sqlite, "postgresql": postgresql}[conn.dialect.name]
    result = conn.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())
    return bool(result.rowcount)


def lock(conn: Connection, order_numbers: Iterable[str]) -> dict[str, Row]:
    """The sales' rows, locked until commit in order-number order (FOR UPDATE on
    PostgreSQL; SQLite holds the write lock): every path that changes what a sale has left
    takes its rows this way, after its own reservation or exchange row."""
    wanted = sorted(set(order_numbers))
    if not wanted:
        return {}
    rows = conn.execute(select(t.sales).where(t.sales.c.order_number.in_(wanted))
                        .order_by(t.sales.c.order_number).with_for_update()).all()
    return {row.order_number: row for row in rows}


def touch(conn: Connection, order_numbers: Iterable[str], now: datetime) -> None:
    """New versions for sales whose content or ledger changed (their rows are locked)."""
    wanted = sorted(set(order_numbers))
    if not wanted:
        return
    stores = dict(conn.execute(select(t.sales.c.order_number, t.sales.c.store_id).where(
        t.sales.c.order_number.in_(wanted))).all())
    by_store: dict[str, list[str]] = defaultdict(list)
    for order, store in stores.items():
        by_store[store].append(order)
    for store in sorted(by_store):
        orders = sorted(by_store[store])
        first = sequences.take(conn, store, SALES_KIND, len(orders))
        conn.execute(update(t.sales).where(t.sales.c.order_number == bindparam("o"))
                     .values(version=bindparam("v"), updated_at=now),
                     [{"o": order, "v": version}
                      for version, order in enumerate(orders, start=first)])


def _sale_values(sale: SaleIn, now: datetime) -> dict[str, Any]:
    customer = sale.customer
    return {"receipt_barcode": sale.receipt_barcode, "store_id": sale.store,
            "source": sale.source, "sold_at": sale.sold_at.astimezone(UTC),
            "currency": sale.currency,
            "customer_id": customer.id if customer else None,
            "customer_name": customer.name if customer else None,
            "customer_phone": customer.phone if customer else None,
            "customer_email": (customer.email or "").strip().lower() or None
            if customer else None,
            "phone_digits": digits(customer.phone) if customer else None,
            "source_exchange_uuid": None,
            "source_updated_at": sale.updated_at.astimezone(UTC) if sale.updated_at else None,
            "status": OPEN, "content_sha256": sale.digest(), "updated_at": now}


def _write_children(conn: Connection, order: str, lines: Sequence[Mapping[str, Any]],
                    tenders: Sequence[Mapping[str, Any]], *, replace: bool = True) -> None:
    """The sale's lines and tenders; ``replace=False`` for a sale just inserted (it has
    none to delete)."""
    for table in (t.sale_lines, t.sale_tenders) if replace else ():
        conn.execute(table.delete().where(table.c.order_number == order))
    conn.execute(t.sale_lines.insert(), [{"order_number": order, **line} for line in lines])
    if tenders:
        conn.execute(t.sale_tenders.insert(),
                     [{"order_number": order, "seq": n, **tender}
                      for n, tender in enumerate(tenders, 1)])


def _children(sale: SaleIn) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    lines = [{"line_id": ln.line, "sku": ln.sku, "name": ln.name or ln.sku, "qty": ln.qty,
              "unit_price_minor": ln.unit_price, "net_minor": ln.net,
              "tax_rate": ln.tax_rate, "tax_minor": ln.tax} for ln in sale.lines]
    tenders = [{"payment_id": pid, "method": tn.method, "amount_minor": tn.amount,
                "card_brand": tn.brand, "card_last4": tn.last4, "reference": tn.reference}
               for pid, tn in zip(sale.payment_ids(), sale.tenders, strict=True)]
    return lines, tenders


def feed(conn: Connection, sales: Sequence[SaleIn], now: datetime) -> list[dict[str, Any]]:
    """Store fed sales, idempotent by order number, in the caller's transaction (all or
    none): the same content again is ``unchanged``; other content replaces the sale
    (``updated``: an order edited at its source) unless the stored copy is newer by its
    source's ``updated_at`` (``stale``, ignored). An exchange's sale cannot be replaced
    (409 SALE_FROM_EXCHANGE)."""
    wanted: dict[str, SaleIn] = {}
    for sale in sales:
        wanted[sale.order_number] = sale   # the last copy of one order in a batch wins
    _check_receipts(conn, wanted)
    for order, sale in sorted(wanted.items()):
        _insert_new(conn, t.sales, {"order_number": order, **_sale_values(sale, now),
                                    "content_sha256": "", "version": 0, "created_at": now})
    rows = lock(conn, wanted)
    results: dict[str, str] = {}
    changed: list[str] = []
    for order, sale in sorted(wanted.items()):
        row = rows[order]
        if row.source == EXCHANGE_SOURCE:
            raise Conflict("SALE_FROM_EXCHANGE", order=order)
        if row.content_sha256 == sale.digest():
            results[order] = "unchanged"
            continue
        if row.content_sha256 and row.source_updated_at and sale.updated_at and \
                sale.updated_at.astimezone(UTC) < row.source_updated_at:
            results[order] = "stale"
            continue
        results[order] = "updated" if row.content_sha256 else "created"
        conn.execute(update(t.sales).where(t.sales.c.order_number == order)
                     .values(**_sale_values(sale, now)))
        _write_children(conn, order, *_children(sale))
        changed.append(order)
    touch(conn, changed, now)
    versions = dict(conn.execute(select(t.sales.c.order_number, t.sales.c.version).where(
        t.sales.c.order_number.in_(sorted(wanted)))).all())
    return [{"order_number": s.order_number, "status": results[s.order_number],
             "version": versions[s.order_number]} for s in sales]


def _check_receipts(conn: Connection, wanted: Mapping[str, SaleIn]) -> None:
    """A receipt barcode finds one sale: another order's is refused (409)."""
    receipts: dict[str, str] = {}
    for order, sale in sorted(wanted.items()):
        if sale.receipt_barcode is None:
            continue
        other = receipts.setdefault(sale.receipt_barcode, order)
        if other != order:
            raise Conflict("RECEIPT_TAKEN", receipt=sale.receipt_barcode, other=other)
    if not receipts:
        return
    for receipt, order in conn.execute(select(
            t.sales.c.receipt_barcode, t.sales.c.order_number).where(
            t.sales.c.receipt_barcode.in_(sorted(receipts)))):
        if receipts[receipt] != order:
            raise Conflict("RECEIPT_TAKEN", receipt=receipt, other=order)


def index_exchange(conn: Connection, *, order_number: str, store: str, sold_at: datetime,
                   currency: str, customer_id: str | None, exchange_uuid: str,
                   lines: Sequence[SaleLine], funding: Sequence[Funding],
                   references: Mapping[str, str | None], now: datetime) -> bool:
    """The new sale a settled exchange created (once: a replayed record changes nothing).
    Its customer's name and phone are those of the sale it came from, when known."""
    if conn.execute(select(t.sales.c.order_number)
                    .where(t.sales.c.order_number == order_number)).first() is not None:
        return False
    known = conn.execute(select(t.sales.c.customer_name, t.sales.c.customer_phone,
                                t.sales.c.customer_email)
                         .where(t.sales.c.customer_id == customer_id)
                         .order_by(t.sales.c.sold_at.desc()).limit(1)).first() \
        if customer_id else None
    conn.execute(t.sales.insert().values(
        order_number=order_number, receipt_barcode=None, store_id=store,
        source=EXCHANGE_SOURCE, sold_at=sold_at, currency=currency, customer_id=customer_id,
        customer_name=known.customer_name if known else None,
        customer_phone=known.customer_phone if known else None,
        customer_email=known.customer_email if known else None,
        phone_digits=digits(known.customer_phone) if known else None,
        source_exchange_uuid=exchange_uuid, source_updated_at=None, status=OPEN,
        content_sha256=hashlib.sha256(exchange_uuid.encode()).hexdigest(), version=0,
        created_at=now, updated_at=now))
    _write_children(conn, order_number, [
        {"line_id": ln.line_id, "sku": ln.sku, "name": ln.name, "qty": ln.qty,
         "unit_price_minor": ln.unit_price_minor, "net_minor": ln.net_minor,
         "tax_rate": str(ln.tax_rate), "tax_minor": ln.tax_minor} for ln in lines], [
        {"payment_id": f.payment_id, "method": f.method, "amount_minor": f.amount_minor,
         "card_brand": f.card_brand, "card_last4": f.card_last4,
         "reference": references.get(f.payment_id)} for f in funding], replace=False)
    return True   # the caller takes its version, with the other sales it touched


def set_status(conn: Connection, order_number: str, status: str) -> bool:
    """True when the status changed (the caller then takes the sale's new version)."""
    return bool(conn.execute(update(t.sales).where(t.sales.c.order_number == order_number,
                                                   t.sales.c.status != status)
                             .values(status=status)).rowcount)


# --- reading ------------------------------------------------------------------------------

def find(conn: Connection, key: str) -> Row | None:
    """A sale by order number, receipt barcode, or an exchange's hub SO number."""
    key = key.strip()
    if not key or len(key) > 64:
        return None
    row = conn.execute(select(t.sales).where(or_(
        t.sales.c.order_number == key, t.sales.c.order_number == key.upper(),
        t.sales.c.receipt_barcode == key))).first()
    if row is not None:
        return row
    number = conn.execute(select(t.exchanges.c.number).where(
        t.exchanges.c.sale_order == key.upper())).scalar()
    if number is None:
        return None
    return conn.execute(select(t.sales).where(t.sales.c.order_number == number)).first()


def _counted(row: Any, now: datetime) -> bool:
    return row.status == COMMITTED or (
        row.status == HELD and row.expires_at is not None and row.expires_at > now)


def load(conn: Connection, rows: Sequence[Row], now: datetime,
         viewer: Viewer = EVERYONE) -> dict[str, Sale]:
    """The domain ``Sale`` of each row, with what others took from it (4 queries)."""
    orders = [row.order_number for row in rows]
    if not orders:
        return {}
    lines: dict[str, list[Any]] = defaultdict(list)
    for line in conn.execute(select(t.sale_lines).where(t.sale_lines.c.order_number.in_(
            orders)).order_by(t.sale_lines.c.order_number, t.sale_lines.c.line_id)):
        lines[line.order_number].append(line)
    tenders: dict[str, list[Any]] = defaultdict(list)
    for tender in conn.execute(select(t.sale_tenders).where(
            t.sale_tenders.c.order_number.in_(orders))
            .order_by(t.sale_tenders.c.order_number, t.sale_tenders.c.seq)):
        tenders[tender.order_number].append(tender)
    returned: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for r in conn.execute(select(t.returns).where(t.returns.c.order_number.in_(orders))):
        if _counted(r, now) and not viewer.excludes(r):
            returned[(r.order_number, r.line_id)].append(r)
    drawn: dict[tuple[str, str], int] = defaultdict(int)
    for d in conn.execute(select(t.draws).where(t.draws.c.order_number.in_(orders),
                                                t.draws.c.status == COMMITTED)):
        if not viewer.excludes(d):
            drawn[(d.order_number, d.payment_id)] += d.amount_minor - d.excess_minor
    out: dict[str, Sale] = {}
    for row in rows:
        order = row.order_number
        sale_lines = []
        for ln in lines[order]:
            taken = returned.get((order, ln.line_id), [])
            known = all(r.credit_net_minor is not None and not r.over_qty for r in taken)
            sale_lines.append(SaleLine(
                ln.line_id, ln.sku, ln.name, ln.qty, ln.unit_price_minor, ln.net_minor,
                Decimal(ln.tax_rate), ln.tax_minor,
                returned_qty=sum(r.qty - r.over_qty for r in taken),
                credited_net_minor=sum(r.credit_net_minor for r in taken)
                if taken and known else None,
                credited_tax_minor=sum(r.credit_tax_minor for r in taken)
                if taken and known else None))
        funding = []
        left: dict[str, int] = {}
        for tn in tenders[order]:
            # A payment funding two slices of one sale: what was drawn fills the first.
            total = left.setdefault(tn.payment_id, drawn.get((order, tn.payment_id), 0))
            taken_here = min(total, tn.amount_minor)
            left[tn.payment_id] = total - taken_here
            funding.append(Funding(tn.payment_id, tn.method, tn.amount_minor, taken_here,
                                   tn.card_brand, tn.card_last4))
        out[order] = Sale(order, order, row.receipt_barcode, row.sold_at, row.customer_id,
                          row.currency, tuple(sale_lines), tuple(funding),
                          row.source_exchange_uuid, store_id=row.store_id, source=row.source)
    return out


def references(conn: Connection, orders: Iterable[str]) -> dict[tuple[str, str], str | None]:
    orders = sorted(set(orders))
    if not orders:
        return {}
    return {(r.order_number, r.payment_id): r.reference for r in conn.execute(
        select(t.sale_tenders.c.order_number, t.sale_tenders.c.payment_id,
               t.sale_tenders.c.reference).where(
            t.sale_tenders.c.order_number.in_(orders)))}


def sale_orders(conn: Connection, rows: Sequence[Row]) -> dict[str, str]:
    uuids = [row.source_exchange_uuid for row in rows if row.source_exchange_uuid]
    if not uuids:
        return {}
    return {uuid: so for uuid, so in conn.execute(select(
        t.exchanges.c.uuid, t.exchanges.c.sale_order).where(t.exchanges.c.uuid.in_(uuids)))
        if so}


def as_wire(row: Row, sale: Sale, refs: Mapping[tuple[str, str], str | None],
            sale_order: str | None = None) -> dict[str, Any]:
    """A sale as a register reads it: lines with what others returned and what is left,
    tenders with what others drew."""
    order = row.order_number
    return {
        "order_number": order, "receipt_barcode": row.receipt_barcode, "store": row.store_id,
        "source": row.source, "sold_at": _iso(row.sold_at), "currency": row.currency,
        "status": row.status, "version": row.version, "sale_order": sale_order,
        "source_exchange": row.source_exchange_uuid,
        "customer": {"id": row.customer_id, "name": row.customer_name,
                     "phone": row.customer_phone, "email": row.customer_email},
        "lines": [{"line": ln.line_id, "sku": ln.sku, "name": ln.name, "qty": ln.qty,
                   "unit_price": ln.unit_price_minor, "net": ln.net_minor,
                   "tax_rate": str(ln.tax_rate), "tax": ln.tax_minor,
                   "returned_qty": ln.returned_qty, "credited_net": ln.credited_net_minor,
                   "credited_tax": ln.credited_tax_minor,
                   "returnable_qty": 0 if row.status == VOIDED
                   else max(0, ln.returnable_qty)} for ln in sale.lines],
        "tenders": [{"id": f.payment_id, "method": f.method, "amount": f.amount_minor,
                     "brand": f.card_brand, "last4": f.card_last4,
                     "reference": refs.get((order, f.payment_id)), "drawn": f.drawn_minor}
                    for f in sale.funding]}


def wire_many(conn: Connection, rows: Sequence[Row], now: datetime,
              viewer: Viewer = EVERYONE) -> list[dict[str, Any]]:
    loaded = load(conn, rows, now, viewer)
    refs = references(conn, loaded)
    sos = sale_orders(conn, rows)
    return [as_wire(row, loaded[row.order_number], refs,
                    sos.get(row.source_exchange_uuid or "")) for row in rows]


def since(conn: Connection, store: str, version: int, sold_since: datetime | None,
          limit: int, now: datetime, viewer: Viewer) -> dict[str, Any]:
    """The store's sales changed after ``version`` (sold since ``sold_since``), in version
    order, paged like the catalogue."""
    query = select(t.sales).where(t.sales.c.store_id == store, t.sales.c.version > version)
    if sold_since is not None:
        query = query.where(t.sales.c.sold_at >= sold_since)
    rows = conn.execute(query.order_by(t.sales.c.version).limit(limit + 1)).all()
    page = rows[:limit]
    return {"sales": wire_many(conn, page, now, viewer),
            "version": page[-1].version if page else version, "more": len(rows) > limit}


def _mask_phone(phone: str | None) -> str | None:
    found = digits(phone)
    return f"•••• {found[-4:]}" if found and len(found) >= 4 else None


def _mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return None
    name, _, domain = email.partition("@")
    return f"{name[:1]}•••@{domain}"


def search(conn: Connection, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Open sales whose customer matches by name (part of it), id, phone (4 or more
    digits of it) or email (all of it), newest first. Phone and email come back masked:
    enough for the customer to confirm, not a directory of the chain's customers."""
    text = text.strip()
    if len(text) < 3:
        return []
    s = t.sales.c
    match = [func.lower(s.customer_name).contains(text.lower(), autoescape=True),
             func.lower(s.customer_id) == text.lower()]
    found = digits(text)
    if found and len(found) >= 4 and len(found) >= len(text.replace(" ", "")) - 3:
        match.append(s.phone_digits.contains(found, autoescape=True))
    if "@" in text:
        match.append(s.customer_email == text.lower())
    rows = conn.execute(select(s.order_number, s.sold_at, s.store_id, s.customer_id,
                               s.customer_name, s.customer_phone, s.customer_email)
                        .where(or_(*match), s.status == OPEN)
                        .order_by(s.sold_at.desc()).limit(limit)).all()
    return [{"order_number": r.order_number, "sold_at": _iso(r.sold_at), "store": r.store_id,
             "customer_id": r.customer_id, "name": r.customer_name,
             "phone": _mask_phone(r.customer_phone), "email": _mask_email(r.customer_email)}
            for r in rows]

