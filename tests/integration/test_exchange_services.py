"""Exchanges through the service layer on the demo store: every rule, end to end."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import Kind, State, TenderStatus
from pos_exchange.messages import render

GOOD, BETTER, BEST = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002", "APP-TSHIRT-P-003"


def rows(app, sql, **params):
    with app.engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def counts(app):
    return rows(app, "select (select count(*) from exchanges), (select count(*) from "
                     "audit_journal), (select count(*) from exchange_returned), "
                     "(select count(*) from exchange_requested), (select count(*) from outbox)")[0]


def refused(code, fn, *args, **kwargs):
    with pytest.raises(PosError) as err:
        fn(*args, **kwargs)
    assert err.value.code == code, err.value
    assert render(err.value)
    return err.value


def settle(svc, number, user="csr1"):
    ex = svc.submit(number, user)
    if ex.state is State.AWAITING_PAYMENT:
        svc.pay_cash(number, user, "1000")
    return svc.finalize(number, user)


def test_scanning_by_barcode_and_twice_raises_quantity(app):
    svc = app.exchanges
    code = rows(app, "select code from barcodes where sku = :s", s=BETTER)[0][0]
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_requested(ex.number, "csr1", code)
    ex = svc.scan_requested(ex.number, "csr1", code)
    assert [(r.sku, r.qty) for r in ex.requested] == [(BETTER, 2)]


def test_bad_scans_get_a_reason_and_change_nothing(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    before = counts(app)
    refused("UNKNOWN_BARCODE", svc.scan_requested, ex.number, "csr1", "4006381333931")
    refused("BAD_CHECK_DIGIT", svc.scan_requested, ex.number, "csr1", "4006381333932")
    refused("INVALID_BARCODE", svc.scan_requested, ex.number, "csr1", "12345")
    refused("UNKNOWN_SKU", svc.scan_requested, ex.number, "csr1", "NO-SUCH-SKU")
    refused("EMPTY_SCAN", svc.scan_requested, ex.number, "csr1", "  ")
    refused("INVALID_QUANTITY", svc.scan_returned, ex.number, "csr1", GOOD, qty=-2)
    refused("QTY_EXCEEDS_PURCHASED", svc.scan_returned, ex.number, "csr1", GOOD, qty=2)
    refused("NOT_ON_SALE", svc.scan_returned, ex.number, "csr1", BETTER)
    refused("UNKNOWN_SALE", svc.start, "csr1", sale_key="S001-999999")
    refused("UNKNOWN_USER", svc.start, "intruder")
    assert counts(app) == before
    assert app.audit.verify().ok


def test_out_of_stock_is_refused_with_the_reason(app):
    sku = rows(app, "select sku from stock where on_hand = 0 limit 1")[0][0]
    ex = app.exchanges.start("csr1", sale_key="S001-000001")
    err = refused("OUT_OF_STOCK", app.exchanges.scan_requested, ex.number, "csr1", sku)
    assert "out of stock" in render(err)


def test_return_window_is_enforced_on_old_sales(app):
    old, line = rows(app, """select s.order_number, l.sku from sales s
                             join sale_lines l using (sale_id) join items i using (sku)
                             where s.sold_at < '2026-10-01' and i.returnable limit 1""")[0]
    ex = app.exchanges.start("csr1", sale_key=old)
    refused("RETURN_WINDOW_EXPIRED", app.exchanges.scan_returned, ex.number, "csr1", line)


def test_even_exchange_skips_payment(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", GOOD)  # same item, same price: a size swap
    ex = svc.submit(ex.number, "csr1")
    assert ex.valuation().kind is Kind.EVEN and ex.state is State.DRAFT
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT and ex.tenders == []


def test_upgrade_needing_approval_by_manager_pin(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BEST)  # 284.99 + tax: gap far above 100.00
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.PENDING_APPROVAL
    assert [f.code for f in ex.findings] == ["APPROVAL_GAP"]
    refused("APPROVAL_REQUIRED", svc.finalize, ex.number, "csr1")
    refused("ILLEGAL_TRANSITION", svc.pay_cash, ex.number, "csr1", "400")
    refused("BAD_CREDENTIALS", svc.approve, ex.number, "mgr1", "0000", "loyal customer")
    refused("NOT_AUTHORIZED", svc.approve, ex.number, "csr2", "2222", "loyal customer")
    ex = svc.approve(ex.number, "mgr1", "9999", "loyal customer")
    assert ex.state is State.AWAITING_PAYMENT
    svc.pay_cash(ex.number, "csr1", "300")
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT and ex.approval.approver_id == "mgr1"


def test_self_approval_is_refused_even_for_a_manager(app):
    svc = app.exchanges
    ex = svc.start("mgr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "mgr1", GOOD)
    svc.scan_requested(ex.number, "mgr1", BEST)
    svc.submit(ex.number, "mgr1")
    refused("SELF_APPROVAL", svc.approve, ex.number, "mgr1", "9999", "my own")
    assert svc.get(ex.number).state is State.PENDING_APPROVAL


def test_exchange_for_less_refunds_original_tenders_in_order(app):
    svc = app.exchanges
    # S001-000002: cash 22.00 then Mastercard 22.25; return the runner (32.39 + 2.67).
    sale = svc.find_sale("S001-000002")
    runner = next(ln for ln in sale.lines if ln.sku.startswith("FTW-"))
    ex = svc.start("csr1", sale_key="S001-000002")
    svc.scan_returned(ex.number, "csr1", runner.sku)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    ex = svc.submit(ex.number, "csr1")
    assert ex.valuation().kind is Kind.LESS
    ex = svc.finalize(ex.number, "csr1")
    refund_total = -ex.valuation().gap_minor
    refunds = [(t.method, t.amount_minor, t.status) for t in ex.refunds]
    assert refunds[0][0] == "cash" and refunds[0][1] == min(2200, refund_total)
    assert sum(r[1] for r in refunds) == refund_total
    card = [r for r in refunds if r[0] == "card"]
    assert all(r[2] is TenderStatus.PENDING for r in card)  # executed by the terminal adapter


def test_chain_return_never_refunds_more_than_each_tender_paid(app):
    svc = app.exchanges
    # Hop 1: T-shirt bought by Visa 20.57, upgraded to 84.42 paying 63.85 cash.
    ex1 = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex1.number, "csr1", GOOD)
    svc.scan_requested(ex1.number, "csr1", BETTER)
    ex1 = settle(svc, ex1.number)
    # Hop 2: the upgraded shirt comes back for the cheap one: 63.85 refunded.
    ex2 = svc.start("csr2", sale_key=ex1.number)
    svc.scan_returned(ex2.number, "csr2", BETTER)
    svc.scan_requested(ex2.number, "csr2", GOOD)
    ex2 = settle(svc, ex2.number, "csr2")
    assert [(t.method, t.amount_minor) for t in ex2.refunds] == [("card", 2057), ("cash", 4328)]
    # Hop 3: a plain return of what hop 2 handed over: the last 20.57, to the cash.
    ex3 = svc.start("csr1", sale_key=ex2.number)
    svc.scan_returned(ex3.number, "csr1", GOOD)
    ex3 = settle(svc, ex3.number)
    assert [(t.method, t.amount_minor) for t in ex3.refunds] == [("cash", 2057)]
    per_payment = rows(app, """
        select p.payment_id, p.amount_minor, coalesce(sum(t.amount_minor), 0)
        from payments p left join exchange_tenders t
          on t.payment_id = p.payment_id and t.kind = 'refund'
        group by p.payment_id, p.amount_minor""")
    assert all(refunded <= paid for _, paid, refunded in per_payment)
    # Nothing is left to return on the last sale.
    ex4 = svc.start("csr1", sale_key=ex2.number)
    refused("QTY_EXCEEDS_PURCHASED", svc.scan_returned, ex4.number, "csr1", GOOD)


def test_no_receipt_return_uses_lowest_recent_price_and_refunds_store_credit(app, clock):
    svc = app.exchanges
    # An item on promotion within the last 30 days, cheap enough to need no approval.
    sku, low = rows(app, """select h.sku, min(h.price_minor) from price_history h
                            join items i using (sku)
                            where h.valid_from > '2026-10-25' and i.returnable
                              and i.price_minor < 9000
                            group by h.sku having min(h.price_minor) < max(i.price_minor)
                            limit 1""")[0]
    ex = svc.start("csr1")
    ex = svc.scan_returned(ex.number, "csr1", sku)
    assert ex.returned[0].credit_net_minor == low
    ex = svc.submit(ex.number, "csr1")
    ex = svc.finalize(ex.number, "csr1")
    assert [t.method for t in ex.refunds] == ["store_credit"]


def test_void_after_finalize_refunds_and_restores_stock(app):
    svc = app.exchanges
    stock = rows(app, "select on_hand from stock where sku = :s", s=BETTER)[0][0]
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    ex = settle(svc, ex.number)
    assert rows(app, "select on_hand from stock where sku = :s", s=BETTER)[0][0] == stock - 1
    refused("VOID_REASON_REQUIRED", svc.void, ex.number, "csr1", " ")
    ex = svc.void(ex.number, "csr1", "wrong size, customer wants the original back")
    assert ex.state is State.VOIDED
    assert [(t.kind, t.amount_minor) for t in ex.refunds] == [("refund", 6385)]
    assert rows(app, "select on_hand from stock where sku = :s", s=BETTER)[0][0] == stock
    # The original shirt is returnable again and the voided sale is not.
    again = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(again.number, "csr1", GOOD)
    refused("SALE_VOIDED", svc.start, "csr1", sale_key=ex.number)


def test_customer_daily_limit_needs_approval(app):
    svc = app.exchanges
    for _ in range(3):
        ex = svc.start("csr1", customer_id="C0009")
        svc.scan_returned(ex.number, "csr1", GOOD)
        svc.scan_requested(ex.number, "csr1", GOOD)
        settle(svc, ex.number)
    ex = svc.start("csr1", customer_id="C0009")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", GOOD)
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.PENDING_APPROVAL
    assert "CUSTOMER_DAILY_LIMIT" in [f.code for f in ex.findings]


def test_cancel_before_money_and_numbers_stay_gapless(app):
    svc = app.exchanges
    a = svc.start("csr1")
    svc.cancel(a.number, "csr1", "customer left")
    b = svc.start("csr1")
    assert [int(n.split("-")[3]) for n in (a.number, b.number)] == [1, 2]
    assert svc.get(a.number).state is State.CANCELLED
    refused("ILLEGAL_TRANSITION", svc.scan_requested, a.number, "csr1", GOOD)


def test_finalized_exchange_writes_one_outbox_record_with_the_journal_head(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    settle(svc, ex.number)
    outbox = rows(app, "select topic, payload from outbox where exchange_uuid = :u", u=ex.uuid)
    assert [o[0] for o in outbox] == ["exchange.settled"]
    doc = json.loads(outbox[0][1])
    assert doc["number"] == ex.number and doc["state"] == "IN_TRANSIT"
    # The record carries the finalize step's own journal entries and the head after them.
    assert "exchange.finalized" in [e["event"] for e in doc["audit"]]
    head = rows(app, "select max(seq), (select hash from audit_journal order by seq desc "
                     "limit 1) from audit_journal")[0]
    assert (doc["journal_head"]["seq"], doc["journal_head"]["hash"]) == tuple(head)


def test_pins_are_hashed_at_the_registers_cost_and_old_hashes_are_upgraded(app):
    """Sign-in allocates 19 MiB, not argon2-cffi's 64 MiB default (issue 15: peak RSS at
    sign-in); a PIN stored with other parameters still works and is rehashed once."""
    from argon2 import PasswordHasher
    from sqlalchemy import text

    def stored() -> str:
        with app.engine.connect() as conn:
            return conn.execute(text("SELECT pin_hash FROM users WHERE user_id = 'csr2'")
                                ).scalar_one()

    assert "m=19456,t=2,p=1" in stored()
    with app.engine.begin() as conn:  # as written by an earlier version
        conn.execute(text("UPDATE users SET pin_hash = :h WHERE user_id = 'csr2'"),
                     {"h": PasswordHasher().hash("2222")})
    assert "m=65536" in stored()
    assert app.users.sign_in("csr2", "2222").user_id == "csr2"
    assert "m=19456,t=2,p=1" in stored()
