"""The documented upgrade flow, end to end through the service layer."""

from pos_exchange.domain.exchange import State


def test_upgrade_paid_in_cash_reaches_in_transit(app):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-B-002")
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.AWAITING_PAYMENT
    # 19.00 + 8.25% = 20.57 returned; 77.99 + 6.43 tax = 84.42 new; gap 63.85.
    assert ex.valuation().gap_minor == 6385
    tender = svc.pay_cash(ex.number, "csr1", "100")
    assert (tender.amount_minor, tender.change_minor) == (6385, 3615)
    ex = svc.finalize(ex.number, "csr1")
    assert ex.state is State.IN_TRANSIT
    assert app.audit.verify().ok
