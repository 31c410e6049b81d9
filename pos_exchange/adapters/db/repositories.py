"""Repositories: explicit mapping between rows and domain objects.

All take an open connection inside a unit of work; none commits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from sqlalchemy import Connection, and_, exists, func, insert, or_, select, update

from pos_exchange.adapters.db import schema as tables
from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.exchange import (
    LIVE_STATES,
    Approval,
    Exchange,
    RequestedLine,
    ReturnedLine,
    State,
    Tender,
    TenderKind,
    TenderStatus,
)
from pos_exchange.domain.journal import (
    GENESIS_HASH,
    Anchor,
    JournalEntry,
    canonical_json,
    entry_hash,
)
from pos_exchange.domain.numbering import looks_like_number, parse_number
from pos_exchange.domain.policy import Finding
from pos_exchange.domain.prices import prices_in_force
from pos_exchange.domain.sale import Draw, Funding, Sale, SaleLine
from pos_exchange.domain.shipment import SHIP_REFUND_PREFIX, Address, Shipment, ShipmentState
from pos_exchange.services.views import CashPayout, ExchangeSummary, SaleCopy, SaleMatch

_LIVE = [str(s) for s in LIVE_STATES]
_SETTLED = [str(s) for s in (State.PAID, State.IN_TRANSIT, State.COMPLETED)]


class CatalogueRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @staticmethod
    def _item(row: Any, codes: list[str]) -> Item:
        return Item(
            row.sku,
            row.name,
            row.price_minor,
            row.tax_class,
            bool(row.returnable),
            tuple(codes),
            row.category,
        )

    def _codes(self, sku: str) -> list[str]:
        return list(
            self.conn.scalars(select(tables.barcodes.c.code).where(tables.barcodes.c.sku == sku))
        )

    def by_sku(self, sku: str) -> Item:
        row = self.conn.execute(select(tables.items).where(tables.items.c.sku == sku)).first()
        if row is None:
            raise NotFound("UNKNOWN_SKU", sku=sku)
        return self._item(row, self._codes(sku))

    def by_barcode(self, code: str) -> Item:
        sku = self.conn.scalar(select(tables.barcodes.c.sku).where(tables.barcodes.c.code == code))
        if sku is None:
            raise NotFound("UNKNOWN_BARCODE", barcode=code)
        return self.by_sku(sku)

    def prices_between(self, sku: str, since: date, until: date) -> list[int]:
        """Prices in force at any time from ``since`` to ``until`` (the one in force on
        ``since`` included; prices scheduled after ``until`` are not)."""
        rows = self.conn.execute(
            select(tables.price_history.c.valid_from, tables.price_history.c.price_minor)
            .where(tables.price_history.c.sku == sku, tables.price_history.c.valid_from <= until)
        ).all()
        return prices_in_force([(d, p) for d, p in rows], since, until)

    def on_hand(self, sku: str) -> int:
        return (
            self.conn.scalar(select(tables.stock.c.on_hand).where(tables.stock.c.sku == sku)) or 0
        )

    def adjust_stock(self, sku: str, delta: int, now: datetime,
                     exchange_uuid: str | None = None) -> None:
        """Change the snapshot by ``delta``, with its move in the stock ledger."""
        done = self.conn.execute(
            update(tables.stock)
            .where(tables.stock.c.sku == sku)
            .values(on_hand=tables.stock.c.on_hand + delta, as_of=now)
        )
        if done.rowcount == 0:
            self.conn.execute(
                insert(tables.stock).values(sku=sku, on_hand=max(delta, 0), as_of=now)
            )
            self._ledger(sku, "set", max(delta, 0), now, exchange_uuid)
            return
        if delta:
            self._ledger(sku, "move", delta, now, exchange_uuid)

    def _ledger(self, sku: str, kind: str, qty: int, now: datetime,
                exchange_uuid: str | None = None) -> None:
        self.conn.execute(insert(tables.stock_moves).values(
            sku=sku, kind=kind, qty=qty, exchange_uuid=exchange_uuid, created_at=now))

    def add_item(
        self,
        item: Item,
        tier: str | None,
        stock: int,
        now: datetime,
        price_history: Sequence[tuple[date, int]] = (),
    ) -> None:
        self.conn.execute(
            insert(tables.items).values(
                sku=item.sku,
                name=item.name,
                category=item.category,
                tier=tier,
                price_minor=item.price_minor,
                tax_class=item.tax_class,
                returnable=item.returnable,
            )
        )
        for code in item.barcodes:
            self.conn.execute(insert(tables.barcodes).values(code=code, sku=item.sku))
        history = list(price_history) or [(now.date(), item.price_minor)]
        self.conn.execute(
            insert(tables.price_history),
            [{"sku": item.sku, "valid_from": d, "price_minor": p} for d, p in history],
        )
        self.conn.execute(insert(tables.stock).values(sku=item.sku, on_hand=stock, as_of=now))
        self._ledger(item.sku, "set", stock, now)

    def count(self) -> int:
        return self.conn.scalar(select(func.count()).select_from(tables.items)) or 0

    def apply_hub_item(self, item: Mapping[str, Any], now: datetime) -> None:
        """One catalogue delta from the hub: upsert, new price from today, barcodes replaced
        (validated like a scan); a deleted item keeps its row for old sales but can no
        longer be scanned."""
        sku = item["sku"]
        row = self.conn.execute(
            select(tables.items.c.price_minor).where(tables.items.c.sku == sku)
        ).first()
        codes = (
            []
            if item.get("deleted")
            else list(
                Item(
                    sku,
                    item["name"],
                    int(item["price_minor"]),
                    item["tax_class"],
                    bool(item["returnable"]),
                    tuple(item.get("barcodes") or ()),
                ).barcodes
            )
        )
        values = {
            "name": item["name"],
            "category": item.get("category") or "",
            "price_minor": int(item["price_minor"]),
            "tax_class": item["tax_class"],
            "returnable": bool(item["returnable"]),
        }
        if row is None:
            self.conn.execute(insert(tables.items).values(sku=sku, tier=None, **values))
            self.conn.execute(insert(tables.stock).values(sku=sku, on_hand=0, as_of=now))
            self._ledger(sku, "set", 0, now)
        else:
            self.conn.execute(
                update(tables.items).where(tables.items.c.sku == sku).values(**values)
            )
        if row is None or row.price_minor != values["price_minor"]:
            self.conn.execute(
                insert(tables.price_history).values(
                    sku=sku, valid_from=now.date(), price_minor=values["price_minor"]
                )
            )
        self.conn.execute(tables.barcodes.delete().where(tables.barcodes.c.sku == sku))
        for code in codes:
            self.conn.execute(tables.barcodes.delete().where(tables.barcodes.c.code == code))
            self.conn.execute(insert(tables.barcodes).values(code=code, sku=sku))

    def set_on_hand(self, sku: str, on_hand: int, now: datetime) -> None:
        """The hub's available count becomes this register's snapshot."""
        if self.conn.scalar(select(tables.items.c.sku).where(tables.items.c.sku == sku)) is None:
            return  # stock for an item this register has not pulled yet: next round
        self.adjust_stock(sku, 0, now)
        self.conn.execute(
            update(tables.stock)
            .where(tables.stock.c.sku == sku)
            .values(on_hand=max(0, on_hand), as_of=now)
        )
        self._ledger(sku, "set", max(0, on_hand), now)

    def sync_version(self, key: str) -> int:
        return (
            self.conn.scalar(
                select(tables.sync_state.c.value).where(tables.sync_state.c.key == key)
            )
            or 0
        )

    def set_sync_version(self, key: str, value: int) -> None:
        if (
            self.conn.execute(
                update(tables.sync_state).where(tables.sync_state.c.key == key).values(value=value)
            ).rowcount
            == 0
        ):
            self.conn.execute(insert(tables.sync_state).values(key=key, value=value))


class SaleRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, key: str) -> Sale:
        """By order number or receipt barcode, as typed or scanned."""
        key = key.strip()
        sale_id = self.conn.scalar(
            select(tables.sales.c.sale_id).where(
                or_(
                    tables.sales.c.order_number == key,
                    tables.sales.c.receipt_barcode == key,
                    tables.sales.c.order_number == key.upper(),
                )
            )
        )
        if sale_id is None:
            raise NotFound("UNKNOWN_SALE", key=key)
        return self.get(sale_id)

    def search(self, text: str, limit: int = 20) -> list[SaleMatch]:
        """Sales of customers whose name, phone or id matches: the 'no receipt to hand,
        but the customer knows who they are' lookup. Newest first."""
        text = text.strip()
        if len(text) < 2:
            return []
        like = f"%{text.lower()}%"
        digits = "".join(ch for ch in text if ch.isdigit())
        match = [
            func.lower(tables.customers.c.name).like(like),
            func.lower(tables.customers.c.customer_id) == text.lower(),
        ]
        if len(digits) >= 4:
            match.append(tables.customers.c.phone.like(f"%{digits}%"))
        if "@" in text:
            match.append(func.lower(tables.customers.c.email) == text.lower())
        query = (
            select(
                tables.sales.c.order_number,
                tables.sales.c.sold_at,
                tables.customers.c.customer_id,
                tables.customers.c.name,
                tables.customers.c.phone,
                tables.sales.c.store_id,
                tables.customers.c.email,
            )
            .join(tables.customers, tables.customers.c.customer_id == tables.sales.c.customer_id)
            .where(or_(*match))
            .order_by(tables.sales.c.sold_at.desc())
            .limit(limit)
        )
        return [SaleMatch(*row) for row in self.conn.execute(query)]

    def add_customer(self, customer_id: str, name: str, phone: str | None = None) -> None:
        self.conn.execute(
            insert(tables.customers).values(customer_id=customer_id, name=name, phone=phone)
        )

    def customer_name(self, customer_id: str | None) -> str | None:
        if not customer_id:
            return None
        return self.conn.scalar(
            select(tables.customers.c.name).where(tables.customers.c.customer_id == customer_id)
        )

    def sold_at(self, sale_id: str) -> datetime:
        sold: datetime = self.conn.execute(
            select(tables.sales.c.sold_at).where(tables.sales.c.sale_id == sale_id)
        ).scalar_one()
        return sold

    def order_number(self, sale_id: str) -> str | None:
        """The number alone, also for a voided exchange's sale (documents still link it)."""
        return self.conn.scalar(
            select(tables.sales.c.order_number).where(tables.sales.c.sale_id == sale_id)
        )

    def get(self, sale_id: str, *, excluding: str | None = None) -> Sale:
        """A sale with what other live exchanges already took back from it.

        ``excluding``: the exchange asking, whose own basket must not count as returned.
        """
        row = self.conn.execute(
            select(tables.sales).where(tables.sales.c.sale_id == sale_id)
        ).first()
        if row is None:
            raise NotFound("UNKNOWN_SALE", key=sale_id)
        if row.source_exchange_uuid:
            state = self.conn.scalar(
                select(tables.exchanges.c.state).where(
                    tables.exchanges.c.uuid == row.source_exchange_uuid
                )
            )
            if state == State.VOIDED:
                raise NotFound("SALE_VOIDED", number=row.order_number)
        returned = self._returned(sale_id, excluding)
        refunded, paid_back = self._refunded_unshipped(row.source_exchange_uuid)
        for r in self.conn.execute(select(tables.sale_lines).where(
                tables.sale_lines.c.sale_id == sale_id,
                tables.sale_lines.c.line_id.in_(refunded))) if refunded else ():
            returned[r.line_id] = (r.qty, r.net_minor, r.tax_minor)   # nothing left of it
        lines = tuple(
            SaleLine(
                r.line_id,
                r.sku,
                r.name,
                r.qty,
                r.unit_price_minor,
                r.net_minor,
                Decimal(r.tax_rate),
                r.tax_minor,
                *_with_elsewhere(returned.get(r.line_id, (0, None, None)), r),
            )
            for r in self.conn.execute(
                select(tables.sale_lines)
                .where(tables.sale_lines.c.sale_id == sale_id)
                .order_by(tables.sale_lines.c.line_id)
            )
        )
        drawn = self._drawn(sale_id)
        for payment_id, amount in paid_back.items():
            drawn[payment_id] = drawn.get(payment_id, 0) + amount
        funding = []
        for r in self.conn.execute(
                select(
                    tables.sale_funding.c.payment_id,
                    tables.sale_funding.c.amount_minor,
                    tables.sale_funding.c.drawn_elsewhere,
                    tables.payments.c.method,
                    tables.payments.c.card_brand,
                    tables.payments.c.card_last4,
                )
                .join(
                    tables.payments,
                    tables.payments.c.payment_id == tables.sale_funding.c.payment_id,
                )
                .where(tables.sale_funding.c.sale_id == sale_id)
                .order_by(tables.sale_funding.c.seq)):
            # What this register drew fills the first slice of a payment, then the next.
            local = drawn.get(r.payment_id, 0)
            here = min(local, r.amount_minor)
            drawn[r.payment_id] = local - here
            funding.append(Funding(r.payment_id, r.method, r.amount_minor,
                                   here + r.drawn_elsewhere, r.card_brand, r.card_last4))
        return Sale(
            row.sale_id,
            row.order_number,
            row.receipt_barcode,
            row.sold_at,
            row.customer_id,
            row.currency,
            lines,
            tuple(funding),
            row.source_exchange_uuid,
            store_id=row.store_id,
            source=row.source,
        )

    def _returned(self, sale_id: str, excluding: str | None) -> dict[int, tuple[int, int, int]]:
        """Per line: (qty, net credit, tax credit) taken back by live exchanges."""
        r = tables.exchange_returned
        query = (
            select(
                r.c.sale_line_id,
                func.sum(r.c.qty),
                func.sum(r.c.credit_net_minor),
                func.sum(r.c.credit_tax_minor),
            )
            .join(tables.exchanges, tables.exchanges.c.uuid == r.c.exchange_uuid)
            .where(
                tables.exchanges.c.original_sale_id == sale_id,
                tables.exchanges.c.state.in_(_LIVE),
                r.c.sale_line_id.is_not(None),
            )
            .group_by(r.c.sale_line_id)
        )
        if excluding:
            query = query.where(tables.exchanges.c.uuid != excluding)
        return {line_id: (int(q), int(n), int(x)) for line_id, q, n, x in self.conn.execute(query)}

    def _refunded_unshipped(self, exchange_uuid: str | None
                            ) -> tuple[list[int], dict[str, int]]:
        """For the sale an exchange created: its lines whose shipment could not ship and
        was refunded (they never reached the customer, so they cannot come back), and
        what those refunds gave back per payment (drawn from the new sale's funding, so
        a later return never refunds that money a second time)."""
        if not exchange_uuid:
            return [], {}
        sh, rq, tn = tables.exchange_shipments, tables.exchange_requested, \
            tables.exchange_tenders
        gone: set[int] = set()
        for line_nos, fee_line_no in self.conn.execute(
                select(sh.c.line_nos, sh.c.fee_line_no).where(
                    sh.c.exchange_uuid == exchange_uuid,
                    sh.c.state == str(ShipmentState.UNFULFILLABLE))):
            gone.update(json.loads(line_nos))
            if fee_line_no is not None:
                gone.add(fee_line_no)
        if not gone:
            return [], {}
        ordered = self.conn.scalars(select(rq.c.line_no).where(
            rq.c.exchange_uuid == exchange_uuid).order_by(rq.c.line_no)).all()
        lines = [i for i, n in enumerate(ordered, 1) if n in gone]   # as the sale numbers them
        back: dict[str, int] = {}
        for payment_id, amount, rounding in self.conn.execute(
                select(tn.c.payment_id, tn.c.amount_minor, tn.c.rounding_minor).where(
                    tn.c.exchange_uuid == exchange_uuid, tn.c.kind == "refund",
                    tn.c.compensates.like(f"{SHIP_REFUND_PREFIX}%"))):
            back[payment_id] = back.get(payment_id, 0) + amount + rounding
        return lines, back

    def live_exchanges_returning(self, sale_id: str) -> list[str]:
        """Numbers of live exchanges that take items of this sale back."""
        return list(
            self.conn.scalars(
                select(tables.exchanges.c.number).where(
                    tables.exchanges.c.original_sale_id == sale_id,
                    tables.exchanges.c.state.in_(_LIVE),
                    tables.exchanges.c.uuid.in_(select(tables.exchange_returned.c.exchange_uuid)),
                )
            )
        )

    def _drawn(self, sale_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            select(
                tables.exchange_draws.c.payment_id, func.sum(tables.exchange_draws.c.amount_minor)
            )
            .join(
                tables.exchanges, tables.exchanges.c.uuid == tables.exchange_draws.c.exchange_uuid
            )
            .where(
                tables.exchanges.c.original_sale_id == sale_id,
                tables.exchanges.c.state.in_(_SETTLED),
            )
            .group_by(tables.exchange_draws.c.payment_id)
        )
        return {payment_id: int(total) for payment_id, total in rows}

    def add_payment(
        self,
        payment_id: str,
        method: str,
        amount_minor: int,
        currency: str,
        created_at: datetime,
        card_brand: str | None = None,
        card_last4: str | None = None,
        reference: str | None = None,
    ) -> None:
        self.conn.execute(
            insert(tables.payments).values(
                payment_id=payment_id,
                method=method,
                amount_minor=amount_minor,
                currency=currency,
                card_brand=card_brand,
                card_last4=card_last4,
                reference=reference,
                created_at=created_at,
            )
        )

    def add(self, sale: Sale, store_id: str) -> None:
        self.conn.execute(
            insert(tables.sales).values(
                sale_id=sale.sale_id,
                order_number=sale.order_number,
                receipt_barcode=sale.receipt_barcode,
                sold_at=sale.sold_at,
                customer_id=sale.customer_id,
                currency=sale.currency,
                store_id=store_id,
                source_exchange_uuid=sale.source_exchange_uuid,
            )
        )
        self.conn.execute(
            insert(tables.sale_lines),
            [
                {
                    "sale_id": sale.sale_id,
                    "line_id": ln.line_id,
                    "sku": ln.sku,
                    "name": ln.name,
                    "qty": ln.qty,
                    "unit_price_minor": ln.unit_price_minor,
                    "net_minor": ln.net_minor,
                    "tax_rate": str(ln.tax_rate),
                    "tax_minor": ln.tax_minor,
                }
                for ln in sale.lines
            ],
        )
        if sale.funding:
            self.conn.execute(
                insert(tables.sale_funding),
                [
                    {
                        "sale_id": sale.sale_id,
                        "seq": i,
                        "payment_id": f.payment_id,
                        "amount_minor": f.amount_minor,
                    }
                    for i, f in enumerate(sale.funding, 1)
                ],
            )

    def count(self) -> int:
        return self.conn.scalar(select(func.count()).select_from(tables.sales)) or 0

    def cache(self, copy: SaleCopy, now: datetime) -> None:
        """Keep the hub's copy of a sale (a lookup or a pulled delta): a new sale is added
        with its lines and tenders; one already here keeps them and takes what the rest
        of the chain returned and drew since. A voided sale has nothing left to return."""
        sale = copy.sale
        self._customer(sale.customer_id, copy)
        row = self.conn.execute(
            select(tables.sales.c.sale_id, tables.sales.c.hub_version).where(
                tables.sales.c.order_number == sale.order_number)).first()
        if row is None:
            sale_id = str(uuid5(NAMESPACE_URL, f"pos-exchange-hub/{sale.order_number}"))
            self._add_copy(sale_id, copy, now)
        else:
            sale_id = row.sale_id
            self.conn.execute(update(tables.sales).where(tables.sales.c.sale_id == sale_id)
                              .values(hub_version=copy.version))
        for line in sale.lines:
            self.conn.execute(
                update(tables.sale_lines).where(tables.sale_lines.c.sale_id == sale_id,
                                                tables.sale_lines.c.line_id == line.line_id)
                .values(returned_elsewhere=line.qty if copy.voided else line.returned_qty,
                        credited_elsewhere_net=line.credited_net_minor,
                        credited_elsewhere_tax=line.credited_tax_minor))
        drawn: dict[str, int] = {}
        for f in sale.funding:
            drawn[f.payment_id] = drawn.get(f.payment_id, 0) + f.drawn_minor
        for seq, payment_id, amount in self.conn.execute(
                select(tables.sale_funding.c.seq, tables.sale_funding.c.payment_id,
                       tables.sale_funding.c.amount_minor)
                .where(tables.sale_funding.c.sale_id == sale_id)
                .order_by(tables.sale_funding.c.seq)).all():
            here = min(drawn.get(payment_id, 0), amount)
            drawn[payment_id] = drawn.get(payment_id, 0) - here
            self.conn.execute(update(tables.sale_funding).where(
                tables.sale_funding.c.sale_id == sale_id, tables.sale_funding.c.seq == seq)
                .values(drawn_elsewhere=here))

    def _customer(self, customer_id: str | None, copy: SaleCopy) -> None:
        if not customer_id:
            return
        values = {k: v for k, v in (("name", copy.customer_name),
                                    ("phone", copy.customer_phone),
                                    ("email", copy.customer_email)) if v}
        known = self.conn.scalar(select(tables.customers.c.customer_id).where(
            tables.customers.c.customer_id == customer_id))
        if known is None:
            self.conn.execute(insert(tables.customers).values(
                customer_id=customer_id, **{"name": customer_id, **values}))
        elif values:
            self.conn.execute(update(tables.customers).where(
                tables.customers.c.customer_id == customer_id).values(**values))

    def _add_copy(self, sale_id: str, copy: SaleCopy, now: datetime) -> None:
        sale = copy.sale
        receipt = sale.receipt_barcode
        if receipt and self.conn.scalar(select(tables.sales.c.sale_id).where(
                tables.sales.c.receipt_barcode == receipt)) is not None:
            receipt = None  # this register knows that barcode as another sale
        self.conn.execute(insert(tables.sales).values(
            sale_id=sale_id, order_number=sale.order_number, receipt_barcode=receipt,
            sold_at=sale.sold_at, customer_id=sale.customer_id, currency=sale.currency,
            store_id=sale.store_id or "", source_exchange_uuid=sale.source_exchange_uuid,
            source=sale.source or "hub", hub_version=copy.version))
        self.conn.execute(insert(tables.sale_lines), [
            {"sale_id": sale_id, "line_id": ln.line_id, "sku": ln.sku, "name": ln.name,
             "qty": ln.qty, "unit_price_minor": ln.unit_price_minor, "net_minor": ln.net_minor,
             "tax_rate": str(ln.tax_rate), "tax_minor": ln.tax_minor} for ln in sale.lines])
        known = set(self.conn.scalars(select(tables.payments.c.payment_id).where(
            tables.payments.c.payment_id.in_([f.payment_id for f in sale.funding]))))
        for f in sale.funding:
            if f.payment_id not in known:
                self.add_payment(f.payment_id, f.method, f.amount_minor, sale.currency,
                                 sale.sold_at, f.card_brand, f.card_last4,
                                 copy.references.get(f.payment_id))
                known.add(f.payment_id)
        if sale.funding:
            self.conn.execute(insert(tables.sale_funding), [
                {"sale_id": sale_id, "seq": i, "payment_id": f.payment_id,
                 "amount_minor": f.amount_minor} for i, f in enumerate(sale.funding, 1)])


def _with_elsewhere(local: tuple[int, int | None, int | None], row: Any
                    ) -> tuple[int, int | None, int | None]:
    """This register's returns of a line plus what the rest of the chain returned (from
    the hub's copy): credits are known only when both are."""
    qty, net, tax = local
    if not row.returned_elsewhere:
        return qty, net, tax
    if row.credited_elsewhere_net is None or (qty and net is None):
        return qty + row.returned_elsewhere, None, None
    return (qty + row.returned_elsewhere, (net or 0) + row.credited_elsewhere_net,
            (tax or 0) + (row.credited_elsewhere_tax or 0))


class ExchangeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def next_seq(self, store_id: str, register_id: str) -> int:
        """Gapless per register: incremented inside the unit of work that creates the exchange."""
        key = and_(
            tables.register_sequences.c.store_id == store_id,
            tables.register_sequences.c.register_id == register_id,
        )
        last = self.conn.scalar(select(tables.register_sequences.c.last_seq).where(key))
        if last is None:
            self.conn.execute(
                insert(tables.register_sequences).values(
                    store_id=store_id, register_id=register_id, last_seq=1
                )
            )
            return 1
        self.conn.execute(update(tables.register_sequences).where(key).values(last_seq=last + 1))
        return int(last) + 1

    def uuid_for(self, key: str) -> str:
        key = key.strip()
        if looks_like_number(key):
            parse_number(key)  # a mistyped check character is refused, not "not found"
        found = self.conn.scalar(
            select(tables.exchanges.c.uuid).where(
                or_(
                    tables.exchanges.c.uuid == key.lower(), tables.exchanges.c.number == key.upper()
                )
            )
        )
        if found is None:
            raise NotFound("UNKNOWN_EXCHANGE", key=key)
        return str(found)

    def get(self, key: str) -> Exchange:
        uuid = self.uuid_for(key)
        row = self.conn.execute(
            select(tables.exchanges).where(tables.exchanges.c.uuid == uuid)
        ).one()
        ex = Exchange(
            uuid=row.uuid,
            number=row.number,
            store_id=row.store_id,
            register_id=row.register_id,
            currency=row.currency,
            created_by=row.created_by,
            created_at=row.created_at,
            state=State(row.state),
            original_sale_id=row.original_sale_id,
            customer_id=row.customer_id,
            submitted_by=row.submitted_by,
            approval_required=bool(row.approval_required),
            findings=[Finding.from_dict(f) for f in json.loads(row.findings)],
            stock_unconfirmed=bool(row.stock_unconfirmed),
            returns_unconfirmed=bool(row.returns_unconfirmed),
            new_sale_id=row.new_sale_id,
            links=json.loads(row.links),
            finalized_at=row.finalized_at,
            started_at=row.started_at,
        )
        if row.original_sale_id:
            ex.original_order_number = self.conn.scalar(
                select(tables.sales.c.order_number).where(
                    tables.sales.c.sale_id == row.original_sale_id
                )
            )
        if row.approver_id:
            ex.approval = Approval(
                row.approver_id, row.approval_reason, row.approval_hash, row.approved_at
            )
        ex.returned = [
            ReturnedLine(
                r.line_no,
                r.sku,
                r.name,
                r.qty,
                r.credit_net_minor,
                r.credit_tax_minor,
                Decimal(r.tax_rate),
                r.sale_line_id,
                r.condition,
                bool(r.restock),
            )
            for r in self.conn.execute(
                select(tables.exchange_returned)
                .where(tables.exchange_returned.c.exchange_uuid == uuid)
                .order_by(tables.exchange_returned.c.line_no)
            )
        ]
        ex.requested = [
            RequestedLine(r.line_no, r.sku, r.name, r.qty, r.unit_price_minor, Decimal(r.tax_rate))
            for r in self.conn.execute(
                select(tables.exchange_requested)
                .where(tables.exchange_requested.c.exchange_uuid == uuid)
                .order_by(tables.exchange_requested.c.line_no)
            )
        ]
        ex.tenders = [
            Tender(
                r.tender_id,
                TenderKind(r.kind),
                r.method,
                r.amount_minor,
                r.created_at,
                r.payment_id,
                r.rounding_minor,
                r.tendered_minor,
                r.change_minor,
                TenderStatus(r.status),
                r.card_brand,
                r.card_last4,
                r.reference,
                r.compensates,
            )
            for r in self.conn.execute(
                select(tables.exchange_tenders)
                .where(tables.exchange_tenders.c.exchange_uuid == uuid)
                .order_by(tables.exchange_tenders.c.position)
            )
        ]
        ex.shipments = [
            Shipment(r.shipment_id, r.source, tuple(json.loads(r.line_nos)),
                     Address.from_dict(json.loads(r.address)), r.fee_minor, r.fee_line_no,
                     ShipmentState(r.state), r.carrier, r.tracking, r.reason,
                     [(a, b) for a, b in json.loads(r.history)])
            for r in self.conn.execute(
                select(tables.exchange_shipments)
                .where(tables.exchange_shipments.c.exchange_uuid == uuid)
                .order_by(tables.exchange_shipments.c.position)
            )
        ]
        ex.draws = [
            Draw(r.payment_id, r.method, r.amount_minor, r.use, r.card_brand, r.card_last4)
            for r in self.conn.execute(
                select(tables.exchange_draws)
                .where(tables.exchange_draws.c.exchange_uuid == uuid)
                .order_by(tables.exchange_draws.c.seq)
            )
        ]
        return ex

    def _row(self, ex: Exchange, now: datetime) -> dict[str, Any]:
        return {
            "number": ex.number,
            "store_id": ex.store_id,
            "register_id": ex.register_id,
            "currency": ex.currency,
            "state": str(ex.state),
            "created_by": ex.created_by,
            "created_at": ex.created_at,
            "original_sale_id": ex.original_sale_id,
            "customer_id": ex.customer_id,
            "submitted_by": ex.submitted_by,
            "approval_required": ex.approval_required,
            "approver_id": ex.approval.approver_id if ex.approval else None,
            "approval_reason": ex.approval.reason if ex.approval else None,
            "approval_hash": ex.approval.content_hash if ex.approval else None,
            "approved_at": ex.approval.approved_at if ex.approval else None,
            "findings": canonical_json([f.as_dict() for f in ex.findings]),
            "stock_unconfirmed": ex.stock_unconfirmed,
            "returns_unconfirmed": ex.returns_unconfirmed,
            "new_sale_id": ex.new_sale_id,
            "links": canonical_json(ex.links),
            "finalized_at": ex.finalized_at,
            "started_at": ex.started_at,
            "gap_minor": ex.valuation().gap_minor,
            "updated_at": now,
        }

    def add(self, ex: Exchange, now: datetime) -> None:
        self.conn.execute(insert(tables.exchanges).values(uuid=ex.uuid, **self._row(ex, now)))
        self._save_children(ex)

    def save(self, ex: Exchange, now: datetime) -> None:
        self.conn.execute(
            update(tables.exchanges)
            .where(tables.exchanges.c.uuid == ex.uuid)
            .values(**self._row(ex, now))
        )
        self._save_children(ex)

    def save_state_and_links(self, ex: Exchange, now: datetime) -> None:
        """The sync's completion changes the state and the links only: one UPDATE of the
        exchange's row, not the whole aggregate (its lines rewritten) per record synced."""
        self.conn.execute(
            update(tables.exchanges)
            .where(tables.exchanges.c.uuid == ex.uuid)
            .values(state=str(ex.state), links=canonical_json(ex.links), updated_at=now)
        )

    def _save_children(self, ex: Exchange) -> None:
        # Lines are the editable basket: replaced wholesale. Tenders and draws are
        # money records: only ever inserted.
        for table in (tables.exchange_returned, tables.exchange_requested,
                      tables.exchange_shipments):
            self.conn.execute(table.delete().where(table.c.exchange_uuid == ex.uuid))
        if ex.shipments:
            self.conn.execute(insert(tables.exchange_shipments), [
                {"shipment_id": s.shipment_id, "exchange_uuid": ex.uuid, "position": i,
                 "source": s.source, "line_nos": json.dumps(list(s.line_nos)),
                 "address": canonical_json(s.address.as_dict()), "fee_minor": s.fee_minor,
                 "fee_line_no": s.fee_line_no, "state": str(s.state), "carrier": s.carrier,
                 "tracking": s.tracking, "reason": s.reason,
                 "history": json.dumps([list(h) for h in s.history])}
                for i, s in enumerate(ex.shipments)])
        if ex.returned:
            self.conn.execute(
                insert(tables.exchange_returned),
                [
                    {
                        "exchange_uuid": ex.uuid,
                        "line_no": r.line_no,
                        "sku": r.sku,
                        "name": r.name,
                        "qty": r.qty,
                        "credit_net_minor": r.credit_net_minor,
                        "credit_tax_minor": r.credit_tax_minor,
                        "tax_rate": str(r.tax_rate),
                        "sale_line_id": r.sale_line_id,
                        "condition": r.condition,
                        "restock": r.restock,
                    }
                    for r in ex.returned
                ],
            )
        if ex.requested:
            self.conn.execute(
                insert(tables.exchange_requested),
                [
                    {
                        "exchange_uuid": ex.uuid,
                        "line_no": r.line_no,
                        "sku": r.sku,
                        "name": r.name,
                        "qty": r.qty,
                        "unit_price_minor": r.unit_price_minor,
                        "tax_rate": str(r.tax_rate),
                    }
                    for r in ex.requested
                ],
            )
        known = set(
            self.conn.scalars(
                select(tables.exchange_tenders.c.tender_id).where(
                    tables.exchange_tenders.c.exchange_uuid == ex.uuid
                )
            )
        )
        new = [(i, tn) for i, tn in enumerate(ex.tenders) if tn.tender_id not in known]
        if new:
            self.conn.execute(
                insert(tables.exchange_tenders),
                [
                    {
                        "tender_id": tn.tender_id,
                        "exchange_uuid": ex.uuid,
                        "position": i,
                        "kind": str(tn.kind),
                        "method": tn.method,
                        "amount_minor": tn.amount_minor,
                        "rounding_minor": tn.rounding_minor,
                        "tendered_minor": tn.tendered_minor,
                        "change_minor": tn.change_minor,
                        "status": str(tn.status),
                        "payment_id": tn.payment_id,
                        "card_brand": tn.card_brand,
                        "card_last4": tn.card_last4,
                        "reference": tn.reference,
                        "compensates": tn.compensates,
                        "created_at": tn.created_at,
                    }
                    for i, tn in new
                ],
            )
        stored = (
            self.conn.scalar(
                select(func.count())
                .select_from(tables.exchange_draws)
                .where(tables.exchange_draws.c.exchange_uuid == ex.uuid)
            )
            or 0
        )
        if ex.draws and not stored:
            self.conn.execute(
                insert(tables.exchange_draws),
                [
                    {
                        "exchange_uuid": ex.uuid,
                        "seq": i,
                        "payment_id": d.payment_id,
                        "method": d.method,
                        "amount_minor": d.amount_minor,
                        "use": d.use,
                        "card_brand": d.card_brand,
                        "card_last4": d.card_last4,
                    }
                    for i, d in enumerate(ex.draws, 1)
                ],
            )

    def customer_exchanges_today(
        self, customer_id: str, now: datetime, tz: tzinfo, exclude: str
    ) -> int:
        start, end = day_bounds(now, tz)
        return (
            self.conn.scalar(
                select(func.count())
                .select_from(tables.exchanges)
                .where(
                    tables.exchanges.c.customer_id == customer_id,
                    tables.exchanges.c.uuid != exclude,
                    tables.exchanges.c.state.in_(_LIVE),
                    tables.exchanges.c.created_at >= start,
                    tables.exchanges.c.created_at < end,
                )
            )
            or 0
        )

    def payment_reference_used(self, reference: str) -> bool:
        return (
            (self.conn.scalar(
                select(func.count())
                .select_from(tables.exchange_tenders)
                .where(
                    tables.exchange_tenders.c.kind == str(TenderKind.PAYMENT),
                    tables.exchange_tenders.c.reference == reference,
                )
            ) or 0)
            > 0
        )

    def submitted_unsettled(
        self, user_id: str, now: datetime, tz: tzinfo, exclude: str
    ) -> list[str]:
        """Exchanges this user locked in today that have not settled yet."""
        start, end = day_bounds(now, tz)
        return list(
            self.conn.scalars(
                select(tables.exchanges.c.uuid).where(
                    tables.exchanges.c.submitted_by == user_id,
                    tables.exchanges.c.uuid != exclude,
                    tables.exchanges.c.state.in_([str(State.DRAFT), str(State.PENDING_APPROVAL)]),
                    tables.exchanges.c.updated_at >= start,
                    tables.exchanges.c.updated_at < end,
                )
            )
        )

    def refunds_by_user_today(self, user_id: str, now: datetime, tz: tzinfo) -> int:
        start, end = day_bounds(now, tz)
        tn = tables.exchange_tenders.c
        return self.conn.scalar(
            select(func.coalesce(func.sum(tn.amount_minor), 0))
            .where(*_refunds_by(user_id, start, end))) or 0

    def flagged(self, limit: int = 50) -> list[tuple[str, list[str]]]:
        """Exchanges the hub flagged (its answer is kept in ``links``, canonical JSON)."""
        ex = tables.exchanges.c
        rows = self.conn.execute(
            select(ex.number, ex.links).where(ex.links.contains('"oms_status":"flagged"'))
            .order_by(ex.created_at.desc()).limit(limit))
        return [(number, [f for f in json.loads(links).get("oms_flags", "").split(",") if f])
                for number, links in rows]

    def customer_exchange_uuids_today(
        self, customer_id: str, now: datetime, tz: tzinfo, exclude: str
    ) -> list[str]:
        """The uuids ``customer_exchanges_today`` counts (merged with the hub's count)."""
        start, end = day_bounds(now, tz)
        ex = tables.exchanges.c
        return list(self.conn.scalars(select(ex.uuid).where(
            ex.customer_id == customer_id, ex.uuid != exclude, ex.state.in_(_LIVE),
            ex.created_at >= start, ex.created_at < end)))

    def refunds_by_user_today_by_exchange(
        self, user_id: str, now: datetime, tz: tzinfo
    ) -> dict[str, int]:
        """``refunds_by_user_today`` per exchange (merged with the hub's count)."""
        start, end = day_bounds(now, tz)
        tn = tables.exchange_tenders.c
        rows = self.conn.execute(
            select(tn.exchange_uuid, func.sum(tn.amount_minor))
            .where(*_refunds_by(user_id, start, end))
            .group_by(tn.exchange_uuid))
        return {uuid: int(total) for uuid, total in rows}

    def cash_totals(
        self, store_id: str, register_id: str, start: datetime, end: datetime
    ) -> tuple[int, int]:
        """(cash taken in, cash paid out) by this register's exchanges in [start, end).
        A cash refund owed (a shipment that could not ship) leaves the drawer when it is
        paid out, so it counts then (cash_payouts), not when it was recorded."""
        tn, ex, po = tables.exchange_tenders, tables.exchanges, tables.cash_payouts

        def total(kind: str) -> int:
            query = (
                select(func.coalesce(func.sum(tn.c.amount_minor), 0))
                .join(ex, ex.c.uuid == tn.c.exchange_uuid)
                .where(
                    tn.c.method == "cash",
                    tn.c.kind == kind,
                    ex.c.store_id == store_id,
                    ex.c.register_id == register_id,
                    tn.c.created_at >= start,
                    tn.c.created_at < end,
                )
            )
            if kind == "refund":
                query = query.where(or_(tn.c.compensates.is_(None),
                                        tn.c.compensates.not_like(f"{SHIP_REFUND_PREFIX}%")))
            return self.conn.scalar(query) or 0

        paid_out = self.conn.scalar(
            select(func.coalesce(func.sum(po.c.amount_minor), 0))
            .join(ex, ex.c.uuid == po.c.exchange_uuid)
            .where(ex.c.store_id == store_id, po.c.register_id == register_id,
                   po.c.paid_at >= start, po.c.paid_at < end)) or 0
        return total("payment"), total("refund") + paid_out

    def record_payout(self, payout: CashPayout) -> bool:
        """Pending -> confirmed only from pending (the guard against paying twice), then
        the payout row, whose primary key is the tender: a second one cannot exist."""
        tn = tables.exchange_tenders
        changed = self.conn.execute(
            update(tn).where(tn.c.tender_id == payout.tender_id,
                             tn.c.exchange_uuid == payout.exchange_uuid,
                             tn.c.kind == "refund", tn.c.method == "cash",
                             tn.c.status == "pending")
            .values(status="confirmed")).rowcount
        if changed != 1:
            return False
        self.conn.execute(insert(tables.cash_payouts).values(
            tender_id=payout.tender_id, exchange_uuid=payout.exchange_uuid,
            amount_minor=payout.amount_minor, paid_at=payout.paid_at, paid_by=payout.paid_by,
            approver_id=payout.approver_id, register_id=payout.register_id))
        return True

    def payouts(self, exchange_uuid: str) -> list[CashPayout]:
        po = tables.cash_payouts
        return [CashPayout(r.tender_id, r.exchange_uuid, r.amount_minor, r.paid_at, r.paid_by,
                           r.approver_id, r.register_id)
                for r in self.conn.execute(select(po).where(po.c.exchange_uuid == exchange_uuid)
                                           .order_by(po.c.paid_at, po.c.tender_id))]

    def list(
        self,
        *,
        states: Iterable[State] | None = None,
        since: datetime | None = None,
        text: str | None = None,
        register_id: str | None = None,
        limit: int = 200,
    ) -> list[ExchangeSummary]:
        """``text``: part of the exchange number, the original sale's order number or
        receipt barcode, or the customer's id or name (the history search)."""
        ex, customers, sales, users = (
            tables.exchanges,
            tables.customers,
            tables.sales,
            tables.users,
        )
        query = (
            select(
                ex.c.uuid,
                ex.c.number,
                ex.c.state,
                ex.c.created_at,
                ex.c.created_by,
                users.c.name,
                ex.c.customer_id,
                customers.c.name,
                sales.c.order_number,
                ex.c.currency,
                ex.c.gap_minor,
            )
            .outerjoin(customers, customers.c.customer_id == ex.c.customer_id)
            .outerjoin(sales, sales.c.sale_id == ex.c.original_sale_id)
            .outerjoin(users, users.c.user_id == ex.c.created_by)
            .order_by(ex.c.created_at.desc())
        )
        if states:
            query = query.where(ex.c.state.in_([str(s) for s in states]))
        if since:
            query = query.where(ex.c.created_at >= since)
        if register_id:
            query = query.where(ex.c.register_id == register_id)
        if text and text.strip():
            needle = text.strip().lower()
            like = f"%{needle}%"
            query = query.where(
                or_(
                    func.lower(ex.c.number).like(like),
                    func.lower(sales.c.order_number) == needle,
                    func.lower(sales.c.receipt_barcode) == needle,
                    func.lower(ex.c.customer_id) == needle,
                    func.lower(customers.c.name).like(like),
                )
            )
        return [ExchangeSummary(*row) for row in self.conn.execute(query.limit(limit))]


def _refunds_by(user_id: str, start: datetime, end: datetime) -> tuple[Any, ...]:
    """The refunds of [start, end) on exchanges this user submitted. The day's tenders are
    found by their time (ix_exchange_tenders_created_at), each exchange by its key: joining
    from the user's exchanges instead read every exchange they ever submitted (issue 15:
    2.6 s per submit at 500,000 exchanges)."""
    tn, ex = tables.exchange_tenders.c, tables.exchanges.c
    return (tn.created_at >= start, tn.created_at < end,
            tn.kind == str(TenderKind.REFUND), tn.compensates.is_(None),
            exists().where(ex.uuid == tn.exchange_uuid, ex.submitted_by == user_id))


class JournalRepository:
    """Appends hash-chained entries; the only write path to the audit journal."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def head(self) -> tuple[int, str]:
        row = self.conn.execute(
            select(tables.audit_journal.c.seq, tables.audit_journal.c.hash)
            .order_by(tables.audit_journal.c.seq.desc())
            .limit(1)
        ).first()
        return (row.seq, row.hash) if row else (0, GENESIS_HASH)

    def append(
        self,
        *,
        ts: datetime,
        store: str,
        register: str,
        user: str,
        event: str,
        exchange_uuid: str | None,
        payload: Mapping[str, Any],
    ) -> JournalEntry:
        seq, prev = self.head()
        stamp = ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        body_payload = canonical_json(payload)
        entry = JournalEntry(
            seq + 1, stamp, store, register, user, event, exchange_uuid, body_payload, prev, ""
        )
        digest = entry_hash(prev, entry.body())
        self.conn.execute(
            insert(tables.audit_journal).values(
                seq=entry.seq,
                ts=stamp,
                store_id=store,
                register_id=register,
                user_id=user,
                event=event,
                exchange_uuid=exchange_uuid,
                payload=body_payload,
                prev_hash=prev,
                hash=digest,
            )
        )
        return JournalEntry(**{**entry.__dict__, "hash": digest})

    def entries(self, exchange_uuid: str | None = None, *, since_seq: int = 0,
                limit: int | None = None) -> list[JournalEntry]:
        """In seq order; ``since_seq``: only entries after it; ``limit``: at most so many."""
        j = tables.audit_journal.c
        # The columns in JournalEntry's order, each row unpacked as a tuple: reading rows
        # by column name cost `audit verify --full` more than the hashing (issue 15).
        query = select(j.seq, j.ts, j.store_id, j.register_id, j.user_id, j.event,
                       j.exchange_uuid, j.payload, j.prev_hash, j.hash).order_by(j.seq)
        if exchange_uuid:
            query = query.where(j.exchange_uuid == exchange_uuid)
        if since_seq:
            query = query.where(j.seq > since_seq)
        if limit is not None:
            query = query.limit(limit)
        return [JournalEntry(seq, ts, store, register, user, event, uuid, payload, prev, digest)
                for seq, ts, store, register, user, event, uuid, payload, prev, digest
                in self.conn.execute(query).all()]

    def anchors(self, source: str | None = None) -> list[Anchor]:
        query = select(tables.audit_anchors)
        if source:
            query = query.where(tables.audit_anchors.c.source == source)
        return [Anchor(r.seq, r.hash) for r in self.conn.execute(query)]

    def anchored(self, seq: int) -> bool:
        c = tables.audit_anchors.c
        return self.conn.execute(select(c.seq).where(c.seq == seq)).first() is not None

    def last_anchor(self, source: str) -> Anchor | None:
        """The newest head ``source`` confirmed: the primary key read backwards, so it
        stays one row however many anchors a shift has added."""
        c = tables.audit_anchors.c
        row = self.conn.execute(select(c.seq, c.hash).where(c.source == source, c.seq > 0)
                                .order_by(c.seq.desc()).limit(1)).first()
        return None if row is None else Anchor(row.seq, row.hash)

    def add_anchor(self, anchor: Anchor, source: str, now: datetime) -> None:
        self.conn.execute(
            insert(tables.audit_anchors).values(
                seq=anchor.seq, hash=anchor.hash, source=source, recorded_at=now
            )
        )

    def checkpoints(self) -> list[Anchor]:
        c = tables.audit_checkpoints.c
        return [Anchor(r.seq, r.hash) for r in self.conn.execute(
            select(c.seq, c.hash).order_by(c.seq))]

    def add_checkpoint(self, point: Anchor, now: datetime) -> None:
        self.conn.execute(insert(tables.audit_checkpoints).values(
            seq=point.seq, hash=point.hash, verified_at=now))

    def hashes_at(self, seqs: Iterable[int]) -> dict[int, str]:
        """The stored hash of each entry asked for that exists."""
        wanted, j = sorted(set(seqs)), tables.audit_journal.c
        found: dict[int, str] = {}
        for start in range(0, len(wanted), 500):  # within any driver's parameter limit
            found.update((seq, digest) for seq, digest in self.conn.execute(
                select(j.seq, j.hash).where(j.seq.in_(wanted[start:start + 500]))))
        return found

    def linked_up_to(self, seq: int) -> bool:
        """Entries 1..seq are all there, once each, and each names the one before it as
        its prev_hash: the checks of the chain that need no re-hashing, done in SQL."""
        j = tables.audit_journal
        count, low = self.conn.execute(
            select(func.count(), func.min(j.c.seq)).where(j.c.seq <= seq)).one()
        if count != seq or (seq and low != 1):
            return False
        if not seq:
            return True
        if self.conn.scalar(select(j.c.prev_hash).where(j.c.seq == 1)) != GENESIS_HASH:
            return False
        later = j.alias("later")
        unlinked = self.conn.scalar(
            select(later.c.seq).select_from(j.join(later, later.c.seq == j.c.seq + 1))
            .where(later.c.seq <= seq, later.c.prev_hash != j.c.hash).limit(1))
        return unlinked is None

