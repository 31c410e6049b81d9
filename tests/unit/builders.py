"""Small builders for domain-level tests: a sale, an item, a fresh exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.exchange import Exchange, Tender, TenderKind
from pos_exchange.domain.money import line_tax
from pos_exchange.domain.policy import PolicyConfig
from pos_exchange.domain.sale import Funding, Sale, SaleLine

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
_ids = count(1)


def item(sku: str, price: int, tax_class: str = "standard", returnable: bool = True) -> Item:
    return Item(sku, f"Item {sku}", price, tax_class, returnable)


def sale_line(line_id: int, sku: str, qty: int, net: int, rate: str,
              returned: int = 0) -> SaleLine:
    r = Decimal(rate)
    return SaleLine(line_id, sku, f"Item {sku}", qty, net // qty, net, r, line_tax(net, r),
                    returned)


def sale(lines: list[SaleLine], tenders: list[tuple[str, str, int]],
         days_ago: int = 3, sale_id: str = "sale-1") -> Sale:
    """``tenders``: (payment_id, method, amount) in tender order; they must add up."""
    funding = tuple(Funding(pid, method, amount, 0, "visa" if method == "card" else None,
                            "4242" if method == "card" else None)
                    for pid, method, amount in tenders)
    assert sum(f.amount_minor for f in funding) == sum(ln.gross_minor for ln in lines)
    return Sale(sale_id, "S-1", None, NOW - timedelta(days=days_ago), "C1", "USD",
                tuple(lines), funding)


def exchange(created_by: str = "csr1") -> Exchange:
    return Exchange(uuid=f"ex-{next(_ids)}", number="EX-S001-R01-000001-V", store_id="S001",
                    register_id="R01", currency="USD", created_by=created_by, created_at=NOW)


def card_payment(amount: int, tender_id: str = "pay-card") -> Tender:
    return Tender(tender_id, TenderKind.PAYMENT, "card", amount, NOW, payment_id=tender_id,
                  card_brand="visa", card_last4="4242", reference="pi_test")


POLICY = PolicyConfig()
CASH_05 = PolicyConfig(cash_rounding_increment=5)
