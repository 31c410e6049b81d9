"""`audit verify --deep`: replay the journal and compare it with the business tables.

The hash chain proves the journal was not changed; it says nothing about the tables the
register actually reads (a cash tender edited in ``exchange_tenders`` alone changes the
drawer total and passes every chain check). This module rebuilds each exchange from its
own journal entries, event by event, as the aggregate wrote them (``domain/exchange.py``:
the lines and their numbering, the state moves, every tender, the settlement's draws)
and names every place the tables say otherwise:

- ``exchanges``: number, state, who started it, the original sale, the customer, the
  approver, the gap;
- ``exchange_returned`` / ``exchange_requested``: each line's item, quantity, credit or
  price and total (recomputed from the stored price and tax rate);
- ``exchange_tenders``: every field of every tender; none missing, none added;
- ``exchange_draws``: where the settlement's credit went;
- ``stock_moves`` and ``stock``: what each settlement or void moved, and each item's level
  against its ledger;
- ``outbox``: a record for each settlement, cancellation and void, whose document (what
  the hub receives) carries the same lines, tenders and journal entries.

Not covered: what the journal does not hold (a returned line's condition and restock flag
come from the table itself; the net/tax split of a credit, only their sum).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import zip_longest
from typing import Any

from pos_exchange.domain.exchange import line_amounts
from pos_exchange.domain.journal import JournalEntry
from pos_exchange.domain.money import MINOR_UNITS, Money
from pos_exchange.services.books import BookExchange, BookLine, Books, BookTender
from pos_exchange.services.topics import REFUND_TOPIC

TOPIC_OF = {"PAID": "exchange.settled", "CANCELLED": "exchange.cancelled",
            "VOIDED": "exchange.voided"}
SETTLED_STATES = ("PAID", "IN_TRANSIT")
# Tender fields: (journal payload key, table attribute, is an amount)
TENDER_FIELDS = (("kind", "kind", False), ("method", "method", False),
                 ("amount", "amount_minor", True), ("rounding", "rounding_minor", True),
                 ("tendered", "tendered_minor", True), ("change", "change_minor", True),
                 ("status", "status", False), ("payment", "payment_id", False),
                 ("brand", "card_brand", False), ("last4", "card_last4", False),
                 ("reference", "reference", False))


@dataclass(frozen=True)
class Difference:
    """One place the tables and the journal disagree: a catalogue code (BOOKS_*) and its
    parameters, rendered at the edge."""

    code: str
    params: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, **{k: (v.minor if isinstance(v, Money) else v)
                                      for k, v in self.params.items()}}


@dataclass(frozen=True)
class DeepVerdict:
    exchanges: int            # exchanges replayed and compared
    entries: int              # journal entries replayed
    differences: list[Difference]
    bounded: bool             # the start-up form: recent exchanges only

    @property
    def ok(self) -> bool:
        return not self.differences


@dataclass
class _Line:
    line_no: int
    kind: str
    sku: str
    qty: int
    credit: int | None = None
    sale_line: int | None = None
    unit_price: int | None = None
    total: int | None = None


@dataclass
class _Replayed:
    uuid: str
    number: str = "?"
    currency: str = ""
    created_by: str | None = None
    state: str = "DRAFT"
    sale: str | None = None
    customer: str | None = None
    approver: str | None = None
    lines: dict[int, _Line] = field(default_factory=dict)
    tenders: dict[str, dict[str, Any]] = field(default_factory=dict)
    draws: list[tuple[str, str, int]] | None = None
    outbox: list[str] = field(default_factory=list)      # topics, in order
    outbox_seq: dict[str, int] = field(default_factory=dict)  # topic → its state entry
    stock: list[tuple[str, int]] = field(default_factory=list)  # (state moved from, sign)
    not_moved: set[str] = field(default_factory=set)   # shipped from elsewhere (issue 12)
    executed: set[str] = field(default_factory=set)    # card refunds confirmed afterwards
    settled_at_seq: int = 0
    hashes: dict[int, str] = field(default_factory=dict)
    order: list[tuple[int, str, str]] = field(default_factory=list)  # (seq, sent, was)

    def next_line_no(self) -> int:
        return 1 + max(self.lines, default=0)

    def find(self, kind: str, **match: Any) -> _Line | None:
        return next((ln for ln in self.lines.values() if ln.kind == kind and
                     all(getattr(ln, k) == v for k, v in match.items())), None)

    @property
    def gap(self) -> int:
        new = sum(ln.total or 0 for ln in self.lines.values() if ln.kind == "requested")
        credit = sum(ln.credit or 0 for ln in self.lines.values() if ln.kind == "returned")
        return new - credit


def _payload(entry: JournalEntry) -> dict[str, Any]:
    try:
        value = json.loads(entry.payload)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def replay(entries: Iterable[JournalEntry]) -> dict[str, _Replayed]:
    """Each exchange as its journal entries built it."""
    found: dict[str, _Replayed] = {}
    for entry in entries:
        if not entry.exchange_uuid:
            continue
        ex = found.setdefault(entry.exchange_uuid, _Replayed(entry.exchange_uuid))
        ex.hashes[entry.seq] = entry.hash
        _apply(ex, entry, _payload(entry))
    return found


def _apply(ex: _Replayed, entry: JournalEntry, p: dict[str, Any]) -> None:
    if p.get("number"):
        ex.number = str(p["number"])
    if p.get("currency"):
        ex.currency = str(p["currency"])
    event = entry.event
    if event == "exchange.started":
        ex.created_by, ex.sale, ex.customer = entry.user, p.get("sale"), p.get("customer")
    elif event == "exchange.sale_attached":
        ex.sale, ex.customer = p.get("sale"), p.get("customer")
    elif event == "line.returned":
        line = ex.find("returned", sale_line=p.get("sale_line"))
        if line is None:
            line = ex.lines.setdefault(ex.next_line_no(), _Line(
                ex.next_line_no(), "returned", str(p.get("sku")), 0,
                sale_line=p.get("sale_line")))
        line.qty, line.credit = p.get("qty", 0), p.get("credit")
    elif event == "line.returned_no_receipt":
        line = ex.find("returned", sale_line=None, sku=p.get("sku"))
        if line is None:
            line = ex.lines.setdefault(ex.next_line_no(), _Line(
                ex.next_line_no(), "returned", str(p.get("sku")), 0))
        line.qty, line.credit = p.get("qty", 0), p.get("credit")
    elif event == "line.requested":
        line = ex.find("requested", sku=p.get("sku"))
        if line is None:
            line = ex.lines.setdefault(ex.next_line_no(), _Line(
                ex.next_line_no(), "requested", str(p.get("sku")), 0,
                unit_price=p.get("unit_price")))
        line.qty, line.total = p.get("qty", 0), p.get("total")
    elif event == "line.removed":
        ex.lines.pop(p.get("line_no"), None)  # type: ignore[arg-type]
    elif event == "exchange.approved":
        ex.approver = p.get("approver")
    elif event in ("payment.recorded", "refund.recorded"):
        ex.tenders[str(p.get("tender"))] = p
    elif event == "refund.executed" and str(p.get("tender")) in ex.tenders:
        # The one change a money record may take (adapters/db/card_attempts.py
        # execution_done): a pending card refund confirmed, with the processor's id.
        tender = str(p.get("tender"))
        ex.tenders[tender] = {**ex.tenders[tender], "status": "confirmed",
                              "reference": p.get("refund")}
        ex.executed.add(tender)
    elif event == "exchange.finalized":
        ex.draws = [(str(d[0]), str(d[1]), d[2]) for d in p.get("draws") or []
                    if isinstance(d, list) and len(d) == 3]
    elif event == "shipment.awaiting_fulfilment":
        ex.not_moved = {str(sku) for sku in p.get("not_moved") or []}
    elif event == "shipment.refunded":   # its own record for the hub (services/shipments.py)
        ex.outbox.append(REFUND_TOPIC)
        ex.outbox_seq[REFUND_TOPIC] = entry.seq
    elif event == "exchange.state":
        sent, target = p.get("from"), str(p.get("to"))
        if sent != ex.state:
            ex.order.append((entry.seq, str(sent), ex.state))
        if target == "PAID":
            ex.stock.append((ex.state, 1))
            ex.settled_at_seq = entry.seq
        elif target == "VOIDED" and ex.state in SETTLED_STATES:
            ex.stock.append((ex.state, -1))
        if target in TOPIC_OF:
            ex.outbox.append(TOPIC_OF[target])
            ex.outbox_seq[TOPIC_OF[target]] = entry.seq
        ex.state = target


def compare(entries: list[JournalEntry], books: Books, *, bounded: bool = False
            ) -> DeepVerdict:
    """Every difference between the replayed journal and the tables. ``entries`` hold
    every entry of each exchange they name; ``books`` the rows of the exchanges to check
    (``bounded``: only some, the start-up form)."""
    replayed = replay(entries)
    found: list[Difference] = []
    lines = _by_exchange(books.lines)
    tenders = _by_exchange(books.tenders)
    draws = _by_exchange(books.draws)
    moves = _by_exchange(books.moves)
    outbox = _by_exchange(books.outbox)
    for uuid, ex in replayed.items():
        row = books.exchanges.get(uuid)
        if row is None:
            found.append(_missing("exchanges", "exchange", ex.number))
            continue
        cur = ex.currency or row.currency
        found += _exchange(ex, row, cur)
        found += _lines(ex, lines.get(uuid, []))
        found += _tenders(ex, tenders.get(uuid, []), cur)
        found += _draws(ex, draws.get(uuid, []), cur)
        if ex.settled_at_seq > books.ledger_from_seq or not ex.stock:
            found += _moves(ex, lines.get(uuid, []), moves.get(uuid, []))
        found += _outbox(ex, outbox.get(uuid, []), cur, books.outbox_pruned_seq)
    # Every exchange read from the tables (all of them when ``complete``) must have
    # journal entries.
    for uuid in sorted(set(books.exchanges) - set(replayed)):
        found.append(_extra("exchanges", "exchange", books.exchanges[uuid].number))
    for kind, rows in (("exchange_tenders", tenders), ("outbox", outbox),
                       ("stock_moves", moves)):
        for uuid in sorted(set(rows) - set(replayed) - set(books.exchanges)):
            found.append(_extra(kind, "a row", uuid))
    for level in books.stock:
        if level.ledger is not None and level.ledger != level.on_hand:
            found.append(Difference("BOOKS_STOCK", {"sku": level.sku,
                                                    "on_hand": level.on_hand,
                                                    "expected": level.ledger}))
    return DeepVerdict(len(replayed), len(entries), found, bounded)


def _by_exchange(rows: Iterable[Any]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        out[row.exchange_uuid].append(row)
    return out


def _missing(table: str, what: str, number: str) -> Difference:
    return Difference("BOOKS_MISSING", {"table": table, "what": what, "number": number})


def _extra(table: str, what: str, number: str) -> Difference:
    return Difference("BOOKS_EXTRA", {"table": table, "what": what, "number": number})


def _differs(table: str, what: str, name: str, number: str, books: Any,
             journal: Any) -> Difference:
    return Difference("BOOKS_DIFFER", {"table": table, "what": what, "field": name,
                                       "number": number, "books": _shown(books),
                                       "journal": _shown(journal)})


def _shown(value: Any) -> Any:
    return "-" if value is None or value == "" else value


def _money(value: Any, currency: str) -> Any:
    """An amount in its currency, for the sentence; anything else as it is (a tampered
    value or currency is shown, never formatted into an error)."""
    ok = isinstance(value, int) and not isinstance(value, bool) and currency in MINOR_UNITS
    return Money(value, currency) if ok else value


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _exchange(ex: _Replayed, row: BookExchange, cur: str) -> list[Difference]:
    out = [Difference("BOOKS_JOURNAL_ORDER", {"number": ex.number, "seq": seq, "sent": sent,
                                              "state": was}) for seq, sent, was in ex.order]
    checks = (("number", row.number, ex.number), ("state", row.state, ex.state),
              ("created_by", row.created_by, ex.created_by),
              ("original sale", row.sale, ex.sale), ("customer", row.customer, ex.customer),
              ("approver", row.approver, ex.approver),
              ("gap", _money(row.gap_minor, cur), _money(ex.gap, cur)),
              # every event after the start names the currency; a bare start does not
              ("currency", row.currency, ex.currency or row.currency))
    for name, books, journal in checks:
        if books != journal:
            out.append(_differs("exchanges", "the exchange", name, ex.number, books, journal))
    return out


def _lines(ex: _Replayed, rows: list[BookLine]) -> list[Difference]:
    out: list[Difference] = []
    stored = {(r.kind, r.line_no): r for r in rows}
    for line in ex.lines.values():
        table = f"exchange_{line.kind}"
        what = f"line {line.line_no}"
        row = stored.pop((line.kind, line.line_no), None)
        if row is None:
            out.append(_missing(table, what, ex.number))
            continue
        values = [("sku", row.sku, line.sku), ("qty", row.qty, line.qty)]
        if line.kind == "returned":
            values += [("credit", row.credit_minor, line.credit),
                       ("sale line", row.sale_line_id, line.sale_line)]
        else:
            values += [("unit price", row.unit_price_minor, line.unit_price),
                       ("total", _requested_total(row), line.total)]
        out += [_differs(table, what, name, ex.number, books, journal)
                for name, books, journal in values if books != journal]
    out += [_extra(f"exchange_{kind}", f"line {line_no}", ex.number)
            for kind, line_no in sorted(stored)]
    return out


def _requested_total(row: BookLine) -> int | str:
    try:
        return line_amounts(int(row.unit_price_minor or 0), int(row.qty),
                            Decimal(row.tax_rate or "x"))[2]
    except (InvalidOperation, TypeError, ValueError):
        return f"unreadable (tax rate {row.tax_rate!r})"


def _tenders(ex: _Replayed, rows: list[BookTender], cur: str) -> list[Difference]:
    out: list[Difference] = []
    stored = {r.tender_id: r for r in rows}
    for tender_id, p in ex.tenders.items():
        what = f"tender {tender_id[:8]}"
        row = stored.pop(tender_id, None)
        if row is None:
            out.append(_missing("exchange_tenders", what, ex.number))
            continue
        for key, attr, amount in TENDER_FIELDS:
            books, journal = getattr(row, attr), p.get(key)
            if books != journal:
                out.append(_differs("exchange_tenders", what, key, ex.number,
                                    _money(books, cur) if amount else books,
                                    _money(journal, cur) if amount else journal))
    out += [_extra("exchange_tenders", f"tender {tid[:8]}", ex.number)
            for tid in sorted(stored)]
    return out


def _draws(ex: _Replayed, rows: list[Any], cur: str) -> list[Difference]:
    stored = [(r.payment_id, r.use, r.amount_minor) for r in sorted(rows, key=lambda r: r.seq)]
    journal = ex.draws or []
    if stored == journal:
        return []
    if not stored:
        return [_missing("exchange_draws", "the draws", ex.number)]
    if not journal:
        return [_extra("exchange_draws", "the draws", ex.number)]
    out = []
    for i, (books, drawn) in enumerate(zip_longest(stored, journal), 1):
        if books != drawn:
            out.append(_differs("exchange_draws", f"draw {i}", "credit drawn", ex.number,
                                _draw_text(books, cur), _draw_text(drawn, cur)))
    return out


def _draw_text(draw: tuple[Any, ...] | None, cur: str) -> str:
    if draw is None:
        return "none"
    payment, use, amount = draw
    return f"{use} {_money(amount, cur)} from {str(payment)[:8]}"


def _moves(ex: _Replayed, lines: list[BookLine], rows: list[Any]) -> list[Difference]:
    """What the settlement (and a void after it) moved, item by item. A returned line's
    restock flag is not journaled: it is read from the line itself."""
    restock = {r.line_no: r.restock for r in lines if r.kind == "returned"}
    expected: Counter[str] = Counter()
    for _state, sign in ex.stock:
        for line in ex.lines.values():
            if line.kind == "requested":
                if line.sku not in ex.not_moved:
                    expected[line.sku] -= sign * _int(line.qty)
            elif restock.get(line.line_no, True):
                expected[line.sku] += sign * _int(line.qty)
    stored: Counter[str] = Counter()
    for row in rows:
        stored[row.sku] += _int(row.qty)
    return [_differs("stock_moves", sku, "qty moved", ex.number, stored[sku], expected[sku])
            for sku in sorted(set(expected) | set(stored)) if stored[sku] != expected[sku]]


def _outbox(ex: _Replayed, rows: list[Any], cur: str, pruned_seq: int = 0
            ) -> list[Difference]:
    out: list[Difference] = []
    held = Counter(r.topic for r in rows)
    wanted = Counter(ex.outbox)
    for topic in sorted(set(wanted) | set(held)):
        if held[topic] < wanted[topic] and not held[topic] \
                and ex.outbox_seq.get(topic, 0) <= pruned_seq:
            continue  # sent and pruned under the outbox's retention (adapters/db/outbox.py)
        if held[topic] < wanted[topic]:
            out.append(_missing("outbox", topic, ex.number))
        elif held[topic] > wanted[topic]:
            out.append(_extra("outbox", topic, ex.number))
    for row in rows:
        out += _document(ex, row, cur)
    return out


def _document(ex: _Replayed, row: Any, cur: str) -> list[Difference]:
    """The record the hub receives says what the journal says."""
    what = f"record {row.id} ({row.topic})"
    try:
        doc = json.loads(row.payload)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        return [_differs("outbox", what, "document", ex.number, "unreadable", "a record")]
    out: list[Difference] = []

    def differ(name: str, books: Any, journal: Any) -> None:
        if books != journal:
            out.append(_differs("outbox", what, name, ex.number, books, journal))

    differ("uuid", doc.get("uuid"), ex.uuid)
    differ("number", doc.get("number"), ex.number)
    for t in doc.get("tenders") or []:
        p = ex.tenders.get(str(t.get("id"))) if isinstance(t, dict) else None
        if p is None:
            differ("tender", str(t.get("id") if isinstance(t, dict) else t)[:8], "-")
            continue
        for key in ("kind", "method", "status"):
            said = p.get(key)
            if key == "status" and str(t["id"]) in ex.executed and t.get(key) == "pending":
                said = "pending"   # sent before the refund was carried out
            differ(f"tender {str(t['id'])[:8]} {key}", t.get(key), said)
        differ(f"tender {str(t['id'])[:8]} amount", _money(t.get("amount"), cur),
               _money(p.get("amount"), cur))
    lines = {(ln.kind, ln.sku, ln.qty, ln.credit if ln.kind == "returned" else ln.total)
             for ln in ex.lines.values()}
    sent = {("returned", r.get("sku"), r.get("qty"), r.get("credit"))
            for r in doc.get("returned") or [] if isinstance(r, dict)}
    sent |= {("requested", r.get("sku"), r.get("qty"), r.get("total"))
             for r in doc.get("requested") or [] if isinstance(r, dict)}
    if sent != lines and row.topic != REFUND_TOPIC:   # a refund record names no basket
        differ("lines", _lines_text(sent), _lines_text(lines))
    carried = [(a.get("seq"), a.get("hash")) for a in doc.get("audit") or []
               if isinstance(a, dict)]
    head = doc.get("journal_head")
    if isinstance(head, dict):
        carried.append((head.get("seq"), head.get("hash")))
    for seq, digest in carried:
        if isinstance(seq, int) and ex.hashes.get(seq) != digest:
            differ(f"journal entry {seq}", str(digest)[:12], str(ex.hashes.get(seq))[:12])
    return out


def _lines_text(lines: set[tuple[Any, ...]]) -> str:
    return "; ".join(f"{kind} {sku} ×{qty} = {amount}"
                     for kind, sku, qty, amount in sorted(lines, key=str)) or "none"
