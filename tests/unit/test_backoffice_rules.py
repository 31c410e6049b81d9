"""The back office's services on the in-memory unit of work: the same answers as on
SQLite (tests/integration/test_metrics_known_answers.py, test_day_close.py), so the fake
repositories keep the real ones' meaning. A cash upgrade, a chain back for less, a void
after payment; every figure by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.services.day_close import DayCloseService, parse_count
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.metrics import Period, as_json, compute
from pos_exchange.services.ports import Runtime
from pos_exchange.services.reports import ReportService
from tests.unit.test_service_rules import BEST, BETTER, GOOD, TAXES, Clock, clock, uow

__all__ = ["clock", "uow"]   # the fixtures, shared with test_service_rules
DAY = date(2026, 11, 20)


@pytest.fixture
def day(uow, clock: Clock):
    rt = Runtime("S001", "R01", "USD", clock)
    svc = ExchangeService(uow, rt, PolicyConfig(), TAXES)
    start = clock.now
    # A: S001-000001's T-shirt (20.57) for the Better one (84.42), 63.85 in cash, 5 min.
    a = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(a.number, "csr1", GOOD)
    svc.scan_requested(a.number, "csr1", BETTER)
    svc.submit(a.number, "csr1")
    svc.pay_cash(a.number, "csr1", "63.85")
    clock.now = start + timedelta(minutes=5)
    svc.finalize(a.number, "csr1")
    # B: A's Better T-shirt back for a Good one: 63.85 refunded (Visa 20.57, cash 43.28).
    b = svc.start("csr1", sale_key=a.number)
    svc.scan_returned(b.number, "csr1", BETTER)
    svc.scan_requested(b.number, "csr1", GOOD)
    svc.submit(b.number, "csr1")
    svc.finalize(b.number, "csr1")
    # C: no receipt (13.99 + 1.15 = 15.14) for the Best one (308.50): 293.36, approved by
    # mgr1, paid 300.00 cash, finalized after 2 min, then voided.
    clock.now = start + timedelta(minutes=10)
    c = svc.start("csr2")
    svc.scan_returned(c.number, "csr2", GOOD)
    svc.scan_requested(c.number, "csr2", BEST)
    svc.submit(c.number, "csr2")
    svc.approve(c.number, "mgr1", "9999", "regular")
    svc.pay_cash(c.number, "csr2", "300")
    clock.now = start + timedelta(minutes=12)
    svc.finalize(c.number, "csr2")
    svc.void(c.number, "csr2", "changed their mind")
    return rt, a.number, b.number, c.number


def test_the_figures_on_the_fake_unit_of_work(uow, day):
    rt, _a, _b, c = day
    m = ReportService(uow, rt).metrics(Period(DAY, DAY))
    assert (m.exchanges, m.by_kind) == (3, {"upgrade": 2, "even": 0, "less": 1})
    assert (m.time.count, m.time.average_s, m.time.median_s, m.time.p90_s) == \
        (2, 210, 120, 300)                                   # C 120 s, A 300 s
    assert (m.coverage.eligible, m.coverage.covered, m.coverage.percent) == \
        (2, 1, Decimal("50.0"))
    assert [(n.fact.number, n.reason) for n in m.coverage.not_covered] == [(c, "voided")]
    assert (m.revenue.incremental_minor, m.revenue.refunds_minor, m.revenue.net_minor) == \
        (6385, 6385, 0)
    assert (m.revenue.plain_refund_minor, m.revenue.retained_percent) == \
        (2057 + 8442, Decimal("39.2"))                       # (10499 − 6385) / 10499
    assert [f.number for f in m.approvals] == [c] and [f.number for f in m.voids] == [c]
    # The same figures whatever path adds them up: the facts, then compute().
    reports = ReportService(uow, rt)
    facts = reports.facts(Period(DAY, DAY))
    assert as_json(compute(facts, Period(DAY, DAY), store="S001",
                           stock=reports.stock_figures(facts, ask_hub=False))) == as_json(m)


def test_the_close_on_the_fake_unit_of_work(uow, day, clock):
    rt, _a, _b, _c = day
    closer = DayCloseService(uow, rt)
    # Cash in: A 63.85 and C's 293.36 (its 300.00 tendered, 6.64 change); out: B's 43.28
    # and C's void 293.36. The drawer holds 20.57 more than its float (none here).
    z = closer.close("mgr1", parse_count("USD", {"20.00": "1", "0.50": "1", "0.05": "1",
                                                 "0.01": "2"}))
    assert (z.z_number, z.cash_in_minor, z.cash_out_minor) == (1, 6385 + 29336, 4328 + 29336)
    assert (z.expected_cash_minor, z.counted_minor, z.difference_minor) == (2057, 2057, 0)
    assert (z.net_minor, z.grand_total_minor) == (0, 0)      # 63.85 + 293.36 in, all out
    assert [(k.kind, k.count) for k in z.kinds] == [("upgrade", 2), ("even", 0),
                                                   ("less", 1)]
    with pytest.raises(PosError) as again:
        closer.close("mgr1", parse_count("USD", {}))
    assert again.value.code == "DAY_ALREADY_CLOSED"
    assert closer.stored(1).figures() == z.figures()
