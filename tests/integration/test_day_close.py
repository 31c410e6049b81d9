"""The end-of-day close on a real register database: the day of tests/backoffice.py,
every figure worked out by hand; a closed day never changes; bad input is refused."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from pos_exchange.bootstrap import open_app
from pos_exchange.domain.errors import BadInput, PosError, Refused
from pos_exchange.messages import render
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.reports.zreport_csv import csv_text
from pos_exchange.services.day_close import parse_count
from tests.backoffice import one_day

DAY = date(2026, 11, 20)
# 100.00 float + 20.57 left in the drawer by the day = 120.57: one 100, one 20, two
# quarters, seven cents.
COUNT = {"100.00": "1", "20.00": "1", "0.25": "2", "0.01": "7"}


@pytest.fixture
def day_app(db_path, clock):
    reader = SimulatedTerminal(auto_present=None)
    application = open_app(str(db_path), clock=clock, terminal=reader)
    day = one_day(application, clock, reader)
    yield application, day, clock
    application.close()


def test_the_z_report_of_the_day_by_hand(day_app):
    app, day, _clock = day_app
    z = app.day_close.close("mgr1", parse_count("USD", COUNT), float_minor=10000)
    assert (z.z_number, z.business_day, z.period_start) == (1, DAY, None)
    # Finalized today: A and C upgrades (63.85 + 49.36), D upgrade (299.31, voided later),
    # B for less (−63.85).
    assert [(k.kind, k.count, k.gap_minor) for k in z.kinds] == [
        ("upgrade", 3, 6385 + 4936 + 29931), ("even", 0, 0), ("less", 1, -6385)]
    # Payments: cash 63.85 (A) + 299.31 (D); card 49.36 (C, the simulated Visa 4242).
    # Refunds: B's 20.57 to the Visa (pending), B's 43.28 in cash, D's void 299.31 cash.
    assert [(t.kind, t.method, t.brand, t.count, t.amount_minor, t.pending)
            for t in z.tenders] == [
        ("payment", "card", "visa", 1, 4936, 0), ("payment", "cash", None, 2, 36316, 0),
        ("refund", "card", "visa", 1, 2057, 1), ("refund", "cash", None, 2, 34259, 0)]
    assert (z.refunds_count, z.refunds_minor) == (2, 6385)
    assert (z.approvals, z.voids, z.voids_given_back_minor) == (1, 1, 29931)
    assert z.void_numbers == (day.d,)
    # Drawer: 100.00 + 363.16 − 342.59 = 120.57 expected, 120.57 counted.
    assert (z.cash_in_minor, z.cash_out_minor, z.expected_cash_minor) == (36316, 34259, 12057)
    assert (z.counted_minor, z.difference_minor) == (12057, 0)
    # Net takings 412.52 − 363.16 = 49.36: the grand total starts there.
    assert (z.net_minor, z.grand_total_before_minor, z.grand_total_minor) == (4936, 0, 4936)
    with app.engine.connect() as conn:
        head = conn.execute(text("SELECT seq, hash, event FROM audit_journal "
                                 "ORDER BY seq DESC LIMIT 1")).one()
        anchor = conn.execute(text("SELECT seq, hash FROM audit_anchors "
                                   "WHERE source = 'z-report'")).one()
    assert head.event == "day.closed" and (z.journal_seq, z.journal_hash) == \
        (head.seq, head.hash) == tuple(anchor)
    assert app.audit.verify().ok


def test_a_closed_day_never_changes_and_corrections_fall_on_the_next_day(day_app):
    app, day, clock = day_app
    closer = app.day_close
    first = closer.close("mgr1", parse_count("USD", COUNT), float_minor=10000)
    with pytest.raises(Refused) as again:
        closer.close("mgr1", parse_count("USD", COUNT))
    assert again.value.code == "DAY_ALREADY_CLOSED" and "Z 1" in render(again.value)
    with app.engine.begin() as conn, pytest.raises(Exception, match="append-only"):
        conn.execute(text("UPDATE day_closes SET grand_total_minor = 0"))
    # The next morning: C is voided (a correction of yesterday's sale).
    clock.advance(hours=20)
    app.exchanges.void(day.c, "mgr1", "wrong size, customer came back")
    assert closer.stored(1).figures() == first.figures()           # yesterday unchanged
    x = closer.x_report("mgr1")
    assert x.z_number is None and x.period_start == first.period_end
    assert [(t.kind, t.method, t.amount_minor) for t in x.tenders] == [
        ("refund", "card", 4936)]
    assert (x.voids, x.net_minor, x.grand_total_minor) == (1, -4936, 0)
    second = closer.close("mgr1", parse_count("USD", {}), day=DAY + timedelta(days=1))
    assert (second.z_number, second.grand_total_before_minor, second.grand_total_minor) == \
        (2, 4936, 0)
    with pytest.raises(Refused) as spans:
        closer.x_report("mgr1", first_day=DAY, last_day=DAY + timedelta(days=1))
    assert spans.value.code == "PERIOD_SPANS_CLOSED_DAY"
    assert "is closed (Z 1)" in render(spans.value)


def test_bad_counts_and_closers_are_refused_with_a_sentence(day_app):
    app, _day, _clock = day_app
    for entries, code in (({"20.00": "three"}, "COUNT_NOT_A_NUMBER"),
                          ({"20.00": "-1"}, "COUNT_NOT_A_NUMBER"),
                          ({"20.00": "1.5"}, "COUNT_NOT_A_NUMBER"),
                          ({"3.00": "1"}, "UNKNOWN_DENOMINATION"),
                          ({"twenty": "1"}, "INVALID_AMOUNT")):
        with pytest.raises(BadInput) as refused:
            parse_count("USD", entries)
        assert refused.value.code == code and render(refused.value) != code
    with pytest.raises(BadInput) as word:
        parse_count("USD", {"20.00": "three"})
    assert "three" in render(word.value) and "$20.00" not in render(word.value)
    with pytest.raises(Refused) as csr:
        app.day_close.close("csr1", parse_count("USD", COUNT))
    assert csr.value.code == "NOT_A_MANAGER"
    with pytest.raises(Refused) as future:
        app.day_close.close("mgr1", parse_count("USD", COUNT), day=DAY + timedelta(days=1))
    assert future.value.code == "DAY_IN_FUTURE"
    with app.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM day_closes")).scalar() == 0


def test_the_csv_parses_back_and_sums(day_app):
    app, _day, _clock = day_app
    z = app.day_close.close("mgr1", parse_count("USD", COUNT), float_minor=10000)
    body = csv_text(z)
    body.encode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    amount = {(r["section"], r["item"], r["detail"]): Decimal(r["amount"]) for r in rows
              if r["amount"]}
    payments = sum(v for (s, _i, _d), v in amount.items() if s == "payment")
    refunds = sum(v for (s, _i, _d), v in amount.items() if s == "refund")
    counted = sum(v for (s, _i, _d), v in amount.items() if s == "count")
    assert payments == amount[("total", "payments", "")] == Decimal("412.52")
    assert refunds == amount[("total", "refunds", "")] == Decimal("363.16")
    assert payments - refunds == amount[("total", "net", "")] == Decimal("49.36")
    assert counted == amount[("cash", "counted", "")] == amount[("cash", "expected", "")]
    assert next(r for r in rows if r["item"] == "business_day")["detail"] == "2026-11-20"
    assert next(r for r in rows if r["item"] == "period_end")["detail"].startswith(
        "2026-11-20T")
    german = csv_text(z, decimal_locale="de_DE")
    assert "412,52" in german and "412.52" not in german


def test_an_x_report_changes_nothing(day_app):
    app, _day, _clock = day_app
    before = app.audit.head()
    x = app.day_close.x_report("mgr1", counted=parse_count("USD", {"100.00": "1"}),
                               float_minor=10000)
    assert x.difference_minor == 10000 - 12057
    assert app.audit.head() == before and app.day_close.closes() == []


def test_mixed_currencies_cannot_be_closed(day_app):
    app, _day, _clock = day_app
    with app.engine.begin() as conn:
        conn.execute(text("UPDATE exchanges SET currency = 'CAD' WHERE number = "
                          "(SELECT MIN(number) FROM exchanges WHERE state = 'COMPLETED' "
                          "OR state = 'IN_TRANSIT')"))
    with pytest.raises(PosError) as mixed:
        app.day_close.x_report("mgr1")
    assert mixed.value.code == "MIXED_CURRENCIES" and "CAD, USD" in render(mixed.value)
