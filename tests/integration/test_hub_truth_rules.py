"""The register's side of the one truth (issue 10), on the in-memory unit of work
(tests/fakes/unit_of_work.py) with a scripted hub standing in for the adapters, plus the
pure rules the hub flags with (domain/ledger.py, domain/prices.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import NotFound, Refused
from pos_exchange.domain.exchange import State
from pos_exchange.domain.ledger import new_sale_funding, over_returned, overdrawn
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.prices import prices_in_force
from pos_exchange.domain.sale import Draw, Funding, Sale, SaleLine
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime, StockHold
from pos_exchange.services.views import SaleCopy, SaleMatch
from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TAXES = TaxTable({"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")})
GOOD, BETTER = "APP-TSHIRT-G-001", "APP-TSHIRT-B-002"


# --------------------------------------------------------------------- the pure rules

def line(qty=2, returned=0):
    return SaleLine(1, GOOD, "Tee", qty, 1900, 3800, Decimal("0.0825"), 314, returned)


def test_over_returned_counts_only_the_units_beyond_what_is_left():
    assert over_returned(line(2, 0), 2) == 0
    assert over_returned(line(2, 1), 2) == 1
    assert over_returned(line(2, 3), 1) == 1      # already over: all of this one is


def test_overdrawn_is_what_a_tender_no_longer_had():
    card = Funding("pi_1", "card", 2057, drawn_minor=1000)
    assert overdrawn(card, 1057) == 0
    assert overdrawn(card, 2057) == 1000
    assert overdrawn(None, 500) == 500            # a payment that never funded the sale


def test_a_new_sale_is_funded_by_what_it_carried_then_what_was_paid():
    draws = [Draw("pi_1", "card", 1200, "carry", "visa", "4242"),
             Draw("cash-1", "cash", 300, "refund"), Draw("cash-1", "cash", 557, "carry")]
    funding = new_sale_funding(draws, [("t-9", "cash", 6385, None, None)])
    assert [(f.payment_id, f.amount_minor, f.card_last4) for f in funding] == [
        ("pi_1", 1200, "4242"), ("cash-1", 557, None), ("t-9", 6385, None)]


def test_prices_in_force_include_a_promotion_that_ran_in_the_span():
    history = [(date(2026, 10, 1), 7799), (date(2026, 11, 10), 6799),
               (date(2026, 11, 17), 7799), (date(2026, 12, 1), 8999)]
    assert prices_in_force(history, date(2026, 11, 12), date(2026, 11, 12)) == [6799]
    assert prices_in_force(history, date(2026, 11, 15), date(2026, 11, 20)) == [6799, 7799]
    assert prices_in_force(history, date(2026, 9, 1), date(2026, 9, 2)) == []


# --------------------------------------------------------------------- the register side

class ScriptedHub:
    """The hub as the services see it through their ports: a sale index and a stock hold
    that answers with the day's counts (or None: offline)."""

    local_authoritative = False

    def __init__(self) -> None:
        self.sales: dict[str, SaleCopy] = {}
        self.online = True
        self.holds: list[tuple] = []
        self.counts: tuple[tuple[str, ...], dict[str, int]] = ((), {})
        self.refuse_returns = False

    def find(self, key):
        return self.sales.get(key) if self.online else None

    def search(self, text):
        if not self.online:
            return None
        return [SaleMatch(c.sale.order_number, c.sale.sold_at, c.sale.customer_id,
                          c.customer_name, "•••• 0101", c.sale.store_id)
                for c in self.sales.values() if text.lower() in (c.customer_name or "").lower()]

    def available(self, uow, sku, qty):
        return uow.catalogue.on_hand(sku) >= qty, True

    def reserve(self, exchange_uuid, lines, *, returns=(), activity=None):
        if not self.online:
            return None
        if self.refuse_returns and returns:
            raise Refused("QTY_EXCEEDS_PURCHASED", returnable=0, item="Tee", sale="X",
                          bought=1, returned=1)
        self.holds.append((exchange_uuid, tuple(lines), tuple(returns), activity))
        return StockHold(returns_held=tuple(returns), customer_exchanges=self.counts[0],
                         csr_refunds=self.counts[1])


def s002_sale(returned=0):
    return SaleCopy(Sale("S002-000101", "S002-000101", "2900020001015",
                         NOW - timedelta(days=17), "C0101", "USD",
                         (SaleLine(1, GOOD, "Crew T-Shirt (Good)", 1, 1900, 1900,
                                   Decimal("0.0825"), 157, returned_qty=returned),),
                         (Funding("pi_S002000101", "card", 2057, 0, "visa", "4242"),),
                         store_id="S002", source="till"),
                    "Ada Lovelace", "+1 512 555 0101", "ada@example.com", 3,
                    references={"pi_S002000101": "pi_S002000101"})


@pytest.fixture
def world():
    uow = FakeUnitOfWorkFactory()
    with uow() as work:
        load_demo(work, "S001", NOW)
        work.commit()
    hub = ScriptedHub()
    svc = ExchangeService(uow, Runtime("S001", "R02", "USD", lambda: NOW), PolicyConfig(),
                          TAXES, hub, hub)
    return svc, hub, uow


def test_a_sale_the_register_never_saw_is_found_at_the_hub_and_kept(world):
    svc, hub, _ = world
    hub.sales["S002-000101"] = s002_sale()
    found = svc.find_sale("S002-000101")
    assert (found.order_number, found.store_id, found.source) == ("S002-000101", "S002",
                                                                  "till")
    hub.online = False                     # offline now: the kept copy still answers
    ex = svc.start("csr1", sale_key="S002-000101")
    ex = svc.scan_returned(ex.number, "csr1", GOOD)
    assert ex.returned[0].credit_minor == 2057
    assert svc.view(ex.number, "csr1").sale_origin == ("S002", NOW - timedelta(days=17))


def test_what_the_rest_of_the_chain_returned_counts_here(world):
    svc, hub, _ = world
    hub.sales["S002-000101"] = s002_sale(returned=1)
    ex = svc.start("csr1", sale_key="S002-000101")
    with pytest.raises(Refused) as refused:
        svc.scan_returned(ex.number, "csr1", GOOD)
    assert refused.value.code == "QTY_EXCEEDS_PURCHASED"


def test_an_item_barcode_is_never_asked_for_at_the_hub(world):
    svc, hub, _ = world
    asked = []
    hub.find = lambda key: asked.append(key)      # type: ignore[method-assign]
    with pytest.raises(NotFound):
        svc.find_sale(GOOD)
    with pytest.raises(NotFound):
        svc.find_sale("S009-000001")
    assert asked == ["S009-000001"]


def test_lock_in_holds_the_returned_line_and_offline_marks_it_unconfirmed(world):
    svc, hub, _ = world
    hub.sales["S002-000101"] = s002_sale()
    ex = svc.start("csr1", sale_key="S002-000101")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    held = svc.submit(ex.number, "csr1")
    (_uuid, lines, returns, activity), = hub.holds
    assert lines == ((BETTER, 1),) and [(r.order, r.line, r.qty) for r in returns] == [
        ("S002-000101", 1, 1)]
    assert (activity.customer, activity.user, activity.refund_minor) == ("C0101", "csr1", 0)
    assert not held.returns_unconfirmed
    svc.cancel(held.number, "csr1")                 # the unit is free again here...
    hub.online = False                              # ...and the hub cannot be asked
    other = svc.start("csr1", sale_key="S002-000101")
    svc.scan_returned(other.number, "csr1", GOOD)
    offline = svc.submit(other.number, "csr1")
    assert offline.returns_unconfirmed and offline.state is State.DRAFT


def test_a_hub_refusal_of_the_returned_line_locks_nothing_in(world):
    svc, hub, _ = world
    hub.sales["S002-000101"] = s002_sale()
    hub.refuse_returns = True
    ex = svc.start("csr1", sale_key="S002-000101")
    svc.scan_returned(ex.number, "csr1", GOOD)
    with pytest.raises(Refused) as refused:
        svc.submit(ex.number, "csr1")
    assert refused.value.code == "QTY_EXCEEDS_PURCHASED"
    assert svc.get(ex.number).state is State.DRAFT and svc.get(ex.number).submitted_by is None


def test_online_the_limits_count_the_chain_and_this_registers_unsent_exchanges(world):
    svc, hub, _ = world
    local = svc.start("csr1", customer_id="C0101")           # this register, not at the hub
    svc.scan_returned(local.number, "csr1", GOOD)
    hub.counts = (("elsewhere-1", "elsewhere-2", local.uuid), {})
    ex = svc.start("csr1", customer_id="C0101")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    assert svc.submit(ex.number, "csr1").state is State.PENDING_APPROVAL   # 3 others
    hub.counts = (("elsewhere-1",), {})
    again = svc.start("csr1", customer_id="C0101")
    svc.scan_returned(again.number, "csr1", GOOD)
    svc.scan_requested(again.number, "csr1", BETTER)
    # elsewhere-1, the local draft and the exchange waiting for a manager: 3 again.
    assert svc.submit(again.number, "csr1").state is State.PENDING_APPROVAL


def test_the_customer_search_adds_the_chains_matches(world):
    svc, hub, _ = world
    hub.sales["S002-000101"] = replace(s002_sale())
    found = svc.search_sales("lovelace")
    assert [(m.order_number, m.store) for m in found] == [("S002-000101", "S002")]
    hub.online = False
    assert svc.search_sales("lovelace") == []
