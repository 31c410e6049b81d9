"""What the exchange screen shows and allows, decided from one snapshot (no Qt here).

``screen_state(view)`` turns the ``ExchangeView`` a step read in one transaction into a
``ScreenState``: which actions are enabled, the headline, the title and where the focus
goes next. It never re-derives a business rule: whether the exchange may be cancelled,
voided, paid, edited or finalized is asked of the aggregate itself, by trying the move on
a copy (``_allowed``). The page (gui/exchange_page.py) only paints the result.

Sentences are ``Words``: an English template marked for translation (``tr``, which
lupdate extracts) and its parameters. The page translates the template and formats money
in the store's locale (texts.render), so this module stays testable without Qt.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pos_exchange.domain import money
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import (
    EDITABLE_STATES,
    Exchange,
    Kind,
    State,
    Tender,
    TenderKind,
)
from pos_exchange.domain.money import Money
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.sale import Draw, Sale
from pos_exchange.services.views import ExchangeView

# Where the focus goes after a step: the CSR's next key lands there.
FOCUS_SCAN, FOCUS_APPROVER, FOCUS_CASH, FOCUS_FINALIZE = "scan", "approver", "cash", "finalize"
NOTES = (5, 10, 20)   # quick-tender keys: the next note of these sizes at or above the due


@dataclass(frozen=True)
class Words:
    """A sentence to translate, then fill: values may be Money, Words, a tuple of Words
    (joined with ", ") or plain text."""

    template: str
    params: tuple[tuple[str, object], ...] = ()

    def get(self, name: str) -> object:
        return dict(self.params)[name]


def tr(template: str, **params: object) -> Words:
    """Mark a sentence for translation (lupdate extracts free ``tr("...")`` calls)."""
    return Words(template, tuple(params.items()))


STATE_WORDS = {
    State.DRAFT: tr("draft"), State.PENDING_APPROVAL: tr("waiting for a manager"),
    State.AWAITING_PAYMENT: tr("waiting for payment"), State.PAID: tr("paid"),
    State.IN_TRANSIT: tr("settled"), State.COMPLETED: tr("completed"),
    State.AWAITING_FULFILMENT: tr("paid, waiting to ship"),
    State.CANCELLED: tr("cancelled"), State.VOIDED: tr("voided"),
}
LOCKED_IN = tr("locked in")   # a DRAFT already submitted: an even exchange or one for less


@dataclass(frozen=True)
class SaleRow:
    """A line of the original sale as this exchange sees it: ``returnable`` counts what
    this exchange is already taking back."""

    line_id: int
    sku: str
    name: str
    bought: int
    returnable: int
    paid_each_minor: int


@dataclass(frozen=True)
class ScreenState:
    title: Words
    headline: Words
    headline_kind: str          # "", upgrade, even, less, paid, change: the headline's colour
    editable: bool              # scan field, sale search, Add, Find sale, Return line
    can_remove: bool
    can_lock_in: bool
    show_approval: bool
    can_approve: bool
    show_payment: bool
    can_pay: bool
    can_finalize: bool
    can_cancel: bool
    can_void: bool
    focus: str
    paid_minor: int = 0
    due_minor: int = 0
    quick_tenders: tuple[int, ...] = ()   # exact (cash-rounded), then the next notes
    sale_rows: tuple[SaleRow, ...] = ()
    fully_paid: bool = False    # an upgrade whose payment just completed: may finalize itself


EMPTY = ScreenState(
    title=tr("New exchange"), headline=tr("Scan the items"), headline_kind="",
    editable=True, can_remove=False, can_lock_in=False, show_approval=False,
    can_approve=False, show_payment=False, can_pay=False, can_finalize=False,
    can_cancel=False, can_void=False, focus=FOCUS_SCAN)


def _allowed(ex: Exchange, move: Callable[[Exchange], object]) -> bool:
    """Ask the aggregate: would this move be accepted now? Tried on a copy."""
    try:
        move(copy.deepcopy(ex))
    except PosError:
        return False
    return True


def _probe_payment(ex: Exchange) -> Tender:
    return Tender("probe", TenderKind.PAYMENT, "card", 1, ex.created_at, "probe")


def _void_compensations(ex: Exchange) -> list[Tender]:
    """What a void would refund (as services/exchanges.py builds it): each payment back."""
    return [Tender(f"probe-{i}", TenderKind.REFUND, p.method, p.amount_minor, p.created_at,
                   p.payment_id, compensates=p.tender_id) for i, p in enumerate(ex.payments)]


# The last answer: a repaint asks again for the same view (about 1.7 times per scan), and
# each answer tries three moves on deep copies of the exchange. A view is a snapshot a
# step read; the window never changes one, it gets a new one.
_last: tuple[ExchangeView | None, bool, int, ScreenState] | None = None


def screen_state(view: ExchangeView | None, *, card_busy: bool = False,
                 cash_increment: int = 1) -> ScreenState:
    """The screen for ``view`` (None: no exchange yet). ``card_busy``: a card payment is
    on the reader, so nothing else may move the exchange."""
    global _last
    if _last is not None and _last[0] is view and _last[1:3] == (card_busy, cash_increment):
        return _last[3]
    state = _screen_state(view, card_busy, cash_increment)
    _last = (view, card_busy, cash_increment, state)
    return state


def _screen_state(view: ExchangeView | None, card_busy: bool,
                  cash_increment: int) -> ScreenState:
    if view is None:
        return EMPTY
    ex = view.exchange
    val = ex.valuation()
    lines = [r.line_no for r in ex.returned] + [r.line_no for r in ex.requested]
    if lines:
        editable = _allowed(ex, lambda e: e.remove_line(lines[0]))
    else:
        editable = ex.state in EDITABLE_STATES
    free = not card_busy
    paid = sum(t.exact_minor for t in ex.payments)
    live = ex.state not in (State.CANCELLED, State.VOIDED)
    due = max(0, ex.remaining_due_minor) if val.kind is Kind.UPGRADE and live else 0
    can_pay = free and _allowed(ex, lambda e: e.add_payment(_probe_payment(e), PolicyConfig()))
    can_finalize = free and bool(lines) and _allowed(ex, lambda e: e.check_finalizable())
    kind, headline = _headline(ex, view.refund_to, due, paid)
    fully_paid = (val.kind is Kind.UPGRADE and ex.state is State.AWAITING_PAYMENT
                  and paid > 0 and due == 0 and can_finalize)
    return ScreenState(
        title=tr("{number} · {state}", number=ex.number, state=_state_word(ex)),
        headline=headline, headline_kind=kind, editable=editable,
        can_remove=free and editable and bool(lines),
        can_lock_in=free and bool(lines) and ex.state is State.DRAFT and ex.submitted_by is None,
        show_approval=ex.state is State.PENDING_APPROVAL,
        can_approve=free and ex.state is State.PENDING_APPROVAL,
        show_payment=ex.state is State.AWAITING_PAYMENT or bool(ex.tenders),
        can_pay=can_pay, can_finalize=can_finalize,
        can_cancel=free and _allowed(ex, lambda e: e.cancel("probe")),
        can_void=free and _allowed(ex, lambda e: e.void("probe", _void_compensations(e),
                                                        view.returned_later)),
        focus=_focus(ex, due, can_finalize), paid_minor=paid, due_minor=due,
        quick_tenders=quick_tenders(due, ex.currency, cash_increment) if can_pay else (),
        sale_rows=sale_rows(view.sale, ex), fully_paid=fully_paid)


def _state_word(ex: Exchange) -> Words:
    if ex.state is State.DRAFT and ex.submitted_by is not None:
        return LOCKED_IN
    return STATE_WORDS[ex.state]


def _focus(ex: Exchange, due: int, can_finalize: bool) -> str:
    if ex.state is State.PENDING_APPROVAL:
        return FOCUS_APPROVER
    if ex.state is State.AWAITING_PAYMENT and due > 0:
        return FOCUS_CASH
    if can_finalize:
        return FOCUS_FINALIZE
    return FOCUS_SCAN


def _headline(ex: Exchange, refund_to: list[Draw], due: int, paid: int) -> tuple[str, Words]:
    """The big line: what the customer pays, gets back, or the change to hand over."""
    cur = ex.currency
    if ex.state is State.CANCELLED:
        return "", tr("Cancelled: nothing was charged")
    if ex.state is State.VOIDED:
        return "less", tr("Voided: the payments are refunded")
    if not (ex.returned or ex.requested):
        return "", tr("Scan the items")
    val = ex.valuation()
    if val.kind is Kind.UPGRADE and paid:
        if due:
            return "upgrade", tr("Customer pays {amount} more", amount=Money(due, cur))
        change = sum(t.change_minor for t in ex.payments if t.method == "cash")
        if change:
            return "change", tr("Change {amount}", amount=Money(change, cur))
        return "paid", tr("Paid in full")
    return gap_headline(val.gap_minor, refund_to, cur)


def gap_headline(gap: int, refund_to: list[Draw], currency: str) -> tuple[str, Words]:
    """"Customer pays 86.60", "Even exchange", or "Refund 12.40 to Visa •••• 4242"."""
    if gap > 0:
        return "upgrade", tr("Customer pays {amount}", amount=Money(gap, currency))
    if gap == 0:
        return "even", tr("Even exchange")
    amount = Money(-gap, currency)
    if len(refund_to) == 1:
        return "less", tr("Refund {amount} to {destination}", amount=amount,
                          destination=destination(refund_to[0]))
    if refund_to:
        parts = tuple(tr("{amount} to {destination}", amount=Money(d.amount_minor, currency),
                         destination=destination(d)) for d in refund_to)
        return "less", tr("Refund {amount}: {parts}", amount=amount, parts=parts)
    return "less", tr("Refund {amount}", amount=amount)


BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
          "discover": "Discover", "interac": "Interac", "jcb": "JCB"}


def card_label(brand: str | None, last4: str | None) -> Words | str:
    """"Visa •••• 4242"; a card of unknown brand is "card" in the store's language."""
    if not brand:
        return tr("card •••• {last4}", last4=last4) if last4 else tr("card")
    name = BRANDS.get(brand, brand.title())
    return f"{name} •••• {last4}" if last4 else name


def destination(draw: Draw) -> Words | str:
    if draw.method == "card":
        return card_label(draw.card_brand, draw.card_last4)
    if draw.method == "cash":
        return tr("cash")
    if draw.method == "store_credit":
        return tr("store credit")
    return draw.method.replace("_", " ")


def quick_tenders(due_minor: int, currency: str, cash_increment: int = 1) -> tuple[int, ...]:
    """Cash amounts one key takes: the exact amount due (cash-rounded), then the next 5,
    10 and 20 note at or above it, each once."""
    if due_minor <= 0:
        return ()
    exact = money.cash_round(due_minor, cash_increment)
    amounts = [exact]
    for note in NOTES:
        step = money.to_minor(Decimal(note), currency)
        amounts.append(-(-exact // step) * step)
    return tuple(sorted(set(amounts)))


def sale_rows(sale: Sale | None, ex: Exchange) -> tuple[SaleRow, ...]:
    if sale is None:
        return ()
    taken: dict[int, int] = {}
    for r in ex.returned:
        if r.sale_line_id is not None:
            taken[r.sale_line_id] = taken.get(r.sale_line_id, 0) + r.qty
    return tuple(SaleRow(line.line_id, line.sku, line.name, line.qty,
                         max(0, line.returnable_qty - taken.get(line.line_id, 0)),
                         (line.net_minor + line.tax_minor) // max(1, line.qty))
                 for line in sale.lines)
