"""The exchange screen's state (gui/screen.py) and the scan routing (gui/steps.py), without
Qt: from views the real services read on the in-memory unit of work. What is enabled is
what the aggregate allows; the headline, the title and the next focus follow the state."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pos_exchange.domain.errors import Refused
from pos_exchange.domain.exchange import State
from pos_exchange.domain.money import Money
from pos_exchange.gui import screen, steps
from pos_exchange.gui.screen import FOCUS_APPROVER, FOCUS_CASH, FOCUS_FINALIZE, FOCUS_SCAN
from tests.unit.test_service_rules import BEST, BETTER, GOOD, clock, svc, uow  # noqa: F401

SOCKS = "APP-SOCKS-G-043"   # cheaper than the T-shirt: an exchange for less


def state_of(service, number, **kw) -> screen.ScreenState:
    return screen.screen_state(service.view(number, "csr1"), **kw)


def upgrade(service, new=BETTER) -> str:
    ex = service.start("csr1", sale_key="S001-000001")
    service.scan_returned(ex.number, "csr1", GOOD)
    service.scan_requested(ex.number, "csr1", new)
    return ex.number


def words(w) -> tuple:
    return (w.template, dict(w.params))


def test_no_exchange_yet_everything_to_start_one_is_enabled():
    state = screen.screen_state(None)
    assert state.editable and state.focus == FOCUS_SCAN
    assert not any((state.can_lock_in, state.can_pay, state.can_finalize, state.can_cancel,
                    state.can_void, state.can_remove))
    assert words(state.headline) == ("Scan the items", {})
    assert words(state.title) == ("New exchange", {})


def test_a_draft_upgrade_can_be_locked_in_edited_and_cancelled(svc):  # noqa: F811
    number = upgrade(svc)
    state = state_of(svc, number)
    assert state.can_lock_in and state.editable and state.can_remove and state.can_cancel
    assert not (state.can_pay or state.can_finalize or state.can_void or state.show_payment)
    assert words(state.headline) == ("Customer pays {amount}",
                                     {"amount": Money(6385, "USD")})
    assert state.title.get("state").template == "draft"
    assert state.focus == FOCUS_SCAN


def test_locked_in_upgrade_wants_cash_with_quick_tenders(svc):  # noqa: F811
    number = upgrade(svc)
    svc.submit(number, "csr1")
    state = state_of(svc, number)
    assert state.focus == FOCUS_CASH and state.can_pay and state.show_payment
    assert not state.can_lock_in and not state.can_finalize
    assert state.quick_tenders == (6385, 6500, 7000, 8000)
    assert state.due_minor == 6385


def test_cash_with_change_makes_the_change_the_headline(svc):  # noqa: F811
    number = upgrade(svc)
    svc.submit(number, "csr1")
    svc.pay_cash(number, "csr1", "100")
    state = state_of(svc, number)
    assert words(state.headline) == ("Change {amount}", {"amount": Money(3615, "USD")})
    assert state.headline_kind == "change"
    assert state.fully_paid and state.can_finalize and state.focus == FOCUS_FINALIZE
    assert not state.can_pay and not state.editable   # money moved: the basket is locked
    assert not state.can_cancel and state.can_void
    svc.finalize(number, "csr1")
    settled = state_of(svc, number)
    assert words(settled.headline) == ("Change {amount}", {"amount": Money(3615, "USD")})
    assert not settled.fully_paid and settled.focus == FOCUS_SCAN


def test_partial_cash_says_what_is_still_due(svc):  # noqa: F811
    number = upgrade(svc)
    svc.submit(number, "csr1")
    svc.pay_cash(number, "csr1", "40")
    state = state_of(svc, number)
    assert words(state.headline) == ("Customer pays {amount} more",
                                     {"amount": Money(2385, "USD")})
    assert state.focus == FOCUS_CASH and state.quick_tenders[0] == 2385


def test_an_exchange_for_less_locked_in_is_not_a_draft_and_finalizes(svc):  # noqa: F811
    number = upgrade(svc, new=SOCKS)
    svc.submit(number, "csr1")
    state = state_of(svc, number)
    assert state.title.get("state").template == "locked in"    # not "· draft" (issue 9)
    assert state.can_finalize and state.focus == FOCUS_FINALIZE and not state.can_lock_in
    assert state.headline_kind == "less"
    assert state.headline.template == "Refund {amount} to {destination}"
    assert state.headline.get("destination") == "Visa •••• 4242"


def test_void_is_enabled_only_where_the_domain_allows_it(svc):  # noqa: F811
    less = upgrade(svc, new=SOCKS)
    svc.submit(less, "csr1")
    svc.finalize(less, "csr1")            # refunded to the card: VOID_REFUND_ISSUED
    assert not state_of(svc, less).can_void
    assert not state_of(svc, less).can_cancel


def test_void_is_disabled_once_a_later_exchange_takes_the_new_item_back(svc):  # noqa: F811
    """Issue 9: Void was offered where the service refuses it (VOID_ITEMS_RETURNED)."""
    number = upgrade(svc)
    svc.submit(number, "csr1")
    svc.pay_cash(number, "csr1", "100")
    svc.finalize(number, "csr1")
    assert state_of(svc, number).can_void
    later = svc.start("csr1", sale_key=number)      # the new sale is the exchange's number
    svc.scan_returned(later.number, "csr1", BETTER)
    assert not state_of(svc, number).can_void
    with pytest.raises(Refused) as refused:
        svc.void(number, "csr1", "customer changed mind")
    assert refused.value.code == "VOID_ITEMS_RETURNED"
    svc.cancel(later.number, "csr1", "customer kept it")   # no longer live: void is back
    assert state_of(svc, number).can_void


def test_approval_focus_goes_to_the_manager_field(svc):  # noqa: F811
    number = upgrade(svc, new=BEST)
    assert svc.submit(number, "csr1").state is State.PENDING_APPROVAL
    state = state_of(svc, number)
    assert state.show_approval and state.can_approve and state.focus == FOCUS_APPROVER


def test_a_card_on_the_reader_freezes_every_other_move(svc):  # noqa: F811
    number = upgrade(svc)
    svc.submit(number, "csr1")
    state = state_of(svc, number, card_busy=True)
    assert not any((state.can_pay, state.can_finalize, state.can_cancel, state.can_remove,
                    state.can_lock_in))


def test_returnable_counts_what_this_exchange_already_takes_back(svc):  # noqa: F811
    number = upgrade(svc)
    [row] = state_of(svc, number).sale_rows
    assert (row.sku, row.bought, row.returnable, row.paid_each_minor) == (GOOD, 1, 0, 2057)


def test_quick_tenders_round_cash_and_skip_duplicates():
    assert screen.quick_tenders(6385, "USD") == (6385, 6500, 7000, 8000)
    assert screen.quick_tenders(2000, "USD") == (2000,)
    assert screen.quick_tenders(1003, "CHF", cash_increment=5) == (1005, 1500, 2000)
    assert screen.quick_tenders(0, "USD") == ()


@pytest.mark.parametrize(("scanned", "expected"), [(GOOD, steps.RETURNED),
                                                   (BETTER, steps.REQUESTED)])
def test_an_item_on_the_attached_sale_is_a_return_any_other_is_new(svc, scanned,  # noqa: F811
                                                                   expected):
    ex = svc.start("csr1", sale_key="S001-000001")
    sale = svc.sale_for(ex.number)
    assert steps.route_for(scanned, sale, []) == expected


def test_an_item_already_returned_in_full_is_new_again(svc):  # noqa: F811
    ex = svc.start("csr1", sale_key="S001-000001")
    ex = svc.scan_returned(ex.number, "csr1", GOOD)
    assert steps.route_for(GOOD, svc.sale_for(ex.number), ex.returned) == steps.REQUESTED
    assert steps.route_for(GOOD, None, []) == steps.REQUESTED   # no receipt: new, F5 returns


def test_the_screen_state_layer_imports_no_qt():
    """gui/steps.py, screen.py and card_payment.py run in workers and in these tests:
    importing them must not load PySide6."""
    probe = ("import sys\n"
             "import pos_exchange.gui.steps, pos_exchange.gui.screen, "
             "pos_exchange.gui.card_payment\n"
             "print(sorted(m for m in sys.modules if m.startswith('PySide6')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout.strip()
    assert out == "[]"
