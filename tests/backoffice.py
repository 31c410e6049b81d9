"""One day of exchanges at the demo store whose figures are worked out by hand.

Demo prices (8.25 % standard tax, half up per line): Crew T-Shirt Good 19.00 + 1.57 =
20.57; Better 77.99 + 6.43 = 84.42; Best 284.99 + 23.51 = 308.50. Sale S001-000001 paid
20.57 by Visa •••• 4242 for one Good T-shirt; sale S001-000002 (10 % off, cash 22.00 +
Mastercard 22.25): the running shoe is credited 32.39 + 2.67 = 35.06, the cookbook
8.99 + 0.20 = 9.19.

The day, each exchange by csr1 unless said, first scan at the minute given after
15:30 UTC (DEMO_NOW):
A  +0   S001-000001's T-shirt for the Better one: gap 84.42 − 20.57 = 63.85, cash 70.00
        (change 6.15); finalized 4 min after its first scan.
B  +10  a chain: A's Better T-shirt back (credit 84.42, what A's sale was worth) for a Good
        one (20.57): an exchange for less, 63.85 refunded along A's tenders: the Visa
        20.57 first (pending on the card), then 43.28 in cash.
C  +20  S001-000002's running shoe (35.06) for the Better T-shirt (84.42): gap 49.36; a
        card declined first (insufficient funds), then approved; finalized after 10 min.
D  +40  S001-000002's cookbook (9.19) for the Best T-shirt (308.50): gap 299.31 needs a
        manager (over 100.00): mgr1 approves; cash 300.00 (change 0.69); finalized after
        3 min, then voided after payment (299.31 back in cash).
E  +50  a T-shirt without a receipt (the lowest price of 30 days: 13.99 + 1.15 = 15.14)
        for the Better one: gap 69.28; the card reader loses contact mid-payment (the
        payment is uncertain), recovery finds it was never charged, and the exchange is
        cancelled.
F  +60  a no-receipt Good T-shirt for the Better one, locked in and cancelled before any
        payment (it counts as an exchange, but not in payment coverage).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_exchange.bootstrap import App
from pos_exchange.domain.card_attempts import AttemptStatus
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from tests.conftest import Clock
from tests.flows import BEST, BETTER, GOOD

RUNNER, COOKBOOK = "FTW-RUNNER-G-052", "BKS-COOKBK-G-205"
FUNDS = "4000000000009995"   # Stripe's insufficient-funds test card


@dataclass
class Day:
    a: str
    b: str
    c: str
    d: str
    e: str
    f: str


def _at(clock: Clock, start: datetime, minutes: float) -> None:
    clock.now = start + timedelta(minutes=minutes)


def one_day(app: App, clock: Clock, reader: SimulatedTerminal) -> Day:
    svc, start = app.exchanges, clock.now
    # A: upgrade paid in cash
    _at(clock, start, 0)
    a = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(a.number, "csr1", GOOD)
    svc.scan_requested(a.number, "csr1", BETTER)
    svc.submit(a.number, "csr1")
    svc.pay_cash(a.number, "csr1", "70.00")
    _at(clock, start, 4)
    svc.finalize(a.number, "csr1")
    # B: the chain, A's Better T-shirt back for a Good one
    _at(clock, start, 10)
    b = svc.start("csr1", sale_key=a.number)
    svc.scan_returned(b.number, "csr1", BETTER)
    svc.scan_requested(b.number, "csr1", GOOD)
    svc.submit(b.number, "csr1")
    _at(clock, start, 12)
    svc.finalize(b.number, "csr1")
    # C: card declined, then approved
    _at(clock, start, 20)
    c = svc.start("csr1", sale_key="S001-000002")
    svc.scan_returned(c.number, "csr1", RUNNER)
    svc.scan_requested(c.number, "csr1", BETTER)
    svc.submit(c.number, "csr1")
    pay = app.payments
    first = pay.start(c.number, "csr1")
    reader.present(first.intent_id or "", FUNDS)
    assert pay.poll(first.attempt_id).status is AttemptStatus.DECLINED
    second = pay.start(c.number, "csr1")
    reader.present(second.intent_id or "")
    assert pay.poll(second.attempt_id).status is AttemptStatus.SUCCEEDED
    _at(clock, start, 30)
    svc.finalize(c.number, "csr1")
    # D: approval, cash, finalized, voided after payment
    _at(clock, start, 40)
    d = svc.start("csr2", sale_key="S001-000002")
    svc.scan_returned(d.number, "csr2", COOKBOOK)
    svc.scan_requested(d.number, "csr2", BEST)
    svc.submit(d.number, "csr2")
    svc.approve(d.number, "mgr1", "9999", "loyal customer")
    svc.pay_cash(d.number, "csr2", "300.00")
    _at(clock, start, 43)
    svc.finalize(d.number, "csr2")
    _at(clock, start, 45)
    svc.void(d.number, "csr2", "customer changed their mind")
    # E: the card payment goes uncertain; never charged; cancelled
    _at(clock, start, 50)
    e = svc.start("csr1")
    svc.scan_returned(e.number, "csr1", GOOD)
    svc.scan_requested(e.number, "csr1", BETTER)
    svc.submit(e.number, "csr1")
    attempt = pay.start(e.number, "csr1")
    reader.online = False
    assert pay.poll(attempt.attempt_id).status is AttemptStatus.UNCERTAIN
    reader.online = True
    [settled] = pay.recover()
    assert settled.status is AttemptStatus.CANCELED
    _at(clock, start, 55)
    svc.cancel(e.number, "csr1")
    # F: locked in, cancelled before any payment
    _at(clock, start, 60)
    f = svc.start("csr1")
    svc.scan_returned(f.number, "csr1", GOOD)
    svc.scan_requested(f.number, "csr1", BETTER)
    svc.submit(f.number, "csr1")
    svc.cancel(f.number, "csr1")
    _at(clock, start, 70)
    return Day(a.number, b.number, c.number, d.number, e.number, f.number)
