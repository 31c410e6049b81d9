"""Properties of the deterministic demo data that seeding, docs and demos rely on."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from stdnum import ean

from pos_exchange.demo.data import (
    DEMO_CURRENCY,
    DEMO_TAX_RATES,
    DemoItem,
    DemoSale,
    demo_customers,
    demo_items,
    demo_sales,
    demo_users,
    family_key,
    price_on,
)
from pos_exchange.domain.money import line_tax

NOW = datetime(2024, 6, 15, 15, 30, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(scope="module")
def items() -> list[DemoItem]:
    return demo_items(TODAY)


@pytest.fixture(scope="module")
def sales(items: list[DemoItem]) -> list[DemoSale]:
    return demo_sales(items, demo_customers(), NOW)


@pytest.fixture(scope="module")
def by_sku(items: list[DemoItem]) -> dict[str, DemoItem]:
    return {item.sku: item for item in items}


@pytest.fixture(scope="module")
def by_order(sales: list[DemoSale]) -> dict[str, DemoSale]:
    return {sale.order_number: sale for sale in sales}


def _walk(value: object):
    """Yield every leaf value inside nested dataclasses and tuples."""
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, tuple | list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


# --- items -----------------------------------------------------------------

def test_item_count_and_unique_skus(items: list[DemoItem]) -> None:
    assert 280 <= len(items) <= 320
    assert len({i.sku for i in items}) == len(items)


def test_barcodes_are_valid_unique_in_store_ean13(items: list[DemoItem]) -> None:
    codes = [code for item in items for code in item.barcodes]
    assert all(1 <= len(item.barcodes) <= 2 for item in items)
    assert any(len(item.barcodes) == 2 for item in items)
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 13 and ean.is_valid(code), code
        assert "20" <= code[:2] <= "28", code  # 29 is kept for receipts


def test_every_category_has_all_three_tiers_in_ascending_price(items: list[DemoItem]) -> None:
    tiers_by_category: dict[str, set[str]] = defaultdict(set)
    families: dict[str, dict[str, DemoItem]] = defaultdict(dict)
    for item in items:
        tiers_by_category[item.category].add(item.tier)
        families[family_key(item.sku)][item.tier] = item
    assert 5 <= len(tiers_by_category) <= 6
    for category, tiers in tiers_by_category.items():
        assert tiers == {"good", "better", "best"}, category
    for key, tiers in families.items():
        assert set(tiers) == {"good", "better", "best"}, key
        good, better, best = tiers["good"], tiers["better"], tiers["best"]
        assert good.price_minor < better.price_minor < best.price_minor, key
        assert len({good.category, better.category, best.category}) == 1


def test_tax_classes(items: list[DemoItem]) -> None:
    assert {i.tax_class for i in items} == {"standard", "reduced"}
    for item in items:
        expected = "reduced" if item.category in {"Books", "Grocery & Snacks"} else "standard"
        assert item.tax_class == expected, item.sku
    assert set(DEMO_TAX_RATES) == {"standard", "reduced"}
    assert DEMO_CURRENCY == "USD"


def test_prices_look_like_shelf_prices(items: list[DemoItem]) -> None:
    for item in items:
        assert type(item.price_minor) is int and item.price_minor > 0
        assert item.price_minor % 100 in {99, 49, 0}, item.sku


def test_returnable_and_stock_mix(items: list[DemoItem]) -> None:
    non_returnable = [i for i in items if not i.returnable]
    assert 3 <= len(non_returnable) <= 20
    assert sum(i.stock == 0 for i in items) >= 3
    assert sum(1 <= i.stock <= 2 for i in items) >= 5
    assert all(i.stock >= 0 for i in items)


def test_price_history_covers_90_days_and_ends_at_current_price(items: list[DemoItem]) -> None:
    promo_items = 0
    for item in items:
        history = item.price_history
        dates = [d for d, _ in history]
        assert dates == sorted(dates) and len(set(dates)) == len(dates), item.sku
        assert dates[0] <= TODAY - timedelta(days=90), item.sku
        assert history[-1][1] == item.price_minor, item.sku
        assert price_on(item, TODAY) == item.price_minor
        window = [price_on(item, TODAY - timedelta(days=n)) for n in range(10, 41)]
        if min(window) < item.price_minor:
            promo_items += 1
    assert promo_items >= 20


# --- users and customers -----------------------------------------------------

def test_users() -> None:
    users = {u.user_id: u for u in demo_users()}
    assert set(users) == {"csr1", "csr2", "mgr1"}
    assert (users["csr1"].role, users["csr1"].pin, users["csr1"].badge) == (
        "csr", "1111", "BADGE-CSR1")
    assert (users["csr2"].role, users["csr2"].pin) == ("csr", "2222")
    assert (users["mgr1"].role, users["mgr1"].pin) == ("manager", "9999")
    assert len({u.badge for u in users.values()}) == 3


def test_customers() -> None:
    customers = demo_customers()
    assert 20 <= len(customers) <= 30
    assert [c.customer_id for c in customers][:2] == ["C0001", "C0002"]
    assert len({c.customer_id for c in customers}) == len(customers)
    assert len({c.name for c in customers}) == len(customers)
    assert all("555-01" in c.phone for c in customers)


# --- sales -----------------------------------------------------------------

def test_sales_count_order_numbers_and_receipt_barcodes(
    sales: list[DemoSale], items: list[DemoItem]
) -> None:
    assert 45 <= len(sales) <= 55
    assert [s.order_number for s in sales] == [f"S001-{n:06d}" for n in range(1, len(sales) + 1)]
    receipts = [s.receipt_barcode for s in sales]
    assert len(set(receipts)) == len(receipts)
    item_codes = {code for item in items for code in item.barcodes}
    for code in receipts:
        assert len(code) == 13 and ean.is_valid(code) and code.startswith("29")
        assert code not in item_codes


def test_sale_times_are_utc_and_within_75_days(sales: list[DemoSale]) -> None:
    for sale in sales:
        assert sale.sold_at.tzinfo is not None and sale.sold_at.utcoffset() == timedelta(0)
        assert NOW - timedelta(days=75) < sale.sold_at < NOW
    assert sum(NOW - s.sold_at > timedelta(days=30) for s in sales) >= 8


def test_line_arithmetic(sales: list[DemoSale], by_sku: dict[str, DemoItem]) -> None:
    for sale in sales:
        assert [line.line_no for line in sale.lines] == list(range(1, len(sale.lines) + 1))
        assert len({line.sku for line in sale.lines}) == len(sale.lines)
        for line in sale.lines:
            item = by_sku[line.sku]
            assert 1 <= line.qty <= 3
            assert line.unit_price_minor == price_on(item, sale.sold_at.date())
            assert line.tax_rate == DEMO_TAX_RATES[item.tax_class]
            assert line.net_minor == line.qty * line.unit_price_minor - line.discount_minor
            assert line.net_minor >= 0 and line.discount_minor >= 0
            assert line.tax_minor == line_tax(line.net_minor, line.tax_rate)
            assert line.gross_minor == line.net_minor + line.tax_minor
        assert sum(line.discount_minor for line in sale.lines) == sale.order_discount_minor


def test_tenders_balance_exactly(sales: list[DemoSale]) -> None:
    intents: list[str] = []
    for sale in sales:
        gross = sum(line.gross_minor for line in sale.lines)
        assert sum(t.amount_minor for t in sale.tenders) == gross, sale.order_number
        for t in sale.tenders:
            assert t.amount_minor > 0
            if t.method == "cash":
                assert (t.card_brand, t.card_last4, t.payment_intent_id) == (None, None, None)
            else:
                assert t.method == "card"
                assert t.card_brand in {"visa", "mastercard", "amex"}
                assert t.card_last4 is not None
                assert len(t.card_last4) == 4 and t.card_last4.isdigit()
                assert t.payment_intent_id is not None
                assert t.payment_intent_id.startswith("pi_demo_")
                intents.append(t.payment_intent_id)
    assert len(set(intents)) == len(intents)


def test_sale_scenario_mix(sales: list[DemoSale], by_sku: dict[str, DemoItem]) -> None:
    assert sum(s.order_discount_minor > 0 for s in sales) >= 10
    assert sum(len(s.tenders) >= 2 for s in sales) >= 8
    assert sum(len(s.lines) >= 2 for s in sales) >= 5
    assert sum(any(line.qty >= 2 for line in s.lines) for s in sales) >= 3
    assert any(s.customer_id is None for s in sales)
    with_final_sale = [s for s in sales if any(not by_sku[x.sku].returnable for x in s.lines)]
    assert 2 <= len(with_final_sale) <= len(sales) // 4
    methods = {tuple(t.method for t in s.tenders) for s in sales}
    assert {("card",), ("cash",), ("cash", "card"), ("card", "card")} <= methods
    tiers = [by_sku[line.sku].tier for s in sales for line in s.lines]
    assert tiers.count("good") + tiers.count("better") > tiers.count("best")


def test_well_known_sale_1(by_order: dict[str, DemoSale], by_sku: dict[str, DemoItem]) -> None:
    sale = by_order["S001-000001"]
    assert sale.sold_at == NOW - timedelta(days=3)
    assert sale.customer_id == "C0001"
    assert sale.order_discount_minor == 0
    (line,) = sale.lines
    item = by_sku[line.sku]
    assert (item.tier, item.tax_class, item.returnable) == ("good", "standard", True)
    assert line.qty == 1 and line.discount_minor == 0
    assert line.unit_price_minor == item.price_minor
    (tender,) = sale.tenders
    assert tender == dataclasses.replace(
        tender, method="card", card_brand="visa", card_last4="4242",
        payment_intent_id="pi_demo_000001", amount_minor=line.gross_minor,
    )
    # The documented upgrade path (same family, higher tier) is in stock.
    siblings = [i for i in by_sku.values() if family_key(i.sku) == family_key(item.sku)]
    assert all(i.stock > 0 for i in siblings)


def test_well_known_sale_2(by_order: dict[str, DemoSale], by_sku: dict[str, DemoItem]) -> None:
    sale = by_order["S001-000002"]
    assert sale.sold_at == NOW - timedelta(days=5)
    assert sale.customer_id == "C0002"
    assert len(sale.lines) == 2
    subtotal = sum(line.qty * line.unit_price_minor for line in sale.lines)
    assert sale.order_discount_minor == (subtotal + 5) // 10  # 10%, half-up
    assert all(line.discount_minor > 0 for line in sale.lines)
    assert {by_sku[line.sku].tax_class for line in sale.lines} == {"standard", "reduced"}
    assert all(by_sku[line.sku].returnable for line in sale.lines)
    cash, card = sale.tenders
    assert cash.method == "cash" and cash.amount_minor > 0
    assert (card.method, card.card_brand, card.card_last4) == ("card", "mastercard", "5555")
    assert card.payment_intent_id == "pi_demo_000002"


def test_no_floats_anywhere(items: list[DemoItem], sales: list[DemoSale]) -> None:
    leaves = list(_walk(items)) + list(_walk(sales)) + list(_walk(demo_customers()))
    assert not any(isinstance(v, float) for v in leaves)
    for sale in sales:
        assert type(sale.order_discount_minor) is int
        for line in sale.lines:
            assert all(type(v) is int for v in (
                line.qty, line.unit_price_minor, line.discount_minor, line.tax_minor,
                line.net_minor, line.gross_minor))
            assert isinstance(line.tax_rate, Decimal)
        assert all(type(t.amount_minor) is int for t in sale.tenders)


def test_frozen() -> None:
    item = demo_items(TODAY)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.price_minor = 1  # type: ignore[misc]


def test_deterministic() -> None:
    assert demo_items(TODAY) == demo_items(TODAY)
    assert demo_customers() == demo_customers()
    assert demo_users() == demo_users()
    first = demo_sales(demo_items(TODAY), demo_customers(), NOW)
    second = demo_sales(demo_items(TODAY), demo_customers(), NOW)
    assert first == second
    assert demo_items(TODAY, seed=8) != demo_items(TODAY)


def test_other_seeds_and_dates_keep_the_guarantees() -> None:
    for seed in (1, 2, 3, 42):
        now = datetime(2025, 1, 2, 9, 0, tzinfo=UTC)
        items = demo_items(now.date(), seed=seed)
        sales = demo_sales(items, demo_customers(seed=seed), now, seed=seed)
        assert sum(s.order_discount_minor > 0 for s in sales) >= 10
        assert sum(len(s.tenders) >= 2 for s in sales) >= 8
        assert sum(now - s.sold_at > timedelta(days=30) for s in sales) >= 8
        for sale in sales:
            assert sum(t.amount_minor for t in sale.tenders) == sum(
                line.gross_minor for line in sale.lines)


def test_naive_now_is_refused(items: list[DemoItem]) -> None:
    with pytest.raises(ValueError):
        demo_sales(items, demo_customers(), datetime(2024, 6, 15, 12, 0))


def test_price_on_before_history_uses_oldest_price(items: list[DemoItem]) -> None:
    item = items[0]
    assert price_on(item, date(1990, 1, 1)) == item.price_history[0][1]
