"""What the counter window asks of the services, as plain calls (no widgets here: these
run in worker threads, and this module imports no Qt).

Each function returns a ``Snapshot``: everything the exchange screen shows, read in one
transaction after the change (``ExchangeService.view``), so the GUI thread only paints
(gui/screen.py decides what it shows). Scans route themselves here: a receipt attaches
its sale, an item the sale still has to return is a return, any other item is new.
A first line or sale creates the exchange in the same transaction, so a refused first
scan leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_exchange.bootstrap import App
from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.card_attempts import Attempt
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import BadInput, NotFound, PosError
from pos_exchange.domain.exchange import (
    EDITABLE_STATES,
    Exchange,
    ReturnedLine,
    State,
    line_amounts,
)
from pos_exchange.domain.money import Money
from pos_exchange.domain.policy import Finding
from pos_exchange.domain.sale import Draw, Sale
from pos_exchange.domain.scan_codes import classify
from pos_exchange.gui.screen import Words, tr
from pos_exchange.services.terminal import TestCards
from pos_exchange.services.views import ExchangeView, SaleMatch

AUTO, RETURNED, REQUESTED = "auto", "returned", "requested"


@dataclass(frozen=True)
class Snapshot:
    view: ExchangeView
    # What just happened, for the message line (the page translates and fills it), and
    # whether it is a plain fact ("info") or something the CSR should act on ("warn").
    note: Words | None = None
    level: str = "info"

    @property
    def exchange(self) -> Exchange:
        return self.view.exchange

    @property
    def findings(self) -> list[Finding]:
        return self.view.findings

    @property
    def refund_to(self) -> list[Draw]:
        return self.view.refund_to

    @property
    def sale(self) -> Sale | None:
        return self.view.sale

    @property
    def customer_name(self) -> str | None:
        return self.view.customer_name

    @property
    def on_hand(self) -> dict[str, int]:
        return self.view.on_hand

    @property
    def number(self) -> str:
        return self.exchange.number

    @property
    def editable(self) -> bool:
        return self.exchange.state in EDITABLE_STATES

    @property
    def submitted(self) -> bool:
        return self.exchange.submitted_by is not None

    @property
    def can_finalize(self) -> bool:
        ex = self.exchange
        try:
            ex.check_finalizable()
        except PosError:
            return False
        return bool(ex.returned or ex.requested)


def snapshot(app: App, key: str, user: str, note: Words | None = None,
             level: str = "info") -> Snapshot:
    """The exchange as it stands, with live policy results while it is a draft."""
    return Snapshot(app.exchanges.view(key, user), note, level)


def _sale_key(app: App, code: str) -> str | None:
    """The code names a sale (a receipt barcode, an order number, or an exchange's own
    receipt, whose new items form a sale under the exchange number)."""
    try:
        return app.exchanges.find_sale(code).order_number
    except NotFound:
        return None


def route_for(sku: str, sale: Sale | None, returned: list[ReturnedLine]) -> str:
    """Where a scanned item goes when the CSR did not say (F5/F6): an item the attached
    sale still has to return (beyond what this exchange already takes back) is a return,
    anything else is a new item."""
    if sale is None:
        return REQUESTED
    taken: dict[int, int] = {}
    for r in returned:
        if r.sale_line_id is not None:
            taken[r.sale_line_id] = taken.get(r.sale_line_id, 0) + r.qty
    left = sum(max(0, line.returnable_qty - taken.get(line.line_id, 0))
               for line in sale.lines_for_sku(sku))
    return RETURNED if left > 0 else REQUESTED


def scan(app: App, key: str | None, user: str, code: str, mode: str = AUTO,
         seen: ExchangeView | None = None) -> Snapshot:
    """A scanned or typed code: a receipt attaches its sale; an item goes where ``mode``
    says, or (AUTO) where ``route_for`` sends it. An item is one transaction that returns
    the screen's view (``ExchangeService.scan``); ``seen`` (the screen's last view) is no
    longer needed for that and is accepted for the callers' sake."""
    checked = classify(code)
    if checked.kind == "invalid":
        raise BadInput(checked.reason, **checked.params)
    try:
        scanned = app.exchanges.scan(key, user, checked.code, _router(mode))
    except NotFound:
        if checked.kind == "text" and checked.code.upper().startswith("EX-"):
            raise NotFound("UNKNOWN_EXCHANGE_RECEIPT", number=checked.code) from None
        raise
    if scanned is None:      # a receipt or order number (here or at the hub)
        return attach_sale(app, key, user, app.exchanges.find_sale(checked.code).order_number)
    if scanned.returned:
        return _returned(scanned.view, scanned.item, None)
    return _requested(scanned.view, scanned.item)


def _router(mode: str) -> Callable[[Item, Sale | None, Exchange], bool]:
    """``mode`` as the service's question "is this item a return?"."""
    if mode == RETURNED:
        return lambda _item, _sale, _ex: True
    if mode == REQUESTED:
        return lambda _item, _sale, _ex: False
    return lambda item, sale, ex: route_for(item.sku, sale, ex.returned) == RETURNED


def attach_sale(app: App, key: str | None, user: str, sale_key: str) -> Snapshot:
    if key is None:
        key = app.exchanges.start(user, sale_key=sale_key).number
    else:
        app.exchanges.attach_sale(key, user, sale_key)
    sale = app.exchanges.find_sale(sale_key)
    return snapshot(app, key, user, tr("Sale {sale} attached.", sale=sale.order_number))


def return_item(app: App, key: str | None, user: str, code: str, qty: int = 1,
                sale_line_id: int | None = None, condition: str = "resaleable",
                restock: bool = True) -> Snapshot:
    """Take an item back; ``key=None`` starts the exchange with it (only if it is valid)."""
    ex = app.exchanges.scan_returned(key, user, code, qty, sale_line_id, condition, restock)
    return _returned(app.exchanges.view(ex.number, user), app.exchanges.item(code),
                     sale_line_id)


def _returned(view: ExchangeView, item: Item, sale_line_id: int | None) -> Snapshot:
    ex = view.exchange
    line = max(ex.returned, key=lambda r: r.line_no) if sale_line_id is None else \
        next(r for r in ex.returned if r.sale_line_id == sale_line_id)
    if line.sale_line_id is not None:
        return Snapshot(view, tr("Returned: {item} (qty {qty}).", item=line.name,
                                 qty=line.qty))
    # Without a receipt the item gets the no-receipt value: say so, and what the receipt
    # would give (its price now, with tax), so the CSR can ask for it.
    full = line_amounts(item.price_minor, line.qty, line.tax_rate)[2]
    credit = Money(line.credit_minor, ex.currency)
    if full > line.credit_minor:
        note = tr("No receipt: {credit} as store credit. Scan the receipt for the full "
                  "{full}.", credit=credit, full=Money(full, ex.currency))
    else:
        note = tr("No receipt: {credit} as store credit.", credit=credit)
    return Snapshot(view, note, "warn")


def request_item(app: App, key: str | None, user: str, code: str, qty: int = 1) -> Snapshot:
    ex = app.exchanges.scan_requested(key, user, code, qty)
    return _requested(app.exchanges.view(ex.number, user), app.exchanges.item(code))


def _requested(view: ExchangeView, item: Item) -> Snapshot:
    line = next(r for r in view.exchange.requested if r.sku == item.sku)
    return Snapshot(view, tr("New item: {item} (qty {qty}).", item=line.name, qty=line.qty))


def search_sales(app: App, text: str) -> list[SaleMatch]:
    """A receipt or order number finds one sale; anything else searches customers."""
    sale_key = _sale_key(app, text)
    if sale_key is not None:
        sale = app.exchanges.find_sale(sale_key)
        return [SaleMatch(sale.order_number, sale.sold_at, sale.customer_id,
                          app.exchanges.customer_name(sale.customer_id), None)]
    found = app.exchanges.search_sales(text)
    if not found:
        raise NotFound("NO_SALE_FOUND", text=text.strip()[:60])
    return found


def remove_line(app: App, key: str, user: str, line_no: int) -> Snapshot:
    app.exchanges.remove_line(key, user, line_no)
    return snapshot(app, key, user, tr("Line removed."))


def lock_in(app: App, key: str, user: str) -> Snapshot:
    ex = app.exchanges.submit(key, user)
    if ex.state is State.PENDING_APPROVAL:
        note = tr("A manager must approve this exchange.")
    elif ex.state is State.AWAITING_PAYMENT:
        note = tr("Locked in: take the payment.")
    else:
        note = tr("Locked in: finalize to settle.")
    return snapshot(app, key, user, note)


def approve(app: App, key: str, user: str, approver: str, pin: str, reason: str) -> Snapshot:
    approver_id = app.users.resolve(approver)
    app.exchanges.approve(key, approver_id, pin, reason)
    return snapshot(app, key, user, tr("Approved by {who}.", who=approver_id))


def pay_cash(app: App, key: str, user: str, tendered: Decimal) -> tuple[Snapshot, Any]:
    """Record the cash, then open the drawer. A drawer that does not open is reported but
    the payment stays recorded: the cash is in the CSR's hand either way."""
    tender = app.exchanges.pay_cash(key, user, tendered)
    drawer_error = None
    try:
        app.drawer.open(user, reason=f"cash payment {key}")
    except PosError as exc:
        drawer_error = exc
    return snapshot(app, key, user), (tender, drawer_error)


def finalize(app: App, key: str, user: str) -> tuple[Snapshot, PosError | None]:
    """Settle; a cash refund opens the drawer (reported, never undone, if it fails)."""
    ex = app.exchanges.finalize(key, user)
    drawer_error = None
    if any(t.method == "cash" for t in ex.refunds):
        try:
            app.drawer.open(user, reason=f"cash refund {ex.number}")
        except PosError as exc:
            drawer_error = exc
    return snapshot(app, key, user, tr("Exchange finalized.")), drawer_error


def cancel(app: App, key: str, user: str) -> Snapshot:
    app.exchanges.cancel(key, user)
    return snapshot(app, key, user, tr("Exchange cancelled."))


def void(app: App, key: str, user: str, reason: str) -> Snapshot:
    app.exchanges.void(key, user, reason)
    return snapshot(app, key, user, tr("Exchange voided: its payments are refunded."))


def run_card_refunds(app: App, user: str) -> list[dict[str, Any]]:
    """Card refunds recorded at finalize or void, executed on the processor now."""
    return app.payments.execute_pending_refunds(user)


def open_drawer(app: App, user: str, reason: str) -> None:
    app.drawer.open(user, reason=reason)


def card_start(app: App, key: str, user: str, amount: Decimal | None,
               test_card: str | None) -> Attempt:
    attempt = app.payments.start(key, user, amount)
    terminal = app.payments.terminal
    if test_card and attempt.intent_id and isinstance(terminal, TestCards):
        terminal.present_test_card(attempt.intent_id, test_card)
    return attempt


def resume_candidate(app: App, register_id: str) -> str | None:
    """The newest unfinished exchange of this register, to reopen after a restart."""
    rows = app.exchanges.open_exchanges(register_id)
    return rows[0].number if rows else None


def started_today(app: App, now: datetime) -> datetime:
    return day_bounds(now, app.runtime.tz)[0]


@dataclass(frozen=True)
class SyncState:
    """What the status bar shows about the hub and the outbox."""

    hub: str                 # none | online | offline
    error: str               # reason codes of the last round's trouble, for the tooltip
    pending: int
    dead: int
    oldest: datetime | None
    alarm: str = ""          # the hub refused this register's journal (its code): red bar
    more: bool = False       # a backlog is left after this round: the next one starts now


class SyncTick:
    """One round of the register's background sync, for the status bar: push the outbox and
    pull catalogue deltas when a hub is configured, then count what is still unsent."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._service: Any = None

    def __call__(self) -> SyncState:
        app = self.app
        hub, error, alarm, more = "none", "", "", False
        if app.settings.hub_url:
            try:
                if self._service is None:
                    self._service = app.sync()
                report = self._service.push_once()
                if report.online:
                    self._service.pull_once()
                hub = "online" if report.online else "offline"
                error = "; ".join(report.errors)
                alarm = report.anchor_refused or ""
                more = report.more
            except PosError as exc:
                hub, error = "offline", exc.code
        summary = app.exchanges.outbox_summary()
        return SyncState(hub, error, summary.pending, summary.dead, summary.oldest_pending,
                         alarm, more)
