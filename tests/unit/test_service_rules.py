"""The service layer's rules, on the in-memory unit of work (tests/fakes/unit_of_work.py):
no SQLite, no files. The same services run on real databases in tests/integration."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.services.admin import AuditService, UserService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def uow(clock: Clock) -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    with factory() as work:
        load_demo(work, "S001", clock())
        work.commit()
    return factory


@pytest.fixture
def svc(uow: FakeUnitOfWorkFactory, clock: Clock) -> Iterator[ExchangeService]:
    rt = Runtime("S001", "R01", "USD", clock)
    yield ExchangeService(uow, rt, PolicyConfig(), TAXES)


def code_of(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PosError) as err:
        call()
    return err.value.code


def upgrade(svc: ExchangeService, new: str = BETTER, user: str = "csr1") -> str:
    ex = svc.start(user, sale_key="S001-000001")
    svc.scan_returned(ex.number, user, GOOD)
    svc.scan_requested(ex.number, user, new)
    return ex.number


def test_an_upgrade_settles_with_money_conserved_and_one_outbox_record(svc, uow):
    number = upgrade(svc)
    assert svc.submit(number, "csr1").state is State.AWAITING_PAYMENT
    svc.pay_cash(number, "csr1", "100.00")
    done = svc.finalize(number, "csr1")
    assert done.state is State.IN_TRANSIT
    assert [r["topic"] for r in uow.store.outbox] == ["exchange.settled"]
    assert AuditService(uow, svc.rt).verify().ok


def test_a_refused_step_leaves_nothing_behind(svc, uow):
    number = upgrade(svc)
    journal, commits = len(uow.store.journal), uow.commits
    assert code_of(lambda: svc.finalize(number, "csr1")) == "ILLEGAL_TRANSITION"
    assert (len(uow.store.journal), uow.commits) == (journal, commits)
    assert svc.get(number).state is State.DRAFT and not uow.store.outbox


def test_a_manager_cannot_approve_an_exchange_they_worked_on(svc):
    number = upgrade(svc, new=BEST, user="mgr1")  # a gap above the approval limit
    assert svc.submit(number, "mgr1").state is State.PENDING_APPROVAL
    assert code_of(lambda: svc.approve(number, "mgr1", "9999", "Price match")) == \
        "SELF_APPROVAL"


def test_the_same_manager_may_approve_a_changed_basket_again(svc):
    """Issue 9: one manager on shift must not be locked out by their own earlier approval;
    only the people who worked the exchange as CSRs are excluded."""
    number = upgrade(svc, new=BEST)
    assert svc.submit(number, "csr1").state is State.PENDING_APPROVAL
    assert svc.approve(number, "mgr1", "9999", "Price match").state is State.AWAITING_PAYMENT
    svc.scan_requested(number, "csr1", BEST)               # the basket changes: two now
    assert svc.get(number).approval_valid is False
    assert svc.submit(number, "csr1").state is State.PENDING_APPROVAL
    assert svc.approve(number, "mgr1", "9999", "Price match").state is State.AWAITING_PAYMENT


def test_a_csr_cannot_approve(svc):
    number = upgrade(svc, new=BEST)
    svc.submit(number, "csr1")
    assert code_of(lambda: svc.approve(number, "csr2", "2222", "Price match")) == \
        "NOT_AUTHORIZED"


def test_a_wrong_pin_is_counted_even_though_the_approval_is_refused(svc, uow):
    number = upgrade(svc, new=BEST)
    svc.submit(number, "csr1")
    for _ in range(5):
        assert code_of(lambda: svc.approve(number, "mgr1", "0000", "Price match")) == \
            "BAD_CREDENTIALS"
    assert code_of(lambda: svc.approve(number, "mgr1", "9999", "Price match")) == \
        "ACCOUNT_LOCKED"


def no_receipt_even(svc: ExchangeService, customer: str = "C0001") -> str:
    """A return without a receipt, for a known customer: store credit, no payment step."""
    ex = svc.start("csr1", customer_id=customer)
    svc.scan_returned(ex.number, "csr1", GOOD)
    return ex.number


def test_the_customer_daily_limit_asks_for_a_manager(svc):
    for _ in range(3):
        svc.cancel(no_receipt_even(svc), "csr1")    # cancelled ones do not count...
    for _ in range(3):
        number = no_receipt_even(svc)
        svc.submit(number, "csr1")
        svc.finalize(number, "csr1")
    ex = svc.submit(no_receipt_even(svc), "csr1")   # ...the fourth live one today does
    assert ex.state is State.PENDING_APPROVAL
    assert [f.code for f in ex.findings] == ["CUSTOMER_DAILY_LIMIT"]


def test_the_daily_limit_counts_the_stores_day_not_utc(uow, clock):
    from zoneinfo import ZoneInfo

    rt = Runtime("S001", "R01", "USD", clock, tz=ZoneInfo("America/Chicago"))
    svc = ExchangeService(uow, rt, PolicyConfig(max_exchanges_per_customer_per_day=1), TAXES)
    clock.now = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)   # 21:00 the day before in Chicago
    first = no_receipt_even(svc)
    svc.submit(first, "csr1")
    svc.finalize(first, "csr1")
    clock.now += timedelta(hours=1)                        # 22:00 local: the same day
    assert [f.code for f in svc.evaluate(no_receipt_even(svc), "csr1").findings] == \
        ["CUSTOMER_DAILY_LIMIT"]
    clock.now += timedelta(hours=3)                        # 01:00 local: a new store day
    assert svc.submit(no_receipt_even(svc), "csr1").findings == []


def test_an_item_out_of_stock_is_refused_at_scan_time(svc, uow):
    uow.store.stock[BETTER] = 0
    ex = svc.start("csr1", sale_key="S001-000001")
    assert code_of(lambda: svc.scan_requested(ex.number, "csr1", BETTER)) == "OUT_OF_STOCK"


def test_a_line_cannot_be_returned_twice_across_exchanges(svc):
    first = upgrade(svc)
    second = svc.start("csr2", sale_key="S001-000001")
    assert code_of(lambda: svc.scan_returned(second.number, "csr2", GOOD)) == \
        "QTY_EXCEEDS_PURCHASED"
    svc.cancel(first, "csr1")                   # a cancelled exchange gives the unit back
    assert svc.scan_returned(second.number, "csr2", GOOD).returned


def test_an_exchange_for_less_refunds_the_original_card_capped(svc, uow):
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.submit(ex.number, "csr1")               # a plain return: everything refunded
    done = svc.finalize(ex.number, "csr1")
    [refund] = done.refunds
    assert (refund.method, refund.card_last4, refund.status) == ("card", "4242", "pending")
    assert refund.amount_minor == -done.valuation().gap_minor


def test_an_inactive_employee_cannot_start(svc, uow):
    row = uow.store.users["csr2"]
    row["user"] = row["user"].__class__(**{**row["user"].__dict__, "active": False})
    assert code_of(lambda: svc.start("csr2")) == "USER_INACTIVE"


def test_users_are_checked_before_they_are_stored(uow, clock):
    users = UserService(uow, Runtime("S001", "R01", "USD", clock))
    assert code_of(lambda: users.add("x" * 40, "Long Id", "csr", "1234")) == "INVALID_USER_ID"
    assert code_of(lambda: users.add("csr9", "  ", "csr", "1234")) == "INVALID_USER_NAME"
    assert code_of(lambda: users.add("csr9", "Kim", "owner", "1234")) == "INVALID_ROLE"
    assert code_of(lambda: users.add("csr9", "Kim", "csr", "12")) == "INVALID_PIN"
    assert users.add("csr9", "Kim", "csr", "1234").name == "Kim"
