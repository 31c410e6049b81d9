"""The seed's four figures of one day at the demo store, every one worked out by hand
(tests/backoffice.py describes the day), read by the register's SQL query on a real
SQLite file and by the hub's definition (records) on the in-memory unit of work."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pos_exchange.bootstrap import open_app
from pos_exchange.domain.errors import BadInput, Refused
from pos_exchange.messages import render
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.metrics import Period, as_json, compute
from pos_exchange.services.reports import ReportService
from tests.backoffice import one_day
from tests.flows import BETTER

DAY = date(2026, 11, 20)


class HubCounts:
    """The hub's GET /v1/stock as the register's client sees it: pages of rows with
    on_hand, reserved and available, in version order (hub/stock.py ``since``)."""

    def __init__(self, available: dict[str, int]) -> None:
        self.rows = [{"sku": sku, "on_hand": qty, "reserved": 0, "available": qty,
                      "version": i} for i, (sku, qty) in enumerate(sorted(available.items()), 1)]

    def stock_since(self, version: int, limit: int = 1000):
        page = [r for r in self.rows if r["version"] > version][:1]   # one row a page
        more = bool(page) and page[-1]["version"] < len(self.rows)
        return page, page[-1]["version"] if page else version, more

    def catalogue_since(self, version: int, limit: int = 1000):
        return [], version, False


@pytest.fixture
def day_app(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    application = open_app(str(db_path), clock=clock, terminal=reader)
    day = one_day(application, clock, reader)
    yield application, day
    application.close()


def test_every_figure_of_the_day_by_hand(day_app):
    app, day = day_app
    reports = ReportService(app.uow, app.runtime, HubCounts({BETTER: 30, "OTHER": 5}))
    m = reports.metrics(Period(DAY, DAY))
    assert m.currency == "USD" and m.exchanges == 6
    assert m.by_kind == {"upgrade": 5, "even": 0, "less": 1}
    # Time to complete: A 240 s, C 600 s, D 180 s (finalized, then voided).
    t = m.time
    assert (t.count, t.average_s, t.median_s, t.p90_s) == (3, 340, 240, 600)
    assert [(b.lower_min, b.count) for b in t.histogram if b.count] == [(3, 2), (10, 1)]
    # Coverage: A, C, D (voided), E (cancelled after an uncertain card); F never paid.
    c = m.coverage
    assert (c.eligible, c.covered, c.percent) == (4, 2, Decimal("50.0"))
    assert sorted((n.fact.number, n.reason) for n in c.not_covered) == sorted(
        [(day.d, "voided"), (day.e, "uncertain_card")])
    # Inventory: the Better T-shirt was handed out by A and C and kept: the register
    # expects 32 − 1 (A) + 1 (B's return, restocked) − 1 (C) = 31; the hub counts 30.
    inv = m.inventory
    [line] = inv.lines
    assert (line.sku, line.expected, line.counted, line.accurate) == (BETTER, 31, 30, False)
    assert (inv.skus, inv.accurate, inv.rate_percent) == (1, 0, Decimal("0.0"))
    assert inv.unit_accuracy_percent == Decimal("96.7")   # 1 − 1/30
    # Revenue: A and C kept (63.85 + 49.36), B refunded 63.85; credits 20.57 + 84.42 + 35.06.
    r = m.revenue
    assert (r.upgrades, r.incremental_minor, r.less, r.refunds_minor, r.net_minor) == \
        (2, 11321, 1, 6385, 4936)
    assert (r.plain_refund_minor, r.retained_minor) == (14005, 7620)
    assert r.retained_percent == Decimal("54.4")          # 7620 / 14005
    assert [f.number for f in m.approvals] == [day.d]
    assert (m.declines, [f.number for f in m.declined]) == (1, [day.c])
    assert [f.number for f in m.voids] == [day.d]
    assert m.flagged == () and m.dead_lettered == ()
    # One CSR: csr2 worked D only (voided): only voids.
    with pytest.raises(Refused) as only:
        reports.metrics(Period(DAY, DAY), csr="csr2")
    assert only.value.code == "ONLY_VOIDS" and "voided" in render(only.value)
    assert reports.metrics(Period(DAY, DAY), csr="csr1").exchanges == 5


def test_the_same_figures_from_the_records(day_app):
    """The hub's definition (metrics.fact_from_record on each exchange's record) gives the
    SQL query's facts exactly."""
    from pos_exchange.services.metrics import CLOSED_STATES, fact_from_record

    app, _day = day_app
    reports = ReportService(app.uow, app.runtime)
    sql = reports.facts(Period(DAY, DAY))
    from_records = []
    for row in app.exchanges.history(limit=100):
        if row.state in CLOSED_STATES:
            fact = fact_from_record(app.exchanges.record(row.number))
            if fact is not None:
                from_records.append(fact)
    assert sorted(from_records, key=lambda f: f.number) == sql
    assert as_json(compute(sql, Period(DAY, DAY))) == \
        as_json(compute(from_records, Period(DAY, DAY)))


def test_without_the_hub_the_counts_are_unknown(day_app):
    app, _ = day_app
    m = ReportService(app.uow, app.runtime).metrics(Period(DAY, DAY))
    assert (m.inventory.skus, m.inventory.unknown, m.inventory.rate_percent) == (0, 1, None)


def test_bad_periods_are_refused_with_a_sentence(day_app):
    app, _ = day_app
    reports = ReportService(app.uow, app.runtime)
    with pytest.raises(BadInput) as empty:
        Period(DAY, DAY - timedelta(days=1))
    assert empty.value.code == "EMPTY_PERIOD" and "after its last" in render(empty.value)
    with pytest.raises(Refused) as nothing:
        reports.metrics(Period(DAY + timedelta(days=1), DAY + timedelta(days=2)))
    assert nothing.value.code == "NO_EXCHANGES" and "No exchange" in render(nothing.value)
    facts = reports.facts(Period(DAY, DAY))
    euro = [f._replace(currency="EUR", store="S002") for f in facts[:1]]
    with pytest.raises(BadInput) as mixed:
        compute(facts + euro, Period(DAY, DAY))
    assert mixed.value.code == "MIXED_CURRENCIES" and "EUR, USD" in render(mixed.value)
    assert compute(facts + euro, Period(DAY, DAY), store="S001").exchanges == 6
