"""What the counter window asks of the services, as plain calls (no widgets here: these
run in worker threads, and this module imports no Qt).

Each function returns a ``Snapshot``: everything the exchange screen shows, read in one
transaction after the change (``ExchangeService.view``), so the GUI thread only paints.
Scans are routed here too: a scanned code may be a receipt, an exchange's own receipt, or
an item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_exchange.bootstrap import App
from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.card_attempts import Attempt
from pos_exchange.domain.errors import BadInput, NotFound, PosError
from pos_exchange.domain.exchange import EDITABLE_STATES, Exchange, State
from pos_exchange.domain.policy import Finding
from pos_exchange.domain.sale import Draw, Sale
from pos_exchange.domain.scan_codes import classify
from pos_exchange.services.terminal import TestCards
from pos_exchange.services.views import ExchangeView, SaleMatch

RETURNED, REQUESTED = "returned", "requested"


@dataclass(frozen=True)
class Snapshot:
    view: ExchangeView
    # What just happened, for the message line: a template the page translates, then fills
    # from ``note_params`` (never an f-string, which could not be translated).
    note: str = ""
    note_params: tuple[tuple[str, str], ...] = ()

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


def snapshot(app: App, key: str, user: str, note: str = "", **params: object) -> Snapshot:
    """The exchange as it stands, with live policy results while it is a draft."""
    return Snapshot(app.exchanges.view(key, user), note,
                    tuple((k, str(v)) for k, v in params.items()))


def _ensure(app: App, key: str | None, user: str, sale_key: str | None = None) -> str:
    if key:
        return key
    return app.exchanges.start(user, sale_key=sale_key).number


def _sale_key(app: App, code: str) -> str | None:
    """The code names a sale (a receipt barcode, an order number, or an exchange's own
    receipt, whose new items form a sale under the exchange number)."""
    try:
        return app.exchanges.find_sale(code).order_number
    except NotFound:
        return None


def scan(app: App, key: str | None, user: str, code: str, mode: str) -> Snapshot:
    """A scanned or typed code: attach the sale it names, or add the item to ``mode``."""
    checked = classify(code)
    if checked.kind == "invalid":
        raise BadInput(checked.reason, **checked.params)
    sale_key = _sale_key(app, checked.code)
    if sale_key is not None:
        return attach_sale(app, key, user, sale_key)
    if checked.kind == "text" and checked.code.upper().startswith("EX-"):
        raise NotFound("UNKNOWN_EXCHANGE_RECEIPT", number=checked.code)
    if mode == RETURNED:
        return return_item(app, key, user, checked.code)
    return request_item(app, key, user, checked.code)


def attach_sale(app: App, key: str | None, user: str, sale_key: str) -> Snapshot:
    if key is None:
        key = app.exchanges.start(user, sale_key=sale_key).number
    else:
        app.exchanges.attach_sale(key, user, sale_key)
    sale = app.exchanges.find_sale(sale_key)
    return snapshot(app, key, user, "Sale {sale} attached.", sale=sale.order_number)


def return_item(app: App, key: str | None, user: str, code: str, qty: int = 1,
                sale_line_id: int | None = None, condition: str = "resaleable",
                restock: bool = True) -> Snapshot:
    key = _ensure(app, key, user)
    ex = app.exchanges.scan_returned(key, user, code, qty, sale_line_id, condition, restock)
    line = max(ex.returned, key=lambda r: r.line_no) if sale_line_id is None else \
        next(r for r in ex.returned if r.sale_line_id == sale_line_id)
    return snapshot(app, key, user, "Returned: {item} (qty {qty}).", item=line.name, qty=line.qty)


def request_item(app: App, key: str | None, user: str, code: str, qty: int = 1) -> Snapshot:
    key = _ensure(app, key, user)
    ex = app.exchanges.scan_requested(key, user, code, qty)
    item = app.exchanges.item(code)
    line = next(r for r in ex.requested if r.sku == item.sku)
    return snapshot(app, key, user, "New item: {item} (qty {qty}).", item=line.name, qty=line.qty)


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
    return snapshot(app, key, user, "Line removed.")


def lock_in(app: App, key: str, user: str) -> Snapshot:
    ex = app.exchanges.submit(key, user)
    if ex.state is State.PENDING_APPROVAL:
        note = "A manager must approve this exchange."
    elif ex.state is State.AWAITING_PAYMENT:
        note = "Locked in: take the payment."
    else:
        note = "Locked in: finalize to settle."
    return snapshot(app, key, user, note)


def approve(app: App, key: str, user: str, approver: str, pin: str, reason: str) -> Snapshot:
    approver_id = app.users.resolve(approver)
    app.exchanges.approve(key, approver_id, pin, reason)
    return snapshot(app, key, user, "Approved by {who}.", who=approver_id)


def pay_cash(app: App, key: str, user: str, tendered: Decimal) -> tuple[Snapshot, Any]:
    """Record the cash, then open the drawer. A drawer that does not open is reported but
    the payment stays recorded: the cash is in the CSR's hand either way."""
    tender = app.exchanges.pay_cash(key, user, tendered)
    drawer_error = None
    try:
        app.drawer.open(user, reason=f"cash payment {key}")
    except PosError as exc:
        drawer_error = exc
    return snapshot(app, key, user, "Cash recorded."), (tender, drawer_error)


def finalize(app: App, key: str, user: str) -> tuple[Snapshot, PosError | None]:
    """Settle; a cash refund opens the drawer (reported, never undone, if it fails)."""
    ex = app.exchanges.finalize(key, user)
    drawer_error = None
    if any(t.method == "cash" for t in ex.refunds):
        try:
            app.drawer.open(user, reason=f"cash refund {ex.number}")
        except PosError as exc:
            drawer_error = exc
    return snapshot(app, key, user, "Exchange finalized."), drawer_error


def cancel(app: App, key: str, user: str) -> Snapshot:
    app.exchanges.cancel(key, user)
    return snapshot(app, key, user, "Exchange cancelled.")


def void(app: App, key: str, user: str, reason: str) -> Snapshot:
    app.exchanges.void(key, user, reason)
    return snapshot(app, key, user, "Exchange voided: its payments are refunded.")


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


class SyncTick:
    """One round of the register's background sync, for the status bar: push the outbox and
    pull catalogue deltas when a hub is configured, then count what is still unsent."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._service: Any = None

    def __call__(self) -> SyncState:
        app = self.app
        hub, error, alarm = "none", "", ""
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
            except PosError as exc:
                hub, error = "offline", exc.code
        summary = app.exchanges.outbox_summary()
        return SyncState(hub, error, summary.pending, summary.dead, summary.oldest_pending,
                         alarm)
