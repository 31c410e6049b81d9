"""Original orders as the hub knows them, for returns against a receipt.

What this covers (honestly, no more): the hub has no order feed of its own yet, so the
only sales it knows are the *new-item sales of exchanges* it ingested. Such an order is
found by the hub's sale-order number (``SO-<store>-<n>``, from ``hub_exchanges``) or by
the register's own number for that sale (``links.new_sale`` of the document). Its lines
are the settled document's ``requested`` lines. ``returnable_qty`` = qty minus the units
of that sku returned by later exchanges of the same store whose ``original_sale`` names
this order (either number) and that were settled and not voided. Returnability rules of
the catalogue (non-returnable items, return windows) are the register's policy, not
applied here. Sales made outside exchanges (the shop's own till or web orders) are not
known: 404.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, Engine, select

from pos_exchange.domain.errors import NotFound
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading
from pos_exchange.hub.tokens import Principal

SETTLED, VOIDED = "exchange.settled", "exchange.voided"


def _documents(conn: Connection, store: str, topic: str, needle: str) -> list[tuple[str, Any]]:
    """(uuid, document) of the store's records of ``topic`` whose canonical JSON contains
    ``needle`` (a pre-filter: callers check the parsed document)."""
    rows = conn.execute(select(t.records.c.exchange_uuid, t.records.c.document).where(
        t.records.c.store_id == store, t.records.c.topic == topic,
        t.records.c.document.contains(needle, autoescape=True))).all()
    return [(uuid, json.loads(document)) for uuid, document in rows]


def _voided(conn: Connection, uuid: str) -> bool:
    return conn.execute(select(t.records.c.id).where(
        t.records.c.exchange_uuid == uuid, t.records.c.topic == VOIDED)).first() is not None


def lookup(engine: Engine, who: Principal, order_number: str) -> dict[str, Any]:
    with reading(engine) as conn:
        found = _find(conn, who, order_number)
        if found is None:
            raise NotFound("UNKNOWN_ORDER", order=order_number[:64], store=who.store)
        uuid, sale_order, doc = found
        numbers = {n for n in (sale_order, (doc.get("links") or {}).get("new_sale")) if n}
        voided = _voided(conn, uuid)
        returned: dict[str, int] = {}
        for number in sorted(numbers):
            for later_uuid, later in _documents(conn, who.store, SETTLED,
                                                json.dumps(number)):
                if later.get("original_sale") != number or _voided(conn, later_uuid):
                    continue
                for line in later.get("returned") or []:
                    returned[line["sku"]] = returned.get(line["sku"], 0) + int(line["qty"])
    lines = []
    for line in doc.get("requested") or []:
        taken = min(returned.get(line["sku"], 0), int(line["qty"]))
        returned[line["sku"]] = returned.get(line["sku"], 0) - taken
        lines.append({"line": line.get("line"), "sku": line["sku"], "name": line.get("name"),
                      "qty": line["qty"], "unit_price": line["unit_price"],
                      "net": line["net"], "tax": line["tax"], "total": line["total"],
                      "tax_rate": line["tax_rate"],
                      "returnable_qty": 0 if voided else int(line["qty"]) - taken})
    return {"order_number": sale_order, "register_number": (doc.get("links") or {})
            .get("new_sale"), "store": who.store, "exchange_uuid": uuid,
            "exchange_number": doc.get("number"), "status": "voided" if voided else "settled",
            "currency": doc.get("currency"), "finalized_at": doc.get("finalized_at"),
            "lines": lines}


def _find(conn: Connection, who: Principal, number: str) -> tuple[str, str, Any] | None:
    row = conn.execute(select(t.exchanges.c.uuid, t.exchanges.c.sale_order).where(
        t.exchanges.c.sale_order == number, t.exchanges.c.store_id == who.store)).first()
    if row is not None:
        doc = conn.execute(select(t.records.c.document).where(
            t.records.c.exchange_uuid == row.uuid, t.records.c.topic == SETTLED)).scalar()
        if doc is not None:
            return row.uuid, row.sale_order, json.loads(doc)
    for uuid, doc in _documents(conn, who.store, SETTLED, f'"new_sale":{json.dumps(number)}'):
        if (doc.get("links") or {}).get("new_sale") == number:
            sale_order = conn.execute(select(t.exchanges.c.sale_order)
                                      .where(t.exchanges.c.uuid == uuid)).scalar()
            return uuid, str(sale_order), doc
    return None
