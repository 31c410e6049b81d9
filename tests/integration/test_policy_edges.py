"""Edge cases of the rules, each one a hole found in review and closed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from pos_exchange.bootstrap import open_app
from pos_exchange.config import Settings
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.messages import render
from tests.flows import BEST, BETTER, GOOD, upgrade_awaiting_payment


def refused(code, fn, *args, **kwargs):
    with pytest.raises(PosError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code, err.value
    return err.value



def test_finalizing_twice_says_it_is_already_settled(app):
    svc = app.exchanges
    ex = upgrade_awaiting_payment(app)
    svc.pay_cash(ex.number, "csr1", "100")
    svc.finalize(ex.number, "csr1")
    refused("ILLEGAL_TRANSITION", svc.finalize, ex.number, "csr1")


def test_the_same_card_payment_cannot_be_recorded_twice(app):
    svc = app.exchanges
    ex = upgrade_awaiting_payment(app)
    svc.record_card_payment(ex.number, "csr1", "30.00", brand="visa", last4="4242",
                            reference="pi_ONE")
    refused("DUPLICATE_PAYMENT", svc.record_card_payment, ex.number, "csr1", "30.00",
            brand="visa", last4="4242", reference="pi_ONE")
    for bad in ({"reference": "4242424242424242"}, {"reference": ""},
                {"brand": "4242 4242"}, {"last4": "424242"}):
        kwargs = {"brand": "visa", "last4": "4242", "reference": "pi_TWO", **bad}
        refused("INVALID_CARD_REFERENCE", svc.record_card_payment, ex.number, "csr1",
                "1.00", **kwargs)
    assert len(svc.get(ex.number).payments) == 1


def test_attach_sale_follows_the_editing_rules_and_is_journaled(app):
    svc = app.exchanges
    ex = svc.start("csr1")
    ex = svc.attach_sale(ex.number, "csr1", "S001-000002")
    assert ex.original_order_number == "S001-000002" and ex.customer_id == "C0002"
    events = [e["event"] for e in svc.record(ex.number).as_json()["audit"]]
    assert "exchange.sale_attached" in events
    done = upgrade_awaiting_payment(app)
    svc.pay_cash(done.number, "csr1", "100")
    svc.finalize(done.number, "csr1")
    refused("ILLEGAL_TRANSITION", svc.attach_sale, done.number, "csr1", "S001-000002")


def test_return_window_is_checked_again_when_the_basket_is_locked_in(app, clock):
    svc = app.exchanges
    sold = svc.find_sale("S001-000001").sold_at
    clock.now = sold + timedelta(days=29)
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", GOOD)
    clock.now = sold + timedelta(days=31)
    refused("RETURN_WINDOW_EXPIRED", svc.submit, ex.number, "csr1")
    assert svc.get(ex.number).state is State.DRAFT


def test_a_manager_who_built_the_basket_cannot_approve_it(app):
    svc = app.exchanges
    ex = svc.start("mgr1", sale_key="S001-000001")       # the manager scans...
    svc.scan_returned(ex.number, "mgr1", GOOD)
    svc.scan_requested(ex.number, "mgr1", BEST)
    ex = svc.submit(ex.number, "csr1")                   # ...a CSR presses submit
    assert ex.state is State.PENDING_APPROVAL
    refused("SELF_APPROVAL", svc.approve, ex.number, "mgr1", "9999", "mine")


def test_csr_refund_limit_counts_refunds_locked_in_but_not_settled(db_path, clock):
    settings = Settings(policy={"max_refunds_per_csr_per_day": "50.00"})
    app = open_app(str(db_path), settings=settings, clock=clock)
    svc = app.exchanges
    try:
        numbers = []
        for _ in range(2):  # each returns the upgraded shirt for the cheap one: 63.85 back
            ex = svc.start("csr1")
            svc.scan_returned(ex.number, "csr1", BETTER)
            svc.scan_requested(ex.number, "csr1", GOOD)
            numbers.append(ex.number)
        first = svc.submit(numbers[0], "csr1")
        second = svc.submit(numbers[1], "csr1")
        assert first.state is State.PENDING_APPROVAL  # 63.85 alone is over 50.00
        assert "CSR_REFUND_LIMIT" in [f.code for f in second.findings]
        refused("APPROVAL_REQUIRED", svc.finalize, numbers[1], "csr1")
    finally:
        app.close()


def test_cash_refunds_never_exceed_the_cash_paid_with_rounding(db_path, clock):
    app = open_app(str(db_path), settings=Settings(policy={"cash_rounding": "0.05"}),
                   clock=clock)
    svc = app.exchanges
    try:
        # A cash-paid upgrade of 63.85 exact (paid 63.85), then two returns for less.
        ex = upgrade_awaiting_payment(app)
        svc.pay_cash(ex.number, "csr1", "70")
        svc.finalize(ex.number, "csr1")
        back = svc.start("csr1", sale_key=ex.number)
        svc.scan_returned(back.number, "csr1", BETTER)
        svc.submit(back.number, "csr1")
        back = svc.finalize(back.number, "csr1")
        with app.engine.connect() as conn:
            cash_in = conn.execute(text("select sum(amount_minor) from exchange_tenders "
                                        "where kind='payment' and method='cash'")).scalar()
            cash_out = conn.execute(text("select sum(amount_minor) from exchange_tenders "
                                         "where kind='refund' and method='cash'")).scalar()
        assert cash_out <= cash_in
        assert all(t.amount_minor % 5 == 0 for t in back.refunds if t.method == "cash")
    finally:
        app.close()


def test_no_receipt_value_ignores_prices_scheduled_for_the_future(app, clock):
    svc = app.exchanges
    with app.engine.begin() as conn:
        conn.execute(text("insert into price_history (sku, valid_from, price_minor) "
                          "values (:s, :d, 1)"),
                     {"s": BETTER, "d": (clock.now + timedelta(days=5)).date()})
        low = min(conn.execute(text(
            "select price_minor from price_history where sku = :s and valid_from <= :d"),
            {"s": BETTER, "d": clock.now.date()}).scalars())
    ex = svc.start("csr1")
    ex = svc.scan_returned(ex.number, "csr1", BETTER)
    assert ex.returned[0].credit_net_minor >= min(low, 7799) > 1


def test_daily_limits_count_the_stores_own_calendar_day(db_path):
    # 23:30 in Chicago is already tomorrow in UTC: both exchanges are the same store day.
    chicago = ZoneInfo("America/Chicago")
    now = [datetime(2026, 11, 20, 22, 0, tzinfo=chicago)]
    settings = Settings(timezone="America/Chicago",
                        policy={"max_exchanges_per_customer_per_day": 1})
    app = open_app(str(db_path), settings=settings, clock=lambda: now[0].astimezone(UTC))
    svc = app.exchanges
    try:
        first = svc.start("csr1", customer_id="C0010")
        svc.scan_returned(first.number, "csr1", GOOD)
        svc.scan_requested(first.number, "csr1", GOOD)
        if svc.submit(first.number, "csr1").state is State.AWAITING_PAYMENT:
            svc.pay_cash(first.number, "csr1", "20")  # no receipt: lowest recent price
        svc.finalize(first.number, "csr1")
        now[0] = datetime(2026, 11, 20, 23, 30, tzinfo=chicago)
        second = svc.start("csr1", customer_id="C0010")
        svc.scan_returned(second.number, "csr1", GOOD)
        svc.scan_requested(second.number, "csr1", GOOD)
        assert svc.submit(second.number, "csr1").state is State.PENDING_APPROVAL
    finally:
        app.close()
    from pos_exchange.config import load_settings

    with pytest.raises(PosError) as err:
        load_settings(timezone="Mars/Olympus")
    assert err.value.code == "INVALID_CONFIG" and "time zone" in render(err.value)


def test_reads_work_while_another_process_holds_the_write_lock(app, db_path):
    ex = app.exchanges.start("csr1")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert app.exchanges.get(ex.number).number == ex.number
        assert app.audit.verify().ok
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.parametrize("toml", [
    '[devices]\nstripe_secret_key = "x"\n',
    '[devices]\nterminal_key = "sk_live_abc"\n',
    'hub_token = "abc"\n',
])
def test_secrets_anywhere_in_the_config_file_are_refused(isolated_env, toml):
    from pos_exchange.config import load_settings

    cfg = isolated_env / "config" / "pos-exchange.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(toml)
    with pytest.raises(PosError) as err:
        load_settings()
    assert err.value.code == "SECRET_IN_CONFIG"
    assert "sk_live_abc" not in render(err.value)


def test_a_basket_changed_while_stock_was_held_must_be_locked_in_again(app):
    from pos_exchange.services.ports import StockHold

    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)

    class EditsMeanwhile:  # a second terminal edits the basket during the hold
        local_authoritative = True

        def reserve(self, exchange_uuid, lines, **_hold):  # returns, activity: issue 10
            svc.stock = original
            svc.scan_requested(ex.number, "csr1", GOOD)
            return StockHold()

    original = svc.stock
    svc.stock = EditsMeanwhile()
    refused("BASKET_CHANGED", svc.submit, ex.number, "csr1")
    assert svc.get(ex.number).state is State.DRAFT
    assert svc.submit(ex.number, "csr1").state is State.AWAITING_PAYMENT
