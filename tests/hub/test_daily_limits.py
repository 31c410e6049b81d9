"""Daily limits counted across the chain (issue 10). Online, the hub counts a customer's
exchanges and a CSR's refunds of the store's day over every register; offline the
register counts its own, and the hub flags at sync what it broke."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from pos_exchange.domain.exchange import State
from pos_exchange.hub import schema as t
from tests.flows import BETTER, GOOD
from tests.hub.chain import register, stock_the_hub
from tests.hub.server import HubServer

CUSTOMER = "C0007"


@pytest.fixture
def hub(hub_engine) -> Iterator[HubServer]:
    stock_the_hub(hub_engine)
    server = HubServer(hub_engine).start()
    yield server
    if server.running:
        server.stop()


@pytest.fixture
def two(tmp_path, demo_template, clock, hub):
    regs = [register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", r)
            for r in ("R01", "R02")]
    yield regs
    for reg in regs:
        reg.close()


def upgrade_for(reg, customer=CUSTOMER, user="csr1"):
    """A no-receipt T-shirt for the better one, for ``customer``, locked in."""
    ex = reg.svc.start(user, customer_id=customer)
    reg.svc.scan_returned(ex.number, user, GOOD)
    reg.svc.scan_requested(ex.number, user, BETTER)
    return reg.svc.submit(ex.number, user)


def settle(reg, ex, user="csr1"):
    reg.svc.pay_cash(ex.number, user, "100")
    return reg.svc.finalize(ex.number, user)


def test_the_customer_limit_is_hit_across_two_registers_online(two):
    r01, r02 = two
    first = [upgrade_for(r01) for _ in range(2)]           # two at R01, one settled
    settle(r01, first[0])
    assert r01.sync.push_once().sent == 1
    third = upgrade_for(r02)                                # the third, at R02: fine
    assert third.state is State.AWAITING_PAYMENT
    assert "CUSTOMER_DAILY_LIMIT" not in [f.code for f in third.findings]
    fourth = upgrade_for(r02)                               # R02 alone has seen only 1
    assert fourth.state is State.PENDING_APPROVAL
    [finding] = [f for f in fourth.findings if f.code == "CUSTOMER_DAILY_LIMIT"]
    assert finding.params["count"] == 3                     # 2 at R01 + 1 at R02
    assert r01.svc.get(first[1].number).state is State.AWAITING_PAYMENT


def test_a_limit_broken_offline_is_flagged_at_sync(two):
    r01, r02 = two
    for _ in range(3):
        settle(r01, upgrade_for(r01))
    assert r01.sync.push_once().sent == 3
    with r02.offline():                     # R02 cannot ask: it counts its own day (none)
        late = upgrade_for(r02)
        assert late.state is State.AWAITING_PAYMENT
        settle(r02, late)
    assert r02.sync.push_once().sent == 1
    links = r02.svc.get(late.number).links
    assert (links["oms_status"], links["oms_flags"]) == (
        "flagged", "STOCK_UNCONFIRMED,CUSTOMER_DAILY_LIMIT")
    with r02.sync.hub.session.get(f"{r02.sync.hub.base_url}/v1/reconciliation") as answer:
        [item] = answer.json()
    assert [d["message"] for d in item["details"] if d["code"] == "CUSTOMER_DAILY_LIMIT"] \
        == [f"customer {CUSTOMER} already had 3 other exchanges that day across the chain "
            "(limit 3), without a manager's approval"]


def test_a_csrs_refunds_are_counted_across_registers_online(tmp_path, demo_template, clock,
                                                            hub):
    regs = [register(tmp_path, demo_template, clock, hub.url, hub.engine, "S001", r,
                     policy={"max_refunds_per_csr_per_day": "30.00"}) for r in ("R01", "R02")]
    try:
        def plain_return(reg):
            ex = reg.svc.start("csr1")
            reg.svc.scan_returned(ex.number, "csr1", GOOD)   # no receipt: store credit
            return reg.svc.submit(ex.number, "csr1")

        first = plain_return(regs[0])
        assert first.state is State.DRAFT and not first.approval_required
        second = plain_return(regs[1])                       # alone, R02 is under 30.00
        assert second.state is State.PENDING_APPROVAL
        assert [f.code for f in second.findings] == ["CSR_REFUND_LIMIT"]
    finally:
        for reg in regs:
            reg.close()


def test_a_cancelled_lock_in_no_longer_counts(two, hub):
    r01, r02 = two
    locked = [upgrade_for(r01) for _ in range(3)]
    r01.svc.cancel(locked[0].number, "csr1")
    assert r01.sync.push_once().sent == 1
    fourth = upgrade_for(r02)
    assert fourth.state is State.AWAITING_PAYMENT           # 2 live ones, not 3
    with hub.engine.connect() as conn:
        statuses = sorted(conn.execute(select(t.activity.c.status)).scalars())
    assert statuses == ["cancelled", "locked", "locked", "locked"]
