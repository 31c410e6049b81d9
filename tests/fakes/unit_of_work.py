"""An in-memory unit of work with fake repositories (cosmicpython's FakeUnitOfWork).

The service layer's rules are tested on this, without SQLite: every repository of
``services.ports`` is here, keeping the same meaning as the SQL one (what a sale has left
to return, what its tenders have left to draw, the store's calendar day for the limits),
so a rule test reads like the rule. Transactions are real enough for the services: a unit
of work works on a copy of the store and only ``commit()`` makes it the store's, so a
refused step leaves nothing behind. The integration tests run the same services on real
SQLite files and PostgreSQL.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from types import TracebackType
from typing import Any

from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.card_attempts import OPEN, Attempt, AttemptStatus
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import NotFound, Refused, StorageError
from pos_exchange.domain.exchange import LIVE_STATES, Exchange, State, TenderKind, TenderStatus
from pos_exchange.domain.journal import (
    GENESIS_HASH,
    Anchor,
    JournalEntry,
    canonical_json,
    entry_hash,
)
from pos_exchange.domain.numbering import looks_like_number, parse_number
from pos_exchange.domain.prices import prices_in_force
from pos_exchange.domain.sale import Funding, Sale
from pos_exchange.domain.shipment import SHIP_REFUND_PREFIX, ShipmentState
from pos_exchange.domain.users import (
    User,
    after_wrong_pin,
    check_new_user,
    check_pin,
    refuse_if_locked,
)
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
from pos_exchange.services.views import (
    CashPayout,
    DeadLetter,
    ExchangeSummary,
    OutboxRecord,
    OutboxSummary,
    SaleCopy,
    SaleMatch,
)

SETTLED = {State.PAID, State.IN_TRANSIT, State.COMPLETED}


@dataclass
class Store:
    """Everything the fake database holds."""

    items: dict[str, Item] = field(default_factory=dict)
    barcodes: dict[str, str] = field(default_factory=dict)
    prices: list[tuple[str, date, int]] = field(default_factory=list)
    stock: dict[str, int] = field(default_factory=dict)
    stock_moves: list[tuple[str, str, int, str | None]] = field(default_factory=list)
    sync: dict[str, int] = field(default_factory=dict)
    customers: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    sales: dict[str, tuple[Sale, str]] = field(default_factory=dict)       # id -> (sale, store)
    # What the rest of the chain took from a sale, from the hub's copy (SaleRepository.cache)
    elsewhere: dict[str, Sale] = field(default_factory=dict)
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    exchanges: dict[str, tuple[Exchange, datetime]] = field(default_factory=dict)  # updated_at
    sequences: dict[tuple[str, str], int] = field(default_factory=dict)
    journal: list[JournalEntry] = field(default_factory=list)
    checkpoints: list[Anchor] = field(default_factory=list)
    anchors: list[tuple[Anchor, str]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    attempts: dict[str, Attempt] = field(default_factory=dict)
    executions: dict[str, dict[str, Any]] = field(default_factory=dict)
    closes: list[Any] = field(default_factory=list)     # day closes (views.DayClose)
    payouts: dict[str, Any] = field(default_factory=dict)   # tender id -> views.CashPayout


class FakeCatalogue:
    def __init__(self, db: Store) -> None:
        self.db = db

    def by_sku(self, sku: str) -> Item:
        if sku not in self.db.items:
            raise NotFound("UNKNOWN_SKU", sku=sku)
        return self.db.items[sku]

    def by_barcode(self, code: str) -> Item:
        if code not in self.db.barcodes:
            raise NotFound("UNKNOWN_BARCODE", barcode=code)
        return self.by_sku(self.db.barcodes[code])

    def prices_between(self, sku: str, since: date, until: date) -> list[int]:
        return prices_in_force([(d, p) for s, d, p in self.db.prices if s == sku], since, until)

    def on_hand(self, sku: str) -> int:
        return self.db.stock.get(sku, 0)

    def adjust_stock(self, sku: str, delta: int, now: datetime,
                     exchange_uuid: str | None = None) -> None:
        self.db.stock[sku] = self.db.stock.get(sku, 0) + delta
        if delta:
            self.db.stock_moves.append((sku, "move", delta, exchange_uuid))

    def add_item(self, item: Item, tier: str | None, stock: int, now: datetime,
                 price_history: list[tuple[date, int]] = ()) -> None:  # type: ignore[assignment]
        self.db.items[item.sku] = item
        for code in item.barcodes:
            self.db.barcodes[code] = item.sku
        for day, price in list(price_history) or [(now.date(), item.price_minor)]:
            self.db.prices.append((item.sku, day, price))
        self.db.stock[item.sku] = stock
        self.db.stock_moves.append((item.sku, "set", stock, None))

    def count(self) -> int:
        return len(self.db.items)

    def apply_hub_item(self, item: Mapping[str, Any], now: datetime) -> None:
        raise NotImplementedError("catalogue pulls are tested on SQLite")

    def set_on_hand(self, sku: str, on_hand: int, now: datetime) -> None:
        if sku in self.db.items:
            self.db.stock[sku] = max(0, on_hand)
            self.db.stock_moves.append((sku, "set", max(0, on_hand), None))

    def sync_version(self, key: str) -> int:
        return self.db.sync.get(key, 0)

    def set_sync_version(self, key: str, value: int) -> None:
        self.db.sync[key] = value


def _refunded_unshipped(ex: Exchange) -> tuple[list[int], dict[str, int]]:
    """As SaleRepository._refunded_unshipped: the new sale's lines refunded as unshippable
    (numbered as the sale numbers them) and what those refunds gave back per payment."""
    gone = {n for s in ex.shipments if s.state is ShipmentState.UNFULFILLABLE
            for n in (*s.line_nos, *(() if s.fee_line_no is None else (s.fee_line_no,)))}
    if not gone:
        return [], {}
    ordered = sorted(r.line_no for r in ex.requested)
    back: dict[str, int] = {}
    for t in ex.refunds:
        if (t.compensates or "").startswith(SHIP_REFUND_PREFIX):
            back[t.payment_id] = back.get(t.payment_id, 0) + t.amount_minor + t.rounding_minor
    return [i for i, n in enumerate(ordered, 1) if n in gone], back


class FakeSales:
    def __init__(self, db: Store) -> None:
        self.db = db

    def find(self, key: str) -> Sale:
        key = key.strip()
        for sale, _store in self.db.sales.values():
            if key in (sale.order_number, sale.receipt_barcode, key.upper()) and \
                    (sale.order_number in (key, key.upper()) or sale.receipt_barcode == key):
                return self.get(sale.sale_id)
        raise NotFound("UNKNOWN_SALE", key=key)

    def _live_returning(self, sale_id: str, excluding: str | None) -> list[Exchange]:
        return [ex for ex, _ in self.db.exchanges.values()
                if ex.original_sale_id == sale_id and ex.state in LIVE_STATES
                and ex.uuid != excluding]

    def get(self, sale_id: str, *, excluding: str | None = None) -> Sale:
        if sale_id not in self.db.sales:
            raise NotFound("UNKNOWN_SALE", key=sale_id)
        sale, _store = self.db.sales[sale_id]
        if sale.source_exchange_uuid:
            source = self.db.exchanges.get(sale.source_exchange_uuid)
            if source and source[0].state is State.VOIDED:
                raise NotFound("SALE_VOIDED", number=sale.order_number)
        taken: dict[int, list[Any]] = {}
        copy = self.db.elsewhere.get(sale_id)
        for line in copy.lines if copy else ():
            if line.returned_qty:
                taken[line.line_id] = [line.returned_qty, line.credited_net_minor,
                                       line.credited_tax_minor]
        for ex in self._live_returning(sale_id, excluding):
            for r in ex.returned:
                if r.sale_line_id is not None:
                    acc = taken.setdefault(r.sale_line_id, [0, 0, 0])
                    acc[0] += r.qty
                    # Credits are known only when every part of them is.
                    acc[1] = None if acc[1] is None else acc[1] + r.credit_net_minor
                    acc[2] = None if acc[2] is None else acc[2] + r.credit_tax_minor
        source = self.db.exchanges.get(sale.source_exchange_uuid or "")
        refunded, paid_back = _refunded_unshipped(source[0]) if source else ([], {})
        for line in sale.lines:   # never reached the customer: nothing left of it
            if line.line_id in refunded:
                taken[line.line_id] = [line.qty, line.net_minor, line.tax_minor]
        lines = tuple(replace(line, returned_qty=taken[line.line_id][0],
                              credited_net_minor=taken[line.line_id][1],
                              credited_tax_minor=taken[line.line_id][2])
                      if line.line_id in taken else line for line in sale.lines)
        drawn: dict[str, int] = {}
        for ex, _ in self.db.exchanges.values():
            if ex.original_sale_id == sale_id and ex.state in SETTLED:
                for d in ex.draws:
                    drawn[d.payment_id] = drawn.get(d.payment_id, 0) + d.amount_minor
        for payment_id, amount in paid_back.items():
            drawn[payment_id] = drawn.get(payment_id, 0) + amount
        elsewhere = {f.payment_id: f.drawn_minor for f in copy.funding} if copy else {}
        funding = tuple(replace(f, drawn_minor=drawn.get(f.payment_id, 0)
                                + elsewhere.get(f.payment_id, 0)) for f in sale.funding)
        return replace(sale, lines=lines, funding=funding)

    def cache(self, copy: SaleCopy, now: datetime) -> None:
        sale = copy.sale
        sale_id = next((sid for sid, (held, _) in self.db.sales.items()
                        if held.order_number == sale.order_number), None)
        if sale_id is None:
            sale_id = f"hub-{sale.order_number}"
            clean = replace(sale, sale_id=sale_id,
                            lines=tuple(replace(ln, returned_qty=0, credited_net_minor=None,
                                                credited_tax_minor=None) for ln in sale.lines),
                            funding=tuple(replace(f, drawn_minor=0) for f in sale.funding))
            self.db.sales[sale_id] = (clean, sale.store_id or "")
        if sale.customer_id and sale.customer_id not in self.db.customers:
            self.db.customers[sale.customer_id] = (copy.customer_name or sale.customer_id,
                                                   copy.customer_phone)
        if copy.voided:
            sale = replace(sale, lines=tuple(replace(ln, returned_qty=ln.qty)
                                             for ln in sale.lines))
        self.db.elsewhere[sale_id] = sale

    def search(self, text: str, limit: int = 20) -> list[SaleMatch]:
        text = text.strip().lower()
        if len(text) < 2:
            return []
        found = [SaleMatch(s.order_number, s.sold_at, s.customer_id, name, phone)
                 for s, _ in self.db.sales.values() if s.customer_id in self.db.customers
                 for name, phone in [self.db.customers[s.customer_id]]
                 if text in name.lower() or text == (s.customer_id or "").lower()]
        return sorted(found, key=lambda m: m.sold_at, reverse=True)[:limit]

    def customer_name(self, customer_id: str | None) -> str | None:
        return self.db.customers.get(customer_id or "", (None, None))[0]

    def add_customer(self, customer_id: str, name: str, phone: str | None = None) -> None:
        self.db.customers[customer_id] = (name, phone)

    def sold_at(self, sale_id: str) -> datetime:
        return self.db.sales[sale_id][0].sold_at

    def order_number(self, sale_id: str) -> str | None:
        return self.db.sales[sale_id][0].order_number if sale_id in self.db.sales else None

    def live_exchanges_returning(self, sale_id: str) -> list[str]:
        return [ex.number for ex in self._live_returning(sale_id, None) if ex.returned]

    def add_payment(self, payment_id: str, method: str, amount_minor: int, currency: str,
                    created_at: datetime, card_brand: str | None = None,
                    card_last4: str | None = None, reference: str | None = None) -> None:
        self.db.payments[payment_id] = {"method": method, "amount": amount_minor,
                                        "brand": card_brand, "last4": card_last4,
                                        "reference": reference}

    def add(self, sale: Sale, store_id: str) -> None:
        funding = tuple(replace(f, card_brand=self.db.payments.get(f.payment_id, {}).get("brand"),
                                card_last4=self.db.payments.get(f.payment_id, {}).get("last4"))
                        if isinstance(f, Funding) else f for f in sale.funding)
        self.db.sales[sale.sale_id] = (replace(sale, funding=funding), store_id)

    def count(self) -> int:
        return len(self.db.sales)


class FakeExchanges:
    def __init__(self, db: Store) -> None:
        self.db = db

    def next_seq(self, store_id: str, register_id: str) -> int:
        key = (store_id, register_id)
        self.db.sequences[key] = self.db.sequences.get(key, 0) + 1
        return self.db.sequences[key]

    def uuid_for(self, key: str) -> str:
        key = key.strip()
        if looks_like_number(key):
            parse_number(key)
        for uuid, (ex, _) in self.db.exchanges.items():
            if key.lower() == uuid or key.upper() == ex.number:
                return uuid
        raise NotFound("UNKNOWN_EXCHANGE", key=key)

    def get(self, key: str) -> Exchange:
        ex = copy.deepcopy(self.db.exchanges[self.uuid_for(key)][0])
        ex.events = []
        return ex

    def add(self, ex: Exchange, now: datetime) -> None:
        self.save(ex, now)

    def save(self, ex: Exchange, now: datetime) -> None:
        stored = copy.deepcopy(ex)
        stored.events = []
        self.db.exchanges[ex.uuid] = (stored, now)

    def save_state_and_links(self, ex: Exchange, now: datetime) -> None:
        stored = copy.deepcopy(self.db.exchanges[ex.uuid][0])
        stored.state, stored.links = ex.state, dict(ex.links)
        self.db.exchanges[ex.uuid] = (stored, now)

    def _all(self) -> list[tuple[Exchange, datetime]]:
        return list(self.db.exchanges.values())

    def customer_exchanges_today(self, customer_id: str, now: datetime, tz: tzinfo,
                                 exclude: str) -> int:
        start, end = day_bounds(now, tz)
        return sum(1 for ex, _ in self._all() if ex.customer_id == customer_id
                   and ex.uuid != exclude and ex.state in LIVE_STATES
                   and start <= ex.created_at < end)

    def payment_reference_used(self, reference: str) -> bool:
        return any(t.reference == reference and t.kind is TenderKind.PAYMENT
                   for ex, _ in self._all() for t in ex.tenders)

    def submitted_unsettled(self, user_id: str, now: datetime, tz: tzinfo,
                            exclude: str) -> list[str]:
        start, end = day_bounds(now, tz)
        return [ex.uuid for ex, updated in self._all() if ex.submitted_by == user_id
                and ex.uuid != exclude and ex.state in (State.DRAFT, State.PENDING_APPROVAL)
                and start <= updated < end]

    def refunds_by_user_today(self, user_id: str, now: datetime, tz: tzinfo) -> int:
        start, end = day_bounds(now, tz)
        return sum(t.amount_minor for ex, _ in self._all() if ex.submitted_by == user_id
                   for t in ex.tenders if t.kind is TenderKind.REFUND
                   and t.compensates is None and start <= t.created_at < end)

    def flagged(self, limit: int = 50) -> list[tuple[str, list[str]]]:
        rows = sorted((ex for ex, _ in self._all() if ex.links.get("oms_status") == "flagged"),
                      key=lambda ex: ex.created_at, reverse=True)
        return [(ex.number, [f for f in ex.links.get("oms_flags", "").split(",") if f])
                for ex in rows[:limit]]

    def customer_exchange_uuids_today(self, customer_id: str, now: datetime, tz: tzinfo,
                                      exclude: str) -> list[str]:
        start, end = day_bounds(now, tz)
        return [ex.uuid for ex, _ in self._all() if ex.customer_id == customer_id
                and ex.uuid != exclude and ex.state in LIVE_STATES
                and start <= ex.created_at < end]

    def refunds_by_user_today_by_exchange(self, user_id: str, now: datetime,
                                          tz: tzinfo) -> dict[str, int]:
        start, end = day_bounds(now, tz)
        found: dict[str, int] = {}
        for ex, _ in self._all():
            for t in ex.tenders:
                if ex.submitted_by == user_id and t.kind is TenderKind.REFUND and \
                        t.compensates is None and start <= t.created_at < end:
                    found[ex.uuid] = found.get(ex.uuid, 0) + t.amount_minor
        return found

    def cash_totals(self, store_id: str, register_id: str, start: datetime,
                    end: datetime) -> tuple[int, int]:
        tenders = [t for ex, _ in self._all() if (ex.store_id, ex.register_id) ==
                   (store_id, register_id) for t in ex.tenders
                   if t.method == "cash" and start <= t.created_at < end]
        paid_out = sum(p.amount_minor for p in self.db.payouts.values()
                       if p.register_id == register_id and start <= p.paid_at < end and
                       self.db.exchanges[p.exchange_uuid][0].store_id == store_id)
        return (sum(t.amount_minor for t in tenders if t.kind is TenderKind.PAYMENT),
                sum(t.amount_minor for t in tenders if t.kind is TenderKind.REFUND and
                    not (t.compensates or "").startswith(SHIP_REFUND_PREFIX)) + paid_out)

    def record_payout(self, payout: CashPayout) -> bool:
        ex = self.db.exchanges[payout.exchange_uuid][0]
        tender = next((t for t in ex.tenders if t.tender_id == payout.tender_id), None)
        if tender is None or tender.kind is not TenderKind.REFUND or \
                tender.method != "cash" or tender.status is not TenderStatus.PENDING:
            return False
        if payout.tender_id in self.db.payouts:
            raise StorageError("AUDIT_APPEND_ONLY")
        tender.status = TenderStatus.CONFIRMED
        self.db.payouts[payout.tender_id] = payout
        return True

    def payouts(self, exchange_uuid: str) -> list[CashPayout]:
        return sorted((p for p in self.db.payouts.values() if p.exchange_uuid == exchange_uuid),
                      key=lambda p: (p.paid_at, p.tender_id))

    def list(self, *, states: Iterable[State] | None = None, since: datetime | None = None,
             text: str | None = None, register_id: str | None = None,
             limit: int = 200) -> list[ExchangeSummary]:
        wanted = set(states) if states else None
        rows = []
        for ex, _ in sorted(self._all(), key=lambda pair: pair[0].created_at, reverse=True):
            if (wanted and ex.state not in wanted) or (since and ex.created_at < since) or \
                    (register_id and ex.register_id != register_id) or \
                    (text and text.strip().lower() not in ex.number.lower()):
                continue
            user = self.db.users.get(ex.created_by, {}).get("user")
            rows.append(ExchangeSummary(
                ex.uuid, ex.number, str(ex.state), ex.created_at, ex.created_by,
                user.name if user else None, ex.customer_id,
                self.db.customers.get(ex.customer_id or "", (None, None))[0],
                ex.original_order_number, ex.currency, ex.valuation().gap_minor))
        return rows[:limit]


class FakeJournal:
    def __init__(self, db: Store) -> None:
        self.db = db

    def head(self) -> tuple[int, str]:
        last = self.db.journal[-1] if self.db.journal else None
        return (last.seq, last.hash) if last else (0, GENESIS_HASH)

    def append(self, *, ts: datetime, store: str, register: str, user: str, event: str,
               exchange_uuid: str | None, payload: Mapping[str, Any]) -> JournalEntry:
        seq, prev = self.head()
        stamp = ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        entry = JournalEntry(seq + 1, stamp, store, register, user, event, exchange_uuid,
                             canonical_json(dict(payload)), prev, "")
        entry = replace(entry, hash=entry_hash(prev, entry.body()))
        self.db.journal.append(entry)
        return entry

    def entries(self, exchange_uuid: str | None = None, *, since_seq: int = 0,
                limit: int | None = None) -> list[JournalEntry]:
        found = [e for e in self.db.journal
                 if (exchange_uuid is None or e.exchange_uuid == exchange_uuid)
                 and e.seq > since_seq]
        return found if limit is None else found[:limit]

    def anchors(self, source: str | None = None) -> list[Anchor]:
        return [a for a, s in self.db.anchors if source is None or s == source]

    def anchored(self, seq: int) -> bool:
        return any(a.seq == seq for a, _ in self.db.anchors)

    def last_anchor(self, source: str) -> Anchor | None:
        found = [a for a in self.anchors(source) if a.seq]
        return max(found, key=lambda a: a.seq) if found else None

    def add_anchor(self, anchor: Anchor, source: str, now: datetime) -> None:
        self.db.anchors.append((anchor, source))

    def checkpoints(self) -> list[Anchor]:
        return sorted(self.db.checkpoints, key=lambda a: a.seq)

    def add_checkpoint(self, point: Anchor, now: datetime) -> None:
        self.db.checkpoints.append(point)

    def hashes_at(self, seqs: Iterable[int]) -> dict[int, str]:
        wanted = set(seqs)
        return {e.seq: e.hash for e in self.db.journal if e.seq in wanted}

    def linked_up_to(self, seq: int) -> bool:
        prefix = [e for e in self.db.journal if e.seq <= seq]
        return [e.seq for e in prefix] == list(range(1, seq + 1)) and all(
            e.prev_hash == (prefix[i - 1].hash if i else GENESIS_HASH)
            for i, e in enumerate(prefix))


class FakeOutbox:
    def __init__(self, db: Store) -> None:
        self.db = db
        self._ids = itertools.count(len(db.outbox) + 1)

    def add(self, message_id: str, exchange_uuid: str, topic: str,
            payload: Mapping[str, Any], now: datetime) -> None:
        self.db.outbox.append({"id": next(self._ids), "message_id": message_id,
                               "exchange_uuid": exchange_uuid, "topic": topic,
                               "payload": canonical_json(dict(payload)), "created_at": now,
                               "attempts": 0, "status": "pending", "next_at": None,
                               "error": None})

    def _by_id(self, outbox_id: int) -> dict[str, Any]:
        return next(r for r in self.db.outbox if r["id"] == outbox_id)

    def pending_count(self) -> int:
        return sum(1 for r in self.db.outbox if r["status"] == "pending")

    def due(self, now: datetime, limit: int) -> list[OutboxRecord]:
        return [OutboxRecord(r["id"], r["message_id"], r["exchange_uuid"], r["topic"],
                             r["payload"], r["attempts"]) for r in self.db.outbox
                if r["status"] == "pending" and (r["next_at"] is None or r["next_at"] <= now)
                ][:limit]

    def mark_sent(self, outbox_id: int) -> None:
        self._by_id(outbox_id).update(status="sent", error=None)

    def mark_sent_many(self, outbox_ids: Sequence[int]) -> None:
        for outbox_id in outbox_ids:
            row = self._by_id(outbox_id)
            row.update(status="sent", error=None, attempts=row["attempts"] + 1)

    def prune_sent(self, before: datetime, limit: int) -> int:
        gone = [r for r in self.db.outbox
                if r["status"] == "sent" and r["created_at"] < before][:limit]
        self.db.outbox[:] = [r for r in self.db.outbox if r not in gone]
        return len(gone)

    def retry_later(self, outbox_id: int, next_at: datetime, error: str) -> None:
        row = self._by_id(outbox_id)
        row.update(attempts=row["attempts"] + 1, next_at=next_at, error=error)

    def dead_letter(self, outbox_id: int, error: str) -> None:
        row = self._by_id(outbox_id)
        row.update(status="dead", attempts=row["attempts"] + 1, error=error)

    def requeue(self, outbox_id: int) -> bool:
        row = self._by_id(outbox_id)
        if row["status"] != "dead":
            return False
        row.update(status="pending", attempts=0, next_at=None)
        return True

    def summary(self, count_sent: bool = False) -> OutboxSummary:
        pending = [r for r in self.db.outbox if r["status"] == "pending"]
        return OutboxSummary(len(pending),
                             sum(1 for r in self.db.outbox if r["status"] == "sent")
                             if count_sent else None,
                             sum(1 for r in self.db.outbox if r["status"] == "dead"),
                             min((r["created_at"] for r in pending), default=None))

    def dead_letters(self) -> list[DeadLetter]:
        return [DeadLetter(r["id"], r["exchange_uuid"], r["topic"], r["attempts"], r["error"],
                           r["created_at"]) for r in self.db.outbox if r["status"] == "dead"]


class FakeUsers:
    """PINs are kept as given: this is a test double, the real repository hashes them."""

    def __init__(self, db: Store) -> None:
        self.db = db

    def get(self, user_id: str) -> User:
        if user_id not in self.db.users:
            raise NotFound("UNKNOWN_USER", user=user_id)
        return self.db.users[user_id]["user"]

    def by_badge(self, badge: str) -> User:
        for row in self.db.users.values():
            if row["user"].badge == badge:
                return row["user"]
        raise NotFound("UNKNOWN_BADGE")

    def names(self) -> dict[str, str]:
        return {uid: row["user"].name for uid, row in self.db.users.items()}

    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None,
            now: datetime) -> User:
        check_new_user(user_id, name, role)
        if user_id in self.db.users:
            raise Refused("USER_EXISTS", user=user_id)
        user = User(user_id, name.strip(), role, badge, True)
        self.db.users[user_id] = {"user": user, "pin": check_pin(pin), "failures": 0,
                                  "locked_until": None}
        return user

    def set_pin(self, user_id: str, pin: str) -> None:
        self.get(user_id)
        self.db.users[user_id].update(pin=check_pin(pin), failures=0, locked_until=None)

    def verify_pin(self, user_id: str, pin: str, now: datetime) -> User:
        row = self.db.users.get(user_id)
        if row is None or not row["user"].active:
            raise Refused("BAD_CREDENTIALS")
        refuse_if_locked(row["locked_until"], now)
        if pin != row["pin"]:
            failures, locked = after_wrong_pin(row["failures"], now)
            row.update(failures=failures, locked_until=locked)
            raise Refused("BAD_CREDENTIALS")
        row.update(failures=0, locked_until=None)
        return row["user"]


class FakeCardAttempts:
    def __init__(self, db: Store) -> None:
        self.db = db

    def add(self, attempt: Attempt, reader_id: str | None, now: datetime) -> None:
        self.db.attempts[attempt.attempt_id] = attempt

    def get(self, attempt_id: str) -> Attempt:
        return self.db.attempts[attempt_id]

    def update(self, attempt_id: str, now: datetime, **values: Any) -> Attempt:
        if "status" in values:
            values["status"] = AttemptStatus(values["status"])
        self.db.attempts[attempt_id] = replace(self.db.attempts[attempt_id], **values)
        return self.db.attempts[attempt_id]

    def update_open(self, attempt_id: str, now: datetime,
                    **values: Any) -> tuple[Attempt, bool]:
        if self.db.attempts[attempt_id].status not in OPEN:
            return self.db.attempts[attempt_id], False
        return self.update(attempt_id, now, **values), True

    def open_for(self, exchange_uuid: str) -> list[Attempt]:
        return [a for a in self.db.attempts.values()
                if a.exchange_uuid == exchange_uuid and a.status in OPEN]

    def all_open(self) -> list[Attempt]:
        return [a for a in self.db.attempts.values() if a.status in OPEN]

    def pending_card_refunds(self) -> list[dict[str, Any]]:
        raise NotImplementedError("card refunds run against the SQL repository's joins")

    def failed_card_refunds(self) -> list[dict[str, Any]]:
        return []

    def ensure_execution(self, tender_id: str, key: str, now: datetime) -> None:
        self.db.executions.setdefault(tender_id, {"key": key, "status": "pending"})

    def execution_done(self, tender_id: str, refund_id: str, ok: bool, message: str | None,
                       now: datetime) -> None:
        self.db.executions[tender_id]["status"] = "succeeded" if ok else "failed"

    def execution_retry_later(self, tender_id: str, message: str, now: datetime) -> None:
        self.db.executions[tender_id]["last_error"] = message


class FakeReports:
    """The back office's read side. The facts are built the hub's way, from each closed
    exchange's record (``metrics.fact_from_record``): the SQL query of
    adapters/db/reports.py must agree with it, which tests/integration/test_metrics_*.py
    check on real databases."""

    def __init__(self, db: Store) -> None:
        self.db = db
        self.journal = FakeJournal(db)

    def exchange_facts(self, start: datetime, end: datetime, tz: tzinfo) -> list[Any]:
        from pos_exchange.services.metrics import CLOSED_STATES, fact_from_record
        from pos_exchange.services.record import from_exchange

        facts = []
        dead = {r["exchange_uuid"] for r in self.db.outbox if r["status"] == "dead"}
        for ex, _ in self.db.exchanges.values():
            began = ex.started_at or ex.created_at
            if str(ex.state) not in CLOSED_STATES or not start <= began < end:
                continue
            fact = fact_from_record(from_exchange(ex, self.journal.entries(ex.uuid), None, tz),
                                    flagged=ex.links.get("oms_status") == "flagged")
            if fact is not None:
                facts.append(fact._replace(dead_lettered=ex.uuid in dead))
        return sorted(facts, key=lambda f: f.number)

    def on_hand(self, skus: Iterable[str]) -> dict[str, int]:
        return {sku: self.db.stock[sku] for sku in set(skus) if sku in self.db.stock}

    def handed_out_since(self, since: datetime, limit: int = 1000) -> list[str]:
        last: dict[str, datetime] = {}
        for ex, _ in self.db.exchanges.values():
            if ex.state in SETTLED and ex.valuation().gap_minor > 0 and ex.finalized_at \
                    and ex.finalized_at >= since:
                for line in ex.requested:
                    last[line.sku] = max(last.get(line.sku, ex.finalized_at), ex.finalized_at)
        return [sku for sku, _ in sorted(last.items(), key=lambda kv: (-kv[1].timestamp(),
                                                                        kv[0]))][:limit]

    def tender_moves(self, start: datetime | None, end: datetime) -> list[Any]:
        from pos_exchange.services.views import TenderMove

        def owed(t: Any) -> bool:   # a cash refund owed moves when it is paid out
            return t.kind is TenderKind.REFUND and t.method == "cash" and \
                (t.compensates or "").startswith(SHIP_REFUND_PREFIX)

        def at(t: Any) -> datetime | None:
            if not owed(t):
                return t.created_at
            payout = self.db.payouts.get(t.tender_id)
            return payout.paid_at if payout else None

        moves = [TenderMove(t.tender_id, ex.uuid, ex.number, str(t.kind), t.method,
                            t.amount_minor, t.rounding_minor, str(t.status), t.compensates,
                            t.card_brand, ex.currency, when)
                 for ex, _ in self.db.exchanges.values() for t in ex.tenders
                 if (when := at(t)) is not None and (start is None or when > start)
                 and when <= end]
        return sorted(moves, key=lambda m: m.created_at)

    def events_between(self, start: datetime | None, end: datetime,
                       events: Iterable[str]) -> list[tuple[str, str | None, dict[str, Any]]]:
        import json

        wanted = set(events)
        stamp = end.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        first = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if start else ""
        return [(e.event, e.exchange_uuid, json.loads(e.payload)) for e in self.db.journal
                if e.event in wanted and first < e.ts <= stamp]

    def exchange_kinds(self, uuids: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        wanted = set(uuids)
        return {ex.uuid: (ex.number, ex.valuation().gap_minor, str(ex.state))
                for ex, _ in self.db.exchanges.values() if ex.uuid in wanted}

    def closes(self) -> list[Any]:
        return sorted(self.db.closes, key=lambda c: c.z_number)

    def add_close(self, close: Any) -> None:
        if any(c.z_number == close.z_number or c.business_day == close.business_day
               for c in self.db.closes):
            raise Refused("DAY_ALREADY_CLOSED", day=close.business_day, z=close.z_number)
        self.db.closes.append(close)
class FakeBooks:
    """The tables as stored, built from the fake store's aggregates (what the SQL
    repository reads from its rows)."""

    def __init__(self, db: Store) -> None:
        self.db = db

    def snapshot(self, uuids: Collection[str] | None = None) -> Books:
        chosen = {u: ex for u, (ex, _at) in self.db.exchanges.items()
                  if uuids is None or u in uuids}
        books = Books(ledger_from_seq=0)
        for uuid, ex in chosen.items():
            sale = self.db.sales.get(ex.original_sale_id or "")
            books.exchanges[uuid] = BookExchange(
                uuid, ex.number, str(ex.state), ex.currency, ex.created_by,
                sale[0].order_number if sale else None, ex.customer_id,
                ex.approval.approver_id if ex.approval else None, ex.valuation().gap_minor)
            books.lines.extend(BookLine(uuid, "returned", r.line_no, r.sku, r.qty,
                                        r.credit_minor, r.sale_line_id, r.restock, None, None)
                               for r in ex.returned)
            books.lines.extend(BookLine(uuid, "requested", r.line_no, r.sku, r.qty, None,
                                        None, False, r.unit_price_minor, str(r.tax_rate))
                               for r in ex.requested)
            books.tenders.extend(BookTender(
                tn.tender_id, uuid, str(tn.kind), tn.method, tn.amount_minor,
                tn.rounding_minor, tn.tendered_minor, tn.change_minor, str(tn.status),
                tn.payment_id, tn.card_brand, tn.card_last4, tn.reference)
                for tn in ex.tenders)
            books.draws.extend(BookDraw(uuid, i, d.payment_id, d.use, d.amount_minor)
                               for i, d in enumerate(ex.draws, 1))
        books.moves.extend(BookMove(u, sku, qty) for sku, kind, qty, u in self.db.stock_moves
                           if kind == "move" and u and u in chosen)
        books.outbox.extend(BookOutbox(r["id"], r["exchange_uuid"], r["topic"], r["payload"],
                                       r["status"]) for r in self.db.outbox
                            if r["exchange_uuid"] in chosen)
        for sku, on_hand in sorted(self.db.stock.items()):
            ledger: int | None = None
            for m_sku, kind, qty, _u in self.db.stock_moves:
                if m_sku == sku:
                    ledger = qty if kind == "set" else (ledger or 0) + qty
            books.stock.append(StockLevel(sku, on_hand, ledger))
        return books

    def recent_exchanges(self, since: datetime) -> set[str]:
        journaled = {e.exchange_uuid for e in self.db.journal}
        return {u for u, (ex, _at) in self.db.exchanges.items()
                if ex.created_at >= since or any(t.created_at >= since for t in ex.tenders)
                or u not in journaled}


class FakeUnitOfWork:
    """One transaction over a copy of the store; ``commit()`` makes the copy the store."""

    def __init__(self, store: Store, readonly: bool) -> None:
        self.store, self.readonly = store, readonly
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self.work = copy.deepcopy(self.store)
        self.catalogue = FakeCatalogue(self.work)
        self.sales = FakeSales(self.work)
        self.exchanges = FakeExchanges(self.work)
        self.journal = FakeJournal(self.work)
        self.outbox = FakeOutbox(self.work)
        self.users = FakeUsers(self.work)
        self.card_attempts = FakeCardAttempts(self.work)
        self.reports = FakeReports(self.work)
        self.books = FakeBooks(self.work)
        return self

    def commit(self) -> None:
        if not self.readonly:
            self.store.__dict__.update(self.work.__dict__)
        self.committed = True

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.work = Store()  # uncommitted work is simply dropped


class FakeUnitOfWorkFactory:
    """``services.ports.UnitOfWorkFactory`` over one in-memory store."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        self.commits = 0

    def __call__(self, *, readonly: bool = False) -> FakeUnitOfWork:
        return _Counting(self, readonly)


class _Counting(FakeUnitOfWork):
    def __init__(self, factory: FakeUnitOfWorkFactory, readonly: bool) -> None:
        super().__init__(factory.store, readonly)
        self.factory = factory

    def commit(self) -> None:
        super().commit()
        if not self.readonly:
            self.factory.commits += 1
