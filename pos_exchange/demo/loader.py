"""Loads the demo store into a fresh register database, in one unit of work."""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, uuid5

from pos_exchange.demo import data
from pos_exchange.domain.catalogue import Item
from pos_exchange.domain.errors import Refused
from pos_exchange.domain.sale import Funding, Sale, SaleLine
from pos_exchange.services.ports import UnitOfWork


def _payment_id(sale: data.DemoSale, index: int, tender: data.DemoTender) -> str:
    if tender.payment_intent_id:
        return tender.payment_intent_id
    return f"cash-{sale.order_number}-{index}"


def load_demo(uow: UnitOfWork, store_id: str, now: datetime) -> dict[str, int]:
    """Insert the demo catalogue, staff, customers and past sales; refuses a non-empty store."""
    if uow.catalogue.count() or uow.sales.count():
        raise Refused("DB_NOT_EMPTY")
    items = data.demo_items(now.date())
    for it in items:
        item = Item(it.sku, it.name, it.price_minor, it.tax_class, it.returnable,
                    it.barcodes, it.category)
        uow.catalogue.add_item(item, it.tier, it.stock, now, list(it.price_history))
    for user in data.demo_users():
        uow.users.add(user.user_id, user.name, user.role, user.pin, user.badge, now)
    customers = data.demo_customers()
    for c in customers:
        uow.sales.add_customer(c.customer_id, c.name, c.phone)
    names = {it.sku: it.name for it in items}
    sales = data.demo_sales(items, customers, now)
    for s in sales:
        funding = []
        for i, tender in enumerate(s.tenders, 1):
            pid = _payment_id(s, i, tender)
            uow.sales.add_payment(pid, tender.method, tender.amount_minor, data.DEMO_CURRENCY,
                                  s.sold_at, tender.card_brand, tender.card_last4,
                                  tender.payment_intent_id)
            funding.append(Funding(pid, tender.method, tender.amount_minor))
        lines = tuple(SaleLine(ln.line_no, ln.sku, names[ln.sku], ln.qty, ln.unit_price_minor,
                               ln.net_minor, ln.tax_rate, ln.tax_minor) for ln in s.lines)
        sale_id = str(uuid5(NAMESPACE_URL, f"pos-exchange-demo/{s.order_number}"))
        uow.sales.add(Sale(sale_id, s.order_number, s.receipt_barcode, s.sold_at, s.customer_id,
                           data.DEMO_CURRENCY, lines, tuple(funding)), store_id)
    return {"items": len(items), "users": len(data.demo_users()),
            "customers": len(customers), "sales": len(sales)}
