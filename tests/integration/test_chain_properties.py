"""Property-based tests of exchange chains, through the service layer.

Every example runs on its own copy of the demo database (hypothesis reuses a
function-scoped fixture across examples, so the ``app`` fixture would carry state
from one example into the next). A chain starts from a demo sale; each hop returns
items received in an earlier hop (the new sale an exchange books has the exchange's
number as its order number) and takes a cheaper, same-price or dearer item, paid in
cash and/or by card. After the sequence the whole money ledger is checked.

Three tests here are the witnesses of bugs they found (fixed since): voiding an exchange
whose new items a later hop returned, scanning one sale line unit by unit, and a
``sale_line_id`` trusted over the item actually scanned.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from pos_exchange.bootstrap import App, open_app
from pos_exchange.domain import money
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.sale import SaleLine
from pos_exchange.services.exchanges import ExchangeService
from tests.flows import copy_database

DEMO_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
# No shrink phase: an example is a few hundred milliseconds of database work, and
# shrinking a failing chain ran into hypothesis' five-minute limit. The failure report
# still lists every labelled draw, so a failing chain can be replayed by hand.
CHAIN_SETTINGS = settings(max_examples=25, deadline=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate],
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
CSRS = ("csr1", "csr2")
MANAGER, MANAGER_PIN = "mgr1", "9999"
# Keep the new items of one exchange under the 2000.00 cap, tax included.
NEW_TOTAL_LIMIT = 195_000
_copies = itertools.count()


class Clock:
    def __init__(self) -> None:
        self.now = DEMO_NOW

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def fresh_app(template: Path, workdir: Path, cash_rounding: str = "0.01"
              ) -> Iterator[tuple[App, Clock]]:
    """A private copy of the demo store, as the ``db_path`` fixture makes one."""
    target = workdir / f"chain-{next(_copies)}.sqlite3"
    copy_database(template, target)
    clock = Clock()
    app = open_app(str(target), clock=clock, policy={"cash_rounding": cash_rounding})
    try:
        yield app, clock
    finally:
        app.close()
        for path in workdir.glob(f"{target.name}*"):
            path.unlink()


def rows(app: App, sql: str, **params: Any) -> list[Any]:
    with app.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def start_sales(app: App) -> list[str]:
    """Demo sales recent enough to stay inside the return window for the whole chain."""
    since = (DEMO_NOW - timedelta(days=20)).strftime("%Y-%m-%d")
    return [r.order_number for r in rows(app, """
        SELECT DISTINCT s.order_number FROM sales s
        JOIN sale_lines l ON l.sale_id = s.sale_id JOIN items i ON i.sku = l.sku
        WHERE s.source_exchange_uuid IS NULL AND s.sold_at >= :since AND i.returnable = 1
        ORDER BY s.order_number""", since=since)]


def returnable_lines(app: App, order: str) -> list[SaleLine]:
    sale = app.exchanges.find_sale(order)
    ok = {r.sku for r in rows(app, "SELECT sku FROM items WHERE returnable = 1")}
    return [ln for ln in sale.lines if ln.returnable_qty > 0 and ln.sku in ok]


def barcodes(app: App, sku: str) -> list[str]:
    return [r.code for r in rows(app, "SELECT code FROM barcodes WHERE sku = :sku ORDER BY code",
                                 sku=sku)]


def snapshot(app: App) -> dict[str, Any]:
    """Everything a refused scan must leave exactly as it was."""
    out: dict[str, Any] = {
        "exchange_returned": rows(app, "SELECT * FROM exchange_returned "
                                       "ORDER BY exchange_uuid, line_no"),
        "exchange_requested": rows(app, "SELECT * FROM exchange_requested "
                                        "ORDER BY exchange_uuid, line_no"),
        "exchanges": rows(app, "SELECT * FROM exchanges ORDER BY uuid"),
        "stock": rows(app, "SELECT sku, on_hand FROM stock ORDER BY sku"),
    }
    for table in ("audit_journal", "exchange_tenders", "exchange_draws", "payments", "sales",
                  "outbox"):
        out[table] = rows(app, f"SELECT count(*) FROM {table}")[0][0]
    return out


# ---------------------------------------------------------------------------- one hop

@dataclass
class Chain:
    app: App
    clock: Clock
    data: st.DataObject
    increment: int
    sales: list[str] = field(default_factory=list)       # live sales of the chain, in order
    exchanges: list[str] = field(default_factory=list)   # every exchange started
    refs: itertools.count = field(default_factory=itertools.count)

    @property
    def svc(self) -> ExchangeService:
        return self.app.exchanges

    def draw(self, strategy: st.SearchStrategy, label: str) -> Any:
        return self.data.draw(strategy, label=label)

    # ------------------------------------------------------------------ basket
    def scan_returns(self, number: str, user: str, source: str) -> None:
        lines = returnable_lines(self.app, source)
        chosen = self.draw(st.lists(st.sampled_from(lines), min_size=1,
                                    max_size=min(3, len(lines)),
                                    unique_by=lambda ln: ln.line_id), "returned lines")
        for ln in chosen:
            qty = ln.returnable_qty
            if qty > 1 and self.draw(st.booleans(), "partial return"):
                qty = self.draw(st.integers(1, ln.returnable_qty - 1), "units back")
                event("partial return")
            how = self.draw(st.sampled_from(["line", "sku", "barcode"]), "scanned as")
            code = ln.sku
            if how == "barcode" and barcodes(self.app, ln.sku):
                code = self.draw(st.sampled_from(barcodes(self.app, ln.sku)), "barcode")
            line_id = ln.line_id if how == "line" else None
            # One scan a line here; test_scanning_a_line_unit_by_unit_is_the_same_as_one_scan
            # covers scanning the same line again.
            self.svc.scan_returned(number, user, code, qty=qty, sale_line_id=line_id)

    def candidates(self, qty: int, room: int) -> list[tuple[str, int]]:
        """In-stock returnable items (sku, total with tax) that fit under the value cap."""
        rates = self.app.settings.tax_rates
        out = []
        for r in rows(self.app, """
                SELECT i.sku, i.price_minor, i.tax_class FROM items i
                JOIN stock s ON s.sku = i.sku
                WHERE i.returnable = 1 AND s.on_hand >= :qty ORDER BY i.sku""", qty=qty):
            net = r.price_minor * qty
            total = net + money.line_tax(net, rates[r.tax_class])
            if total <= room:
                out.append((r.sku, total))
        return out

    def scan_requests(self, number: str, user: str) -> None:
        ex = self.svc.get(number)
        credit = ex.valuation().returned_credit_minor
        mode = self.draw(st.sampled_from(["dearer", "same", "cheaper"]), "price mode")
        event(f"mode={mode}")
        new_total = 0
        for n in range(self.draw(st.integers(1, 2), "requested items")):
            qty = self.draw(st.integers(1, 3), "requested qty")
            options = self.candidates(qty, NEW_TOTAL_LIMIT - new_total)
            if n == 0 and mode == "same":
                # The very items handed back, when the shelf has them: an even exchange
                # unless the price or tax changed since the sale.
                back = {r.sku: r.qty for r in ex.returned}
                same = [(sku, total) for sku, total in self.candidates(1, NEW_TOTAL_LIMIT)
                        if sku in back]
                options = []
                if same:
                    sku = self.draw(st.sampled_from(same), "same item")[0]
                    qty = back[sku]
                    options = [o for o in self.candidates(qty, NEW_TOTAL_LIMIT) if o[0] == sku]
                if not options:   # not on the shelf: the items priced closest to the credit
                    options = sorted(self.candidates(qty, NEW_TOTAL_LIMIT),
                                     key=lambda o: (abs(o[1] - credit), o[0]))[:5]
            elif n == 0:
                wanted = [o for o in options
                          if (o[1] > credit if mode == "dearer" else o[1] < credit)]
                options = wanted or options
            if not options:
                continue
            sku, total = self.draw(st.sampled_from(options), "requested item")
            self.svc.scan_requested(number, user, sku, qty=qty)
            new_total += total

    # ------------------------------------------------------------------ money
    def pay(self, number: str, user: str) -> None:
        """Settle what is due: card and/or cash, possibly in several parts."""
        for _ in range(3):
            due = self.svc.get(number).remaining_due_minor
            if due <= 0:
                return
            method = self.draw(st.sampled_from(["cash", "card"]), "method")
            partial = due > 1 and self.draw(st.booleans(), "partial payment")
            if method == "card":
                amount = self.draw(st.integers(1, due - 1), "card part") if partial else due
                self.card(number, user, amount)
                continue
            rounded = money.cash_round(due, self.increment)
            if partial and min(due, rounded) > 1:
                tendered = self.draw(st.integers(1, min(due, rounded) - 1), "cash part")
            else:
                tendered = max(rounded + self.draw(st.integers(0, 5_000), "change"), 1)
            tender = self.svc.pay_cash(number, user, money.format_plain(tendered, "USD"))
            assert tender.amount_minor <= tendered
            assert tender.change_minor == tendered - tender.amount_minor
        due = self.svc.get(number).remaining_due_minor
        if due > 0:
            self.card(number, user, due)

    def card(self, number: str, user: str, amount: int) -> None:
        self.svc.record_card_payment(number, user, money.format_plain(amount, "USD"),
                                     brand="visa", last4="4242",
                                     reference=f"pi_prop_{next(self.refs)}")

    # ------------------------------------------------------------------ hops
    def hop(self) -> bool:
        open_sales = [s for s in self.sales if returnable_lines(self.app, s)]
        if not open_sales:
            return False
        source = open_sales[-1]
        if len(open_sales) > 1 and self.draw(st.integers(0, 3), "go back") == 3:
            source = self.draw(st.sampled_from(open_sales[:-1]), "earlier sale")
            event("hop from an earlier sale")
        user = self.draw(st.sampled_from(CSRS), "csr")
        ex = self.svc.start(user, sale_key=source)
        self.exchanges.append(ex.number)
        assert ex.original_order_number == source
        self.scan_returns(ex.number, user, source)
        self.scan_requests(ex.number, user)
        ex = self.svc.submit(ex.number, user)
        if ex.state is State.PENDING_APPROVAL:
            event("approved by a manager")
            ex = self.svc.approve(ex.number, MANAGER, MANAGER_PIN, "property test")
        if ex.state is State.AWAITING_PAYMENT:
            if self.draw(st.integers(0, 7), "abandon after a part payment") == 7:
                due = self.svc.get(ex.number).remaining_due_minor
                self.card(ex.number, user, max(1, due // 2))
                ex = self.svc.void(ex.number, user, "customer left")
                assert ex.state is State.VOIDED
                event("voided before finalize")
                return True
            self.pay(ex.number, user)
        else:
            assert ex.state is State.DRAFT and ex.valuation().gap_minor <= 0
        ex = self.svc.finalize(ex.number, user)
        assert ex.state is State.IN_TRANSIT
        event(f"kind={ex.valuation().kind}")
        self.sales.append(ex.number)
        # Void it again while nothing was built on it yet (allowed unless it refunded).
        if self.draw(st.integers(0, 7), "void the newest exchange") == 7:
            self.try_void(ex.number, user)
        self.clock.now += self.draw(st.sampled_from(
            [timedelta(minutes=3), timedelta(hours=5), timedelta(days=1)]), "time passes")
        return True

    def try_void(self, number: str, user: str) -> None:
        refunded = bool(self.svc.get(number).refunds)
        try:
            ex = self.svc.void(number, user, "property test void")
        except PosError as err:
            event(f"void refused {err.code}")
            # Both are reasons enough; which one is named first does not matter.
            assert err.code in {"VOID_REFUND_ISSUED", "VOID_ITEMS_RETURNED"}
            return
        assert not refunded
        assert ex.state is State.VOIDED
        event("voided after finalize")
        self.sales.remove(number)


# ---------------------------------------------------------------------------- the ledger

def check_ledger(chain: Chain, stock_before: dict[str, int],
                 include_compensations: bool = False) -> None:
    app, svc = chain.app, chain.app.exchanges
    tenders = rows(app, """SELECT t.*, e.number FROM exchange_tenders t
                           JOIN exchanges e ON e.uuid = t.exchange_uuid""")

    def exact(t: Any) -> int:
        # Ledger value of a tender: its cash-rounding line taken out.
        return t.amount_minor - t.rounding_minor if t.kind == "payment" \
            else t.amount_minor + t.rounding_minor

    # (a) no payment is ever refunded more than it paid.
    refunded_to: dict[str, int] = defaultdict(int)
    for t in tenders:
        if t.kind == "refund" and (include_compensations or t.compensates is None):
            refunded_to[t.payment_id] += exact(t)
            # Cash refunds round down: never more out than the exact amount.
            assert 0 <= t.rounding_minor < max(chain.increment, 1)
    payment_rows = rows(app, "SELECT payment_id, method, amount_minor FROM payments")
    paid = {p.payment_id: p.amount_minor for p in payment_rows}
    if include_compensations:
        for t in tenders:
            if t.kind == "payment":
                paid.setdefault(t.payment_id, exact(t))
    for payment_id, amount in refunded_to.items():
        if payment_id.startswith("nr-"):
            continue
        assert payment_id in paid, f"refund to unknown payment {payment_id}"
        assert amount <= paid[payment_id], \
            f"payment {payment_id} paid {amount_str(paid[payment_id])} but " \
            f"{amount_str(amount)} was refunded to it"

    # (c) every finalized exchange conserved money, from the stored tenders; a voided one
    # gave back exactly what it took.
    by_number: dict[str, list[Any]] = defaultdict(list)
    for t in tenders:
        by_number[t.number].append(t)
    start = svc.find_sale(chain.sales[0]) if chain.sales else None
    money_in = start.gross_minor if start else 0
    for number in chain.exchanges:
        ex = svc.get(number)
        ts = by_number[number]
        pays = [t for t in ts if t.kind == "payment"]
        refs = [t for t in ts if t.kind == "refund"]
        if ex.state is State.VOIDED:
            assert sum(t.amount_minor for t in refs if t.compensates) == \
                sum(t.amount_minor for t in pays)
            continue
        assert ex.state is State.IN_TRANSIT, (number, ex.state)
        val = ex.valuation()
        lhs = val.returned_credit_minor + sum(t.amount_minor for t in pays) \
            - sum(t.amount_minor for t in refs) - sum(t.rounding_minor for t in ts)
        assert lhs == val.new_total_minor, (number, lhs, val)
        assert all(t.compensates is None for t in refs)
        money_in += sum(t.amount_minor for t in pays) - sum(t.amount_minor for t in refs) \
            - sum(t.rounding_minor for t in ts)
        # The draws stored for it refund exactly the refund tenders, payment by payment.
        draws = rows(app, "SELECT d.* FROM exchange_draws d JOIN exchanges e "
                          "ON e.uuid = d.exchange_uuid WHERE e.number = :n", n=number)
        receipt_credit = sum(r.credit_minor for r in ex.returned if r.sale_line_id is not None)
        assert sum(d.amount_minor for d in draws) == receipt_credit
        drawn_refunds: dict[str, int] = defaultdict(int)
        tendered_refunds: dict[str, int] = defaultdict(int)
        for d in draws:
            if d.use == "refund":
                drawn_refunds[d.payment_id] += d.amount_minor
        for t in refs:
            tendered_refunds[t.payment_id] += exact(t)
        assert drawn_refunds == tendered_refunds

    # (b) the customer never got back more than came in, and what the chain still holds is
    # worth exactly what came in net: start sale + payments − refunds (rounding aside).
    paid_in = (start.gross_minor if start else 0) + sum(
        exact(t) for t in tenders if t.kind == "payment")
    assert sum(refunded_to.values()) <= paid_in
    held = 0
    for order in chain.sales:
        sale = svc.find_sale(order)
        taken_back = sum(
            r.credit_minor for number in chain.exchanges
            for ex in [svc.get(number)] if ex.state is State.IN_TRANSIT
            and ex.original_sale_id == sale.sale_id for r in ex.returned)
        held += sale.gross_minor - taken_back
    assert held == money_in, \
        f"the chain's live sales hold goods worth {amount_str(held)}, but the money that " \
        f"stayed in (start sale + payments - refunds) is {amount_str(money_in)}"

    # Every sale is funded by exactly what its lines cost; no tender of a sale is drawn
    # past its slice; no line is returned past what was bought.
    for s in rows(app, "SELECT sale_id, order_number FROM sales"):
        funded = {r.payment_id: r.amount_minor for r in rows(
            app, "SELECT payment_id, amount_minor FROM sale_funding WHERE sale_id = :s",
            s=s.sale_id)}
        gross = rows(app, "SELECT coalesce(sum(net_minor + tax_minor), 0) FROM sale_lines "
                          "WHERE sale_id = :s", s=s.sale_id)[0][0]
        assert sum(funded.values()) == gross, s.order_number
        for d in rows(app, """
                SELECT d.payment_id, sum(d.amount_minor) AS drawn FROM exchange_draws d
                JOIN exchanges e ON e.uuid = d.exchange_uuid
                WHERE e.original_sale_id = :s AND e.state IN ('PAID','IN_TRANSIT','COMPLETED')
                GROUP BY d.payment_id""", s=s.sale_id):
            if not d.payment_id.startswith("nr-"):
                assert d.drawn <= funded.get(d.payment_id, 0), (s.order_number, d.payment_id)
        for ln in rows(app, """
                SELECT l.line_id, l.qty, coalesce(sum(r.qty), 0) AS back FROM sale_lines l
                LEFT JOIN exchanges e ON e.original_sale_id = l.sale_id
                     AND e.state NOT IN ('CANCELLED', 'VOIDED')
                LEFT JOIN exchange_returned r ON r.exchange_uuid = e.uuid
                     AND r.sale_line_id = l.line_id
                WHERE l.sale_id = :s GROUP BY l.line_id, l.qty""", s=s.sale_id):
            assert ln.back <= ln.qty, (s.order_number, ln.line_id)

    # Stock moved by exactly the items that changed hands.
    moved: dict[str, int] = defaultdict(int)
    for number in chain.exchanges:
        ex = svc.get(number)
        if ex.state is State.IN_TRANSIT:
            for r in ex.requested:
                moved[r.sku] -= r.qty
            for r in ex.returned:
                moved[r.sku] += r.qty if r.restock else 0
    for r in rows(app, "SELECT sku, on_hand FROM stock"):
        assert r.on_hand == stock_before[r.sku] + moved[r.sku], r.sku
        assert r.on_hand >= 0

    # (d) the audit journal's hash chain is intact.
    assert app.audit.verify().ok


def amount_str(minor: int) -> str:
    return money.format_plain(minor, "USD")


def run_chain(chain: Chain, hops: int) -> None:
    order = chain.draw(st.sampled_from(start_sales(chain.app)), "start sale")
    chain.sales.append(order)
    for _ in range(hops):
        if not chain.hop():
            break


# ---------------------------------------------------------------------------- properties

@CHAIN_SETTINGS
@given(data=st.data(), hops=st.integers(1, 5), cash_rounding=st.sampled_from(["0.01", "0.05"]))
def test_exchange_chains_never_refund_more_than_was_paid(demo_template: Path, tmp_path: Path,
                                                         data: st.DataObject, hops: int,
                                                         cash_rounding: str) -> None:
    with fresh_app(demo_template, tmp_path, cash_rounding) as (app, clock):
        stock_before = {r.sku: r.on_hand for r in rows(app, "SELECT sku, on_hand FROM stock")}
        chain = Chain(app, clock, data, increment=money.to_minor(cash_rounding, "USD"))
        run_chain(chain, hops)
        assert chain.exchanges
        check_ledger(chain, stock_before)


@CHAIN_SETTINGS
@given(data=st.data(), hops=st.integers(2, 4), more_hops=st.integers(0, 2))
def test_voiding_any_exchange_of_a_chain_never_refunds_a_tender_twice(
        demo_template: Path, tmp_path: Path, data: st.DataObject, hops: int,
        more_hops: int) -> None:
    """A void gives back the exchange's payments. If its new items were already returned
    in a later hop, that money (or the credit it carried) must not go back a second time:
    the void is refused, or the ledger stays whole. Either way no tender is refunded more
    than it paid, and what the customer holds is worth what they paid net."""
    with fresh_app(demo_template, tmp_path) as (app, clock):
        stock_before = {r.sku: r.on_hand for r in rows(app, "SELECT sku, on_hand FROM stock")}
        chain = Chain(app, clock, data, increment=1)
        run_chain(chain, hops)
        settled = [n for n in chain.exchanges if app.exchanges.get(n).state is State.IN_TRANSIT]
        if settled:
            chain.try_void(data.draw(st.sampled_from(settled), label="voided exchange"),
                           data.draw(st.sampled_from(CSRS), label="csr voiding"))
            for _ in range(more_hops):
                if not chain.hop():
                    break
        check_ledger(chain, stock_before, include_compensations=True)


@pytest.mark.parametrize("mode", ["beyond purchase", "same exchange", "other open exchange",
                                  "after settlement", "item received in an exchange"])
@CHAIN_SETTINGS
@given(data=st.data())
def test_returning_more_than_was_bought_is_refused_and_changes_nothing(
        demo_template: Path, tmp_path: Path, mode: str, data: st.DataObject) -> None:
    with fresh_app(demo_template, tmp_path) as (app, clock):
        chain = Chain(app, clock, data, increment=1)
        svc = app.exchanges
        user = data.draw(st.sampled_from(CSRS), label="csr")
        order = data.draw(st.sampled_from(start_sales(app)), label="sale")
        line = data.draw(st.sampled_from(returnable_lines(app, order)), label="line")
        extra = data.draw(st.integers(1, 3), label="units too many")
        first = data.draw(st.integers(1, line.returnable_qty), label="units first returned")
        code, sku_line = line.sku, line

        if mode == "beyond purchase":
            ex = svc.start(user, sale_key=order)
            first = 0
        elif mode == "same exchange":
            ex = svc.start(user, sale_key=order)
            svc.scan_returned(ex.number, user, line.sku, qty=first, sale_line_id=line.line_id)
        else:
            earlier = svc.start(user, sale_key=order)
            svc.scan_returned(earlier.number, user, line.sku, qty=first,
                              sale_line_id=line.line_id)
            if mode in ("after settlement", "item received in an exchange"):
                chain.exchanges.append(earlier.number)
                chain.scan_requests(earlier.number, user)
                ex = svc.submit(earlier.number, user)
                if ex.state is State.PENDING_APPROVAL:
                    ex = svc.approve(ex.number, MANAGER, MANAGER_PIN, "property test")
                if ex.state is State.AWAITING_PAYMENT:
                    chain.pay(ex.number, user)
                assert svc.finalize(ex.number, user).state is State.IN_TRANSIT
            if mode == "item received in an exchange":
                order = earlier.number
                received = svc.find_sale(order).lines
                sku_line = data.draw(st.sampled_from(received), label="received line")
                code, first = sku_line.sku, 0
            ex = svc.start(user, sale_key=order)

        allowed = sku_line.returnable_qty - first
        assert allowed >= 0
        if data.draw(st.booleans(), label="by barcode") and barcodes(app, sku_line.sku):
            code = barcodes(app, sku_line.sku)[0]
        by_line = data.draw(st.booleans(), label="with the line id")
        before = snapshot(app)
        basket = svc.get(ex.number)
        with pytest.raises(PosError) as err:
            svc.scan_returned(ex.number, user, code, qty=allowed + extra,
                              sale_line_id=sku_line.line_id if by_line else None)
        assert err.value.code == "QTY_EXCEEDS_PURCHASED"
        assert snapshot(app) == before
        after = svc.get(ex.number)
        assert [(r.sku, r.qty, r.credit_minor) for r in after.returned] == \
            [(r.sku, r.qty, r.credit_minor) for r in basket.returned]

        # The refusal poisons nothing: exactly what is left can still be returned, once.
        # (A second scan of one line in the same basket hits a known bug, tested on its own
        # in test_scanning_a_line_unit_by_unit_is_the_same_as_one_scan.)
        if mode == "same exchange" and allowed:
            return
        if allowed:
            svc.scan_returned(ex.number, user, code, qty=allowed,
                              sale_line_id=sku_line.line_id if by_line else None)
            assert sum(r.qty for r in svc.get(ex.number).returned) == allowed
        before = snapshot(app)
        with pytest.raises(PosError) as err:
            svc.scan_returned(ex.number, user, code, qty=1,
                              sale_line_id=sku_line.line_id if by_line else None)
        assert err.value.code == "QTY_EXCEEDS_PURCHASED"
        assert snapshot(app) == before
        assert app.audit.verify().ok


@CHAIN_SETTINGS
@given(data=st.data())
def test_scanning_a_line_unit_by_unit_is_the_same_as_one_scan(
        demo_template: Path, tmp_path: Path, data: st.DataObject) -> None:
    """Scanning 3 units one at a time must give the basket a scan of 3 gives: the units
    already in this basket are not "already returned" by some other exchange."""
    with fresh_app(demo_template, tmp_path) as (app, _clock):
        svc = app.exchanges
        lines = [(order, ln) for order in start_sales(app)
                 for ln in returnable_lines(app, order) if ln.returnable_qty >= 2]
        order, line = data.draw(st.sampled_from(lines), label="sale line")
        qty = data.draw(st.integers(2, line.returnable_qty), label="units back")
        parts, left = [], qty
        while left:
            parts.append(data.draw(st.integers(1, left - 1 if left == qty else left),
                                   label="scan"))
            left -= parts[-1]
        user = data.draw(st.sampled_from(CSRS), label="csr")
        line_id = line.line_id if data.draw(st.booleans(), label="with line id") else None

        one = svc.start(user, sale_key=order)
        svc.scan_returned(one.number, user, line.sku, qty=qty, sale_line_id=line_id)
        expected = [(r.sale_line_id, r.qty, r.credit_net_minor, r.credit_tax_minor)
                    for r in svc.get(one.number).returned]
        assert expected[0][1] == qty
        svc.cancel(one.number, user)

        many = svc.start(user, sale_key=order)
        for part in parts:
            svc.scan_returned(many.number, user, line.sku, qty=part, sale_line_id=line_id)
        got = [(r.sale_line_id, r.qty, r.credit_net_minor, r.credit_tax_minor)
               for r in svc.get(many.number).returned]
        assert got == expected


@CHAIN_SETTINGS
@given(data=st.data())
def test_a_scan_never_credits_a_sale_line_of_another_item(
        demo_template: Path, tmp_path: Path, data: st.DataObject) -> None:
    """Naming a sale line does not make another item that line: what is scanned is what
    comes back, so a T-shirt cannot be credited as the (pricier, or final-sale) line next
    to it on the receipt."""
    with fresh_app(demo_template, tmp_path) as (app, _clock):
        svc = app.exchanges
        since = (DEMO_NOW - timedelta(days=29)).strftime("%Y-%m-%d")
        lines = rows(app, """SELECT s.order_number, l.line_id, l.sku FROM sales s
                             JOIN sale_lines l ON l.sale_id = s.sale_id
                             WHERE s.sold_at >= :since ORDER BY s.order_number, l.line_id""",
                     since=since)
        order, line_id, sku = data.draw(st.sampled_from(lines), label="sale line")
        others = [r.sku for r in rows(app, "SELECT sku FROM items WHERE returnable = 1 "
                                           "AND sku != :sku ORDER BY sku", sku=sku)]
        scanned = data.draw(st.sampled_from(others), label="item scanned")
        if data.draw(st.booleans(), label="by barcode") and barcodes(app, scanned):
            scanned = barcodes(app, scanned)[0]
        user = data.draw(st.sampled_from(CSRS), label="csr")
        ex = svc.start(user, sale_key=order)
        before = snapshot(app)
        with pytest.raises(PosError):
            svc.scan_returned(ex.number, user, scanned, sale_line_id=line_id)
        assert snapshot(app) == before
        assert svc.get(ex.number).returned == []
