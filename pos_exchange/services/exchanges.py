"""Use cases of the counter: each public method is one unit of work.

A method loads the aggregate, calls one domain method, then saves the aggregate,
its journal entries and (for settled states) its outbox record in the same
transaction. If anything raises, nothing of it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from pos_exchange.domain import money
from pos_exchange.domain.catalogue import Item, TaxTable, normalize_barcode
from pos_exchange.domain.errors import BadInput, NotFound, PosError, Refused, Unavailable
from pos_exchange.domain.exchange import (
    Exchange,
    Kind,
    State,
    Tender,
    TenderKind,
    TenderStatus,
    no_receipt_unit_credit,
)
from pos_exchange.domain.ledger import new_sale_funding
from pos_exchange.domain.numbering import format_number
from pos_exchange.domain.policy import PolicyConfig, PolicyFacts
from pos_exchange.domain.sale import Draw, Sale, SaleLine
from pos_exchange.domain.shipment import ShipmentState
from pos_exchange.services import journal
from pos_exchange.services.ports import (
    LocalSales,
    LocalStock,
    LockInActivity,
    ReturnHold,
    Runtime,
    SaleLookup,
    ShipmentHolds,
    StockCheck,
    StockHold,
    UnitOfWork,
    UnitOfWorkFactory,
)
from pos_exchange.services.views import (
    ExchangeSummary,
    ExchangeView,
    OutboxSummary,
    SaleMatch,
    ScannedLine,
)

if TYPE_CHECKING:
    from pos_exchange.services.record import ExchangeRecord

# Card refunds wait for the payment adapter to execute them; cash and store
# credit are handed over at the counter.
REFUND_STATUS = {"card": TenderStatus.PENDING}
# What identifies a card payment: the processor's intent id, never card data.
PAYMENT_REFERENCE = re.compile(r"^pi_[A-Za-z0-9_]{1,60}$")
CARD_BRAND = re.compile(r"^[a-z_]{2,20}$")
# The journal events an approval writes under the approver's name.
APPROVER_EVENTS = frozenset({"exchange.approved", "exchange.state"})


class ExchangeService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime, policy: PolicyConfig,
                 taxes: TaxTable, stock: StockCheck | None = None,
                 sales: SaleLookup | None = None) -> None:
        self.uow, self.rt, self.policy, self.taxes = uow, runtime, policy, taxes
        self.stock = stock or LocalStock()
        # The hub's sales index (any store of the chain); the local copy when offline.
        self.hub_sales = sales or LocalSales()
        # Holds shipped lines at their source at lock-in (services/shipments.py); None:
        # no hub, so shipping is unavailable.
        self.shipments: ShipmentHolds | None = None

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def transaction(self, key: str | None, user: str, outbox_topic: str | None = None, *,
                    card_step: bool = False,
                    check_user: bool = True) -> Iterator[tuple[UnitOfWork, Exchange]]:
        """Load, let the caller change, then save + journal (+ outbox) + commit as one
        transaction. The outbox record is written last so it carries this step's own
        journal entries and the journal head after them.

        ``key=None`` starts a new exchange in this same transaction: it exists only if the
        caller's change (its first line) is valid, so a refused first scan leaves no empty
        draft behind and uses no number (issue 9).

        While a card payment is in flight nothing else may change the exchange (a cash
        payment, an edit or a cancel would race the card); only the card step itself
        (``card_step=True``) goes through. ``check_user=False`` is for the register's own
        workers (sync), which journal under their own name.
        """
        with self.uow() as uow:
            with self._changing(uow, key, user, outbox_topic, card_step=card_step,
                                check_user=check_user) as ex:
                yield uow, ex
            uow.commit()

    @contextmanager
    def _changing(self, uow: UnitOfWork, key: str | None, user: str,
                  outbox_topic: str | None = None, *, card_step: bool = False,
                  check_user: bool = True) -> Iterator[Exchange]:
        """``transaction`` inside the caller's unit of work, without the commit: load (or
        start), let the caller change, then save + journal (+ outbox)."""
        if check_user and card_step:
            uow.users.get(user)  # a captured payment is recorded even if the CSR left
        elif check_user:
            self._check_user(uow, user)
        if key is None:
            ex = self._new_exchange(uow, user, self.rt.clock())
        else:
            ex = uow.exchanges.get(key)
        if not card_step and uow.card_attempts.open_for(ex.uuid):
            raise Refused("CARD_PAYMENT_IN_PROGRESS")
        yield ex
        now = self.rt.clock()
        uow.exchanges.save(ex, now)
        journal.record_exchange(uow, self.rt, user, ex, now)
        if outbox_topic:
            self._outbox(uow, ex, outbox_topic)

    def _check_user(self, uow: UnitOfWork, user: str) -> None:
        if not uow.users.get(user).active:
            raise Refused("USER_INACTIVE", user=user)

    def _item(self, uow: UnitOfWork, code: str) -> Item:
        """A scanned barcode, or a SKU typed by hand."""
        code = (code or "").strip()
        if code.isdigit():
            return uow.catalogue.by_barcode(normalize_barcode(code))
        if not code:
            raise BadInput("EMPTY_SCAN")
        return uow.catalogue.by_sku(code.upper())

    def _record(self, uow: UnitOfWork, ex: Exchange) -> ExchangeRecord:
        # The record's pydantic models cost ~150 ms to import: not on the window's cold
        # start (the window warms them up after sign-in, gui/heap.py).
        from pos_exchange.services.record import from_exchange

        new_sale = uow.sales.order_number(ex.new_sale_id) if ex.new_sale_id else None
        return from_exchange(ex, uow.journal.entries(ex.uuid), new_sale, self.rt.tz)

    def _outbox(self, uow: UnitOfWork, ex: Exchange, topic: str) -> None:
        from pos_exchange.services.record import JournalHead, LimitsRecord

        head_seq, head_hash = uow.journal.head()
        # The store's day and the limits this register applied: the hub re-counts the
        # day across the chain for an exchange it could not count when it was locked in.
        record = self._record(uow, ex).model_copy(update={
            "journal_head": JournalHead(seq=head_seq, hash=head_hash),
            "timezone": self._tz_name(),
            "limits": LimitsRecord(
                customer_per_day=self.policy.max_exchanges_per_customer_per_day,
                csr_refunds_per_day=self.policy.max_refunds_per_csr_per_day_minor)})
        uow.outbox.add(self.rt.ids(), ex.uuid, topic, record.as_json(), self.rt.clock())

    # ------------------------------------------------------------------ queries
    def get(self, key: str) -> Exchange:
        with self.uow(readonly=True) as uow:
            return uow.exchanges.get(key)

    def item(self, code: str) -> Item:
        """A catalogue item by barcode or SKU."""
        with self.uow(readonly=True) as uow:
            return self._item(uow, code)

    def find_sale(self, key: str) -> Sale:
        """By receipt barcode or order number: this register's copy, else the hub's (any
        store of the chain), which is then kept here for offline use. A code that is one
        of this register's item barcodes or SKUs is not asked for at the hub."""
        try:
            with self.uow(readonly=True) as uow:
                return uow.sales.find(key)
        except NotFound:
            if self._is_item(key) or not self._from_hub(key):
                raise
        with self.uow(readonly=True) as uow:
            return uow.sales.find(key)

    def _is_item(self, code: str) -> bool:
        try:
            self.item(code)
        except PosError:
            return False
        return True

    def _from_hub(self, key: str | None) -> bool:
        """Ask the hub for the sale (network: outside any transaction) and keep its copy,
        with what the rest of the chain returned of it. False: no answer."""
        if not key or not key.strip():
            return False
        copy = self.hub_sales.find(key.strip())
        if copy is None:
            return False
        with self.uow() as uow:
            uow.sales.cache(copy, self.rt.clock())
            uow.commit()
        return True

    @staticmethod
    def _tz_name_of(tz: object) -> str:
        return str(getattr(tz, "key", None) or tz)

    def _tz_name(self) -> str:
        return self._tz_name_of(self.rt.tz)

    def record(self, key: str) -> ExchangeRecord:
        """The exchange's record (services/record.py): what the hub receives, what
        ``exchange show`` prints and what the receipt is built from."""
        with self.uow(readonly=True) as uow:
            return self._record(uow, uow.exchanges.get(key))

    # ------------------------------------------------------------------ basket
    def start(self, user: str, sale_key: str | None = None,
              customer_id: str | None = None) -> Exchange:
        self._from_hub(sale_key)  # the hub's view of the sale first, when it answers
        with self.uow() as uow:
            self._check_user(uow, user)
            sale = uow.sales.find(sale_key) if sale_key else None
            ex = self._new_exchange(uow, user, self.rt.clock(), sale, customer_id)
            uow.commit()
            return ex

    def _new_exchange(self, uow: UnitOfWork, user: str, now: datetime,
                      sale: Sale | None = None, customer_id: str | None = None) -> Exchange:
        """Number, add and journal a new exchange inside the caller's unit of work."""
        seq = uow.exchanges.next_seq(self.rt.store_id, self.rt.register_id)
        ex = Exchange(uuid=self.rt.ids(), currency=self.rt.currency,
                      number=format_number(self.rt.store_id, self.rt.register_id, seq),
                      store_id=self.rt.store_id, register_id=self.rt.register_id,
                      created_by=user, created_at=now, customer_id=customer_id)
        if sale:
            ex.original_sale_id, ex.original_order_number = sale.sale_id, sale.order_number
            ex.customer_id = ex.customer_id or sale.customer_id
        uow.exchanges.add(ex, now)
        journal.record(uow, self.rt, user, "exchange.started",
                       {"number": ex.number, "sale": ex.original_order_number,
                        "customer": ex.customer_id}, now, ex.uuid)
        return ex

    def attach_sale(self, key: str, user: str, sale_key: str) -> Exchange:
        """The receipt, scanned after the exchange started. Items already returned without
        it are valued again at what was paid, where the sale has them left to return."""
        self._from_hub(sale_key)  # the hub's view of the sale first, when it answers
        with self.transaction(key, user) as (uow, ex):
            ex.attach_sale(uow.sales.find(sale_key))
            self._revalue_with_receipt(uow, ex)
        return ex

    def _revalue_with_receipt(self, uow: UnitOfWork, ex: Exchange) -> None:
        no_receipt = [r for r in ex.returned if r.sale_line_id is None]
        if not no_receipt or not ex.original_sale_id:
            return
        sale = uow.sales.get(ex.original_sale_id, excluding=ex.uuid)
        now = self.rt.clock()
        for line in no_receipt:
            if not sale.lines_for_sku(line.sku):
                continue
            item = uow.catalogue.by_sku(line.sku)
            try:
                line_id = self._pick_line(ex, sale, item, line.qty)
                ex.return_from_sale(sale, line_id, line.qty, item, self.policy, now,
                                    line.condition, line.restock)
            except PosError:
                continue  # e.g. past the return window: it stays a no-receipt return
            ex.remove_line(line.line_no)

    def scan_returned(self, key: str | None, user: str, code: str, qty: int = 1,
                      sale_line_id: int | None = None, condition: str = "resaleable",
                      restock: bool = True) -> Exchange:
        """The customer hands an item back: from the attached sale, or without a receipt.
        ``key=None``: the first line of a new exchange (created only if the line is valid)."""
        with self.transaction(key, user) as (uow, ex):
            item = self._item(uow, code)
            sale = uow.sales.get(ex.original_sale_id, excluding=ex.uuid) \
                if ex.original_sale_id else None
            self._return_line(uow, ex, sale, item, qty, sale_line_id, condition, restock)
        return ex

    def _return_line(self, uow: UnitOfWork, ex: Exchange, sale: Sale | None, item: Item,
                     qty: int, sale_line_id: int | None = None,
                     condition: str = "resaleable", restock: bool = True) -> None:
        """``sale``: the attached sale as it stands for ``ex`` (None without a receipt)."""
        now = self.rt.clock()
        if sale is not None:
            self._check_received(uow, sale, item, sale_line_id)
            line_id = sale_line_id or self._pick_line(ex, sale, item, qty)
            ex.return_from_sale(sale, line_id, qty, item, self.policy, now, condition, restock)
        else:
            since = (now - timedelta(days=self.policy.no_receipt_lookback_days)).date()
            unit = no_receipt_unit_credit(
                self.policy, item.price_minor,
                uow.catalogue.prices_between(item.sku, since, now.date()))
            ex.return_without_receipt(item, qty, unit, self.taxes.rate(item.tax_class),
                                      self.policy, condition, restock)
        ex.mark_started(now)

    @staticmethod
    def _check_received(uow: UnitOfWork, sale: Sale, item: Item,
                        sale_line_id: int | None) -> None:
        """An item received in an exchange can come back only once it reached the
        customer: a shipped line refunded as unfulfillable never did (its money went back
        already), one still on its way has not yet. A delivered line, or one taken at the
        counter, is returnable as any other."""
        if not sale.source_exchange_uuid:
            return
        try:
            source = uow.exchanges.get(sale.source_exchange_uuid)
        except NotFound:
            return   # another register's exchange: the hub's copy says what is left
        waiting = undelivered_sale_lines(source)
        lines = [sale.line(sale_line_id)] if sale_line_id else sale.lines_for_sku(item.sku)
        if lines and all(line.line_id in waiting for line in lines):
            state = waiting[lines[0].line_id]
            raise Refused("NOT_RECEIVED", variant="refunded" if state is
                          ShipmentState.UNFULFILLABLE else "on_the_way", item=item.name,
                          number=source.number)

    @staticmethod
    def _pick_line(ex: Exchange, sale: Sale, item: Item, qty: int) -> int:
        candidates = sale.lines_for_sku(item.sku)
        if not candidates:
            raise Refused("NOT_ON_SALE", item=item.name, sale=sale.order_number)
        taken = {r.sale_line_id: r.qty for r in ex.returned}
        for line in candidates:
            if line.returnable_qty - taken.get(line.line_id, 0) >= qty:
                return line.line_id
        return candidates[0].line_id  # the domain refuses it with the exact quantities

    def scan_requested(self, key: str | None, user: str, code: str, qty: int = 1) -> Exchange:
        """An item the customer takes; ``key=None`` as for ``scan_returned``."""
        with self.transaction(key, user) as (uow, ex):
            self._request_line(uow, ex, self._item(uow, code), qty)
        return ex

    def _request_line(self, uow: UnitOfWork, ex: Exchange, item: Item, qty: int) -> None:
        wanted = qty + sum(r.qty for r in ex.requested if r.sku == item.sku)
        available, _ = self.stock.available(uow, item.sku, wanted)
        if not available:
            raise Refused("OUT_OF_STOCK", item=item.name,
                          on_hand=uow.catalogue.on_hand(item.sku))
        ex.request(item, qty, self.taxes.rate(item.tax_class), self.policy)
        ex.mark_started(self.rt.clock())

    def scan(self, key: str | None, user: str, code: str,
             returns: Callable[[Item, Sale | None, Exchange], bool],
             qty: int = 1) -> ScannedLine | None:
        """A scanned item as ONE transaction: look the code up, add the line where
        ``returns(item, sale, exchange)`` says (True: a return), save and journal it, and
        read back what the screen shows (issue 15: a scan took 6 to 8 transactions).
        ``key=None`` starts the exchange with this line, as ``scan_returned`` does.

        None: the code is not an item but a sale (this register's, or the hub's, asked
        outside any transaction): the caller attaches it (``attach_sale``/``start``), which
        fetches the hub's copy first. A code that is neither raises the item's NotFound."""
        with self.uow() as uow:
            try:
                uow.sales.find(code)
                return None          # a receipt or order number: attached by the caller
            except NotFound:
                pass
            try:
                item = self._item(uow, code)
            except NotFound as exc:
                unknown = exc
            else:
                with self._changing(uow, key, user) as ex:
                    sale = uow.sales.get(ex.original_sale_id, excluding=ex.uuid) \
                        if ex.original_sale_id else None
                    returned = returns(item, sale, ex)
                    if returned:
                        self._return_line(uow, ex, sale, item, qty)
                    else:
                        self._request_line(uow, ex, item, qty)
                view = self._view(uow, ex, user, sale)
                uow.commit()
                return ScannedLine(view, item, returned)
        if not self._from_hub(code):   # not an item here: a sale of another store?
            raise unknown
        return None

    def remove_line(self, key: str, user: str, line_no: int) -> Exchange:
        with self.transaction(key, user) as (_uow, ex):
            ex.remove_line(line_no)
        return ex

    # ------------------------------------------------------------------ lifecycle
    def _facts(self, uow: UnitOfWork, ex: Exchange, user: str,
                 hold: StockHold | None = None) -> tuple[PolicyFacts, bool]:
        """Facts for the policy check. Stock: the central hold's answer when there is one,
        else the local snapshot (unconfirmed unless the snapshot is the truth)."""
        now = self.rt.clock()
        if hold is not None:
            out_of_stock, unconfirmed = list(hold.out_of_stock), False
        else:
            out_of_stock = [line.sku for line in ex.counter_lines()
                            if uow.catalogue.on_hand(line.sku) < line.qty]
            unconfirmed = bool(ex.counter_lines()) and not self.stock.local_authoritative
        sale_age = None
        if ex.original_sale_id:
            sold_at = uow.sales.sold_at(ex.original_sale_id)
            sale_age = (now - sold_at).total_seconds() / 86400
        # Refunds this CSR has locked in but not yet settled count too, or submitting
        # several exchanges before finalizing any would slip past the daily limit.
        pending = {u: max(0, -uow.exchanges.get(u).valuation().gap_minor)
                   for u in uow.exchanges.submitted_unsettled(user, now, self.rt.tz,
                                                              exclude=ex.uuid)}
        facts = PolicyFacts(
            customer_exchanges_today=self._customer_count(uow, ex, now, hold),
            csr_refunds_today_minor=self._csr_refunds(uow, user, now, hold, pending),
            out_of_stock=tuple(out_of_stock), sale_age_days=sale_age)
        return facts, unconfirmed

    def _customer_count(self, uow: UnitOfWork, ex: Exchange, now: datetime,
                        hold: StockHold | None) -> int:
        """Online: the chain's count (the hub's, plus this register's exchanges it has
        not seen yet); offline: this register's own."""
        if not ex.customer_id:
            return 0
        if hold is None or hold.customer_exchanges is None:
            return uow.exchanges.customer_exchanges_today(ex.customer_id, now, self.rt.tz,
                                                          exclude=ex.uuid)
        local = uow.exchanges.customer_exchange_uuids_today(ex.customer_id, now, self.rt.tz,
                                                            exclude=ex.uuid)
        return len(set(hold.customer_exchanges) | set(local))

    def _csr_refunds(self, uow: UnitOfWork, user: str, now: datetime,
                     hold: StockHold | None, pending: dict[str, int]) -> int:
        if hold is None or hold.csr_refunds is None:
            return uow.exchanges.refunds_by_user_today(user, now, self.rt.tz) + \
                sum(pending.values())
        merged = {**hold.csr_refunds,
                  **uow.exchanges.refunds_by_user_today_by_exchange(user, now, self.rt.tz),
                  **pending}   # one exchange counted once, whoever reported it
        return sum(merged.values())

    def evaluate(self, key: str, user: str) -> Exchange:
        """Run the policy checks without locking anything in (for the live panel)."""
        with self.uow(readonly=True) as uow:
            ex = uow.exchanges.get(key)
            facts, _ = self._facts(uow, ex, user)
            ex.evaluate(self.policy, facts)
            return ex

    def submit(self, key: str, user: str) -> Exchange:
        """Lock the basket in; the result says if a manager or a payment is needed next.

        The stock is held centrally first, outside the transaction (a network call must
        never hold the database); the transaction then checks the basket is still the one
        that was held."""
        basket = self.get(key)
        lines = [(r.sku, r.qty) for r in basket.counter_lines()]
        if basket.shipments:  # held at their sources first, all or none (issue 12)
            if self.shipments is None:
                raise Unavailable("SHIPPING_OFFLINE")
            self.shipments.hold(basket)
        try:
            return self._submit(key, user, basket, lines)
        except BaseException:
            if self.shipments is not None:
                self.shipments.release(basket)
            raise

    def _submit(self, key: str, user: str, basket: Exchange,
                lines: list[tuple[str, int]]) -> Exchange:
        returns = self._return_holds(basket)
        hold = None
        if basket.returned or basket.requested:
            now = self.rt.clock()
            hold = self.stock.reserve(basket.uuid, lines, returns=returns, activity=(
                LockInActivity(basket.customer_id, user,
                               max(0, -basket.valuation().gap_minor), basket.created_at,
                               now, self._tz_name())))
        with self.transaction(key, user) as (uow, ex):
            if ex.content_hash() != basket.content_hash():
                raise Refused("BASKET_CHANGED")
            facts, unconfirmed = self._facts(uow, ex, user, hold)
            ex.submit(user, self.policy, facts, unconfirmed)
            # Offline (or a sale the hub does not know), this register's copy of the sale
            # decided the returned quantities: the hub re-checks them at sync.
            ex.returns_unconfirmed = bool(returns) and not self.stock.local_authoritative \
                and (hold is None or basket.original_order_number in hold.returns_unknown)
        return ex

    @staticmethod
    def _return_holds(ex: Exchange) -> tuple[ReturnHold, ...]:
        """The sale lines the basket takes back, to hold at the hub with the stock."""
        if not ex.original_order_number:
            return ()
        return tuple(ReturnHold(ex.original_order_number, r.sale_line_id, r.qty)
                     for r in ex.returned if r.sale_line_id is not None)

    def approve(self, key: str, approver_id: str, pin: str, reason: str) -> Exchange:
        with self.uow() as uow:
            try:
                approver = uow.users.verify_pin(approver_id, pin, self.rt.clock())
            except PosError:
                uow.commit()  # keep the failed-attempt count that guards against guessing
                raise
            uow.commit()
        with self.transaction(key, approver.user_id) as (uow, ex):
            # Who worked the exchange: anyone with a step in its journal other than
            # approving it, so a manager may approve a changed basket again (issue 9).
            participants = frozenset(e.user for e in uow.journal.entries(ex.uuid)
                                     if e.event not in APPROVER_EVENTS)
            ex.approve(approver.user_id, approver.can_approve, reason, self.rt.clock(),
                       participants)
        return ex

    def pay_cash(self, key: str, user: str, tendered: Decimal | str) -> Tender:
        with self.transaction(key, user) as (_uow, ex):
            tendered_minor = money.to_minor(tendered, ex.currency)
            tender = ex.cash_payment(tendered_minor, self.policy, self.rt.ids(), self.rt.clock())
        return tender

    def record_card_payment(self, key: str, user: str, amount: Decimal | str, *,
                            brand: str | None, last4: str | None, reference: str) -> Tender:
        """A card payment the terminal approved (reference: the PaymentIntent id)."""
        if last4 is not None and (len(last4) != 4 or not last4.isdigit()):
            raise BadInput("INVALID_CARD_REFERENCE", variant="last4")
        if not PAYMENT_REFERENCE.match(reference or ""):
            raise BadInput("INVALID_CARD_REFERENCE", variant="intent")
        if brand is not None and not CARD_BRAND.match(brand):
            raise BadInput("INVALID_CARD_REFERENCE", variant="brand", brand=brand)
        with self.transaction(key, user) as (uow, ex):
            if uow.exchanges.payment_reference_used(reference):
                raise Refused("DUPLICATE_PAYMENT", reference=reference)
            tender_id = self.rt.ids()
            tender = ex.add_payment(Tender(
                tender_id, TenderKind.PAYMENT, "card", money.to_minor(amount, ex.currency),
                self.rt.clock(), payment_id=tender_id, card_brand=brand, card_last4=last4,
                reference=reference), self.policy)
        return tender

    def finalize(self, key: str, user: str) -> Exchange:
        """Settle the money, hand the items over, and queue the record for the hub."""
        with self.transaction(key, user, "exchange.settled") as (uow, ex):
            now = self.rt.clock()
            ex.check_finalizable()  # before planning refunds: a second finalize says why
            sale = uow.sales.get(ex.original_sale_id) if ex.original_sale_id else None
            no_receipt_id = f"nr-{ex.uuid}"
            draws = ex.plan_refunds(sale, no_receipt_id)
            refunds = [self._refund(d.method, d.amount_minor, d.payment_id, d.card_brand,
                                    d.card_last4, now) for d in draws if d.use == "refund"]
            ex.finalize(sale, refunds, draws, now)
            self._book_new_sale(uow, ex, draws, no_receipt_id, now)
            self._move_stock(uow, ex, sign=1, now=now)
            if ex.shipments:  # the counter lines go now; the shipments when they leave
                ex.await_fulfilment(now.isoformat())
            else:
                ex.hand_over()
        return ex

    def _refund(self, method: str, exact: int, payment_id: str, brand: str | None,
                last4: str | None, now: datetime) -> Tender:
        amount = exact
        if method == "cash":
            amount = money.cash_refund_round(exact, self.policy.cash_rounding_increment)
        return Tender(self.rt.ids(), TenderKind.REFUND, method, amount, now, payment_id,
                      rounding_minor=exact - amount, status=REFUND_STATUS.get(method,
                      TenderStatus.CONFIRMED), card_brand=brand, card_last4=last4)

    def _book_new_sale(self, uow: UnitOfWork, ex: Exchange, draws: list[Draw],
                       no_receipt_id: str, now: datetime) -> None:
        """The new items become a sale funded by the carried credit plus the new payments,
        so a later return of them is capped per tender across the whole chain."""
        no_receipt = sum(r.credit_minor for r in ex.returned if r.sale_line_id is None)
        if no_receipt:
            uow.sales.add_payment(no_receipt_id, "store_credit", no_receipt, ex.currency, now,
                                  reference=ex.number)
        for p in ex.payments:
            uow.sales.add_payment(p.payment_id, p.method, p.exact_minor, ex.currency, now,
                                  p.card_brand, p.card_last4, p.reference)
        funding = new_sale_funding(draws, [(p.payment_id, p.method, p.exact_minor, None, None)
                                           for p in ex.payments])
        ex.links["return_order"] = f"RET-{ex.number}"
        if not ex.requested:
            return  # a plain return: no new sale to carry credit into
        lines = tuple(SaleLine(i, r.sku, r.name, r.qty, r.unit_price_minor, r.net_minor,
                               r.tax_rate, r.tax_minor) for i, r in enumerate(ex.requested, 1))
        sale = Sale(self.rt.ids(), ex.number, ex.number, now, ex.customer_id, ex.currency,
                    lines, funding, ex.uuid, store_id=ex.store_id)
        uow.sales.add(sale, ex.store_id)
        ex.new_sale_id = sale.sale_id
        ex.links["sale_order"] = ex.number

    def _move_stock(self, uow: UnitOfWork, ex: Exchange, sign: int, now: datetime) -> None:
        for new in ex.counter_lines():  # shipped lines leave their source's stock
            uow.catalogue.adjust_stock(new.sku, -sign * new.qty, now, ex.uuid)
        for back in ex.returned:
            if back.restock:
                uow.catalogue.adjust_stock(back.sku, sign * back.qty, now, ex.uuid)

    def cancel(self, key: str, user: str, reason: str = "customer changed their mind") -> Exchange:
        with self.transaction(key, user, "exchange.cancelled") as (_uow, ex):
            ex.cancel(reason)
        return ex

    def void(self, key: str, user: str, reason: str) -> Exchange:
        """Undo after money moved: refund each payment to its own tender, restore stock."""
        with self.transaction(key, user, "exchange.voided") as (uow, ex):
            was_settled = ex.state in (State.PAID, State.IN_TRANSIT)
            now = self.rt.clock()
            compensations = []
            for p in ex.payments:
                refund = Tender(self.rt.ids(), TenderKind.REFUND, p.method, p.amount_minor, now,
                                p.payment_id, status=REFUND_STATUS.get(p.method,
                                TenderStatus.CONFIRMED), card_brand=p.card_brand,
                                card_last4=p.card_last4, compensates=p.tender_id)
                compensations.append(refund)
            later = (uow.sales.live_exchanges_returning(ex.new_sale_id)
                     if ex.new_sale_id else [])
            ex.void(reason, compensations, later)
            if was_settled:
                self._move_stock(uow, ex, sign=-1, now=now)
        return ex

    def card_in_flight(self, key: str) -> bool:
        """A card payment on this exchange is still open (created, on the reader, or
        uncertain after a lost connection)."""
        with self.uow(readonly=True) as uow:
            return bool(uow.card_attempts.open_for(uow.exchanges.get(key).uuid))

    def search_sales(self, text: str) -> list[SaleMatch]:
        """Sales found by customer name, phone, email or id (newest first): this
        register's, and the chain's at the hub when it answers."""
        remote = self.hub_sales.search(text) or []
        with self.uow(readonly=True) as uow:
            local = uow.sales.search(text)
        seen = {m.order_number for m in local}
        merged = local + [m for m in remote if m.order_number not in seen]
        return sorted(merged, key=lambda m: m.sold_at, reverse=True)[:20]

    def customer_name(self, customer_id: str | None) -> str | None:
        with self.uow(readonly=True) as uow:
            return uow.sales.customer_name(customer_id)

    def sale_for(self, key: str) -> Sale | None:
        """The original sale of an exchange as it stands for this exchange (what other
        exchanges took back is already deducted), or None without a receipt."""
        with self.uow(readonly=True) as uow:
            ex = uow.exchanges.get(key)
            if not ex.original_sale_id:
                return None
            return uow.sales.get(ex.original_sale_id, excluding=ex.uuid)

    def refund_preview(self, key: str) -> list[Draw]:
        """Where a refund would go if the exchange were finalized now (the live panel's
        "Refund 12.40 to Visa •••• 4242"). Empty when nothing is refunded."""
        with self.uow(readonly=True) as uow:
            ex = uow.exchanges.get(key)
            sale = uow.sales.get(ex.original_sale_id, excluding=ex.uuid) \
                if ex.original_sale_id else None
            return self._refund_to(ex, sale)

    @staticmethod
    def _refund_to(ex: Exchange, sale: Sale | None) -> list[Draw]:
        if ex.valuation().gap_minor >= 0:
            return []
        if ex.finalized_at is not None:  # settled: where the refund really went
            return [d for d in ex.draws if d.use == "refund"]
        return [d for d in ex.plan_refunds(sale, f"nr-{ex.uuid}") if d.use == "refund"]

    def view(self, key: str, user: str) -> ExchangeView:
        """What the exchange screen shows, read in one transaction."""
        with self.uow(readonly=True) as uow:
            ex = uow.exchanges.get(key)
            sale = uow.sales.get(ex.original_sale_id, excluding=ex.uuid) \
                if ex.original_sale_id else None
            return self._view(uow, ex, user, sale)

    def _view(self, uow: UnitOfWork, ex: Exchange, user: str,
              sale: Sale | None) -> ExchangeView:
        """``sale``: the attached sale as it stands for ``ex`` (what others took back)."""
        findings = list(ex.findings)
        if ex.state is State.DRAFT and ex.submitted_by is None and \
                (ex.returned or ex.requested):
            facts, _ = self._facts(uow, ex, user)
            findings = ex.evaluate(self.policy, facts)
        later = (uow.sales.live_exchanges_returning(ex.new_sale_id)
                 if ex.new_sale_id and ex.money_moved else [])
        return ExchangeView(ex, findings, self._refund_to(ex, sale), sale,
                            uow.sales.customer_name(ex.customer_id),
                            {r.sku: uow.catalogue.on_hand(r.sku) for r in ex.requested},
                            later)

    def history(self, text: str | None = None, since: datetime | None = None,
                limit: int = 200) -> list[ExchangeSummary]:
        """Exchanges for the history screen, newest first, optionally searched."""
        with self.uow(readonly=True) as uow:
            return uow.exchanges.list(text=text, since=since, limit=limit)

    def kind(self, key: str) -> Kind:
        return self.get(key).valuation().kind

    def recent(self, limit: int = 50) -> list[ExchangeSummary]:
        with self.uow(readonly=True) as uow:
            return uow.exchanges.list(limit=limit)

    def flagged(self, limit: int = 50) -> list[tuple[str, list[str]]]:
        """Exchanges the hub flagged for reconciliation at sync: (number, codes)."""
        with self.uow(readonly=True) as uow:
            return uow.exchanges.flagged(limit)

    def outbox_summary(self) -> OutboxSummary:
        """Unsent and dead-lettered records (index counts: cheap after every step)."""
        with self.uow(readonly=True) as uow:
            return uow.outbox.summary()

    def open_exchanges(self, register_id: str | None = None) -> list[ExchangeSummary]:
        """Unfinished exchanges (of one register), to reopen after a restart."""
        with self.uow(readonly=True) as uow:
            return uow.exchanges.list(states=[State.DRAFT, State.PENDING_APPROVAL,
                                              State.AWAITING_PAYMENT],
                                      register_id=register_id)


__all__ = ["ExchangeService", "NotFound"]


def undelivered_sale_lines(ex: Exchange) -> dict[int, ShipmentState]:
    """The lines of the sale ``ex`` created (numbered 1.. in the order of its requested
    lines, as ``_book_new_sale`` writes them) that never reached the customer, with
    their shipment's state: refunded (``UNFULFILLABLE``) or still on the way."""
    waiting: dict[int, ShipmentState] = {}
    for s in ex.shipments:
        if s.state is ShipmentState.COMPLETED:
            continue
        for line_no in (*s.line_nos, *(() if s.fee_line_no is None else (s.fee_line_no,))):
            waiting[line_no] = s.state
    ordered = sorted(r.line_no for r in ex.requested)
    return {i: waiting[n] for i, n in enumerate(ordered, 1) if n in waiting}
